"""Debian's Chromium under Playwright, as every browser test launches it."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium():
    """A headless Chromium (the test is skipped when Debian's package is not installed)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def log_in(page, base: str, username: str, *, password: str | None = None,
           lang: str = "en") -> None:
    """Log ``page`` in as ``username`` through the login form in ``lang`` and check that it
    worked: the header then names the user. A refused login fails here rather than letting a
    test go on as a visitor."""
    from promzona.demo.accounts import DEMO_PASSWORD

    page.goto(f"{base}{'' if lang == 'ru' else '/' + lang}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    who = page.locator(".user-nav .who")
    assert who.count() == 1 and who.text_content() == f"({username})", \
        f"logging in as {username} failed at {page.url}: {page.inner_text('main')[:300]}"


def login(browser, base: str, username: str, *, password: str | None = None):
    """A new page of ``browser`` (in English) logged in as ``username`` (a demo user unless
    ``password`` is given)."""
    page = browser.new_context(locale="en-US").new_page()
    log_in(page, base, username, password=password)
    return page
