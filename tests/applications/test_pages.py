"""Investor and staff pages: drafts, transitions, attachments served only to those allowed."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from promzona.applications.files import MAX_ATTACHMENT_BYTES
from promzona.applications.models import Application, Attachment, Reservation
from tests.pages import page_html

from .conftest import make_application

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _zip(names):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in names:
            z.writestr(n, "<x/>")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, app, name, content):
    return client.post(reverse("applications:upload", args=[app.pk]),
                       {"file": SimpleUploadedFile(name, content)})


def test_investor_creates_edits_and_submits(investor_client, published_plot):
    r = investor_client.get(reverse("applications:create") + f"?plot={published_plot.pk}")
    assert published_plot.code in r.content.decode()
    data = {"project_name": "Wire plant", "sector": "C25", "investment_kzt": "1000000",
            "jobs_planned": "30", "preferred_codes": published_plot.code, "power_kw": "200"}
    r = investor_client.post(reverse("applications:create"), data)
    app = Application.objects.get(project_name="Wire plant")
    assert r.status_code == 302 and app.needs["power_kw"] == 200
    assert (app.start_by, app.horizon_years) == (None, 10)  # blank: no desired start, 10 years
    assert [p.plot_id for p in app.preferred.all()] == [published_plot.pk]
    r = investor_client.post(reverse("applications:edit", args=[app.pk]),
                             dict(data, project_name="Wire plant 2", power_kw="-5"))
    assert r.status_code == 200
    app.refresh_from_db()
    assert app.project_name == "Wire plant"
    investor_client.post(reverse("applications:transition", args=[app.pk, "submit"]))
    app.refresh_from_db()
    assert app.status == "submitted"
    r = investor_client.post(reverse("applications:transition", args=[app.pk, "approve"]),
                             follow=True)
    app.refresh_from_db()
    assert app.status == "submitted" and r.status_code == 403


def test_staff_queue_filters_and_reserves(staff_client, users, published_plot):
    mine = make_application(users["a"])
    other = make_application(users["b"], submit=False)
    r = staff_client.get(reverse("applications:list"), {"status": "submitted"})
    body = r.content.decode()
    assert f'href="{reverse("applications:detail", args=[mine.pk])}"' in body
    assert f'href="{reverse("applications:detail", args=[other.pk])}"' not in body
    assert staff_client.get(reverse("applications:list"), {"status": "bogus"}).status_code == 200
    staff_client.post(reverse("applications:reserve", args=[mine.pk]),
                      {"plot_code": published_plot.code})
    assert Reservation.objects.filter(application=mine, status="active").exists()
    r = staff_client.get(reverse("applications:plot_history", args=[published_plot.pk]))
    assert "<td>Plot reserved</td>" in r.content.decode()
    r = staff_client.get(reverse("applications:detail", args=[mine.pk]))
    page = r.content.decode()
    history = page[page.index("<table class=\"history\">"):]
    assert "<td>Application submitted</td>" in history
    assert "<td>Plot reserved for the application</td>" in history
    assert "<li>Status: Draft → Submitted</li>" in history
    assert "application.submitted" not in history and "{" not in history
    from promzona.audit.selectors import audit_history

    first = audit_history(mine).order_by("at").first()  # in local time, like the comments
    assert timezone.localtime(first.at).strftime("%Y-%m-%d %H:%M") in history
    assert "UTC" not in history


def test_investor_b_gets_404_everywhere(client, users, published_plot):
    app = make_application(users["a"])
    client.force_login(users["b"])
    for name in ("detail", "edit"):
        assert client.get(reverse(f"applications:{name}", args=[app.pk])).status_code == 404
    for name in ("comment", "reserve", "upload"):
        assert client.post(reverse(f"applications:{name}", args=[app.pk])).status_code == 404
    r = client.post(reverse("applications:transition", args=[app.pk, "withdraw"]))
    assert r.status_code == 404
    app.refresh_from_db()
    assert app.status == "submitted"


@pytest.mark.parametrize(
    "name,content,kind",
    [("plan.pdf", PDF, "application/pdf"), ("site.png", PNG, "image/png"),
     ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
     ("bp.docx", _zip(["[Content_Types].xml", "word/document.xml"]), "wordprocessingml"),
     ("fin.xlsx", _zip(["[Content_Types].xml", "xl/workbook.xml"]), "spreadsheetml")],
)
def test_accepted_attachments_served_only_to_allowed(client, users, name, content, kind):
    app = make_application(users["a"])
    client.force_login(users["a"])
    _upload(client, app, name, content)
    att = Attachment.objects.get(application=app)
    assert kind in att.content_type and att.size == len(content)
    url = reverse("applications:attachment", args=[att.pk])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == content
    assert r["X-Content-Type-Options"] == "nosniff"
    client.force_login(users["b"])
    assert client.get(url).status_code == 404
    client.force_login(users["manager"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    "name,content",
    [("evil.pdf", b"MZ\x90\x00 this is an exe"), ("fake.png", b"<html><script>x</script>"),
     ("macro.docx", _zip(["[Content_Types].xml", "word/vbaProject.bin"])),
     ("bomb.xlsx", b"PK\x03\x04garbage"), ("empty.pdf", b""),
     ("page.html", b"<!doctype html><html></html>")],
)
def test_disguised_attachments_refused(client, users, name, content):
    app = make_application(users["a"])
    client.force_login(users["a"])
    _upload(client, app, name, content)
    assert not Attachment.objects.filter(application=app).exists()


def test_oversized_attachment_refused(client, users, settings):
    app = make_application(users["a"])
    client.force_login(users["a"])
    big = PDF + b"\0" * (MAX_ATTACHMENT_BYTES + 1 - len(PDF))
    r = _upload(client, app, "big.pdf", big)
    assert r.status_code == 302
    assert not Attachment.objects.filter(application=app).exists()


def test_pages_need_login(client, demo):
    r = client.get(reverse("applications:list"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("length", [str(MAX_ATTACHMENT_BYTES * 5), str(10**15)])
def test_huge_body_refused_before_reading(client, users, length):
    app = make_application(users["a"])
    client.force_login(users["a"])
    r = client.post(reverse("applications:upload", args=[app.pk]), data=b"x" * 10,
                    content_type="application/octet-stream", CONTENT_LENGTH=length)
    assert r.status_code == 302
    from django.contrib.messages import get_messages

    assert ["An attachment may be at most 20 MB."] == [
        str(m) for m in get_messages(r.wsgi_request)]
    assert not Attachment.objects.filter(application=app).exists()


def test_prefilled_from_a_match_result(investor_client, demo):
    plots = list(demo.plots.filter(status="published").order_by("-code")[:2])
    draft = demo.plots.filter(status="draft").first()
    ids = ",".join(str(p.pk) for p in plots + [draft]) + ",abc,99999999999999999"
    r = investor_client.get(reverse("applications:create"),
                            {"plots": ids, "sector": "C23", "power_kw": "750", "gas_m3_h": "-4",
                             "start_by": "2027-06-01", "horizon_years": "25"})
    form = r.context["form"]
    assert form.initial["preferred_codes"] == ", ".join(p.code for p in plots)
    assert form.initial["sector"] == "C23" and form.initial["power_kw"] == "750"
    assert "gas_m3_h" not in form.initial
    assert (form.initial["start_by"], form.initial["horizon_years"]) == ("2027-06-01", 25)
    for hostile in ({"start_by": "2027-06-01<script>", "horizon_years": "99"},
                    {"start_by": "x" * 5000, "horizon_years": "-1"}):
        initial = investor_client.get(reverse("applications:create"), hostile).context["form"].initial
        assert "start_by" not in initial and "horizon_years" not in initial


def test_review_queue_pages_by_fifty_and_keeps_the_filter(users, staff_client):
    for _i in range(55):
        make_application(users["a"])
    make_application(users["a"], submit=False)  # a draft: filtered out below
    first = staff_client.get(reverse("applications:list"), {"status": "submitted"})
    assert first.context["page"].paginator.count == 55 and len(first.context["page"]) == 50
    assert "status=submitted&amp;page=2" in first.content.decode()
    second = staff_client.get(reverse("applications:list"), {"status": "submitted", "page": "2"})
    assert len(second.context["page"]) == 5
    ids = {a.pk for a in first.context["page"]} | {a.pk for a in second.context["page"]}
    assert len(ids) == 55
    hostile = staff_client.get(reverse("applications:list"), {"page": "x" * 5000})
    assert hostile.status_code == 200 and hostile.context["page"].number == 1


@pytest.mark.parametrize("query", ["plots=²", "plots=1,²,99999999999999999999999", "power_kw=²"])
def test_prefill_ignores_unicode_digits_and_huge_ids(investor_client, published_plot, query):
    r = investor_client.get(reverse("applications:create") + "?" + query)
    assert r.status_code == 200 and "power_kw" not in r.context["form"].initial


def test_a_failed_attachment_write_leaves_no_file(users, settings, monkeypatch):
    from promzona.applications import services as app_services

    app = make_application(users["a"])

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(app_services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        app_services.attachment_add(actor=users["a"], application=app,
                                    upload=SimpleUploadedFile("a.pdf", PDF))
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == [] and not Attachment.objects.filter(application=app).exists()


JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 20
DOCX = _zip(["[Content_Types].xml", "word/document.xml"])


@pytest.mark.parametrize(
    "name,content,served_as",
    [("evil.html", PDF, "evil.pdf"), ("logo.svg", PNG, "logo.png"),
     ("setup.exe", JPEG, "setup.jpg"), ("report.pdf.exe", PDF, "report.pdf.pdf"),
     ("plan", DOCX, "plan.docx"), ("план участка.xlsm", PDF, "план участка.pdf")],
)
def test_a_download_carries_the_extension_of_its_detected_type(
        client, users, name, content, served_as):
    app = make_application(users["a"])
    client.force_login(users["a"])
    _upload(client, app, name, content)
    att = Attachment.objects.get(application=app)
    r = client.get(reverse("applications:attachment", args=[att.pk]))
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;")
    from urllib.parse import unquote

    assert (f'filename="{served_as}"' in disposition
            or f"filename*=utf-8''{served_as}" == unquote(disposition.split("; ", 1)[1]))
    assert r["Content-Security-Policy"] == "default-src 'none'; sandbox"
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert f">{served_as}</a>" in page


@pytest.mark.parametrize(
    "name,stored",
    [("../../etc/passwd.pdf", "passwd.pdf"), ('a";b\r\nSet-Cookie: x=1.pdf', "a_b_Set-Cookie_ x_1.pdf"),
     ("C:\\Users\\me\\plan.pdf", "plan.pdf"), ("\x00\x01.pdf", "pdf"), ("...", "pdf.pdf"),
     ("x" * 300 + ".pdf", "x" * 200)],
)
def test_a_hostile_file_name_is_stored_and_served_harmless(client, users, name, stored):
    app = make_application(users["a"])
    upload = SimpleUploadedFile("placeholder", PDF)
    upload.name = name  # as a client may send it, bypassing the browser's own clean-up
    from promzona.applications import services as app_services

    att = app_services.attachment_add(actor=users["a"], application=app, upload=upload)
    assert att.original_name == stored
    client.force_login(users["a"])
    r = client.get(reverse("applications:attachment", args=[att.pk]))
    assert r.status_code == 200 and "\n" not in r["Content-Disposition"]
    assert r["Content-Disposition"].endswith('.pdf"')


@pytest.mark.parametrize("lang,shown,hidden", [
    ("ru", ["Электроэнергия, кВт: 100", "Вода, м³/сут: 5", "1\xa0000\xa0000\xa0000"], ["power_kw", "Газ"]),
    ("kk", ["м³/тәул: 5"], ["power_kw", "water_m3_day"]),
    ("en", ["Power, kW: 100", "Water, m³/day: 5", "1,000,000,000"], ["power_kw", "Gas"]),
])
def test_the_application_page_labels_its_needs(investor_client, submitted_app, lang, shown, hidden):
    """Needs by their labels and units in the page's language, never "power_kw: 100,0"; a
    need of zero is not listed."""
    with translation.override(lang):
        url = reverse("applications:detail", args=[submitted_app.pk])
    html = page_html(investor_client.get(url, HTTP_ACCEPT_LANGUAGE=lang))
    assert all(s in html for s in shown), [s for s in shown if s not in html]
    assert not any(h in html for h in hidden)


def test_the_application_form_labels_needs_and_sectors_in_the_pages_language(investor_client):
    with translation.override("kk"):
        url = reverse("applications:create")
    html = investor_client.get(url).content.decode()
    assert "Электр энергиясы, кВт" in html and "Need:" not in html and "power," not in html
    assert "C25 Дайын металл бұйымдарын өндіру" in html
    assert "Производство готовых металлических изделий" not in html
