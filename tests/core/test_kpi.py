"""The dashboard's figures, each defined once in core.kpi: hand-computed examples and edges."""

import datetime as dt

import pytest

from promzona.core import earned_value as evm
from promzona.core import kpi
from promzona.core.deadlines import month_bounds, month_ends

pytestmark = pytest.mark.nodb
D = dt.date(2026, 3, 10)
T = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


def test_occupancy_counts_allocated_and_occupied_over_land_on_offer():
    land = kpi.land([("published", 2, 5.0), ("reserved", 1, 1.0), ("allocated", 1, 2.0),
                     ("occupied", 2, 4.0), ("draft", 1, 100.0), ("withdrawn", 1, 50.0)])
    assert land.count_by_status == {"published": 2, "reserved": 1, "allocated": 1,
                                    "occupied": 2, "draft": 1, "withdrawn": 1}
    assert land.occupancy_share == pytest.approx(6.0 / 12.0)  # (2 + 4) / (5 + 1 + 2 + 4)
    assert land.count == 8 and land.area_ha == pytest.approx(162.0)


def test_occupancy_without_land_on_offer_is_zero():
    assert kpi.land([("draft", 3, 9.0)]).occupancy_share == 0.0
    assert kpi.land([]).occupancy_share == 0.0


def test_a_negative_row_takes_a_plot_out():
    land = kpi.land([("published", 3, 6.0), ("published", -1, -2.0), ("reserved", 1, 2.0)])
    assert land.count_by_status["published"] == 2 and land.area_ha_by_status["published"] == 4.0
    assert land.count_by_status["reserved"] == 1


def test_rollback_undoes_changes_newest_first():
    now = {"status": "allocated", "declared_area_ha": "3.0"}
    changes = [("plot.status.allocated", {"status": "reserved"}),
               ("plot.updated", {"declared_area_ha": "2.0"}),
               ("plot.status.reserved", {"status": "published"})]
    assert kpi.rollback(now, changes) == {"status": "published", "declared_area_ha": "2.0"}
    assert kpi.rollback(now, changes[:1]) == {"status": "reserved", "declared_area_ha": "3.0"}


def test_rollback_past_the_creation_is_nothing_and_past_a_deletion_the_row():
    assert kpi.rollback({"status": "draft"}, [("plot.created", None)]) is None
    assert kpi.rollback(None, [("plot.deleted", {"status": "draft", "zone": 3})]) == \
        {"status": "draft", "zone": 3}
    assert kpi.rollback(None, [("plot.deleted", {"status": "draft"}),
                               ("plot.created", None)]) is None


def test_rollback_ignores_entries_without_values_before():
    assert kpi.rollback({"status": "reserved"}, [("plot.reserved", None)]) == {"status": "reserved"}


def test_committed_at_counts_commitments_made_before_and_not_released():
    hour = dt.timedelta(hours=1)
    c = [kpi.Commitment(100.0, T, None), kpi.Commitment(50.0, T, T + 2 * hour),
         kpi.Commitment(30.0, T + 3 * hour, None)]
    assert kpi.committed_at(c, T) == 0.0  # made at the instant itself: not yet
    assert kpi.committed_at(c, T + hour) == 150.0
    assert kpi.committed_at(c, T + 2 * hour) == 150.0  # released at the instant: still held
    assert kpi.committed_at(c, T + 4 * hour) == 130.0
    assert kpi.committed_at(c, None) == 130.0


def test_a_running_total_is_rolled_back_by_each_change():
    # 130 now; the 30 made later did not count then, the 50 released since did.
    assert kpi.rolled_back_total(130.0, [(30.0, 0.0), (0.0, 50.0)]) == 150.0


@pytest.mark.parametrize("capacity, committed, near", [
    (100.0, 90.0, True), (100.0, 89.9, False), (100.0, 100.0, True), (0.0, 0.0, True)])
def test_a_source_is_near_exhaustion_with_at_most_a_tenth_free(capacity, committed, near):
    assert kpi.near_exhaustion(capacity, committed) is near
    source = kpi.Source(1, "PS", "power", "kW", "z", capacity, committed)
    assert source.free == pytest.approx(capacity - committed)


