"""The sector analytics page, its pictures and exports: who may see them and what they contain."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from promzona.ops.models import Report

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path_factory):
    # the pictures' disk cache goes to a per-session temporary folder
    settings.PROMZONA_VAR_DIR = tmp_path_factory.getbasetemp() / "var"


def test_anonymous_is_sent_to_login(client, demo):
    r = client.get(reverse("sectors:index"))
    assert r.status_code == 302 and reverse("login") in r["Location"]
    r = client.get(reverse("sectors:export", args=["balkhash", "csv"]))
    assert r.status_code == 302


def test_investor_is_refused(investor_client):
    assert investor_client.get(reverse("sectors:index")).status_code == 403
    assert investor_client.get(reverse("sectors:figure", args=["density-pci"])).status_code == 403
    assert investor_client.get(reverse("sectors:export", args=["kazakhstan", "csv"])).status_code == 403
    r = investor_client.post(reverse("sectors:report-start"), {"table": "kazakhstan", "fmt": "pdf"})
    assert r.status_code == 403 and not Report.objects.exists()


def test_manager_sees_pictures_tables_and_the_illustrative_label(manager_client):
    r = manager_client.get(reverse("sectors:index"), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    html = r.content.decode()
    assert reverse("sectors:figure", args=["product-space"]) in html
    assert reverse("sectors:figure", args=["density-pci"]) in html
    assert "Miscellaneous Metallurgy Equipment" in html  # a Kazakhstan opportunity, by SITC name
    assert "C28" in html and "Illustrative data" in html


@pytest.mark.parametrize("name", ["product-space", "density-pci"])
def test_manager_gets_the_pictures_as_png(manager_client, name):
    r = manager_client.get(reverse("sectors:figure", args=[name]))
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r.content.startswith(PNG) and len(r.content) > 20_000


def test_unknown_picture_or_table_is_404(staff_client):
    assert staff_client.get(reverse("sectors:figure", args=["nope"])).status_code == 404
    assert staff_client.get(reverse("sectors:export", args=["nope", "csv"])).status_code == 404
    assert staff_client.get(reverse("sectors:export", args=["balkhash", "doc"])).status_code == 404
    assert staff_client.get(reverse("sectors:export", args=["balkhash", "pdf"])).status_code == 404


def test_staff_may_see_the_page(staff_client):
    assert staff_client.get(reverse("sectors:index")).status_code == 200


def test_csv_export_is_labelled_and_ranked(manager_client):
    r = manager_client.get(reverse("sectors:export", args=["balkhash", "csv"]), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the file as UTF-8
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("# ") and "llustrative" in lines[0]
    assert lines[1].startswith("#,OKED,Name,Direction,")
    assert "contrib_" not in lines[1]
    assert next(csv.reader(lines[2:]))[:3] == ["1", "C28", "Manufacture of machinery and equipment"]


def test_csv_export_follows_the_readers_language_or_choice(manager_client):
    """Russian: ";" between fields and a decimal comma (Excel in a Russian locale opens it in
    columns), Russian headers and names; ``sep=comma`` chooses the English style."""
    with translation.override("ru"):  # the language is in the address
        url = reverse("sectors:export", args=["balkhash", "csv"])
    lines = manager_client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode("utf-8-sig").splitlines()
    head, first = next(csv.reader(lines[1:2], delimiter=";")), next(csv.reader(lines[2:3], delimiter=";"))
    assert head[:3] == ["#", "ОКЭД", "Наименование"]
    assert first[1:3] == ["C28", "Производство машин и оборудования"]
    score = first[head.index("Оценка")]
    assert "," in score and float(score.replace(",", ".")) > 0
    assert first[head.index("Направление")] == "Металлообработка и техническое обслуживание"
    lines = manager_client.get(url, {"sep": "comma"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode(
        "utf-8-sig").splitlines()
    first = next(csv.reader(lines[2:3]))
    assert first[1] == "C28" and float(first[head.index("Оценка")]) > 0
    bad = manager_client.get(url, {"sep": "tab\r\nX: 1"})
    assert bad.status_code == 400 and not bad.has_header("X")


def _report(built, client, table, fmt, lang="en"):
    """Ask for a report in ``lang``: queued, built by the worker (here, at commit), then
    downloaded."""
    with translation.override(lang):
        _job, r, content = built(client, reverse("sectors:report-start"),
                                 {"table": table, "fmt": fmt}, HTTP_ACCEPT_LANGUAGE=lang)
    return r, content


def test_xlsx_export_opens_with_openpyxl(manager_client, built):
    from openpyxl import load_workbook

    r, content = _report(built, manager_client, "kazakhstan", "xlsx")
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows())
    header_at = next(i for i, row in enumerate(rows) if row and row[0].value == "#")
    assert [c.value for c in rows[header_at][:3]] == ["#", "SITC", "Name"]
    assert len(rows) - header_at - 1 == 10
    first = rows[header_at + 1]
    assert first[0].value == 1
    score = first[[c.value for c in rows[header_at]].index("Score")]
    assert score.data_type == "n" and isinstance(score.value, float)
    assert score.number_format == "#,##0.000"


def test_pdf_export_is_a_pdf_with_text(manager_client, built):
    r, content = _report(built, manager_client, "balkhash", "pdf",
                         lang="ru")
    assert r["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "C28" in text and "Производство машин и оборудования" in text
    assert "Спрос (взвешенный)" in text and "contrib_" not in text
    assert all(p.mediabox.width > p.mediabox.height for p in pages)  # landscape


def test_hosting_follows_the_zone_plots(demo):
    from promzona.sectors import selectors
    from promzona.zones.models import Plot

    t = selectors.balkhash_table().set_index("sector")
    assert t.loc["C33", "fitting_plots"] > 0 and t.loc["C33", "hosting"] > 0
    assert t.loc["C27", "fitting_plots"] == 0  # no plot permits electrical equipment
    Plot.objects.filter(zone=demo).update(status=Plot.Status.OCCUPIED)
    after = selectors.balkhash_table()
    assert (after["hosting"] == 0).all() and (after["fitting_plots"] == 0).all()


def test_kazakhstan_pdf_carries_the_table_and_both_pictures(manager_client, built):
    from pypdf import PdfReader

    _r, content = _report(built, manager_client, "kazakhstan", "pdf")
    pdf = PdfReader(io.BytesIO(content))
    assert len(pdf.pages) == 3
    assert "Miscellaneous Metallurgy Equipment" in " ".join(pdf.pages[0].extract_text().split())
    assert all(len(page.images) == 1 for page in pdf.pages[1:])


def test_a_waiting_report_reloads_and_only_its_owner_sees_it(manager_client, staff_user):
    from django.test import Client

    from promzona.demo.accounts import DEMO_PASSWORD
    from promzona.ops.reports import report_build

    r = manager_client.post(reverse("sectors:report-start"), {"table": "balkhash", "fmt": "pdf"})
    job = Report.objects.get()
    page = manager_client.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "waiting for the worker" in page
    assert manager_client.get(reverse("ops:report-file", args=[job.pk])).status_code == 404
    other = Client()
    assert other.login(username="demo-staff", password=DEMO_PASSWORD)
    assert other.get(r["Location"]).status_code == 404  # another analyst's report
    assert report_build(job.pk) == "done" and report_build(job.pk) == "taken"
    assert other.get(reverse("ops:report-file", args=[job.pk])).status_code == 404
    assert manager_client.get(reverse("ops:report-file", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("data", [{"table": "nope", "fmt": "pdf"}, {"table": "balkhash", "fmt": "csv"},
                                  {"table": "balkhash", "fmt": "exe"}, {}, {"table": "x" * 10_000}])
def test_a_report_of_nothing_known_is_refused_and_queues_nothing(manager_client, data):
    r = manager_client.post(reverse("sectors:report-start"), data)
    assert r.status_code == 400 and not Report.objects.exists()


def test_reports_are_asked_for_with_post_only(manager_client):
    assert manager_client.get(reverse("sectors:report-start")).status_code == 405
