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


def month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last days of the ``months`` months before ``today``'s, oldest first, and ``today``.

    >>> month_ends(dt.date(2026, 3, 15), 2)
    [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 15)]
    """
    out = [today]
    first = today.replace(day=1)
    for _ in range(months):
        last = first - dt.timedelta(days=1)
        out.append(last)
        first = last.replace(day=1)
    return sorted(out)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of a month.

    >>> month_bounds(2028, 2)
    (datetime.date(2028, 2, 1), datetime.date(2028, 2, 29))
    """
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)
