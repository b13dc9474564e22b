"""Writes for instructions. Each runs in one transaction, checks the actor's part (issuer,
executor, controller), writes a dated :class:`Event` with the state it leaves and an audit entry
``instruction.<verb>``. Nothing is ever deleted.

Who may do what: staff and managers issue, edit and control (the controller named on the
instruction accepts, returns, decides extensions and removes from control); the executor (the
responsible person or a member of the executing body) takes into work, reports and asks for
more time.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.types import Actor
from promzona.applications import files
from promzona.audit.services import audit_record, changed, snapshot
from promzona.core import instructions as rules
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.news.events import article_draft_from_event
from promzona.news.models import LANGS
from promzona.validation import validated

from . import links as link_types
from .inputs import read_body, read_co_executors, read_date, read_parent, read_person, read_text
from .models import Body, Event, Extension, Instruction, Link, Report, ReportAttachment
from .selectors import is_controller, is_executor, may_use, oversees

S = Instruction.Status
MAX_REPORT_FILES = 5
MAX_YEARS = 10
EDITABLE = ("number", "issued_on", "issuer", "issuer_person", "parent", "title", "text",
            "executor", "executor_person", "co_executors", "controller", "links")


# --- checks --------------------------------------------------------------------------------


def _check(instruction: Instruction) -> None:
    """Rules that hold between fields, whoever set them."""
    if instruction.deadline < instruction.issued_on:
        raise InputError(_("The deadline cannot be before the date of issue."), field="deadline")
    if instruction.deadline > instruction.issued_on + dt.timedelta(days=366 * MAX_YEARS):
        raise InputError(_("The deadline is more than %(n)s years away.") % {"n": MAX_YEARS},
                         field="deadline")
    if instruction.executor_person_id and instruction.executor_person_id == instruction.controller_id:
        raise InputError(_("The controller cannot be the responsible executor."), field="controller")
    node, seen = instruction.parent, {instruction.pk}
    while node is not None:
        if node.pk in seen:
            raise InputError(_("An instruction cannot be its own basis."), field="parent")
        seen.add(node.pk)
        node = node.parent
    duplicate = Instruction.objects.filter(issuer=instruction.issuer, number=instruction.number)
    if duplicate.exclude(pk=instruction.pk).exists():
        raise InputError(_("This issuer already has an instruction numbered %(n)s.") % {
            "n": instruction.number}, field="number")


def _set_links(instruction: Instruction, objects: list) -> None:
    instruction.links.all().delete()  # the link rows, not the objects; changes are audited
    Link.objects.bulk_create([
        Link(instruction=instruction, content_type=ContentType.objects.get_for_model(o),
             object_id=o.pk) for o in objects])


def _link_refs(objects: list) -> list[str]:
    return [f"{o._meta.label_lower}:{o.pk}" for o in objects]


# --- roles and events ----------------------------------------------------------------------


def _require_overseer(actor: Actor) -> None:
    if not (may_use(actor) and oversees(actor)):
        raise Forbidden(_("Only zone office staff and managers may do this."))


def _require(part: str, actor: Actor, instruction: Instruction) -> None:
    if part == rules.CONTROLLER and not is_controller(actor, instruction):
        raise Forbidden(_("Only the instruction's controller may do this."))
    if part == rules.EXECUTOR and not is_executor(actor, instruction):
        raise Forbidden(_("Only the instruction's executor may do this."))


def _locked(instruction: Instruction) -> Instruction:
    instruction.refresh_from_db(from_queryset=Instruction.objects.select_for_update())
    return instruction


def _event(instruction: Instruction, *, actor: Actor, kind: str, now: dt.datetime,
           comment: str = "") -> Event:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return Event.objects.create(instruction=instruction, at=now, actor=user, kind=kind,
                                status=instruction.status, deadline=instruction.deadline,
                                on_control=instruction.on_control, comment=comment)


STATE = ["status", "deadline", "on_control", "accepted_at"]


# --- issue and edit ------------------------------------------------------------------------


@transaction.atomic
def instruction_issue(  # noqa: PLR0913 - the instruction's fields, keyword-only, as the form and API send them
    *, actor: Actor, number: str, issued_on: dt.date, issuer: Any, title: str, executor: Any,
    controller: Any, deadline: dt.date, text: str = "", issuer_person: str = "",
    parent: Any = None, executor_person: Any = None, co_executors: Any = (), links: Any = (),
    on_control: bool = True, now: dt.datetime | None = None,
) -> Instruction:
    """Record a new instruction (staff and managers)."""
    _require_overseer(actor)
    now = now or timezone.now()
    if not isinstance(on_control, bool):
        raise InputError(_("on_control must be true or false."), field="on_control")
    instruction = Instruction(
        number=read_text(number, "number", 50, required=True),
        issued_on=read_date(issued_on, "issued_on"), issuer=read_body(issuer, "issuer"),
        issuer_person=read_text(issuer_person, "issuer_person", 255, required=False),
        parent=read_parent(parent), title=read_text(title, "title", 255, required=True),
        text=read_text(text, "text", 20000, required=False), executor=read_body(executor, "executor"),
        executor_person=(None if executor_person in (None, "")
                         else read_person(executor_person, "executor_person", overseer=False)),
        controller=read_person(controller, "controller", overseer=True),
        deadline=read_date(deadline, "deadline"), on_control=on_control, created_by=actor,
        created_at=now,
    )
    if instruction.issued_on > timezone.localdate(now):
        raise InputError(_("The date of issue cannot be in the future."), field="issued_on")
    bodies = read_co_executors(co_executors, instruction.executor)
    objects = link_types.resolve(list(links))
    _check(instruction)
    instruction.save()
    instruction.co_executors.set(bodies)
    _set_links(instruction, objects)
    _event(instruction, actor=actor, kind=Event.Kind.ISSUED, now=now)
    audit_record(actor=actor, action="instruction.issued", obj=instruction, now=now,
                 after=snapshot(instruction) | {"co_executors": [b.pk for b in bodies],
                                                "links": _link_refs(objects)})
    return instruction


@transaction.atomic
def instruction_update(*, actor: Actor, instruction: Instruction, now: dt.datetime | None = None,
                       **fields: Any) -> Instruction:
    """Edit what an instruction says (staff and managers). Its status, deadline and control
    flag change only through their own services, so each change stays dated."""
    _require_overseer(actor)
    now = now or timezone.now()
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise InputError(_("These fields cannot be edited: %(f)s.") % {"f": ", ".join(unknown)[:200]},
                         details={"fields": unknown})
    instr = _locked(instruction)
    if instr.status == S.ACCEPTED:
        raise Conflict(_("An accepted instruction is closed; it cannot be edited."))
    before = snapshot(instr) | {"co_executors": sorted(instr.co_executors.values_list("pk", flat=True))}
    clean = {
        "number": lambda v: read_text(v, "number", 50, required=True),
        "issued_on": lambda v: read_date(v, "issued_on"),
        "issuer": lambda v: read_body(v, "issuer"),
        "issuer_person": lambda v: read_text(v, "issuer_person", 255, required=False),
        "parent": read_parent,
        "title": lambda v: read_text(v, "title", 255, required=True),
        "text": lambda v: read_text(v, "text", 20000, required=False),
        "executor": lambda v: read_body(v, "executor"),
        "executor_person": lambda v: (None if v in (None, "")
                                      else read_person(v, "executor_person", overseer=False)),
        "controller": lambda v: read_person(v, "controller", overseer=True),
    }
    for name, value in fields.items():
        if name in clean:
            setattr(instr, name, clean[name](value))
    bodies = (read_co_executors(fields["co_executors"], instr.executor) if "co_executors" in fields
              else [b for b in instr.co_executors.all() if b != instr.executor])
    objects = link_types.resolve(list(fields["links"])) if "links" in fields else None
    if instr.issued_on > timezone.localdate(now):
        raise InputError(_("The date of issue cannot be in the future."), field="issued_on")
    _check(instr)
    instr.save()
    instr.co_executors.set(bodies)
    after = snapshot(instr) | {"co_executors": sorted(b.pk for b in bodies)}
    b, a = changed(before, after)
    if objects is not None:
        _set_links(instr, objects)
        a["links"] = _link_refs(objects)
    if a:
        _event(instr, actor=actor, kind=Event.Kind.EDITED, now=now)
        audit_record(actor=actor, action="instruction.edited", obj=instr, now=now, before=b, after=a)
    return instr


# --- the executor --------------------------------------------------------------------------


def _move(instr: Instruction, *, actor: Actor, transition: str, now: dt.datetime, comment: str = "",
          event: str) -> None:
    """Apply ``transition`` (the caller holds the row lock and checked the part)."""
    sources, target, _part = rules.TRANSITIONS[transition]
    if instr.status not in sources:
        raise Conflict(_("An instruction that is %(status)s cannot be %(verb)s.") % {
            "status": instr.get_status_display(), "verb": Event.Kind(event).label},
            details={"status": instr.status})
    before = snapshot(instr, STATE)
    instr.status = target
    if target == S.ACCEPTED:
        instr.accepted_at = now
    instr.save(update_fields=["status", "accepted_at"])
    _event(instr, actor=actor, kind=event, now=now, comment=comment)
    audit_record(actor=actor, action=f"instruction.{event}", obj=instr, now=now, before=before,
                 after=snapshot(instr, STATE) | ({"comment": comment} if comment else {}))


@transaction.atomic
def instruction_start(*, actor: Actor, instruction: Instruction, now: dt.datetime | None = None
                      ) -> Instruction:
    """The executor takes the instruction into work."""
    instr = _locked(instruction)
    _require(rules.EXECUTOR, actor, instr)
    _move(instr, actor=actor, transition="start", now=now or timezone.now(), event="started")
    return instr


@transaction.atomic
def instruction_report(*, actor: Actor, instruction: Instruction, text: Any, uploads: Any = (),
                       now: dt.datetime | None = None) -> Report:
    """The executor reports what was done, with up to five documents (each checked like an
    application's attachment: its type read from its bytes, at most 20 MB)."""
    now = now or timezone.now()
    instr = _locked(instruction)
    _require(rules.EXECUTOR, actor, instr)
    body = read_text(text, "text", 20000, required=True)
    uploads = list(uploads or [])
    if len(uploads) > MAX_REPORT_FILES:
        raise InputError(_("Attach at most %(n)s files.") % {"n": MAX_REPORT_FILES}, field="files")
    kinds = [files.upload_kind(u) for u in uploads]
    _move(instr, actor=actor, transition="report", now=now, event="reported")
    report = Report.objects.create(instruction=instr, author=actor, at=now, text=body)
    added = []
    with files.stored_with_rows() as stored:
        for upload, kind in zip(uploads, kinds, strict=True):
            content_type, ext = files.KINDS[kind]
            att = ReportAttachment(report=report, content_type=content_type, size=upload.size,
                                   original_name=os.path.basename(str(upload.name or "file"))[:200],
                                   uploaded_at=now)
            att.file.save(f"{instr.pk}-{report.pk}.{ext}", upload, save=False)  # our name
            stored.append(att.file.name)
            att.save()
            added.append(att.pk)
        audit_record(actor=actor, action="instruction.report_added", obj=instr, now=now,
                     after={"report": report.pk, "attachments": added})
    return report


@transaction.atomic
def instruction_extension_request(*, actor: Actor, instruction: Instruction, new_deadline: Any,
                                  reason: Any, now: dt.datetime | None = None) -> Extension:
    """Ask for a later deadline with a reason. The executor's request waits for the controller;
    the controller's own extension is granted at once. Both keep the old and the new date."""
    now = now or timezone.now()
    instr = _locked(instruction)
    controller = is_controller(actor, instr)
    if not controller:
        _require(rules.EXECUTOR, actor, instr)
    reason = read_text(reason, "reason", 5000, required=True)
    new_deadline = read_date(new_deadline, "new_deadline")
    if instr.status == S.ACCEPTED or not instr.on_control:
        raise Conflict(_("Only an open instruction on control can be extended."))
    if new_deadline <= instr.deadline:
        raise InputError(_("The new deadline must be later than %(d)s.") % {"d": l10n.day(instr.deadline)},
                         field="new_deadline")
    if new_deadline > instr.issued_on + dt.timedelta(days=366 * MAX_YEARS):
        raise InputError(_("The deadline is more than %(n)s years away.") % {"n": MAX_YEARS},
                         field="new_deadline")
    if instr.extensions.filter(status=Extension.Status.PENDING).exists():
        raise Conflict(_("An extension request is already waiting for the controller."))
    try:
        with transaction.atomic():
            ext = Extension.objects.create(instruction=instr, requested_by=actor, requested_at=now,
                                           reason=reason, old_deadline=instr.deadline,
                                           new_deadline=new_deadline)
    except IntegrityError as exc:
        raise Conflict(_("An extension request is already waiting for the controller.")) from exc
    _event(instr, actor=actor, kind=Event.Kind.EXTENSION_REQUESTED, now=now, comment=reason)
    audit_record(actor=actor, action="instruction.extension_requested", obj=instr, now=now,
                 after={"extension": ext.pk, "old_deadline": ext.old_deadline,
                        "new_deadline": new_deadline, "reason": reason})
    if controller:
        _decide(instr, ext, actor=actor, grant=True, comment="", now=now)
    return ext


# --- the controller ------------------------------------------------------------------------


def _decide(instr: Instruction, ext: Extension, *, actor: Actor, grant: bool, comment: str,
            now: dt.datetime) -> None:
    ext.status = Extension.Status.GRANTED if grant else Extension.Status.REFUSED
    ext.decided_by, ext.decided_at, ext.decision_comment = actor, now, comment
    ext.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
    if grant:
        instr.deadline = ext.new_deadline
        instr.save(update_fields=["deadline"])
    kind = Event.Kind.EXTENSION_GRANTED if grant else Event.Kind.EXTENSION_REFUSED
    _event(instr, actor=actor, kind=kind, now=now, comment=comment)
    audit_record(actor=actor, action=f"instruction.{kind}", obj=instr, now=now,
                 before={"deadline": ext.old_deadline},
                 after={"extension": ext.pk, "deadline": instr.deadline, "comment": comment})


@transaction.atomic
def instruction_extension_decide(*, actor: Actor, instruction: Instruction, grant: Any,
                                 comment: Any = "", now: dt.datetime | None = None) -> Extension:
    """The controller grants or refuses the waiting extension request (a refusal says why)."""
    now = now or timezone.now()
    instr = _locked(instruction)
    _require(rules.CONTROLLER, actor, instr)
    if not isinstance(grant, bool):
        raise InputError(_("Say whether the extension is granted."), field="decision")
    comment = read_text(comment, "comment", 5000, required=not grant)
    ext = instr.extensions.filter(status=Extension.Status.PENDING).first()
    if ext is None:
        raise Conflict(_("No extension request is waiting."))
    if instr.status == S.ACCEPTED or not instr.on_control:
        raise Conflict(_("Only an open instruction on control can be extended."))
    _decide(instr, ext, actor=actor, grant=grant, comment=comment, now=now)
    return ext


def _close_report(instr: Instruction, *, actor: Actor, decision: str, comment: str, now) -> None:
    report = instr.reports.filter(decision="").order_by("-at", "-id").first()
    if report is not None:
        report.decision, report.decided_by, report.decided_at = decision, actor, now
        report.decision_comment = comment
        report.save(update_fields=["decision", "decided_by", "decided_at", "decision_comment"])


@transaction.atomic
def instruction_accept(*, actor: Actor, instruction: Instruction, comment: Any = "",
                       now: dt.datetime | None = None) -> Instruction:
    """The controller accepts the report: the instruction is executed and closed."""
    now = now or timezone.now()
    instr = _locked(instruction)
    _require(rules.CONTROLLER, actor, instr)
    comment = read_text(comment, "comment", 5000, required=False)
    _move(instr, actor=actor, transition="accept", now=now, comment=comment, event="accepted")
    _close_report(instr, actor=actor, decision=Report.Decision.ACCEPTED, comment=comment, now=now)
    instr.extensions.filter(status=Extension.Status.PENDING).update(
        status=Extension.Status.REFUSED, decided_by=actor, decided_at=now,
        decision_comment=_("Closed: the instruction was accepted."))
    # An instruction carried out is news: a draft for the newsroom, never published by itself.
    article_draft_from_event(
        event="instruction.accepted", obj=instr, now=now, actor=actor,
        facts={"number": instr.number, "title": instr.title,
               "executor": {lang: instr.executor.translated("name", lang) for lang in LANGS}})
    return instr


@transaction.atomic
def instruction_return(*, actor: Actor, instruction: Instruction, comment: Any,
                       now: dt.datetime | None = None) -> Instruction:
    """The controller returns the report for rework, saying why: back to in progress."""
    now = now or timezone.now()
    instr = _locked(instruction)
    _require(rules.CONTROLLER, actor, instr)
    comment = read_text(comment, "comment", 5000, required=True)
    _move(instr, actor=actor, transition="return", now=now, comment=comment, event="returned")
    _close_report(instr, actor=actor, decision=Report.Decision.RETURNED, comment=comment, now=now)
    return instr


@transaction.atomic
def instruction_remove(*, actor: Actor, instruction: Instruction, reason: Any,
                       now: dt.datetime | None = None) -> Instruction:
    """The controller removes an open instruction from control, saying why. It stays, with
    its history, but is no longer watched (never overdue, no reminders)."""
    now = now or timezone.now()
    instr = _locked(instruction)
    _require(rules.CONTROLLER, actor, instr)
    reason = read_text(reason, "reason", 5000, required=True)
    if not instr.on_control or instr.status == S.ACCEPTED:
        raise Conflict(_("Only an open instruction on control can be removed from control."))
    instr.on_control = False
    instr.save(update_fields=["on_control"])
    _event(instr, actor=actor, kind=Event.Kind.REMOVED, now=now, comment=reason)
    audit_record(actor=actor, action="instruction.removed", obj=instr, now=now,
                 before={"on_control": True}, after={"on_control": False, "reason": reason})
    return instr


# --- bodies --------------------------------------------------------------------------------


@transaction.atomic
def body_save(*, actor: Actor, body: Body, members: Any = None, now: dt.datetime | None = None) -> Body:
    """Create or change an issuing or executing body and its members (staff only). Investors
    cannot be members: they never see instructions."""
    if not (may_use(actor) and getattr(actor, "is_zone_staff", False)):
        raise Forbidden(_("Only zone office staff may do this."))
    before = None if body._state.adding else snapshot(Body.objects.select_for_update().get(pk=body.pk))
    members = list(members) if members is not None else None
    if members and any(not may_use(u) for u in members):
        raise InputError(_("Members must be active staff, managers or executors."), field="members")
    validated(body, exclude=["members"])
    body.save()
    after = snapshot(body)
    if members is not None:
        old = sorted(body.members.values_list("pk", flat=True))
        body.members.set(members)
        after["members"] = sorted(u.pk for u in members)
        if before is not None:
            before["members"] = old
    if before is None:
        audit_record(actor=actor, action="body.created", obj=body, now=now, after=after)
    else:
        b, a = changed(before, after)
        if a:
            audit_record(actor=actor, action="body.updated", obj=body, now=now, before=b, after=a)
    return body
