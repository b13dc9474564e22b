"""The one overdue rule, at its edges; the due-soon window; the state as of a past day."""

import datetime as dt

import pytest

from promzona.core import instructions as rules

pytestmark = pytest.mark.nodb

TODAY = dt.date(2026, 3, 10)
DAY = dt.timedelta(days=1)


def overdue(deadline, status="in_progress", on_control=True, today=TODAY):
    return rules.is_overdue(deadline=deadline, status=status, on_control=on_control, today=today)


def test_deadline_today_is_not_overdue():
    assert overdue(TODAY) is False


def test_deadline_yesterday_is_overdue():
    assert overdue(TODAY - DAY) is True


def test_extended_deadline_is_the_one_that_counts():
    # granted: the old deadline (yesterday) no longer counts, the new one (next week) does
    assert overdue(TODAY + 7 * DAY) is False
    assert overdue(TODAY - DAY) is True


@pytest.mark.parametrize("status", ["issued", "in_progress", "reported"])
def test_every_open_status_past_its_deadline_is_overdue(status):
    assert overdue(TODAY - DAY, status=status) is True


def test_accepted_is_never_overdue():
    assert overdue(TODAY - 100 * DAY, status="accepted") is False


def test_removed_from_control_is_never_overdue():
    assert overdue(TODAY - DAY, on_control=False) is False


@pytest.mark.parametrize("offset, expected", [(-1, False), (0, True), (3, True), (4, False)])
def test_due_within_three_days_includes_today_and_the_third_day(offset, expected):
    assert rules.is_due_within(deadline=TODAY + offset * DAY, status="issued", on_control=True,
                               today=TODAY, days=3) is expected


def test_accepted_on_the_deadline_is_on_time_and_a_day_later_is_late():
    assert rules.accepted_on_time(deadline=TODAY, accepted_on=TODAY)
    assert not rules.accepted_on_time(deadline=TODAY, accepted_on=TODAY + DAY)


def test_state_as_of_replays_the_last_event_on_or_before_the_day():
    events = [rules.State(TODAY, "issued", TODAY + DAY, True),
              rules.State(TODAY + 2 * DAY, "reported", TODAY + DAY, True),
              rules.State(TODAY + 5 * DAY, "accepted", TODAY + DAY, True)]
    assert rules.state_as_of(events, TODAY - DAY) is None
    assert rules.state_as_of(events, TODAY).status == "issued"
    assert rules.state_as_of(events, TODAY + 4 * DAY).status == "reported"
    assert rules.state_as_of(events, TODAY + 9 * DAY).status == "accepted"
