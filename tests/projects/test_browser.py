"""In Chromium: the investor reports actual figures from "My projects", staff confirm them, and
the planned-vs-actual table shows them."""

from __future__ import annotations

import pytest

from tests.browser import chromium, login

pytestmark = pytest.mark.browser


@pytest.fixture
def project_id(transactional_db):
    """The demo and investor A's project, made before Playwright starts its event loop."""
    from django.utils import timezone

    from promzona.demo import balkhash
    from promzona.projects import services

    from .conftest import USERNAMES, approved_application, plan_from

    today = timezone.localdate()
    balkhash.load(today=today)
    from promzona.accounts.models import User

    users = {k: User.objects.get(username=v) for k, v in USERNAMES.items()}
    project = services.project_create(actor=users["staff"], application=approved_application(users),
                                      agreement_on=today, plan=plan_from(today.year))
    return project.pk


@pytest.fixture
def browser(project_id):
    with chromium() as b:
        yield b


def test_investor_reports_staff_confirm(live_server, browser, project_id):
    investor = login(browser, live_server.url, "demo-investor")
    investor.click("nav >> text=My projects")
    investor.click(f"a[href='/en/projects/{project_id}/']")
    form = investor.locator(f"form[action='/en/projects/{project_id}/report/']")
    form.locator("input[name=investment_kzt]").fill("250000000")
    form.locator("input[name=jobs]").fill("18")
    form.locator("button").click()
    assert "Report sent; staff will confirm it." in investor.content()

    staff = login(browser, live_server.url, "demo-staff")
    staff.goto(f"{live_server.url}/en/projects/{project_id}/")
    staff.locator("form[action$='/confirm/'] button").click()
    assert "Report reviewed." in staff.content()
    first_year = staff.locator("table.plan tbody tr").first.inner_text()
    assert "250,000,000" in first_year and "18" in first_year  # the English page's digits