def _j(**days):
    return kpi.Journey(**{k: D + dt.timedelta(days=v) for k, v in days.items()})


def test_funnel_counts_a_later_stage_as_reaching_the_earlier_ones():
    journeys = [
        _j(applications_submitted=0, under_review=10, reserved=20, approved=30),
        _j(applications_submitted=0, approved=4),  # approved straight from submitted
        _j(applications_submitted=0, under_review=5),
        _j(applications_submitted=2),
    ]
    f = kpi.funnel(journeys, enquiries=[D, D, D + dt.timedelta(days=40)], as_of=D + dt.timedelta(days=30))
    assert f.counts == {"enquiries": 2, "applications_submitted": 4, "under_review": 3,
                        "reserved": 2, "approved": 2, "projects_in_construction": 0,
                        "projects_in_operation": 0}
    assert f.conversion["applications_submitted"] == 2.0
    assert f.conversion["under_review"] == 0.75 and f.conversion["reserved"] == pytest.approx(2 / 3)
    assert f.conversion["approved"] == 1.0
    assert f.conversion["projects_in_construction"] == 0.0
    assert f.median_days["under_review"] == 7.5  # 10 and 5 days
    assert f.median_days["approved"] == 10.0  # only the pair with both dates recorded
    assert f.median_days["projects_in_operation"] is None


def test_funnel_counts_only_what_happened_by_the_day():
    j = [_j(applications_submitted=0, under_review=3)]
    before = kpi.funnel(j, enquiries=None, as_of=D + dt.timedelta(days=2))
    assert before.counts["under_review"] == 0 and before.counts["applications_submitted"] == 1
    assert before.counts["enquiries"] is None and before.median_days["under_review"] is None
    assert kpi.funnel(j, enquiries=None, as_of=D - dt.timedelta(days=1)).counts[
        "applications_submitted"] == 0


def test_investment_sums_plans_against_confirmed_actuals_by_year_and_direction():
    Y = kpi.YearPlan
    projects = [
        kpi.ProjectMoney("Metal", (Y(2025, 100.0, 10, 80.0, 8), Y(2026, 200.0, 20, None, None)),
                         20, 8),
        kpi.ProjectMoney("Metal", (Y(2026, 50.0, 5, 60.0, 6),), 5, 6),
        kpi.ProjectMoney("", (Y(2026, 10.0, 1, None, None),), 1, 0),
    ]
    inv = kpi.investment(projects)
    assert (inv.total.planned, inv.total.actual) == (360.0, 140.0)
    assert (inv.total.planned_jobs, inv.total.actual_jobs, inv.total.projects) == (26, 14, 3)
    assert inv.by_year[2025].planned == 100.0 and inv.by_year[2026].actual == 60.0
    # Jobs by year: each year's plan against the report confirmed for that year.
    assert [(y, p.planned_jobs, p.actual_jobs) for y, p in inv.by_year.items()] == \
        [(2025, 10, 8), (2026, 26, 6)]
    assert inv.by_direction["Metal"].planned == 350.0 and inv.by_direction[""].projects == 1


def test_plan_vs_actual_takes_per_year_the_latest_report_confirmed_before_the_cutoff():
    day = dt.timedelta(days=1)
    confirmed = [kpi.Confirmed(2025, 80.0, 8, T, 1), kpi.Confirmed(2025, 90.0, 9, T + 2 * day, 2),
                 kpi.Confirmed(2026, 10.0, 12, T + day, 3)]
    plan = [(2025, 100.0, 10), (2026, 200.0, 20)]
    years, planned_jobs, actual_jobs = kpi.plan_vs_actual(
        plan, confirmed, cutoff=T + dt.timedelta(days=1, hours=1), as_of=dt.date(2026, 3, 11))
    assert [(y.year, y.actual_investment) for y in years] == [(2025, 80.0), (2026, 10.0)]
    assert (planned_jobs, actual_jobs) == (20, 12)
    years, planned_jobs, actual_jobs = kpi.plan_vs_actual(plan, confirmed, cutoff=T,
                                                          as_of=dt.date(2025, 6, 1))
    assert [y.actual_investment for y in years] == [None, None] and (planned_jobs, actual_jobs) == (10, 0)


