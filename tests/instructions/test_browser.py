"""The executor's and the controller's day in Chromium: report, return, report again, accept."""

from __future__ import annotations

import pytest

from tests.browser import chromium, login

pytestmark = pytest.mark.browser


@pytest.fixture
def instruction_id(transactional_db):
    """The demo and a fresh instruction, made before Playwright starts its event loop."""
    import datetime as dt

    from django.utils import timezone

    from promzona.accounts.models import User
    from promzona.demo import balkhash
    from promzona.instructions import services
    from promzona.instructions.models import Body

    balkhash.load(today=timezone.localdate())
    staff, executor = (User.objects.get(username=u) for u in ("demo-staff", "demo-executor"))
    today = timezone.localdate()
    return services.instruction_issue(
        actor=staff, number="B-1", issued_on=today,
        issuer=Body.objects.get(name_en="Balkhash city akimat"), title="Browser road",
        executor=Body.objects.get(members=executor), executor_person=executor,
        controller=staff, deadline=today + dt.timedelta(days=5)).pk


@pytest.fixture
def browser(instruction_id):
    with chromium() as b:
        yield b


def test_report_return_report_accept(live_server, browser, instruction_id):
    base = live_server.url
    executor = login(browser, base, "demo-executor")
    executor.goto(f"{base}/en/instructions/execute/")
    executor.click("text=Browser road")
    card = executor.url
    executor.click("form[action$='/do/start/'] button")
    assert "In progress" in executor.locator("dd.status").inner_text()
    executor.fill("form.report textarea", "The road is graded.")
    executor.click("form.report button")
    assert "Reported" in executor.locator("dd.status").inner_text()

    staff = login(browser, base, "demo-staff")
    staff.goto(f"{base}/en/instructions/control/")
    staff.click("text=Browser road")
    staff.fill("form.return textarea", "Attach the photos, please.")
    staff.click("form.return button")
    assert "In progress" in staff.locator("dd.status").inner_text()

    executor.goto(card)
    assert "Attach the photos, please." in executor.locator("ol.reports").inner_text()
    executor.fill("form.report textarea", "Photos attached.")
    executor.set_input_files("form.report input[type=file]", files=[{
        "name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"0" * 64}])
    executor.click("form.report button")
    assert "photo.png" in executor.locator("ol.reports").inner_text()

    staff.goto(card)
    staff.click("form.accept button")  # without ticking "I confirm": nothing happens
    assert "Reported" in staff.locator("dd.status").inner_text()
    staff.check("form.accept input[type=checkbox]")
    staff.click("form.accept button")
    assert "Accepted" in staff.locator("dd.status").inner_text()

    executor.reload()
    assert "Accepted" in executor.locator("dd.status").inner_text()
    assert executor.locator("form.report").count() == 0
