"""Every transition, its refusal for the wrong person, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from promzona.audit.models import AuditEntry
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.instructions import selectors, services
from promzona.instructions.models import Event, Extension, Instruction, Report

from .conftest import issue

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def rows():
    """Everything instructions write, to show a refusal changed nothing."""
    return (Instruction.objects.count(), Event.objects.count(), Report.objects.count(),
            Extension.objects.count(), AuditEntry.objects.count(),
            list(Instruction.objects.order_by("pk").values_list("status", "deadline", "on_control")))


def test_issue_records_the_first_event_and_audit(instruction, people):
    assert instruction.status == "issued"
    event = instruction.events.get()
    assert (event.kind, event.status, event.deadline) == ("issued", "issued", instruction.deadline)
    assert AuditEntry.objects.filter(action="instruction.issued", object_id=str(instruction.pk)).exists()


@pytest.mark.parametrize("who", ["executor", "investor"])
def test_issue_by_anyone_but_staff_or_manager_is_forbidden(people, bodies, who):
    before = rows()
    with pytest.raises(Forbidden):
        issue(people, bodies, actor=people[who])
    assert rows() == before


def test_manager_may_issue(people, bodies):
    assert issue(people, bodies, actor=people["manager"]).pk


@pytest.mark.parametrize("change, field", [
    ({"title": ""}, "title"),
    ({"title": "x" * 256}, "title"),
    ({"number": "n" * 51}, "number"),
    ({"deadline": "2026-01-01"}, "deadline"),
    ({"issuer": 10**12}, "issuer"),
    ({"controller": "demo-executor"}, "controller"),  # an outside executor cannot control
    ({"controller": "demo-investor"}, "controller"),
    ({"executor_person": "demo-investor"}, "executor_person"),
    ({"executor_person": "demo-staff"}, "controller"),  # controller == responsible person
    ({"co_executors": ["dept"]}, "co_executors"),
    ({"links": [{"type": "plot", "id": 10**12}]}, "links"),
    ({"links": [{"type": "dragon", "id": 1}]}, "links"),
    ({"links": [{"type": "plot", "id": True}]}, "links"),
    ({"on_control": "yes"}, "on_control"),
    ({"parent": 10**12}, "parent"),
])
def test_bad_input_is_refused_and_changes_nothing(people, bodies, change, field):
    if change.get("co_executors") == ["dept"]:
        change = {"co_executors": [bodies["dept"]]}
    before = rows()
    with pytest.raises(InputError) as err:
        issue(people, bodies, **change)
    assert err.value.field == field
    assert rows() == before


def test_deadline_before_issue_and_issue_in_future_are_refused(people, bodies, today):
    with pytest.raises(InputError):
        issue(people, bodies, deadline=today - DAY)
    with pytest.raises(InputError):
        issue(people, bodies, issued_on=today + DAY, deadline=today + 2 * DAY)


def test_repeated_number_of_one_issuer_is_refused(people, bodies, instruction):
    with pytest.raises(InputError):
        issue(people, bodies, number=instruction.number)
    assert issue(people, bodies, number=instruction.number, issuer=bodies["office"]).pk


def test_basis_cannot_become_a_cycle(people, bodies, instruction):
    child = issue(people, bodies, parent=instruction)
    with pytest.raises(InputError):
        services.instruction_update(actor=people["staff"], instruction=instruction, parent=child)
    instruction.refresh_from_db()
    assert instruction.parent_id is None
    assert selectors.chain(child) == [instruction]


def test_the_executor_takes_into_work_and_reports(instruction, people):
    services.instruction_start(actor=people["executor"], instruction=instruction)
    assert instruction.status == "in_progress"
    report = services.instruction_report(actor=people["executor"], instruction=instruction,
                                         text="Done")
    instruction.refresh_from_db()
    assert instruction.status == "reported" and report.decision == ""
    assert list(instruction.events.values_list("kind", flat=True)) == ["issued", "started", "reported"]


@pytest.mark.parametrize("who", ["staff", "manager", "investor"])
def test_start_and_report_by_anyone_but_the_executor_are_forbidden(instruction, people, who):
    before = rows()
    with pytest.raises(Forbidden):
        services.instruction_start(actor=people[who], instruction=instruction)
    with pytest.raises(Forbidden):
        services.instruction_report(actor=people[who], instruction=instruction, text="x")
    assert rows() == before


def test_a_member_of_the_executing_body_may_report_without_being_named(people, bodies):
    instr = issue(people, bodies, executor_person=None)
    services.instruction_report(actor=people["executor"], instruction=instr, text="Done")
    assert instr.status == "reported"


def reported(instruction, people):
    services.instruction_report(actor=people["executor"], instruction=instruction, text="Done")
    return instruction


def test_the_controller_returns_then_accepts(instruction, people):
    reported(instruction, people)
    services.instruction_return(actor=people["staff"], instruction=instruction, comment="No photos")
    assert instruction.status == "in_progress"
    assert instruction.reports.get().decision == "returned"
    services.instruction_report(actor=people["executor"], instruction=instruction, text="Photos")
    services.instruction_accept(actor=people["staff"], instruction=instruction)
    instruction.refresh_from_db()
    assert instruction.status == "accepted" and instruction.accepted_at is not None
    assert [r.decision for r in instruction.reports.all()] == ["returned", "accepted"]
    assert AuditEntry.objects.filter(action="instruction.accepted", object_id=str(instruction.pk)).exists()


def test_acceptance_drafts_one_news_article_never_published(instruction, people):
    from promzona.news.models import Article

    drafts = Article.objects.filter(event_code="instruction.accepted",
                                    event_object_id=str(instruction.pk))
    reported(instruction, people)
    assert not drafts.exists()
    services.instruction_accept(actor=people["staff"], instruction=instruction)
    draft = drafts.get()
    assert draft.status == "draft" and instruction.number in draft.lead_ru
    assert instruction.executor.translated("name", "en") in draft.body_en


@pytest.mark.parametrize("who", ["executor", "manager", "investor"])
def test_accept_and_return_by_anyone_but_the_controller_are_forbidden(instruction, people, who):
    reported(instruction, people)
    before = rows()
    with pytest.raises(Forbidden):
        services.instruction_accept(actor=people[who], instruction=instruction)
    with pytest.raises(Forbidden):
        services.instruction_return(actor=people[who], instruction=instruction, comment="x")
    assert rows() == before


def test_return_without_a_reason_is_refused(instruction, people):
    reported(instruction, people)
    with pytest.raises(InputError):
        services.instruction_return(actor=people["staff"], instruction=instruction, comment="  ")
    assert Instruction.objects.get(pk=instruction.pk).status == "reported"


def test_transitions_from_the_wrong_state_conflict(instruction, people):
    with pytest.raises(Conflict):
        services.instruction_accept(actor=people["staff"], instruction=instruction)
    with pytest.raises(Conflict):
        services.instruction_return(actor=people["staff"], instruction=instruction, comment="x")
    reported(instruction, people)
    with pytest.raises(Conflict):
        services.instruction_report(actor=people["executor"], instruction=instruction, text="again")
    services.instruction_accept(actor=people["staff"], instruction=instruction)
    with pytest.raises(Conflict):
        services.instruction_update(actor=people["staff"], instruction=instruction, title="New")
    with pytest.raises(Conflict):
        services.instruction_extension_request(actor=people["executor"], instruction=instruction,
                                               new_deadline=instruction.deadline + DAY, reason="r")


def test_extension_request_is_granted_keeping_old_and_new_dates(instruction, people):
    old = instruction.deadline
    ext = services.instruction_extension_request(actor=people["executor"], instruction=instruction,
                                                 new_deadline=old + 5 * DAY, reason="Rain")
    assert ext.status == "pending" and Instruction.objects.get(pk=instruction.pk).deadline == old
    with pytest.raises(Conflict):  # one request at a time
        services.instruction_extension_request(actor=people["executor"], instruction=instruction,
                                               new_deadline=old + 9 * DAY, reason="More rain")
    with pytest.raises(Forbidden):
        services.instruction_extension_decide(actor=people["executor"], instruction=instruction,
                                              grant=True)
    services.instruction_extension_decide(actor=people["staff"], instruction=instruction, grant=True)
    ext.refresh_from_db()
    assert (ext.status, ext.old_deadline, ext.new_deadline) == ("granted", old, old + 5 * DAY)
    assert Instruction.objects.get(pk=instruction.pk).deadline == old + 5 * DAY


def test_extension_refused_needs_a_reason_and_keeps_the_deadline(instruction, people):
    old = instruction.deadline
    services.instruction_extension_request(actor=people["executor"], instruction=instruction,
                                           new_deadline=old + 5 * DAY, reason="Rain")
    with pytest.raises(InputError):
        services.instruction_extension_decide(actor=people["staff"], instruction=instruction,
                                              grant=False, comment="")
    services.instruction_extension_decide(actor=people["staff"], instruction=instruction,
                                          grant=False, comment="No")
    assert instruction.extensions.get().status == "refused"
    assert Instruction.objects.get(pk=instruction.pk).deadline == old


@pytest.mark.parametrize("days, reason", [(0, "r"), (-1, "r"), (5, ""), (5, "x" * 5001)])
def test_bad_extension_requests_change_nothing(instruction, people, days, reason):
    before = rows()
    with pytest.raises(InputError):
        services.instruction_extension_request(
            actor=people["executor"], instruction=instruction,
            new_deadline=instruction.deadline + days * DAY, reason=reason)
    assert rows() == before


def test_the_controller_extends_at_once(instruction, people):
    ext = services.instruction_extension_request(actor=people["staff"], instruction=instruction,
                                                 new_deadline=instruction.deadline + DAY, reason="r")
    assert ext.status == "granted"


def test_extended_instruction_past_the_old_deadline_is_not_overdue(instruction, people, today):
    later = today + 20 * DAY
    services.instruction_extension_request(actor=people["staff"], instruction=instruction,
                                           new_deadline=later, reason="r")
    instruction.refresh_from_db()
    assert not instruction.overdue(today + 11 * DAY)  # past the old deadline
    assert instruction.overdue(later + DAY)


def test_remove_from_control_needs_the_controller_and_a_reason(instruction, people, today):
    with pytest.raises(Forbidden):
        services.instruction_remove(actor=people["executor"], instruction=instruction, reason="r")
    with pytest.raises(InputError):
        services.instruction_remove(actor=people["staff"], instruction=instruction, reason="")
    services.instruction_remove(actor=people["staff"], instruction=instruction, reason="Obsolete")
    instruction.refresh_from_db()
    assert instruction.on_control is False and not instruction.overdue(today + 100 * DAY)
    with pytest.raises(Conflict):
        services.instruction_remove(actor=people["staff"], instruction=instruction, reason="again")


def test_state_as_of_a_past_day_comes_from_the_dated_events(people, bodies, today):
    t0 = timezone.now() - 10 * DAY
    instr = issue(people, bodies, issued_on=today - 10 * DAY, deadline=today - 5 * DAY, now=t0)
    services.instruction_report(actor=people["executor"], instruction=instr, text="x",
                                now=t0 + 3 * DAY)
    services.instruction_accept(actor=people["staff"], instruction=instr, now=t0 + 7 * DAY)
    qs = Instruction.objects.filter(pk=instr.pk)
    assert instr.pk not in selectors.states_as_of(today - 11 * DAY, qs)
    assert selectors.states_as_of(today - 9 * DAY, qs)[instr.pk].status == "issued"
    assert selectors.states_as_of(today - 5 * DAY, qs)[instr.pk].status == "reported"
    assert selectors.states_as_of(today, qs)[instr.pk].status == "accepted"


PDF = b"%PDF-1.4\n%%EOF\n"


def test_report_with_documents_stores_them_under_our_names(instruction, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = services.instruction_report(
        actor=people["executor"], instruction=instruction, text="See the act",
        uploads=[SimpleUploadedFile("act.exe", PDF), SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\nxx")])
    names = sorted(a.file.name.rsplit(".", 1)[1] for a in report.attachments.all())
    assert names == ["pdf", "png"]
    assert report.attachments.get(content_type="application/pdf").original_name == "act.exe"


@pytest.mark.parametrize("uploads", [
    [SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")],
    [SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(6)],
])
def test_report_with_bad_documents_changes_nothing(instruction, people, settings, tmp_path, uploads):
    settings.MEDIA_ROOT = tmp_path
    before = rows()
    with pytest.raises(InputError):
        services.instruction_report(actor=people["executor"], instruction=instruction, text="x",
                                    uploads=uploads)
    assert rows() == before
    assert not any(tmp_path.rglob("*.*"))


def test_update_changes_wording_and_is_audited_but_never_the_deadline(instruction, people):
    services.instruction_update(actor=people["manager"], instruction=instruction, title="Relay")
    assert Instruction.objects.get(pk=instruction.pk).title == "Relay"
    assert AuditEntry.objects.filter(action="instruction.edited").exists()
    with pytest.raises(InputError):
        services.instruction_update(actor=people["staff"], instruction=instruction,
                                    deadline=instruction.deadline + DAY)
    with pytest.raises(Forbidden):
        services.instruction_update(actor=people["executor"], instruction=instruction, title="x")


def test_visibility_executor_sees_own_investor_sees_none(instruction, people, bodies):
    other = issue(people, bodies, executor=bodies["office"], executor_person=None,
                  controller=people["manager"])
    visible = set(selectors.instructions_visible_to(people["executor"]).values_list("pk", flat=True))
    assert instruction.pk in visible and other.pk not in visible
    assert not selectors.instructions_visible_to(people["investor"]).exists()
    assert selectors.instructions_visible_to(people["manager"]).filter(pk=other.pk).exists()
