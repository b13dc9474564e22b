"""Schedule and cost performance of a work (earned value), for any date.

Plain data in, plain data out; the date is always passed in. The figures are measured against
the work's **baseline** (the plan as first approved: start, finish, contract value = the budget
at completion, BAC), so a re-plan never hides a slip:

* planned share ``p(t) = clamp((t − start) / (finish − start), 0, 1)`` in days (linear plan; a
  plan that starts and finishes on the same day is 0 before it and 1 from it);
* planned value ``PV = BAC × p(t)``;
* earned value ``EV = BAC × percent(t) / 100``, ``percent(t)`` from the latest progress report
  dated on or before ``t`` (0 before the first);
* actual cost ``AC`` = the money spent to date in that same report (0 before the first);
* ``SPI = EV / PV`` (none while PV = 0), ``CPI = EV / AC`` (none while AC = 0).

>>> import datetime as dt
>>> plan = Baseline(start=dt.date(2026, 1, 1), finish=dt.date(2026, 12, 31), budget=1000.0)
>>> r = [Progress(on=dt.date(2026, 7, 2), percent=40.0, spent=500.0)]
>>> ev = earned_value(plan, r, as_of=dt.date(2026, 7, 2))
>>> (round(ev.planned_value, 2), ev.earned_value, ev.actual_cost, round(ev.spi, 3), ev.cpi)
(500.0, 400.0, 500.0, 0.8, 0.8)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Baseline:
    start: dt.date
    finish: dt.date
    budget: float | None  # the contract value; None: no contract money, no PV/EV/AC


@dataclass(frozen=True)
class Progress:
    on: dt.date
    percent: float  # 0..100, done as of ``on``
    spent: float | None  # money spent to date (cumulative), None when not reported


@dataclass(frozen=True)
class EarnedValue:
    as_of: dt.date
    percent: float
    planned_share: float
    planned_value: float | None
    earned_value: float | None
    actual_cost: float | None
    spi: float | None
    cpi: float | None


def planned_share(start: dt.date, finish: dt.date, as_of: dt.date) -> float:
    """The share of the work the plan expected done by ``as_of`` (linear in days).

    >>> planned_share(dt.date(2026, 1, 1), dt.date(2026, 1, 11), dt.date(2026, 1, 6))
    0.5
    """
    if finish <= start:
        return 1.0 if as_of >= finish else 0.0
    share = (as_of - start).days / (finish - start).days
    return min(1.0, max(0.0, share))


def latest(reports: Iterable[Progress], as_of: dt.date) -> Progress | None:
    """The last report dated on or before ``as_of`` (reports in the order they were made)."""
    found = None
    for r in reports:
        if r.on <= as_of and (found is None or r.on >= found.on):
            found = r
    return found


def earned_value(baseline: Baseline, reports: Iterable[Progress], *,
                 as_of: dt.date) -> EarnedValue:
    """PV, EV, AC, SPI and CPI of a work as of a date (see the module's formulas)."""
    report = latest(reports, as_of)
    percent = report.percent if report else 0.0
    share = planned_share(baseline.start, baseline.finish, as_of)
    if baseline.budget is None:
        return EarnedValue(as_of, percent, share, None, None, None, None, None)
    pv = baseline.budget * share
    ev = baseline.budget * percent / 100.0
    ac = report.spent if report and report.spent is not None else 0.0
    return EarnedValue(
        as_of=as_of, percent=percent, planned_share=share, planned_value=pv, earned_value=ev,
        actual_cost=ac, spi=ev / pv if pv > 0 else None, cpi=ev / ac if ac > 0 else None,
    )


def is_late(*, baseline_finish: dt.date, accepted_on: dt.date | None, as_of: dt.date) -> bool:
    """Late: the baseline finish has passed without acceptance (as of ``as_of``), or the work
    was accepted after it.

    >>> is_late(baseline_finish=dt.date(2026, 12, 31), accepted_on=None, as_of=dt.date(2026, 12, 31))
    False
    >>> is_late(baseline_finish=dt.date(2026, 12, 31), accepted_on=None, as_of=dt.date(2027, 1, 1))
    True
    """
    if accepted_on is not None and accepted_on <= as_of:
        return accepted_on > baseline_finish
    return as_of > baseline_finish


def status_on(*, started_on: dt.date | None, accepted_on: dt.date | None,
              cancelled_on: dt.date | None, as_of: dt.date) -> str:
    """A work's status on ``as_of``, from the dates it started, was accepted or cancelled.

    >>> status_on(started_on=dt.date(2026, 1, 5), accepted_on=None, cancelled_on=None,
    ...           as_of=dt.date(2026, 1, 4))
    'planned'
    """
    if cancelled_on and cancelled_on <= as_of:
        return "cancelled"
    if accepted_on and accepted_on <= as_of:
        return "accepted"
    if started_on and started_on <= as_of:
        return "in_progress"
    return "planned"


def standing(*, baseline: Baseline, reports: Iterable[Progress], started_on: dt.date | None,
             accepted_on: dt.date | None, cancelled_on: dt.date | None,
             as_of: dt.date) -> tuple[str, bool, EarnedValue]:
    """A work on ``as_of``: its status, whether it is late (a cancelled work never is) and its
    earned value."""
    status = status_on(started_on=started_on, accepted_on=accepted_on,
                       cancelled_on=cancelled_on, as_of=as_of)
    accepted = accepted_on if accepted_on and accepted_on <= as_of else None
    late = status != "cancelled" and is_late(baseline_finish=baseline.finish,
                                             accepted_on=accepted, as_of=as_of)
    return status, late, earned_value(baseline, reports, as_of=as_of)
