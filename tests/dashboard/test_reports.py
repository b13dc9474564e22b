"""The monthly report (PDF text read back with pypdf, XLSX cells with openpyxl) and the
registers: the figures are the hand-computed ones, in ru, kk and en; bad input is refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from pypdf import PdfReader

from promzona.applications.models import Application
from promzona.dashboard.reports import number
from promzona.zones.models import Zone

from .conftest import EXPECTED, by_year

pytestmark = pytest.mark.django_db


def pdf_text(body: bytes) -> str:
    assert body.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


@pytest.fixture
def report(built):
    """The monthly report of the hand-computed zone, asked for and built through its job."""
    def get(client, fx, fmt, lang, **params):
        _job, r, body = built(client, f"/dashboard/report/{fx.today.year}-{fx.today.month}.{fmt}",
                              {"zone": "kpi-hand", "lang": lang, **params})
        assert r["Content-Disposition"].startswith("attachment; filename=\"promzona-kpi-hand-")
        return body
    return get


def register(built, client, what: str, fmt: str, **data) -> bytes:
    return built(client, f"/dashboard/register/{what}.{fmt}", data)[2]


@pytest.mark.parametrize("lang, title", [("ru", "Ежемесячный отчёт"), ("kk", "Ай сайынғы есеп"),
                                         ("en", "Monthly report")])
def test_the_pdf_prints_the_hand_computed_figures_in_each_language(manager_client, hand, lang,
                                                                    title, report):
    text = pdf_text(report(manager_client, hand, "pdf", lang))
    assert title in text
    name = {"ru": "Зона для расчёта", "kk": "Зона для расчёта", "en": "Hand-computed zone"}[lang]
    assert name in text
    for value, kind in [(EXPECTED["occupancy_share"], "share"), (500, "money"), (120, "money"),
                        (21.0, "ha"), (5.0, "ha"), (EXPECTED["works"]["spi"], "index")]:
        assert flat(number(value, kind, lang)) in text, (value, kind)
    assert "H-1" in text and "W1" in text  # the overdue instruction and the late work
    assert "S1" in text


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_no_word_of_the_pdfs_tables_is_split(hand, lang):
    from django.utils import translation

    from promzona.dashboard import reports
    from tests.pdfs import missing_whole

    r = reports.monthly(zone=hand.zone, year=hand.today.year, month=hand.today.month, lang=lang,
                        today=hand.today)
    with translation.override(lang):
        words = [label for label, *_ in reports.headline(r)]
        words += [_("End of the month before"), _("End of the month")]
        for _title, columns, rows in reports.sections(r):
            words += [name for name, _k in columns]
            words += [v for row in rows for v, (_c, k) in zip(row, columns, strict=True)
                      if k == "text" and isinstance(v, str)]
    assert len(words) > 40
    assert missing_whole(reports.monthly_pdf(r), words) == []


def test_the_xlsx_has_numbers_in_numeric_cells_with_formats(manager_client, hand, report):
    wb = load_workbook(io.BytesIO(report(manager_client, hand, "xlsx", "en")))
    summary = wb.worksheets[0]
    rows = {r[0].value: r for r in summary.iter_rows() if r[0].value}
    occupancy = rows["Occupancy (allocated and occupied area / area on offer)"]
    assert occupancy[2].value == pytest.approx(EXPECTED["occupancy_share"], abs=1e-4)
    assert occupancy[2].number_format == "0.0%"
    planned = rows["Investment planned, KZT"]
    assert planned[2].value == 500 and planned[2].number_format == "#,##0"
    assert rows["Instructions overdue"][2].value == 1
    assert rows["Works late"][2].value == 1
    land = wb["Land by plot status"]
    cells = {r[0].value: (r[1].value, r[2].value) for r in land.iter_rows(min_row=2)}
    assert cells["Occupied"][0] == 1 and cells["Occupied"][1] == pytest.approx(6.0, abs=1e-3)
    assert land["C2"].number_format == "#,##0.00"
    assert "Trend" in wb.sheetnames


def test_the_reports_give_investment_and_jobs_by_year(manager_client, hand, report):
    wb = load_workbook(io.BytesIO(report(manager_client, hand, "xlsx", "en")))
    sheet = wb["Investment and jobs by year"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=2)] == [
        [str(y["year"]), y["planned"], y["actual"], y["planned_jobs"], y["actual_jobs"]]
        for y in by_year(hand)]
    assert sheet["D2"].number_format == "#,##0"
    text = pdf_text(report(manager_client, hand, "pdf", "en"))
    section = text.split("Investment and jobs by year", 2)[-1]
    y0, y1 = by_year(hand)
    assert f"{y0['year']} 300 120 30 12 {y1['year']} 200 0 50 0" in section


def test_the_xlsx_and_pdf_agree_with_the_api(manager_client, hand, report):
    api = manager_client.get("/api/kpi", {"zone": "kpi-hand"}).json()
    wb = load_workbook(io.BytesIO(report(manager_client, hand, "xlsx", "en")))
    rows = {r[0].value: r[2].value for r in wb.worksheets[0].iter_rows() if r[0].value}
    assert rows["Plots"] == sum(api["plots"]["count_by_status"].values())
    assert rows["Investment actual (confirmed), KZT"] == api["investment_kzt"]["actual"]
    assert rows["Applications approved (to date)"] == api["funnel"]["approved"]
    text = pdf_text(report(manager_client, hand, "pdf", "en"))
    assert flat(number(api["occupancy_share"], "share", "en")) in text


def test_hostile_text_is_printed_literally(manager_client, hand, report, built):
    Zone.objects.filter(pk=hand.zone.pk).update(name_en='<font color="red">Z</font> & =1+1')
    Application.objects.filter(pk=hand.apps["A1"].pk).update(project_name="=HYPERLINK(\"x\")")
    text = pdf_text(report(manager_client, hand, "pdf", "en"))
    assert '<font color="red">Z</font> & =1+1' in text
    body = register(built, manager_client, "applications", "xlsx", zone="kpi-hand")
    values = [c.value for row in load_workbook(io.BytesIO(body)).active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in values and "=HYPERLINK(\"x\")" not in values


def test_the_registers_list_the_plots_and_applications(manager_client, hand, built):
    text = pdf_text(register(built, manager_client, "plots", "pdf", zone="kpi-hand", lang="ru"))
    assert "Реестр участков" in text and all(f"P{i}" in text for i in range(1, 7))
    ws = load_workbook(io.BytesIO(register(built, manager_client, "plots", "xlsx",
                                           zone="kpi-hand"))).active
    codes = [row[1].value for row in ws.iter_rows(min_row=5)]
    assert codes == ["P1", "P2", "P3", "P4", "P5", "P6"]
    assert ws["E5"].value == pytest.approx(2.0) and ws["E5"].number_format == "#,##0.00"
    text = pdf_text(register(built, manager_client, "applications", "pdf", zone="kpi-hand",
                             lang="en"))
    assert all(a in text for a in ("A1", "A2", "A3")) and "Register of applications" in text


@pytest.mark.parametrize("url, data, message", [
    ("/dashboard/report/1999-12.pdf", {}, "No report for that month"),
    ("/dashboard/report/2026-13.pdf", {}, "No report for that month"),
    ("/dashboard/report/2026-0.pdf", {}, "No report for that month"),
    ("/dashboard/report/2999-01.pdf", {}, "No report for that month"),
    ("/dashboard/report/" + "9" * 400 + "-01.pdf", {}, "No report for that month"),
    ("/dashboard/report/2026-01.docx", {}, "No such format"),
    ("/dashboard/report/2026-01.pdf", {"lang": "de"}, "Language"),
    ("/dashboard/report/2026-01.pdf", {"lang": "x" * 100_000}, "Language"),
    ("/dashboard/report/2026-01.pdf", {"zone": "nope"}, "Zone"),
    ("/dashboard/report/2026-01.pdf", {"zone": "ы" * 100_000}, "Zone"),
    ("/dashboard/register/users.pdf", {}, "No such register"),
    ("/dashboard/register/plots.csv", {}, "No such format"),
    ("/dashboard/register/plots.pdf", {"lang": "xx"}, "Language"),
])
def test_a_report_that_cannot_be_made_is_refused_and_nothing_is_queued(manager_client, demo, url,
                                                                       data, message):
    from promzona.ops.models import Report

    r = manager_client.post(url, data)
    assert r.status_code == 400 and message in r.content.decode()
    assert not Report.objects.exists()


def test_reports_are_asked_for_with_post_only(manager_client, today):
    assert manager_client.get(f"/dashboard/report/{today.year}-{today.month}.pdf").status_code == 405
    assert manager_client.get("/dashboard/register/plots.pdf").status_code == 405


def test_only_staff_and_managers_ask_for_reports(demo, today):
    from promzona.ops.models import Report

    from .test_pages import as_user

    url = f"/dashboard/report/{today.year}-{today.month}.pdf"
    assert as_user("demo-investor").post(url).status_code == 403
    assert as_user("demo-executor").post("/dashboard/register/plots.xlsx").status_code == 403
    assert as_user(None).post(url).status_code == 302
    assert not Report.objects.exists()


def test_a_report_asked_twice_is_queued_once(manager_client, hand):
    from promzona.ops.models import Report

    url = f"/dashboard/report/{hand.today.year}-{hand.today.month}.pdf"
    first = manager_client.post(url, {"zone": "kpi-hand", "lang": "kk"})
    again = manager_client.post(url, {"zone": "kpi-hand", "lang": "kk"})
    assert first.status_code == 302 and again["Location"] == first["Location"]
    assert Report.objects.count() == 1
    assert manager_client.post(url, {"lang": "kk"})["Location"] != first["Location"]  # all zones


def test_a_built_report_is_served_again_until_the_records_change(manager_client, hand, built):
    from promzona.applications import services as apps
    from promzona.ops.models import Report

    url = "/dashboard/register/applications.xlsx"
    job, _r, body = built(manager_client, url, {"zone": "kpi-hand"})
    again = manager_client.post(url, {"zone": "kpi-hand"})  # nothing queued, nothing built
    assert again["Location"].endswith(f"/reports/{job.pk}/") and Report.objects.count() == 1
    investor = hand.apps["A1"].created_by
    apps.application_create(actor=investor, project_name="Later", sector="C25",
                            investment_kzt=1, jobs_planned=1, needs={})
    newer, _r, _b = built(manager_client, url, {"zone": "kpi-hand"})
    assert newer.pk != job.pk


# --- the commands ---------------------------------------------------------------------------


def test_the_report_job_writes_the_monthly_pdf_and_xlsx(hand, tmp_path):
    month = f"{hand.today.year}-{hand.today.month:02d}"
    call_command("report", "monthly", "--zone", "kpi-hand", "--month", month, "--lang", "kk",
                 "--output", str(tmp_path / "m.pdf"))
    assert "Ай сайынғы есеп" in pdf_text((tmp_path / "m.pdf").read_bytes())
    call_command("report", "monthly", "--month", month, "--output", str(tmp_path / "m.xlsx"))
    assert load_workbook(tmp_path / "m.xlsx").worksheets[0]["A1"].value.startswith(
        "Ежемесячный отчёт")
    call_command("report", "plots", "--zone", "kpi-hand", "--lang", "en",
                 "--output", str(tmp_path / "p.pdf"))
    assert "Register of plots" in pdf_text((tmp_path / "p.pdf").read_bytes())


@pytest.mark.parametrize("args, message", [
    (["monthly", "--month", "2026-13"], "YYYY-MM"), (["monthly", "--month", "26-01"], "YYYY-MM"),
    (["monthly", "--month", "1999-01"], "No report for that month"),
    (["monthly", "--zone", "nope"], "No zone"), (["plots", "--month", "2026-01"], "monthly"),
])
def test_the_report_job_refuses_bad_input_and_writes_nothing(demo, tmp_path, args, message):
    out = tmp_path / "r.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, "--output", str(out))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("output", ["r.docx", "missing/r.pdf"])
def test_the_report_job_needs_a_pdf_or_xlsx_in_an_existing_directory(demo, tmp_path, output):
    with pytest.raises(CommandError):
        call_command("report", "plots", "--output", str(tmp_path / output))
    assert list(tmp_path.iterdir()) == []