def test_direction_of_a_sector_is_the_first_covering_it():
    dirs = [("Logistics", ["H49", "H52"]), ("Metal", ["C25"]), ("Also metal", ["C25.1"])]
    assert kpi.direction_of("C25.11", dirs) == "Metal"
    assert kpi.direction_of("C250", dirs) is None and kpi.direction_of("H52", dirs) == "Logistics"


def test_works_portfolio_indices_weigh_each_work_by_its_value():
    items = [kpi.WorkState("in_progress", True, 1000.0, 500.0, 600.0),
             kpi.WorkState("in_progress", False, 200.0, 200.0, 100.0),
             kpi.WorkState("planned", False, None, None, None),
             kpi.WorkState("cancelled", False, 100.0, 0.0, 0.0)]
    w = kpi.works(items)
    assert (w.total, w.late, w.on_schedule) == (4, 1, 2)
    assert w.by_status == {"in_progress": 2, "planned": 1, "cancelled": 1}
    assert w.spi == pytest.approx(700 / 1300) and w.cpi == pytest.approx(700 / 700)
    assert kpi.works([]).spi is None and kpi.works([]).cpi is None


def test_instructions_open_overdue_and_closed_on_time_or_late():
    day = dt.date(2026, 3, 10)
    items = [
        kpi.InstructionState("in_progress", day - dt.timedelta(days=1), True, None, 7, 1),
        kpi.InstructionState("issued", day, True, None, 7, 2),  # due today: not late yet
        kpi.InstructionState("reported", day - dt.timedelta(days=9), True, None, 8, 1),
        kpi.InstructionState("accepted", day, True, day, 7, 1),
        kpi.InstructionState("accepted", day - dt.timedelta(days=1), True, day, 8, 1),
        kpi.InstructionState("in_progress", day - dt.timedelta(days=5), False, None, 8, 1),
    ]
    i = kpi.instructions(items, today=day)
    assert (i.open, i.overdue, i.closed_on_time, i.closed_late, i.off_control) == (3, 2, 1, 1, 1)
    assert i.overdue_by_executor == {7: 1, 8: 1} and i.overdue_by_issuer == {1: 2}


def test_month_ends_lead_to_today():
    assert month_ends(dt.date(2026, 1, 31), 2) == [
        dt.date(2025, 11, 30), dt.date(2025, 12, 31), dt.date(2026, 1, 31)]
    assert month_bounds(2026, 12) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def test_a_work_standing_follows_its_dates():
    base = evm.Baseline(dt.date(2026, 1, 1), dt.date(2026, 1, 31), 1000.0)
    reports = [evm.Progress(dt.date(2026, 1, 20), 100.0, 900.0)]
    status, late, ev = evm.standing(baseline=base, reports=reports, started_on=dt.date(2026, 1, 2),
                                    accepted_on=dt.date(2026, 2, 3), cancelled_on=None,
                                    as_of=dt.date(2026, 2, 1))
    assert (status, late, ev.earned_value) == ("in_progress", True, 1000.0)
    status, late, _ev = evm.standing(baseline=base, reports=reports, started_on=dt.date(2026, 1, 2),
                                     accepted_on=dt.date(2026, 1, 25), cancelled_on=None,
                                     as_of=dt.date(2026, 2, 1))
    assert (status, late) == ("accepted", False)
    status, late, _ev = evm.standing(baseline=base, reports=[], started_on=None, accepted_on=None,
                                     cancelled_on=dt.date(2026, 1, 5), as_of=dt.date(2026, 3, 1))
    assert (status, late) == ("cancelled", False)


def test_doctests():
    import doctest

    from promzona.core import kpi as module

    assert doctest.testmod(module).failed == 0
    assert doctest.testmod(evm).failed == 0


@pytest.mark.parametrize("capacity, committed, free", [
    (2.3, 1.3, 1.0), (0.3, 0.2, 0.1), (5.7, 5.4, 0.3), (1000.3, 999.2, 1.1), (1.3, 1.3, 0.0)])
def test_free_capacity_is_the_ledgers_exact_difference(capacity, committed, free):
    source = kpi.Source(1, "PS", "power", "kW", "z", capacity, committed)
    assert source.free == free and str(source.free) == str(free)  # not 0.9999999999999998, −0.0
