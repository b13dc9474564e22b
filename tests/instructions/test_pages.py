"""The instruction pages: inboxes and filters, the forms, confirmations, bad input, the admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from promzona.instructions.models import Instruction

from .conftest import issue
from .test_services import rows

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def as_user(client, people):
    def login(who):
        client.force_login(people[who])
        return client
    return login


def test_inbox_to_execute_filters_overdue(as_user, people, bodies, today):
    late = issue(people, bodies, title="Late road", issued_on=today - 5 * DAY, deadline=today - DAY)
    fine = issue(people, bodies, title="Fine road", deadline=today + 9 * DAY)
    page = as_user("executor").get("/instructions/execute/", {"overdue": "on"}).content.decode()
    assert "Late road" in page and "Fine road" not in page
    page = as_user("executor").get("/instructions/execute/", {"due_within": 9}).content.decode()
    assert "Fine road" in page and "Late road" not in page
    assert fine.pk and late.pk


def test_inbox_on_control_filters_by_executor_and_issuer(as_user, people, bodies):
    issue(people, bodies, title="Dept road")
    issue(people, bodies, title="Office road", executor=bodies["office"], executor_person=None)
    page = as_user("staff").get("/instructions/control/",
                                {"executor": bodies["office"].pk}).content.decode()
    assert "Office road" in page and "Dept road" not in page
    page = as_user("staff").get("/instructions/control/",
                                {"issuer": bodies["rec"].pk}).content.decode()
    assert "Office road" not in page


@pytest.mark.parametrize("params", [{"due_within": "-3"}, {"due_within": "x" * 500},
                                    {"executor": "999999"}, {"status": "lost"}, {"page": "zz"}])
def test_bad_filters_say_so_and_do_not_fail(as_user, params):
    r = as_user("staff").get("/instructions/", params)
    assert r.status_code == 200
    if "page" not in params:
        assert b'class="error"' in r.content


def test_issue_form_creates_and_refuses_bad_input(as_user, people, bodies, today):
    data = {"number": "F-1", "issued_on": today.isoformat(), "issuer": bodies["city"].pk,
            "title": "From the form", "executor": bodies["dept"].pk,
            "executor_person": people["executor"].pk, "controller": people["staff"].pk,
            "deadline": (today + 3 * DAY).isoformat(), "on_control": "on",
            "links": "plot:BLK-03, source:PS-2, zone:balkhash"}
    client = as_user("staff")
    before = rows()
    for bad in ({"deadline": (today - DAY).isoformat()}, {"links": "plot:NOPE"},
                {"links": "dragon:1"}, {"title": "x" * 300}, {"controller": people["executor"].pk},
                {"co_executors": [bodies["dept"].pk]}):
        r = client.post("/instructions/new/", data | bad)
        assert r.status_code == 200 and b'class="error"' in r.content, bad
    assert rows() == before
    r = client.post("/instructions/new/", data)
    instr = Instruction.objects.get(number="F-1")
    assert r.status_code == 302 and instr.links.count() == 3


def test_accept_needs_the_confirmation(as_user, people, bodies):
    instr = issue(people, bodies)
    client = as_user("executor")
    client.post(f"/instructions/{instr.pk}/report/", {"text": "Done"})
    client = as_user("staff")
    r = client.post(f"/instructions/{instr.pk}/do/accept/", {"comment": "ok"}, follow=True)
    assert "I confirm" in r.content.decode()
    assert Instruction.objects.get(pk=instr.pk).status == "reported"
    client.post(f"/instructions/{instr.pk}/do/accept/", {"comment": "ok", "confirm": "on"})
    assert Instruction.objects.get(pk=instr.pk).status == "accepted"


def test_unknown_action_is_404(as_user, people, bodies):
    instr = issue(people, bodies)
    assert as_user("staff").post(f"/instructions/{instr.pk}/do/delete/").status_code == 404


def test_report_page_refuses_a_disguised_file_and_keeps_state(as_user, people, bodies, settings,
                                                              tmp_path):
    settings.MEDIA_ROOT = tmp_path
    instr = issue(people, bodies)
    before = rows()
    r = as_user("executor").post(f"/instructions/{instr.pk}/report/", {
        "text": "See file", "files": [SimpleUploadedFile("a.pdf", b"MZ not a pdf")]}, follow=True)
    assert "Only PDF" in r.content.decode()
    assert rows() == before
    r = as_user("executor").post(f"/instructions/{instr.pk}/report/", {"text": ""}, follow=True)
    assert rows() == before


def test_report_page_stores_documents_served_only_to_those_who_see_it(as_user, people, bodies,
                                                                       settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    instr = issue(people, bodies)
    as_user("executor").post(f"/instructions/{instr.pk}/report/", {
        "text": "Act", "files": [SimpleUploadedFile("act.pdf", b"%PDF-1.4\n%%EOF\n")]})
    att = instr.reports.get().attachments.get()
    r = as_user("manager").get(f"/instructions/attachments/{att.pk}/")
    assert r.status_code == 200 and r["X-Content-Type-Options"] == "nosniff"
    assert as_user("investor").get(f"/instructions/attachments/{att.pk}/").status_code == 403


def test_extend_form_with_a_bad_date_changes_nothing(as_user, people, bodies):
    instr = issue(people, bodies)
    before = rows()
    for bad in ({"new_deadline": "soon", "reason": "r"},
                {"new_deadline": instr.deadline.isoformat(), "reason": "r"},
                {"new_deadline": (instr.deadline + DAY).isoformat(), "reason": ""}):
        as_user("executor").post(f"/instructions/{instr.pk}/extend/", bad)
    assert rows() == before


def test_card_shows_chain_and_overdue(as_user, people, bodies, today):
    parent = issue(people, bodies, title="Parent order")
    child = issue(people, bodies, parent=parent, title="Child order", issued_on=today - 3 * DAY,
                  deadline=today - DAY)
    page = as_user("executor").get(f"/instructions/{child.pk}/").content.decode()
    assert f'href="/en/instructions/{parent.pk}/"' in page
    assert "overdue" in page


def test_admin_shows_state_read_only_and_saves_through_the_service(people, bodies, client):
    from promzona.audit.models import AuditEntry

    instr = issue(people, bodies)
    client.force_login(people["staff"])
    url = f"/admin/instructions/instruction/{instr.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="deadline"' not in page and 'name="status"' not in page and 'name="title"' in page
    assert client.get("/admin/instructions/instruction/add/").status_code == 403
    data = {"number": instr.number, "issued_on": instr.issued_on.isoformat(),
            "issuer": bodies["city"].pk, "title": "Renamed in admin", "executor": bodies["dept"].pk,
            "executor_person": people["executor"].pk, "controller": people["staff"].pk,
            "text": "", "issuer_person": "", "parent": "",
            **{f"{p}-{k}": v for p in ("reports", "extensions", "events")
               for k, v in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))}}
    r = client.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Instruction.objects.get(pk=instr.pk).title == "Renamed in admin"
    assert AuditEntry.objects.filter(action="instruction.edited", object_id=str(instr.pk)).exists()
    assert client.post(f"/admin/instructions/instruction/{instr.pk}/delete/", {"post": "yes"}
                       ).status_code == 403


def test_report_body_over_the_files_the_service_takes_is_refused_before_reading(
        as_user, people, bodies, monkeypatch):
    from promzona.applications.files import MAX_ATTACHMENT_BYTES
    from promzona.instructions import services

    monkeypatch.setattr(services, "MAX_REPORT_FILES", 1)
    instr = issue(people, bodies)
    before = rows()
    r = as_user("executor").post(f"/instructions/{instr.pk}/report/", {"text": "Done"},
                                 CONTENT_LENGTH=str(2 * MAX_ATTACHMENT_BYTES), follow=True)
    assert "at most 20 MB" in r.content.decode()
    assert rows() == before
