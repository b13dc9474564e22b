"""A manager opens the dashboard in Chromium in each language: the charts are drawn, and a
chart's bar leads to the list behind it."""

from __future__ import annotations

import pytest

from tests.browser import chromium, login

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(transactional_db):
    from django.utils import timezone

    from promzona.core.deadlines import month_ends
    from promzona.dashboard.services import snapshots_take
    from promzona.demo import balkhash, execution

    today = timezone.localdate()
    balkhash.load(today=today)
    execution.load(today=today)
    snapshots_take(actor=None, days=month_ends(today, 3)[:-1])  # the trends, as the demo has
    with chromium() as b:
        yield b


@pytest.mark.parametrize("lang, heading, plots", [
    ("ru", "Панель показателей", "Участок"), ("kk", "Көрсеткіштер тақтасы", "Учаске"),
    ("en", "Dashboard", "Plot")])
def test_the_manager_sees_the_charts_and_follows_one_to_its_list(live_server, browser, lang,
                                                                 heading, plots):
    page = login(browser, live_server.url, "demo-manager")
    assert page.url.endswith("/dashboard/")  # where managers land after logging in
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.click(f".lang a[hreflang={lang}]")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    assert page.locator("h1").inner_text().startswith(heading)
    charts = page.locator("svg.chart")
    assert charts.count() >= 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box and box["width"] > 200 and box["height"] > 30  # drawn, not collapsed
    bars = page.locator("#land svg.chart a rect")
    assert bars.count() == 6
    widths = [float(bars.nth(i).get_attribute("width")) for i in range(6)]
    assert max(widths) > 100  # the biggest status fills most of the chart
    page.locator("#land svg.chart a").nth(1).click()  # the bar of free (published) plots
    page.wait_for_url("**/dashboard/list/plots/published/**")
    assert page.locator("table.listing tbody tr").count() == 13
    assert plots in page.locator("table.listing thead").inner_text()
    page.go_back()
    page.locator("#instructions svg.chart a").first.click()
    page.wait_for_url("**/dashboard/list/instructions/open/**")
    assert page.locator("table.listing tbody tr a").count() >= 1
    assert errors == []  # no script or style was refused by the Content-Security-Policy


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_a_desktop_or_phone_shows_every_table_column_inside_its_panel(live_server, browser, lang):
    page = login(browser, live_server.url, "demo-manager")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/{lang}/dashboard/")
    cut = """[...document.querySelectorAll('.panel .table-wrap')]
        .filter(e => e.scrollWidth > e.clientWidth).map(e => e.closest('.panel').id)"""
    assert page.evaluate(cut) == []  # no column hidden behind a scroll bar at 1280 px
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # tables scroll, not the page


def _worker():
    """The worker's run of the one report queued, in a thread of its own (Playwright's event
    loop owns this one, where Django refuses database calls): ``(report, final status)``."""
    import threading

    from django.db import connection

    from promzona.ops.models import Report
    from promzona.ops.reports import report_build

    out = []

    def run():
        try:
            job = Report.objects.get(status="queued")
            out.extend([job, report_build(job.pk)])
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out


def test_a_report_asked_for_turns_into_a_download_link(live_server, browser, settings, tmp_path):
    """The worker is away (the dummy backend keeps the task): the report's page says it waits
    and reloads itself; once the worker has built it, the page shows the link, which downloads
    the PDF."""
    from pathlib import Path

    settings.PROMZONA_VAR_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = login(browser, live_server.url, "demo-manager")
    page.click("form.downloads button[formaction$='/register/plots.pdf']")
    page.wait_for_url("**/reports/*/")
    assert "waiting for the worker" in page.locator("[role=status]").inner_text()
    assert page.locator("a.report-download").count() == 0
    job, status = _worker()
    assert job.params["what"] == "plots" and status == "done"
    link = page.locator("a.report-download")
    link.wait_for(timeout=10_000)  # the page reloaded itself
    assert "ready" in page.locator("[role=status]").inner_text()
    with page.expect_download() as dl:
        link.click()
    assert Path(dl.value.path()).read_bytes().startswith(b"%PDF")
    assert dl.value.suggested_filename == "promzona-plots-all-en.pdf"
