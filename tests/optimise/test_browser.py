"""Staff in Chromium: review the allocation proposal (pin a pair, solve again, confirm), and
turn the build plan into planned works."""

from __future__ import annotations

import pytest

from tests.browser import chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def competitors(transactional_db):
    """The demo and its competing applications, loaded before Playwright starts its event loop
    (Django refuses database calls then)."""
    from django.utils import timezone

    from promzona.demo import balkhash, competition

    balkhash.load(today=timezone.localdate())
    competition.load(today=timezone.localdate())


@pytest.fixture
def browser(competitors):
    with chromium() as b:
        yield b


def test_pin_solve_again_and_confirm(live_server, browser):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "demo-staff")
    page.fill("input[name=password]", "balkhash-demo-2026")
    page.click("form.stack button[type=submit]")
    page.goto(f"{live_server.url}/en/optimise/balkhash/allocation/")
    assert "163.75" in page.locator(".glance").inner_text()
    row = page.locator("tr", has_text="Логистический склад (демо)")
    assert "BLK-13" in row.inner_text()
    row.locator("a", has_text="pin").click()
    assert "pinned" in page.locator("main").inner_text()
    assert "163.75" in page.locator(".glance").inner_text()  # the same optimum, now pinned
    page.click("form[action$='/allocation/confirm/'] button")
    assert "3 plots reserved for their applications." in page.locator("main").inner_text()
    assert "No application" not in page.locator("main").inner_text()
    remaining = page.locator("tbody tr").all_inner_texts()
    assert len(remaining) == 3 and not any("BLK-" in r for r in remaining)


def test_plan_becomes_planned_works_once(live_server, browser):
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{live_server.url}/en/accounts/login/")
    page.fill("input[name=username]", "demo-staff")
    page.fill("input[name=password]", "balkhash-demo-2026")
    page.click("form.stack button[type=submit]")
    page.goto(f"{live_server.url}/en/optimise/balkhash/plan/?budget=500")
    form = page.locator("form[action*='/plan/works/']")
    ticked = form.locator("input[name=work]:checked").count()
    assert ticked >= 1
    form.locator("button").click()  # without the confirmation the browser does not send it
    assert "Planned works created" not in page.locator("main").inner_text()
    form.locator("select[name=funding_source]").select_option("republican")
    form.locator("input[name=confirm]").check()
    form.locator("button").click()
    assert "Planned works created" in page.locator("main").inner_text()
    assert page.locator("form[action*='/plan/works/'] a", has_text="already built by work #") \
        .count() == ticked
    page.goto(f"{live_server.url}/en/works/")
    assert "Republican budget" in page.locator("main").inner_text()
