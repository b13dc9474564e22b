"""The match page in Chromium: fill the form as a visitor, get ranked plots and the offer link."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def loaded(transactional_db):
    """The demo, loaded before Playwright starts its event loop (Django refuses DB calls then)."""
    from django.utils import timezone

    from promzona.demo import balkhash

    balkhash.load(today=timezone.localdate())


@pytest.fixture
def page(loaded):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        yield browser.new_page()
        browser.close()


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
    page.locator("details summary").click()
    assert page.locator("ul.excluded li").count() > 10
