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
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 2
    assert "BLK-11" in rows.first.inner_text()
    assert page.locator("a[href*='offer.pdf']").count() == 1
    page.locator("details:has(ul.excluded) summary").click()
    assert page.locator("ul.excluded li").count() > 10
    page.locator("details.weights summary").click()
    page.fill("#id_w_cost", "0")
    page.fill("#id_w_area", "3")
    page.click("#match-form button[type=submit]")
    assert "w_area=3" in page.url and page.locator("details.weights[open]").count() == 1
    assert page.locator("table.results tbody tr").count() == 2
