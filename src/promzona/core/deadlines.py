"""Deadlines of investor projects: when an obligation falls due, and when it is overdue.

>>> import datetime as dt
>>> add_months(dt.date(2026, 1, 31), 1)
datetime.date(2026, 2, 28)
>>> overdue(due=dt.date(2026, 3, 1), done=None, as_of=dt.date(2026, 3, 1))
False
>>> overdue(due=dt.date(2026, 3, 1), done=None, as_of=dt.date(2026, 3, 2))
True
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months; the 31st becomes the month's last day if shorter."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def overdue(*, due: dt.date | None, done: dt.date | None, as_of: dt.date) -> bool:
    """Overdue on ``as_of``: the due day has passed (the due day itself is still in time) and
    the milestone was not done by ``as_of``."""
    if due is None or as_of <= due:
        return False
    return done is None or done > as_of
