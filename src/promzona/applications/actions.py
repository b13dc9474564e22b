"""Which status allows which action on an application: the one table the services enforce and
the application page shows (a button the status forbids is not drawn)."""

from __future__ import annotations

from typing import Any

from promzona.accounts.selectors import acts_for

from .models import Application, Reservation
from .selectors import is_reviewer

S = Application.Status
#: An action → the statuses it may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "edit": (S.DRAFT,),
    "submit": (S.DRAFT,),
    "withdraw": (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW),
    "start_review": (S.SUBMITTED,),
    "reserve": (S.SUBMITTED, S.UNDER_REVIEW),
    "approve": (S.SUBMITTED, S.UNDER_REVIEW),
    "reject": (S.SUBMITTED, S.UNDER_REVIEW),
    "upload": (S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW),
}
#: Who may take each action: the applicant organisation's users or the zone office.
MEMBER_ACTIONS = frozenset({"edit", "submit", "withdraw", "upload", "comment"})
REVIEWER_ACTIONS = frozenset({"start_review", "reserve", "approve", "reject", "release",
                              "upload", "comment"})


def actions_for(user: Any, app: Application, *, active: Reservation | None) -> set[str]:
    """The actions ``user`` may take on ``app`` now; ``active`` is its active reservation.

    A plot is reserved before approval, so *approve* needs the active reservation and
    *reserve* its absence; *release* ends the active reservation.
    """
    allowed = set()
    if acts_for(user, app.organisation_id):
        allowed |= MEMBER_ACTIONS
    if is_reviewer(user):
        allowed |= REVIEWER_ACTIONS
    out = {a for a in allowed if app.status in ALLOWED_FROM.get(a, S.values)}
    if active is None:
        out -= {"approve", "release"}
    else:
        out.discard("reserve")
    return out
