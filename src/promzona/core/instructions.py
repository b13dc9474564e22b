"""The rules of instructions (поручения), Django-free: states, who moves them, when one is overdue.

Every page, API answer, report and reminder asks :func:`is_overdue` and :func:`is_due_within`;
nothing else decides it. The state "as of" a past day is replayed from dated events with
:func:`state_as_of`.

>>> import datetime as dt
>>> d = dt.date(2026, 3, 1)
>>> is_overdue(deadline=d, status="in_progress", on_control=True, today=d)
False
>>> is_overdue(deadline=d, status="in_progress", on_control=True, today=d + dt.timedelta(days=1))
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

ISSUED = "issued"
IN_PROGRESS = "in_progress"
REPORTED = "reported"
ACCEPTED = "accepted"
STATUSES = (ISSUED, IN_PROGRESS, REPORTED, ACCEPTED)

EXECUTOR = "executor"
CONTROLLER = "controller"

#: transition -> (statuses it starts from, status it leads to, who may make it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "start": ((ISSUED,), IN_PROGRESS, EXECUTOR),
    "report": ((ISSUED, IN_PROGRESS), REPORTED, EXECUTOR),
    "accept": ((REPORTED,), ACCEPTED, CONTROLLER),
    "return": ((REPORTED,), IN_PROGRESS, CONTROLLER),
}

#: How many days ahead the daily digest looks.
DIGEST_DAYS = 3


def is_overdue(*, deadline: dt.date, status: str, on_control: bool, today: dt.date) -> bool:
    """The deadline has passed and the instruction is not accepted.

    The deadline day itself is not late; the deadline is the current one (after any granted
    extension). An instruction removed from control is no longer watched, so never overdue.
    """
    return on_control and status != ACCEPTED and deadline < today


def is_due_within(*, deadline: dt.date, status: str, on_control: bool, today: dt.date,
                  days: int) -> bool:
    """Open, on control, and due between today and ``days`` days from today (both included)."""
    return (on_control and status != ACCEPTED
            and today <= deadline <= today + dt.timedelta(days=days))


def accepted_on_time(*, deadline: dt.date, accepted_on: dt.date) -> bool:
    """Closed on time: accepted no later than the deadline in force when it was accepted."""
    return accepted_on <= deadline


@dataclass(frozen=True)
class State:
    """An instruction's state after an event (every event stores the state it left)."""

    day: dt.date
    status: str
    deadline: dt.date
    on_control: bool


def state_as_of(events: Iterable[State], day: dt.date) -> State | None:
    """The state at the end of ``day``: the last event on or before it (events in time order);
    ``None`` when the instruction was not issued yet."""
    current = None
    for event in events:
        if event.day > day:
            break
        current = event
    return current
