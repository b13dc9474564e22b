"""Reads: who sees which instruction, the inboxes and their filters, the state as of a day.

Overdue and "due within N days" are asked of :mod:`promzona.core.instructions` for each row,
never re-expressed as a query, so the pages, the API, the reminders and the reports agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from promzona.core import instructions as rules
from promzona.core.errors import NotFound
from promzona.zones.selectors import can_see_unpublished

from . import links
from .models import Event, Instruction, Link

#: Staff and managers (and superusers) issue, control and see every instruction.
oversees = can_see_unpublished

BOXES = ("all", "execute", "control")


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def may_use(user: Any) -> bool:
    """Staff, managers and outside executors use instructions; investors and the public not."""
    return _active(user) and (oversees(user) or user.role == "executor")


def executing(user: Any) -> Q:
    """Instructions ``user`` executes: as the responsible person or a member of the body."""
    return Q(executor_person=user) | Q(executor__members=user)


def instructions_visible_to(user: Any) -> QuerySet[Instruction]:
    """Staff and managers: all; an executor: what its bodies execute or co-execute; else none."""
    qs = Instruction.objects.select_related("issuer", "executor", "executor_person", "controller")
    if not may_use(user):
        return qs.none()
    if oversees(user):
        return qs
    ids = Instruction.objects.filter(executing(user) | Q(co_executors__members=user)
                                     | Q(controller=user)).values("pk")
    return qs.filter(pk__in=ids)


def instruction_get(*, user: Any, pk: Any) -> Instruction:
    """The instruction ``pk`` if ``user`` may see it; :class:`NotFound` otherwise (never 403)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("No such instruction.") from None
    instruction = instructions_visible_to(user).filter(pk=pk).first()
    if instruction is None:
        raise NotFound("No such instruction.")
    return instruction


def is_executor(user: Any, instruction: Instruction) -> bool:
    if not may_use(user):
        return False
    return (instruction.executor_person_id == user.pk
            or instruction.executor.members.filter(pk=user.pk).exists())


def is_controller(user: Any, instruction: Instruction) -> bool:
    return may_use(user) and instruction.controller_id == user.pk


@dataclass
class Filters:
    """What the inboxes filter by (all optional)."""

    overdue: bool = False
    due_within: int | None = None
    executor: int | None = None
    issuer: int | None = None
    status: str = ""
    q: str = ""
    zone: int | None = None


def inbox(*, user: Any, box: str, filters: Filters, today: dt.date) -> list[Instruction]:
    """The instructions of one inbox, filtered; each carries ``is_overdue`` and ``days_left``.

    ``execute``: what the user executes; ``control``: what the user controls; ``all``: every
    instruction the user may see.
    """
    qs = instructions_visible_to(user)
    if box == "execute":
        qs = qs.filter(pk__in=Instruction.objects.filter(executing(user)).values("pk"))
    elif box == "control":
        qs = qs.filter(controller=user)
    if filters.executor:
        qs = qs.filter(executor_id=filters.executor)
    if filters.issuer:
        qs = qs.filter(issuer_id=filters.issuer)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(Q(number__icontains=filters.q) | Q(title__icontains=filters.q))
    if filters.zone:
        qs = qs.filter(pk__in=[pk for pk, zones in zones_of_instructions().items()
                               if filters.zone in zones])
    rows = []
    for row in qs.order_by("deadline", "id"):
        annotate(row, today)
        if filters.overdue and not row.is_overdue:
            continue
        if filters.due_within is not None and not rules.is_due_within(
                deadline=row.deadline, status=row.status, on_control=row.on_control,
                today=today, days=filters.due_within):
            continue
        rows.append(row)
    return rows


def annotate(instruction: Instruction, today: dt.date) -> Instruction:
    instruction.is_overdue = instruction.overdue(today)
    instruction.days_left = (instruction.deadline - today).days
    return instruction


def chain(instruction: Instruction) -> list[Instruction]:
    """The bases above an instruction, the highest first (PM → governor → akim → …)."""
    out, seen, node = [], {instruction.pk}, instruction.parent
    while node is not None and node.pk not in seen:
        out.append(node)
        seen.add(node.pk)
        node = node.parent
    return out[::-1]


def links_of(instruction: Instruction) -> list[dict[str, Any]]:
    """``[{"type", "id", "label"}]`` for the objects the instruction concerns."""
    out = []
    for link in instruction.links.select_related("content_type"):
        out.append({"type": links.type_of(link.content_type), "id": link.object_id,
                    "label": links.label_of(link.target)})
    return out


def states_as_of(day: dt.date, qs: QuerySet[Instruction] | None = None
                 ) -> dict[int, rules.State]:
    """The state of each instruction at the end of ``day`` (local time), from its events;
    instructions issued later are absent. For figures asked "as of" a past day."""
    ids = None if qs is None else qs.values("pk")
    events = Event.objects.order_by("instruction_id", "at", "id")
    if ids is not None:
        events = events.filter(instruction_id__in=ids)
    per: dict[int, list[rules.State]] = {}
    for pk, at, status, deadline, on_control in events.values_list(
            "instruction_id", "at", "status", "deadline", "on_control"):
        per.setdefault(pk, []).append(rules.State(timezone.localdate(at), status, deadline,
                                                  on_control))
    out = {}
    for pk, states in per.items():
        state = rules.state_as_of(states, day)
        if state is not None:
            out[pk] = state
    return out


#: How an object an instruction links leads to its zone.
ZONE_PATHS = {"zone": "pk", "plot": "zone_id", "line": "zone_id", "source": "zone_id",
              "upgrade": "zone_id", "work": "zone_id", "project": "allocation__plot__zone_id"}


def zones_of_instructions() -> dict[int, frozenset[int]]:
    """The zones each instruction concerns: the zones it links and those of the plots, lines,
    sources, upgrades, works and projects it links. Instructions without such a link concern
    no zone in particular (they count for all zones together)."""
    rows = list(Link.objects.values_list("instruction_id", "content_type_id", "object_id"))
    wanted: dict[int, set[int]] = defaultdict(set)
    for _pk, ct, obj in rows:
        wanted[ct].add(obj)
    zone_of: dict[int, dict[int, int]] = {}
    for kind, path in ZONE_PATHS.items():
        model = links.link_model(kind)
        if model is None:
            continue
        ct = ContentType.objects.get_for_model(model).pk
        if wanted.get(ct):
            zone_of[ct] = dict(model.objects.filter(pk__in=wanted[ct]).values_list("pk", path))
    out: dict[int, set[int]] = defaultdict(set)
    for pk, ct, obj in rows:
        zone = zone_of.get(ct, {}).get(obj)
        if zone is not None:
            out[pk].add(zone)
    return {pk: frozenset(zones) for pk, zones in out.items()}
