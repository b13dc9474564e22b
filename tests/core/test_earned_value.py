"""Earned value against examples computed by hand (docs/execution.md shows the same ones)."""

import datetime as dt

import pytest

from promzona.core.earned_value import Baseline, Progress, earned_value, is_late, planned_share

pytestmark = pytest.mark.nodb

D = dt.date
# 2026-01-01 .. 2026-12-31 is 364 days; 2026-07-02 is day 182, exactly half-way.
PLAN = Baseline(start=D(2026, 1, 1), finish=D(2026, 12, 31), budget=1_000_000_000.0)
REPORTS = [Progress(on=D(2026, 3, 31), percent=15.0, spent=150_000_000.0),
           Progress(on=D(2026, 6, 30), percent=40.0, spent=450_000_000.0),
           Progress(on=D(2026, 9, 30), percent=70.0, spent=800_000_000.0)]


def test_half_way_with_forty_percent_done_gives_spi_0_8_and_cpi_0_889():
    ev = earned_value(PLAN, REPORTS, as_of=D(2026, 7, 2))
    assert ev.planned_share == 0.5
    assert ev.planned_value == 500_000_000.0
    assert ev.earned_value == 400_000_000.0  # 40 % of 1 bn (report of 30 June)
    assert ev.actual_cost == 450_000_000.0
    assert ev.spi == pytest.approx(0.8)  # 400 / 500
    assert ev.cpi == pytest.approx(0.888889, abs=1e-6)  # 400 / 450


def test_a_quarter_in_with_fifteen_percent_done():
    # 2026-04-01 is day 90: PV = 1e9 × 90 / 364 = 247,252,747.25
    ev = earned_value(PLAN, REPORTS, as_of=D(2026, 4, 1))
    assert ev.planned_value == pytest.approx(247_252_747.25, abs=0.01)
    assert ev.earned_value == 150_000_000.0
    assert ev.spi == pytest.approx(0.606667, abs=1e-6)  # 150 / 247.25
    assert ev.cpi == pytest.approx(1.0)


def test_reports_after_the_date_are_ignored():
    ev = earned_value(PLAN, REPORTS, as_of=D(2026, 6, 29))
    assert ev.percent == 15.0 and ev.actual_cost == 150_000_000.0


def test_before_the_start_nothing_is_planned_and_spi_is_undefined():
    ev = earned_value(PLAN, [], as_of=D(2025, 12, 1))
    assert (ev.planned_value, ev.earned_value, ev.actual_cost) == (0.0, 0.0, 0.0)
    assert ev.spi is None and ev.cpi is None


def test_after_the_finish_everything_is_planned():
    ev = earned_value(PLAN, REPORTS + [Progress(D(2027, 2, 1), 100.0, 1_100_000_000.0)],
                      as_of=D(2027, 3, 1))
    assert ev.planned_value == 1_000_000_000.0 and ev.spi == 1.0
    assert ev.cpi == pytest.approx(1 / 1.1)


def test_without_contract_money_only_the_percent_is_known():
    ev = earned_value(Baseline(PLAN.start, PLAN.finish, None), REPORTS, as_of=D(2026, 7, 2))
    assert ev.percent == 40.0 and ev.planned_share == 0.5
    assert (ev.planned_value, ev.earned_value, ev.actual_cost, ev.spi, ev.cpi) == (None,) * 5


def test_a_report_without_money_counts_as_nothing_spent():
    ev = earned_value(PLAN, [Progress(D(2026, 6, 30), 40.0, None)], as_of=D(2026, 7, 2))
    assert ev.actual_cost == 0.0 and ev.cpi is None and ev.spi == pytest.approx(0.8)


def test_a_one_day_plan_is_all_or_nothing():
    assert planned_share(D(2026, 5, 1), D(2026, 5, 1), D(2026, 4, 30)) == 0.0
    assert planned_share(D(2026, 5, 1), D(2026, 5, 1), D(2026, 5, 1)) == 1.0


@pytest.mark.parametrize("accepted, as_of, late", [
    (None, D(2026, 12, 31), False),          # the finish day itself is still in time
    (None, D(2027, 1, 1), True),             # the day after
    (D(2026, 12, 31), D(2027, 6, 1), False),  # accepted on the day
    (D(2027, 1, 15), D(2027, 6, 1), True),    # accepted after the baseline finish
    (D(2027, 1, 15), D(2027, 1, 10), True),   # not yet accepted on 10 January
    (D(2026, 11, 1), D(2026, 10, 1), False),  # before the acceptance, before the finish
])
def test_late_against_the_baseline_finish(accepted, as_of, late):
    assert is_late(baseline_finish=D(2026, 12, 31), accepted_on=accepted, as_of=as_of) is late
