"""One row whose code or slug cannot form a URL (saved before codes were validated) never
breaks a page: it is shown as text, without a link."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.core.cache import cache
from django.urls import resolve, reverse
from django.utils import timezone
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from promzona.core.codes import is_code
from promzona.web import links
from promzona.zones.models import Plot, Zone

#: Codes a URL cannot carry ("/" or nothing), and ones it can but that break the rule.
UNLINKABLE = ["SLASH/1", "", "a/../b", "/", "x/"]


@pytest.fixture
def bad_plot(demo, request):
    """BLK-11 (published, ranked first by the demo match) renamed behind the validation."""
    cache.clear()
    Plot.objects.filter(zone=demo, code="BLK-11").update(code=request.param,
                                                         updated_at=timezone.now())
    return Plot.objects.get(zone=demo, code=request.param)


@pytest.mark.parametrize("bad_plot", UNLINKABLE, indirect=True)
def test_a_plot_whose_code_cannot_be_linked_leaves_every_page_working(bad_plot, client):
    other = Plot.objects.get(code="BLK-01")
    pages = ["/", "/?partial=list", f"/compare/?plots={bad_plot.pk},{other.pk}",
             "/zones/balkhash/"]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
    home = client.get("/").content.decode()
    assert f'href="{reverse("web:passport", args=["balkhash", "BLK-01"])}"' in home
    r = client.get("/match/", {"sector": "C25", "area_min": "1", "area_max": "5",
                               "power_kw": "500", "hazard_class": "4", "horizon_years": "10"})
    assert r.status_code == 200
    assert bad_plot.pk in [row["plot_id"] for row in r.context["answer"]["results"]]
    assert links.passport_url(bad_plot) == ""


def test_a_zone_whose_slug_cannot_be_linked_leaves_the_home_page_working(demo, client):
    cache.clear()
    Zone.objects.filter(pk=demo.pk).update(slug="зона балхаш")
    r = client.get("/")
    assert r.status_code == 200
    assert "<a>" in r.content.decode()  # the zone's name, without a link
    assert links.zone_url(Zone.objects.get(pk=demo.pk)) == ""


#: Letters and digits of the rule, its separators, and characters a URL treats specially.
ALPHABET = "AZaz09ЁёЯяӘәҒғҚқҢңӨөҰұҮүҺһІі" + "._-" + "/?#% \u202e\u0483"


@pytest.mark.nodb
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=32))
def test_every_valid_code_makes_a_passport_url_that_resolves_back_to_it(code):
    assume(is_code(code))
    url = reverse("web:passport", args=["balkhash", code])
    match = resolve(unquote(url))  # as the server decodes the path it is asked for
    assert match.kwargs == {"zone_slug": "balkhash", "code": code}
    assert url.removeprefix("/en").count("/") == 4  # /plots/<zone>/<code>/: one segment
