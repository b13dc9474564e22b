"""The whole workflow in Chromium: an investor applies and submits, staff reserve and approve."""

from __future__ import annotations

import pytest

from tests.browser import chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def plot_id(transactional_db):
    """The demo, loaded before Playwright starts its event loop (Django refuses DB calls then)."""
    from django.utils import timezone

    from promzona.demo import balkhash
    from promzona.zones.models import Plot

    balkhash.load(today=timezone.localdate())
    return Plot.objects.filter(status="published").order_by("code").first().pk


@pytest.fixture
def browser(plot_id):
    with chromium() as b:
        yield b


def _login(browser, base, username):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{base}/en/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "balkhash-demo-2026")
    page.click("form.stack button[type=submit]")
    return page


def test_apply_submit_reserve_approve(live_server, browser, plot_id):
    investor = _login(browser, live_server.url, "demo-investor")
    investor.goto(f"{live_server.url}/en/applications/new/?plot={plot_id}")
    investor.fill("#id_project_name", "Browser plant")
    investor.select_option("#id_sector", "C25")
    investor.fill("#id_investment_kzt", "1000000")
    investor.fill("#id_jobs_planned", "10")
    investor.fill("#id_power_kw", "100")
    investor.click("form.stack button[type=submit]")
    assert "Browser plant" in investor.locator("h1").inner_text()
    detail = investor.url
    investor.click("form[action$='/submit/'] button")
    assert "Submitted" in investor.locator("dl").inner_text()

    staff = _login(browser, live_server.url, "demo-staff")
    staff.goto(detail)
    staff.click("form[action$='/start_review/'] button")
    assert "Under review" in staff.locator("dl").inner_text()
    staff.click("form[action$='/reserve/'] button")  # the first preferred plot is suggested
    assert "Active" in staff.locator("ul.reservations").inner_text()
    staff.fill("form[action$='/approve/'] textarea", "Welcome to the zone")
    staff.click("form[action$='/approve/'] button")
    assert "Approved" in staff.locator("dl").inner_text()
    assert "Allocated" in staff.locator("ul.reservations").inner_text()

    investor.reload()
    assert "Welcome to the zone" in investor.locator("body").inner_text()
    assert investor.locator("form[action$='/withdraw/']").count() == 0
