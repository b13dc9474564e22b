"""The match page in Chromium: fill the form as a visitor, get ranked plots and the offer link."""

from __future__ import annotations

import pytest

from tests.browser import chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def loaded(transactional_db):
    """The demo, loaded before Playwright starts its event loop (Django refuses DB calls then)."""
    from django.utils import timezone

    from promzona.demo import balkhash

    balkhash.load(today=timezone.localdate())


@pytest.fixture
def page(loaded):
    with chromium() as browser:
        yield browser.new_page()


def test_visitor_fills_form_and_sees_ranked_plots(live_server, page):
    page.goto(f"{live_server.url}/match/")
    page.select_option("#id_sector", "C25")
    page.fill("#id_area_min", "1")
    page.fill("#id_area_max", "5")
    page.fill("#id_power_kw", "500")
    page.select_option("#id_hazard_class", "4")
    page.click("#match-form button[type=submit]")
    cards = page.locator("ol.cards li.card")
    assert cards.count() == 2
    assert "BLK-11" in cards.first.locator("h3").inner_text()
    # Each card: a cost bar, a readiness row per utility and the procedure, the start line.
    assert cards.first.locator(".costbar rect.seg").count() >= 2
    assert cards.first.locator("table.tracks tr").count() == 2  # the procedure and power
    assert cards.first.locator("line.start").count() == 2
    explain = cards.first.locator("details.explain")
    assert not explain.locator("li").first.is_visible()  # the long explanation folds
    explain.locator("summary").click()
    assert explain.locator("li").first.is_visible()
    assert page.locator("a[href*='offer.pdf']").count() == 1
    page.locator("details:has(ul.excluded) summary").click()
    assert page.locator("ul.excluded li").count() > 10
    page.locator("details.weights summary").click()
    page.fill("#id_w_cost", "0")
    page.fill("#id_w_area", "3")
    page.click("#match-form button[type=submit]")
    assert "w_area=3" in page.url and page.locator("details.weights[open]").count() == 1
    assert page.locator("ol.cards li.card").count() == 2


def test_a_request_nothing_meets_guides_to_near_misses_and_the_zone_office(live_server, page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/en/match/?sector=C25&area_max=0.5&hazard_class=5"
              "&horizon_years=10")
    assert page.locator("ol.cards").count() == 0
    near = page.locator(".near-list li")
    assert near.count() >= 1 and "above the requested maximum" in near.first.inner_text()
    assert page.locator(".ask form.enquiry-form").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{overflow}px wider than a 390px phone"
    near.first.locator("a[href*='/match/']").click()
    assert "area_max=" in page.url and page.locator("ol.cards li.card").count() >= 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the result cards are {overflow}px wider than a 390px phone"
    assert errors == []
