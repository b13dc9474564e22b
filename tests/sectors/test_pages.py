"""The sector analytics page, its pictures and exports: who may see them and what they contain."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from promzona.sectors.models import ReportJob

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
    assert r.status_code == 403 and not ReportJob.objects.exists()


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
    lines = r.content.decode().splitlines()
    assert lines[0].startswith("# ") and "llustrative" in lines[0]
    assert lines[1].startswith("rank,sector,name,name_ru,direction")
    assert next(csv.reader(lines[2:]))[:2] == ["1", "C28"]  # text fields are quoted


def _report(client, capture, table, fmt):
    """Ask for a report: queued, built by the worker (here, at commit), then downloaded."""
    with capture(execute=True):
        r = client.post(reverse("sectors:report-start"), {"table": table, "fmt": fmt})
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert page.status_code == 200 and page.context["job"].status == "done"
    assert 'http-equiv="refresh"' not in page.content.decode()
    r = client.get(reverse("sectors:report-file", args=[page.context["job"].pk]))
    assert r.status_code == 200
    return r, b"".join(r.streaming_content)


def test_xlsx_export_opens_with_openpyxl(manager_client, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    r, content = _report(manager_client, django_capture_on_commit_callbacks, "kazakhstan", "xlsx")
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row and row[0] == "rank")
    assert rows[header_at][:3] == ("rank", "product", "name")
    assert len(rows) - header_at - 1 == 10
    assert rows[header_at + 1][0] == 1


def test_pdf_export_is_a_pdf_with_text(manager_client, django_capture_on_commit_callbacks):
    r, content = _report(manager_client, django_capture_on_commit_callbacks, "balkhash", "pdf")
    assert r["Content-Type"] == "application/pdf" and content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "C28" in text and "Производство машин" in text


def test_hosting_follows_the_zone_plots(demo):
    from promzona.sectors import selectors
    from promzona.zones.models import Plot

    t = selectors.balkhash_table().set_index("sector")
    assert t.loc["C33", "fitting_plots"] > 0 and t.loc["C33", "hosting"] > 0
    assert t.loc["C27", "fitting_plots"] == 0  # no plot permits electrical equipment
    Plot.objects.filter(zone=demo).update(status=Plot.Status.OCCUPIED)
    after = selectors.balkhash_table()
    assert (after["hosting"] == 0).all() and (after["fitting_plots"] == 0).all()


def test_kazakhstan_pdf_carries_the_table_and_both_pictures(manager_client,
                                                            django_capture_on_commit_callbacks):
    from pypdf import PdfReader

    _r, content = _report(manager_client, django_capture_on_commit_callbacks, "kazakhstan", "pdf")
    pdf = PdfReader(io.BytesIO(content))
    assert len(pdf.pages) == 3
    assert "Miscellaneous Metallurgy Equipment" in pdf.pages[0].extract_text()
    assert all(len(page.images) == 1 for page in pdf.pages[1:])


def test_a_waiting_report_reloads_and_only_its_owner_sees_it(manager_client, staff_user):
    from django.test import Client

    from promzona.demo.accounts import DEMO_PASSWORD
    from promzona.sectors.reports import report_build

    r = manager_client.post(reverse("sectors:report-start"), {"table": "balkhash", "fmt": "pdf"})
    job = ReportJob.objects.get()
    page = manager_client.get(r["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "being prepared" in page
    assert manager_client.get(reverse("sectors:report-file", args=[job.pk])).status_code == 404
    other = Client()
    assert other.login(username="demo-staff", password=DEMO_PASSWORD)
    assert other.get(r["Location"]).status_code == 404  # another analyst's report
    assert report_build(job.pk) == "done" and report_build(job.pk) == "taken"
    assert other.get(reverse("sectors:report-file", args=[job.pk])).status_code == 404
    assert manager_client.get(reverse("sectors:report-file", args=[job.pk])).status_code == 200


@pytest.mark.parametrize("data", [{"table": "nope", "fmt": "pdf"}, {"table": "balkhash", "fmt": "csv"},
                                  {"table": "balkhash", "fmt": "exe"}, {}, {"table": "x" * 10_000}])
def test_a_report_of_nothing_known_is_refused_and_queues_nothing(manager_client, data):
    r = manager_client.post(reverse("sectors:report-start"), data)
    assert r.status_code == 400 and not ReportJob.objects.exists()


def test_reports_are_asked_for_with_post_only(manager_client):
    assert manager_client.get(reverse("sectors:report-start")).status_code == 405
