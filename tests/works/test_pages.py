"""The works pages: list with filters and figures, the card and every form on it, the timeline;
investors and the public are kept out; bad form input changes nothing."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from promzona.works import services
from promzona.works.models import Inspection, Work, WorkPhoto, WorkProgress

from .conftest import finish, make_work, png


def test_the_list_shows_figures_and_filters(staff_client, users, demo, uc_line, today):
    late = make_work(users["staff"], demo, today=today, name="Airport terminal",
                     start=today - dt.timedelta(days=300), finish=today - dt.timedelta(days=1))
    on_time = make_work(users["staff"], demo, line=uc_line, today=today, name="Power line PO-3")
    services.work_report_progress(actor=users["staff"], work=late, reported_on=today, percent=50,
                                  spent_kzt=700_000_000)
    page = staff_client.get("/works/").content.decode()
    assert "Airport terminal" in page and "Power line PO-3" in page and "line PO-3" in page
    assert "0.50" in page  # SPI: 50 % earned of 100 % planned
    assert "0.71" in page  # CPI: 500 M earned / 700 M spent
    only_late = staff_client.get("/works/?late=on").content.decode()
    assert "Airport terminal" in only_late and "Power line PO-3" not in only_late
    lines = staff_client.get("/works/?kind=line").content.decode()
    assert "Airport terminal" not in lines and f"/works/{on_time.pk}/" in lines
    earlier = staff_client.get(f"/works/?as_of={(today - dt.timedelta(days=1)).isoformat()}")
    assert "No works." in earlier.content.decode()


@pytest.mark.parametrize("query", ["as_of=9999-12-31", "as_of=0001-01-01", "as_of=x",
                                   "zone=999999", "status=nope", "page=abc", "kind=" + "x" * 500])
def test_bad_filters_never_fail(staff_client, query):
    r = staff_client.get(f"/works/?{query}")
    assert r.status_code == 200


def test_the_card_shows_plans_progress_and_photos(staff_client, users, demo, uc_line, today,
                                                  media):
    work = make_work(users["staff"], demo, line=uc_line, today=today)
    services.work_replan(actor=users["staff"], work=work, planned_start=work.planned_start,
                         planned_finish=work.planned_finish + dt.timedelta(days=30),
                         contract_value_kzt=work.contract_value_kzt, reason="Permafrost")
    services.work_report_progress(actor=users["staff"], work=work, reported_on=today,
                                  percent=40, photos=[png()])
    page = staff_client.get(f"/works/{work.pk}/").content.decode()
    assert "Permafrost" in page and "baseline" in page and "30 days after the baseline" in page
    photo = WorkPhoto.objects.get()
    assert f"/works/photos/{photo.pk}/" in page
    r = staff_client.get(f"/works/photos/{photo.pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff" and b"".join(r.streaming_content)[:4] == \
        b"\x89PNG"


def test_create_from_the_form(staff_client, demo, uc_line, today):
    r = staff_client.post("/works/new/", {
        "zone": demo.pk, "name": "Water main WA-2", "kind": "line", "line": uc_line.pk,
        "contractor": "TOO Su", "contract_value_kzt": "250000000.50", "funding_source": "republican",
        "planned_start": today.isoformat(), "planned_finish": (today + dt.timedelta(90)).isoformat()})
    work = Work.objects.get(name="Water main WA-2")
    assert r.status_code == 302 and r["Location"] == f"/en/works/{work.pk}/"
    assert work.plans.count() == 1


@pytest.mark.parametrize("change", [
    {"planned_finish": "2000-01-01"},
    {"planned_start": "not a date"},
    {"contract_value_kzt": "-5"},
    {"contract_value_kzt": "1e400"},
    {"name": ""},
    {"name": "x" * 300},
    {"kind": "upgrade"},
    {"zone": "999999"},
    {"line": "999999"},
])
def test_bad_create_forms_change_nothing(staff_client, demo, uc_line, today, change):
    data = {"zone": demo.pk, "name": "W", "kind": "line", "line": uc_line.pk, "contractor": "C",
            "funding_source": "local", "planned_start": today.isoformat(),
            "planned_finish": today.isoformat()} | change
    r = staff_client.post("/works/new/", data)
    assert r.status_code == 200 and not Work.objects.exists()


def test_every_form_on_the_card(staff_client, users, demo, uc_line, today, media):
    work = make_work(users["staff"], demo, line=uc_line, today=today)
    url = f"/works/{work.pk}/"
    r = staff_client.post(url + "progress/", {
        "reported_on": today.isoformat(), "percent": "100", "spent_kzt": "900000000",
        "remarks": "Done", "photos": [png("a.png"), png("b.png")]})
    assert r.status_code == 302
    assert WorkProgress.objects.get(work=work).photos.count() == 2
    staff_client.post(url + "inspect/", {"inspected_on": today.isoformat(), "inspector": "GASK",
                                         "findings": "Cable markers missing",
                                         "fix_by": today.isoformat()})
    inspection = Inspection.objects.get(work=work)
    r = staff_client.post(url + "accept/", {"accepted_on": today.isoformat(), "confirm": "on"},
                          follow=True)
    assert "Inspection findings are still open" in r.content.decode()
    staff_client.post(f"/works/inspections/{inspection.pk}/fix/", {"fixed_on": today.isoformat(),
                                                                  "note": "Installed"})
    r = staff_client.post(url + "accept/", {"accepted_on": today.isoformat()}, follow=True)
    assert "I confirm the acceptance" in r.content.decode()  # the box must be ticked
    work.refresh_from_db()
    assert work.status == "in_progress"
    staff_client.post(url + "accept/", {"accepted_on": today.isoformat(), "confirm": "on"})
    work.refresh_from_db()
    uc_line.refresh_from_db()
    assert work.status == "accepted" and uc_line.status == "existing"


def test_replan_and_cancel_forms(manager_client, users, demo, today):
    work = make_work(users["staff"], demo, today=today)
    url = f"/works/{work.pk}/"
    manager_client.post(url + "replan/", {"planned_start": work.planned_start.isoformat(),
                                          "planned_finish": (today + dt.timedelta(400)).isoformat(),
                                          "contract_value_kzt": "5", "reason": "Budget cut"})
    assert work.plans.count() == 2
    r = manager_client.post(url + "cancel/", {"reason": "No money"}, follow=True)
    assert Work.objects.get(pk=work.pk).status == "planned"  # not confirmed
    manager_client.post(url + "cancel/", {"reason": "No money", "confirm": "on"})
    assert Work.objects.get(pk=work.pk).status == "cancelled"
    assert r.status_code == 200


def test_bad_uploads_are_refused_with_a_message(staff_client, users, line_work, today, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/works/{line_work.pk}/progress/"
    r = staff_client.post(url, {"reported_on": today.isoformat(), "percent": "10",
                                "photos": [SimpleUploadedFile("x.png", b"<svg onload=alert(1)>")]},
                          follow=True)
    assert "Photos must be PNG or JPEG images." in r.content.decode()
    r = staff_client.post(url, data=b"x" * 10, content_type="application/octet-stream",
                          CONTENT_LENGTH=str(10**10))
    assert r.status_code == 302 and _flashed(r) == ["The upload is too large."]
    assert not WorkProgress.objects.exists() and list(media.rglob("*.*")) == []


def _flashed(response) -> list[str]:
    from django.contrib.messages import get_messages

    return [str(m) for m in get_messages(response.wsgi_request)]


def test_investors_and_the_public_are_kept_out(client, investor_client, users, line_work, today):
    for url in ("/works/", "/works/new/", "/works/timeline/", f"/works/{line_work.pk}/"):
        assert investor_client.get(url).status_code == 403
        assert client.get(url).status_code in (302, 403)
    finish(line_work, users["staff"], today)
    r = investor_client.post(f"/works/{line_work.pk}/accept/",
                             {"accepted_on": today.isoformat(), "confirm": "on"})
    assert r.status_code == 403
    line_work.refresh_from_db()
    assert line_work.status == "in_progress"


def test_the_timeline_draws_works_and_project_milestones(staff_client, users, demo, line_work,
                                                         today):
    make_work(users["staff"], demo, today=today, name='Terminal <"A">',
              start=today - dt.timedelta(days=400), finish=today - dt.timedelta(days=10))
    page = staff_client.get("/works/timeline/").content.decode()
    svg = page[page.index("<svg"):page.index("</svg>") + 6]
    root = ET.fromstring(svg)  # noqa: S314 - our own page, under test
    ns = {"s": "http://www.w3.org/2000/svg"}
    bars = root.findall(".//s:g[@class='bar']", ns)
    assert len(bars) == 2
    assert any(r.get("stroke") == "#c0392b" for r in root.findall(".//s:g[@class='bar']/s:rect", ns))
    assert "Terminal &lt;&quot;A&quot;&gt;" in svg or "Terminal &lt;\"A\"&gt;" in svg
    assert staff_client.get("/works/timeline/?zone=" + "ж" * 60).status_code == 404


@pytest.mark.parametrize("action, data", [
    ("replan/", {"planned_start": "2026-01-01", "planned_finish": "2025-01-01", "reason": "x"}),
    ("replan/", {"planned_start": "2026-01-01", "planned_finish": "2027-01-01", "reason": ""}),
    ("replan/", {"planned_start": "0001-01-01", "planned_finish": "2027-01-01", "reason": "x"}),
    ("inspect/", {"inspected_on": "2026-01-01", "inspector": "", "findings": "x"}),
    ("inspect/", {"inspected_on": "2026-01-01", "inspector": "G", "findings": "x"}),
    ("inspect/", {"inspected_on": "2026-01-01", "inspector": "G" * 300}),
    ("accept/", {"accepted_on": "x", "confirm": "on"}),
    ("cancel/", {"reason": "x" * 5001, "confirm": "on"}),
    ("progress/", {"reported_on": "2026-01-01", "percent": "abc"}),
    ("progress/", {"reported_on": "2026-01-01", "percent": "1e9"}),
    ("progress/", {"reported_on": "2026-01-01", "percent": "50", "spent_kzt": "-1"}),
])
def test_broken_card_forms_change_nothing(staff_client, users, line_work, action, data):
    before = (list(line_work.plans.values()), list(line_work.inspections.values()),
              list(line_work.progress.values()), Work.objects.filter(pk=line_work.pk).values()[0])
    r = staff_client.post(f"/works/{line_work.pk}/{action}", data)
    assert r.status_code == 302 and _flashed(r)  # back to the card, saying why
    after = (list(line_work.plans.values()), list(line_work.inspections.values()),
             list(line_work.progress.values()), Work.objects.filter(pk=line_work.pk).values()[0])
    assert after == before


def test_a_fix_with_a_bad_date_changes_nothing(staff_client, users, line_work, today):
    i = services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                              inspector="GASK", findings="x", fix_by=today)
    for data in ({"fixed_on": "yesterday"}, {"fixed_on": "1999-01-01"},
                 {"fixed_on": today.isoformat(), "note": "n" * 5001}):
        r = staff_client.post(f"/works/inspections/{i.pk}/fix/", data)
        assert r.status_code == 302 and _flashed(r)
    assert Inspection.objects.get(pk=i.pk).fixed_on is None
    assert staff_client.post("/works/inspections/999999/fix/", {}).status_code == 404
