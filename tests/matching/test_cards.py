"""The match page's cards, near misses and the way to the zone office, as the server draws them."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs

from django.test import Client

QUERY = {"sector": "C25", "area_min": "1", "area_max": "5", "power_kw": "500",
         "water_m3_day": "20", "hazard_class": "4", "horizon_years": "10",
         "start_by": "2027-06-01"}
NOTHING = {"sector": "C25", "area_max": "5", "power_kw": "30000", "hazard_class": "4",
           "horizon_years": "10"}


def _page(params, lang="en"):
    """The match page at ``lang``'s address (Russian has no prefix)."""
    prefix = "" if lang == "ru" else f"/{lang}"
    return Client().get(f"{prefix}/match/", params).content.decode()


def test_each_result_is_a_card_with_its_cost_bar_timeline_and_folded_explanation(demo, today):
    soon = today + dt.timedelta(days=30)  # before the zone's administrative procedure ends
    page = _page(dict(QUERY, start_by=soon.isoformat()))
    assert page.count('<li class="card" id="result-') == 2
    card = page[page.index('<li class="card"'):page.index("</ol>")]
    assert card.count('<rect class="seg seg-') >= 6  # land, connections, utilities × 2 cards
    assert "<th scope=\"row\">Administrative procedure</th>" in card
    assert re.search(r'<th scope="row">Power<small class="via">PO-\d · [a-z ]+ · PS-\d</small>', card)
    assert '<th scope="row">Water<small class="via">WA-' in card
    assert 'class="desired"' in card and 'class="start"' in card
    assert "later than your desired start" in card
    assert re.search(r"Start possible</span>\s*<strong>[A-Z][a-z]+ \d{1,2}, 20\d\d</strong>", card)
    later = _page(dict(QUERY, start_by=(today + dt.timedelta(days=3 * 365)).isoformat()))
    assert '<li class="card"' in later and "later than your desired start" not in later
    assert '<details class="explain"><summary>How this was worked out</summary>' in card
    assert "/enquiries/new/?plot=" in card and "/applications/new/?plot=" in card


def test_the_drawings_keep_a_decimal_point_on_a_russian_page(demo):
    page = _page(QUERY, lang="ru")
    widths = re.findall(r'<rect class="seg [^"]+" x="([^"]+)" y="0" width="([^"]+)"', page)
    assert widths and all(re.fullmatch(r"\d+(\.\d+)?", v) for pair in widths for v in pair)
    assert "Стоимость размещения за 10 лет" in page and "Как это рассчитано" in page


def test_the_page_needs_no_inline_style_or_script(demo):
    page = _page(QUERY) + _page(NOTHING)
    assert " style=" not in page and not re.search(r"<script(?![^>]*(src=|application/json))", page)


def test_a_search_nothing_meets_shows_near_misses_and_the_form_to_the_zone_office(demo):
    page = _page(NOTHING)
    assert '<ol class="cards">' not in page
    assert "No plot meets every criterion; these miss by one" in page
    near = page[page.index('<ul class="near-list">'):page.index('<section class="ask"')]
    links = [html.unescape(u) for u in re.findall(r'<a href="/en/match/\?([^"]+)">', near)]
    assert links and "fits with power up to 13,200 kW" in near
    for query in links:  # each offered change, followed, gives results
        params = {k: v[0] for k, v in parse_qs(query).items()}
        assert '<ol class="cards">' in _page(params)
    form = page[page.index('<section class="ask"'):]
    assert 'action="/en/enquiries/new/"' in form and 'class="hp"' in form
    search = html.unescape(re.search(r'name="search" value="([^"]*)"', form).group(1))
    assert parse_qs(search)["power_kw"] == ["30000"]


def test_the_enquiry_sent_from_the_match_page_keeps_the_search(demo):
    import datetime as dt

    from django.utils import timezone

    from promzona.enquiries.models import Contact, Enquiry
    from promzona.enquiries.services import form_token

    page = _page(NOTHING)
    search = html.unescape(re.search(r'name="search" value="([^"]*)"', page).group(1))
    contact = Contact.objects.order_by("position").first()
    r = Client().post("/enquiries/new/", {
        "to": f"c{contact.pk}", "name": "Li Wei", "email": "li@example.cn", "country": "CN",
        "message": "We need 30 MW; when?", "search": search, "website": "",
        "token": form_token(now=timezone.now() - dt.timedelta(seconds=30))})
    assert r.status_code == 200
    e = Enquiry.objects.get(email="li@example.cn")
    assert e.match_request["needs"] == {"power_kw": 30000.0} and e.country == "CN"
