"""In Chromium: a foreign company registers, confirms its email, the zone office approves it on
the registrations page, and the new user can apply."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser import chromium, login

pytestmark = pytest.mark.browser
PASSWORD = "kupfer-und-stahl-2027"


@pytest.fixture
def browser(transactional_db):
    """The demo, loaded before Playwright starts its event loop (Django refuses DB calls then)."""
    from django.utils import timezone

    from promzona.demo import balkhash

    balkhash.load(today=timezone.localdate())
    with chromium() as b:
        yield b


def test_a_foreign_company_registers_and_is_confirmed(live_server, browser):
    base = live_server.url
    page = browser.new_context(locale="en-US").new_page()
    page.goto(f"{base}/en/accounts/register/")
    page.fill("#id_organisation_name", "Kupfer GmbH")
    page.select_option("#id_country", "DE")
    page.fill("#id_number", "HRB 4711")
    page.fill("#id_username", "kupfer")
    page.fill("#id_email", "ceo@kupfer.example")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("form.stack button[type=submit]")
    assert "Check your email" in page.locator("h1").inner_text()
    path = re.search(r"https://zone\.example\.kz((?:/en)?/accounts/verify/\S+)", mail.outbox[-1].body)
    page.goto(base + path.group(1))
    assert "The zone office will confirm your registration" in page.locator("main").inner_text()

    waiting = login(browser, base, "kupfer", password=PASSWORD)
    waiting.goto(f"{base}/en/applications/")
    assert "You can apply once the zone office has confirmed you" in waiting.inner_text("main")
    assert waiting.locator("a[href='/en/applications/new/']").count() == 0

    staff = login(browser, base, "demo-staff")
    staff.click("nav >> text=Registrations")
    row = staff.locator("tr", has_text="kupfer")
    assert "DE HRB4711" in row.inner_text() and "new: approving registers it" in row.inner_text()
    row.locator("form[action$='/approve/'] textarea").fill("Handelsregister extract checked")
    row.locator("form[action$='/approve/'] button").click()
    assert "Done." in staff.inner_text("main")
    assert "Handelsregister extract checked" in staff.inner_text("main")

    waiting.goto(f"{base}/en/applications/")
    assert waiting.locator("a[href='/en/applications/new/']").count() == 1
    waiting.goto(f"{base}/en/accounts/organisation/")
    body = waiting.inner_text("main")
    assert "Kupfer GmbH" in body and "DE HRB4711" in body and "Confirmed by the zone office" in body
