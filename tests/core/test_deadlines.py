"""Obligation deadlines: months after the agreement, and overdue at the edges."""

import datetime as dt

import pytest

from promzona.core.deadlines import add_months, overdue

pytestmark = pytest.mark.nodb
D = dt.date


@pytest.mark.parametrize("day, months, expected", [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2026, 3, 15), 12, D(2027, 3, 15)),
    (D(2026, 11, 30), 3, D(2027, 2, 28)),
    (D(2026, 12, 1), 1, D(2027, 1, 1)),
])
def test_months_are_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_due_today_is_not_overdue():
    assert not overdue(due=D(2026, 3, 1), done=None, as_of=D(2026, 3, 1))


def test_due_yesterday_and_not_done_is_overdue():
    assert overdue(due=D(2026, 3, 1), done=None, as_of=D(2026, 3, 2))


def test_done_late_is_overdue_until_the_day_it_is_done():
    assert overdue(due=D(2026, 3, 1), done=D(2026, 4, 1), as_of=D(2026, 3, 31))
    assert not overdue(due=D(2026, 3, 1), done=D(2026, 4, 1), as_of=D(2026, 4, 1))


def test_extended_deadline_is_not_overdue_before_the_new_date():
    assert not overdue(due=D(2026, 6, 1), done=None, as_of=D(2026, 3, 2))


def test_no_due_date_is_never_overdue():
    assert not overdue(due=None, done=None, as_of=D(2100, 1, 1))
