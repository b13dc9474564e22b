"""``/api/instructions`` (issue 12). Thin: strict schemas in, one service or selector, out."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, StrictBool, StrictInt, StrictStr

from promzona.api.auth import REQUIRED_AUTH
from promzona.core.errors import Forbidden, InputError
from promzona.core.strict import IsoDate
from promzona.zones.models import Zone

from . import selectors, services
from .models import Instruction

Id = Annotated[StrictInt, Field(gt=0, lt=2**63)]

router = Router(tags=["instructions"], auth=REQUIRED_AUTH)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class LinkIn(Strict):
    type: StrictStr = Field(..., max_length=20)
    id: Id


class InstructionIn(Strict):
    number: StrictStr = Field(..., max_length=50)
    issued_on: IsoDate
    issuer_id: Id
    issuer_person: StrictStr = Field("", max_length=255)
    parent_id: Id | None = None
    title: StrictStr = Field(..., max_length=255)
    text: StrictStr = Field("", max_length=20000)
    executor_id: Id
    executor_person: StrictStr | None = Field(None, max_length=150)
    co_executor_ids: list[Id] = Field([], max_length=20)
    controller: StrictStr = Field(..., max_length=150)
    deadline: IsoDate
    on_control: StrictBool = True
    links: list[LinkIn] = Field([], max_length=50)


class InstructionPatch(Strict):
    """What may be edited; the deadline, status and control flag change only through their
    own calls (extend, report, accept, return), so every change stays dated."""

    number: StrictStr = Field(None, max_length=50)
    issued_on: IsoDate = None
    issuer_id: Id = None
    issuer_person: StrictStr = Field(None, max_length=255)
    parent_id: Id | None = None
    title: StrictStr = Field(None, max_length=255)
    text: StrictStr = Field(None, max_length=20000)
    executor_id: Id = None
    executor_person: StrictStr | None = Field(None, max_length=150)
    co_executor_ids: list[Id] = Field(None, max_length=20)
    controller: StrictStr = Field(None, max_length=150)
    links: list[LinkIn] = Field(None, max_length=50)


class ReportIn(Strict):
    text: StrictStr = Field(..., max_length=20000)


class CommentIn(Strict):
    comment: StrictStr = Field("", max_length=5000)


class ExtendIn(Strict):
    """Ask for (executor) or set (controller) a later deadline with a reason, or — the
    controller — decide the waiting request: ``{"decision": "grant"|"refuse", "comment"}``."""

    new_deadline: IsoDate | None = None
    reason: StrictStr | None = Field(None, max_length=5000)
    decision: Literal["grant", "refuse"] | None = None
    comment: StrictStr = Field("", max_length=5000)


class ListQuery(Schema):
    box: Literal["all", "execute", "control"] = "all"
    overdue: bool = False
    due_within: int | None = Field(None, ge=0, le=366)
    executor: int | None = Field(None, gt=0, lt=2**63)
    issuer: int | None = Field(None, gt=0, lt=2**63)
    status: Literal["issued", "in_progress", "reported", "accepted"] | None = None
    q: str = Field("", max_length=100)
    zone: str | None = Field(None, max_length=50, description="A zone's slug: the instructions "
                             "linked to the zone or to its plots, lines, sources, upgrades, "
                             "works or projects.")
    page: int = Field(1, ge=1, le=10**6)
    page_size: int = Field(50, ge=1, le=200)


class BodyOut(Schema):
    id: int
    name: str
    kind: str


class LinkOut(Schema):
    type: str
    id: int
    label: str


class InstructionOut(Schema):
    id: int
    number: str
    issued_on: dt.date
    title: str
    text: str
    issuer: BodyOut
    issuer_person: str
    executor: BodyOut
    executor_person: str | None
    co_executors: list[BodyOut]
    controller: str
    deadline: dt.date
    status: str
    on_control: bool
    overdue: bool
    parent_id: int | None
    links: list[LinkOut]
    accepted_at: dt.datetime | None


class PageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[InstructionOut]


class ReportOut(Schema):
    id: int
    at: dt.datetime
    author: str | None
    text: str
    decision: str
    decision_comment: str
    attachments: list[str]


class ExtensionOut(Schema):
    id: int
    requested_at: dt.datetime
    reason: str
    old_deadline: dt.date
    new_deadline: dt.date
    status: str
    decision_comment: str


class EventOut(Schema):
    at: dt.datetime
    kind: str
    status: str
    deadline: dt.date
    on_control: bool
    comment: str


class InstructionDetailOut(InstructionOut):
    reports: list[ReportOut]
    extensions: list[ExtensionOut]
    events: list[EventOut]


def _body(b) -> dict[str, Any]:
    return {"id": b.pk, "name": b.name, "kind": b.kind}


def _item(i: Instruction, today: dt.date) -> dict[str, Any]:
    return {
        "id": i.pk, "number": i.number, "issued_on": i.issued_on, "title": i.title, "text": i.text,
        "issuer": _body(i.issuer), "issuer_person": i.issuer_person, "executor": _body(i.executor),
        "executor_person": i.executor_person.get_username() if i.executor_person_id else None,
        "co_executors": [_body(b) for b in i.co_executors.all()],
        "controller": i.controller.get_username(), "deadline": i.deadline, "status": i.status,
        "on_control": i.on_control, "overdue": i.overdue(today), "parent_id": i.parent_id,
        "links": selectors.links_of(i), "accepted_at": i.accepted_at,
    }


def _detail(i: Instruction) -> dict[str, Any]:
    i.refresh_from_db()
    out = _item(i, timezone.localdate())
    out["reports"] = [{
        "id": r.pk, "at": r.at, "author": r.author.get_username() if r.author else None,
        "text": r.text, "decision": r.decision, "decision_comment": r.decision_comment,
        "attachments": [a.original_name for a in r.attachments.all()],
    } for r in i.reports.select_related("author").prefetch_related("attachments")]
    out["extensions"] = list(i.extensions.values(
        "id", "requested_at", "reason", "old_deadline", "new_deadline", "status", "decision_comment"))
    out["events"] = list(i.events.values("at", "kind", "status", "deadline", "on_control", "comment"))
    return out


def _get(request, instruction_id: int) -> Instruction:
    return selectors.instruction_get(user=request.auth, pk=instruction_id)


@router.get("/instructions", response=PageOut)
def instruction_list(request, filters: Query[ListQuery]):
    """The instructions the caller may see, by inbox (``all``, ``execute``: what the caller
    executes, ``control``: what the caller controls) and filters; ``overdue`` is computed
    for today. Paginated: ``page``, ``page_size`` (at most 200)."""
    if not selectors.may_use(request.auth):
        raise Forbidden(_("Only zone office staff, managers and executors see instructions."))
    today = timezone.localdate()
    f = filters
    zone = None
    if f.zone is not None:
        zone = Zone.objects.filter(slug=f.zone).values_list("pk", flat=True).first()
        if zone is None:
            raise InputError(_("No such zone."), field="zone")
    rows = selectors.inbox(user=request.auth, box=f.box, today=today, filters=selectors.Filters(
        overdue=f.overdue, due_within=f.due_within, executor=f.executor, issuer=f.issuer,
        status=f.status or "", q=f.q, zone=zone))
    start = (f.page - 1) * f.page_size
    page = rows[start:start + f.page_size]
    return {"count": len(rows), "page": f.page, "page_size": f.page_size,
            "items": [_item(i, today) for i in page]}


@router.post("/instructions", response={201: InstructionDetailOut})
def instruction_create(request, payload: InstructionIn):
    """Issue an instruction (staff and managers)."""
    d = payload.dict()
    instr = services.instruction_issue(
        actor=request.auth, number=d["number"], issued_on=d["issued_on"], issuer=d["issuer_id"],
        issuer_person=d["issuer_person"], parent=d["parent_id"], title=d["title"], text=d["text"],
        executor=d["executor_id"], executor_person=d["executor_person"],
        co_executors=d["co_executor_ids"], controller=d["controller"], deadline=d["deadline"],
        on_control=d["on_control"], links=d["links"])
    return Status(201, _detail(instr))


@router.get("/instructions/{int:instruction_id}", response=InstructionDetailOut)
def instruction_detail(request, instruction_id: int):
    return _detail(_get(request, instruction_id))


RENAMED = {"issuer_id": "issuer", "parent_id": "parent", "executor_id": "executor",
           "co_executor_ids": "co_executors"}


@router.patch("/instructions/{int:instruction_id}", response=InstructionDetailOut)
def instruction_update(request, instruction_id: int, payload: InstructionPatch):
    """Edit what the instruction says (staff and managers; not once accepted)."""
    instr = _get(request, instruction_id)
    fields = {RENAMED.get(k, k): v for k, v in payload.dict(exclude_unset=True).items()}
    return _detail(services.instruction_update(actor=request.auth, instruction=instr, **fields))


@router.post("/instructions/{int:instruction_id}/report", response=InstructionDetailOut)
def instruction_report(request, instruction_id: int, payload: ReportIn):
    """The executor reports execution (documents are attached on the instruction's page)."""
    instr = _get(request, instruction_id)
    services.instruction_report(actor=request.auth, instruction=instr, text=payload.text)
    return _detail(instr)


@router.post("/instructions/{int:instruction_id}/accept", response=InstructionDetailOut)
def instruction_accept(request, instruction_id: int, payload: CommentIn):
    """The controller accepts the report: the instruction is closed."""
    instr = _get(request, instruction_id)
    return _detail(services.instruction_accept(actor=request.auth, instruction=instr,
                                               comment=payload.comment))


@router.post("/instructions/{int:instruction_id}/return", response=InstructionDetailOut)
def instruction_return(request, instruction_id: int, payload: CommentIn):
    """The controller returns the report for rework (a comment says why)."""
    instr = _get(request, instruction_id)
    return _detail(services.instruction_return(actor=request.auth, instruction=instr,
                                               comment=payload.comment))


@router.post("/instructions/{int:instruction_id}/extend", response=InstructionDetailOut)
def instruction_extend(request, instruction_id: int, payload: ExtendIn):
    """``{"new_deadline", "reason"}``: the executor asks for more time (the controller
    decides), or the controller extends at once. ``{"decision": "grant"|"refuse",
    "comment"}``: the controller decides the waiting request."""
    instr = _get(request, instruction_id)
    if payload.decision is not None:
        if payload.new_deadline is not None or payload.reason is not None:
            raise InputError(_("Give either a decision or a new deadline with a reason, not both."))
        services.instruction_extension_decide(actor=request.auth, instruction=instr,
                                              grant=payload.decision == "grant",
                                              comment=payload.comment)
    else:
        if payload.new_deadline is None or payload.reason is None or payload.comment:
            raise InputError(_("Give a new_deadline and a reason (or a decision)."))
        services.instruction_extension_request(actor=request.auth, instruction=instr,
                                               new_deadline=payload.new_deadline,
                                               reason=payload.reason)
    return _detail(instr)
