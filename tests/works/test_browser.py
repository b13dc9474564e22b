"""A work's last day in Chromium: staff report 100% with a site photo, the quality finding is
fixed, the work is accepted with its confirmation tick; the line exists and the timeline shows it
done."""

from __future__ import annotations

import io

import pytest

from tests.browser import chromium, login

pytestmark = pytest.mark.browser


@pytest.fixture
def work_id(transactional_db, settings, tmp_path):
    """The demo and a work on line PO-3 with an open finding, made before Playwright starts."""
    import datetime as dt

    from django.utils import timezone

    from promzona.accounts.models import User
    from promzona.demo import balkhash
    from promzona.works import services
    from promzona.zones.models import UtilityLine, Zone

    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    balkhash.load(today=today)
    staff = User.objects.get(username="demo-staff")
    work = services.work_create(
        actor=staff, zone=Zone.objects.get(slug="balkhash"), name="Browser line", kind="line",
        line=UtilityLine.objects.get(code="PO-3"), contractor="TOO Browser", funding_source="local",
        contract_value_kzt=1_000_000, planned_start=today - dt.timedelta(days=30),
        planned_finish=today + dt.timedelta(days=30))
    services.work_inspect(actor=staff, work=work, inspected_on=today, inspector="GASK",
                          findings="Cable markers missing", fix_by=today)
    return work.pk


@pytest.fixture
def browser(work_id):
    with chromium() as b:
        yield b


def _png(path):
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 6), (10, 120, 200)).save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    return str(path)


def test_report_fix_and_accept(live_server, browser, work_id, tmp_path):
    page = login(browser, live_server.url, "demo-staff")
    page.goto(f"{live_server.url}/en/works/{work_id}/")

    page.click("summary:has-text('Report progress')")
    progress = page.locator(f"form[action='/en/works/{work_id}/progress/']")
    progress.locator("input[name=percent]").fill("100")
    progress.locator("input[name=spent_kzt]").fill("950000")
    progress.locator("input[name=photos]").set_input_files(_png(tmp_path / "site.png"))
    progress.locator("button").click()
    assert "Progress recorded." in page.content()
    assert page.locator("img[alt='site.png']").count() == 1

    page.click("summary:has-text('Accept the work')")
    accept = page.locator(f"form[action='/en/works/{work_id}/accept/']")
    accept.locator("input[name=confirm]").check()
    accept.locator("button").click()
    assert "Inspection findings are still open" in page.content()

    page.locator("form[action*='/fix/'] button").click()
    assert "Finding marked as fixed." in page.content()
    page.click("summary:has-text('Accept the work')")
    accept.locator("input[name=confirm]").check()
    accept.locator("button").click()
    assert "Work accepted." in page.content()
    assert "Accepted" in page.locator(".glance").inner_text()
    assert "(Existing)" in page.locator("dl").inner_text()

    page.goto(f"{live_server.url}/en/works/timeline/")
    titles = page.locator("svg.gantt g.bar > title").all_text_contents()
    assert any(t.startswith("Browser line") and t.endswith("100%") for t in titles), titles
