"""Accessibility in Chromium: axe-core (vendored, tests/vendor/axe-core) finds no serious or
critical violation on any public page or the main staff pages, in each language; the
filters, the list and the map work with the keyboard alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import chromium, login
from tests.web.conftest import MATCH, NO_RESULTS

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text()
LANGUAGES = ("ru", "kk", "en")
RUN = """() => axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`))"""


@pytest.fixture
def site(full_demo):
    """Sample addresses of the demo as ``promzona demo`` loads it, with enquiries."""
    from promzona.applications.models import Application
    from promzona.enquiries.models import Enquiry
    from promzona.news.models import Article
    from promzona.works.models import Work

    article = Article.objects.filter(status="published").order_by("publish_at").first()
    return {
        "public": ["/", "/zones/balkhash/", "/plots/balkhash/BLK-01/", "/compare/?plots=1,2",
                   "/match/", f"/match/?{MATCH}", f"/match/?{NO_RESULTS}", "/enquiries/new/",
                   "/news/", f"/news/{article.slug}/", "/accounts/login/",
                   "/accounts/register/", "/accounts/password_reset/"],
        "staff": ["/dashboard/", "/applications/",
                  f"/applications/{Application.objects.order_by('pk').first().pk}/",
                  "/enquiries/", f"/enquiries/{Enquiry.objects.order_by('pk').first().pk}/",
                  "/instructions/", "/works/", f"/works/{Work.objects.order_by('pk').first().pk}/",
                  "/works/timeline/", "/projects/", "/sectors/", "/news/desk/",
                  "/accounts/registrations/", "/staff/import/"],
    }


#: What a page must show for its states to be checked: the no-results search its near misses
#: and the enquiry form, the dashboard its charts and trends, the inbox its enquiries.
MUST_SHOW = {f"/match/?{NO_RESULTS}": [".near-list li", ".ask form.enquiry-form"],
             "/dashboard/": ["#land svg", "#funnel svg", "#trends svg"],
             "/enquiries/": ["tbody a[href*='/enquiries/']"]}


def _violations(page, url: str, path: str) -> list[str]:
    page.goto(url)
    for selector in MUST_SHOW.get(path, []):
        assert page.locator(selector).count(), f"{url} shows no {selector}"
    page.evaluate(AXE)  # through the DevTools protocol: the page's CSP does not apply
    return page.evaluate(RUN)


def test_no_serious_or_critical_violation_on_public_and_staff_pages(site, live_server):
    found = []
    with chromium() as browser:
        for lang in LANGUAGES:
            prefix = "" if lang == "ru" else f"/{lang}"
            public = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            for path in site["public"]:
                found += [f"{lang} {path}: {v}"
                          for v in _violations(public, live_server.url + prefix + path, path)]
            staff = login(browser, live_server.url, "demo-staff")
            for path in site["staff"]:
                found += [f"{lang} {path} (staff): {v}"
                          for v in _violations(staff, live_server.url + prefix + path, path)]
            public.context.close()
            staff.context.close()
    assert found == [], "\n".join(found)


def test_the_axe_run_finds_a_planted_violation(site, live_server):
    with chromium() as browser:
        page = browser.new_page()
        page.goto(live_server.url + "/")
        page.evaluate("() => { const i = document.createElement('input');"
                      " document.querySelector('main').append(i); }")  # an input without a label
        page.evaluate(AXE)
        assert any(v.startswith("label (critical)") for v in page.evaluate(RUN))


def test_filters_list_and_map_work_by_keyboard(site, live_server):
    with chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(live_server.url + "/en/")
        before = page.locator(".plot-item").count()
        # Filters: reach the rail spur box with Tab, tick it with the space bar.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "id_rail_spur":
                break
        page.keyboard.press("Space")
        page.wait_for_function("n => document.querySelectorAll('.plot-item').length < n", arg=before)
        # The list: a focused item lights its plot on the map; a box ticks with the space bar.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("!!document.activeElement.closest('.plot-item')"):
                break
        item = page.evaluate("document.activeElement.closest('.plot-item').dataset.id")
        assert page.locator(f".plot-item[data-id='{item}']").evaluate("e => e.classList.contains('hi')")
        assert page.locator(f"#map path.plot-{item}").get_attribute("stroke-width") == "3"
        # The map: focused, it zooms with "+" and pans with the arrows.
        page.focus("#map")
        zoom = page.evaluate("document.querySelector('#map .leaflet-proxy').style.transform")
        page.keyboard.press("+")
        page.wait_for_timeout(400)
        assert page.evaluate("document.querySelector('#map .leaflet-proxy').style.transform") != zoom
        # The layer switcher opens with Enter and its boxes toggle with the space bar.
        page.focus(".leaflet-control-layers-toggle")
        page.keyboard.press("Enter")
        assert page.locator(".leaflet-control-layers-expanded").count() == 1
        lines = page.locator("#map path.line-power").count()
        box = page.locator(".leaflet-control-layers-overlays label", has_text="Power").locator("input")
        box.focus()
        page.keyboard.press("Space")
        assert lines > 0 and page.locator("#map path.line-power").count() == 0
