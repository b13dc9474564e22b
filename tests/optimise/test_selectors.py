"""The zone's own instances: which plots, sources, works and values the rules give."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from promzona.applications import services as app_services
from promzona.core.optimise.allocation import parse_allocation
from promzona.core.optimise.plan import parse_plan
from promzona.matching.selectors import lines_serving_plot
from promzona.optimise import selectors
from promzona.zones import services as zone_services
from promzona.zones.models import InfrastructureProject, Plot, UtilityLine, UtilitySource

from .conftest import key


def test_allocation_instance_lists_competitors_with_values_eligibility_and_order(demo,
                                                                                competition):
    data = selectors.allocation_instance(demo, today=timezone.localdate()).instance
    parse_allocation(data)
    rows = {r["id"]: r for r in data["applications"]}
    plant = competition["Завод горно-шахтного оборудования (демо)"]
    assert rows[key(plant)]["value"] == 100.0  # the largest investment and jobs, a priority sector
    assert rows[key(competition["Цех металлоконструкций (демо)"])]["value"] == 67.5
    assert rows[key(plant)]["eligible"] == ["BLK-01", "BLK-02"]  # its preferred plots, in order
    assert rows[key(plant)]["needs"] == {"power_kw": 2600.0, "water_m3_day": 60.0}
    order = sorted(rows.values(), key=lambda r: r["submitted"])
    assert [r["id"] for r in order][:2] == [key(competition["Логистический склад (демо)"]),
                                           key(competition["Ремонтный цех (демо)"])]
    assert {s["id"]: s["free"] for s in data["sources"]}["PS-2"] == 3200.0


def test_eligible_plots_permit_the_sector_and_an_application_without_preferences_gets_all(
        demo, competition):
    from promzona.accounts.models import User

    user = User.objects.get(username="demo-investor")
    app = app_services.application_create(actor=user, project_name="Open", sector="C17",
                                          investment_kzt=1, jobs_planned=1)
    app_services.application_submit(actor=user, application=app)
    data = selectors.allocation_instance(demo, today=timezone.localdate()).instance
    rows = {r["id"]: r for r in data["applications"]}
    eligible = rows[key(app)]["eligible"]
    assert eligible  # C17 is permitted on the third row only
    for code in eligible:
        plot = Plot.objects.get(zone=demo, code=code)
        assert plot.status == "published"
        assert "C17" in [s.code for s in plot.permitted_sectors.all()]


def test_application_holding_a_plot_does_not_compete(demo, competition, staff_user):
    shop = competition["Цех металлоконструкций (демо)"]
    plot = Plot.objects.get(zone=demo, code="BLK-04")
    app_services.plot_reserve(actor=staff_user, plot=plot, application=shop)
    data = selectors.allocation_instance(demo, today=timezone.localdate()).instance
    assert key(shop) not in {r["id"] for r in data["applications"]}
    assert "BLK-04" not in {p["id"] for p in data["plots"]}
    assert {s["id"]: s["free"] for s in data["sources"]}["PS-2"] == 1800.0  # the ledger's free


@pytest.mark.parametrize("days", [None, 120, 600])
def test_each_application_draws_on_the_sources_its_reservation_would_commit_on(demo, competition,
                                                                            days):
    """For every competing application and eligible plot, the source the instance charges per
    needed kind (the application's own where it names one, else the plot's) is the one
    ``plot_reserve`` commits on; a start at 120 days takes BLK-06's power from PS-1 where the
    plot's own (no need, no date) is PS-2, so the application carries it."""
    from promzona.accounts.models import User
    from promzona.applications.selectors import sources_serving
    from promzona.core.optimise.allocation import KINDS

    today = timezone.localdate()
    user = User.objects.get(username="demo-investor")
    blk06 = Plot.objects.get(zone=demo, code="BLK-06")
    app = app_services.application_create(
        actor=user, project_name="Dated", sector=blk06.permitted_sectors.first().code,
        investment_kzt=1, jobs_planned=1, needs={"power_kw": 200},
        start_by=today + dt.timedelta(days=days) if days else None, preferred_plots=[blk06.pk])
    app_services.application_submit(actor=user, application=app)
    ctx = selectors.allocation_instance(demo, today=today)
    inst = parse_allocation(ctx.instance)
    plots = {p.id: p for p in inst.plots}
    checked = own = 0
    for a in inst.applications:
        for code in a.eligible:
            committed = sources_serving(ctx.applications[a.id], ctx.plots[code], today=today)
            charged = {k: a.source(plots[code], k) for k in KINDS if k in a.needs}
            assert charged == {k: s.code for k, s in committed.items()}, (a.id, code)
            checked += 1
            own += code in a.sources
    assert checked > 10
    dated = {a.id: a for a in inst.applications}[key(app)]
    assert (dated.sources == {"BLK-06": {"power": "PS-1"}}) == (days == 120)
    assert plots["BLK-06"].sources["power"] == "PS-2" and own == (days == 120)


def test_value_override_and_weights_change_the_values(competition, demo):
    plant = key(competition["Завод горно-шахтного оборудования (демо)"])
    ctx = selectors.allocation_instance(demo, today=timezone.localdate(), values={plant: 5.0},
                                        weights={"investment": 0, "jobs": 0, "priority": 1})
    rows = {r["id"]: r["value"] for r in ctx.instance["applications"]}
    assert rows[plant] == 5.0
    assert ctx.default_values[plant] == 100.0
    assert set(rows.values()) == {5.0, 100.0}  # every other demo sector is a priority


def test_plan_instance_follows_the_documented_rules(demo, today):
    ctx = selectors.plan_instance(demo, today=today)
    data = ctx.instance
    parse_plan(data)
    works = {w["id"]: w for w in data["works"]}
    pending = InfrastructureProject.objects.filter(zone=demo, status__in=["planned", "in_progress"])
    assert {f"IP-{p.pk}" for p in pending} <= set(works)
    unfinished = UtilityLine.objects.filter(zone=demo).exclude(status="existing")
    assert {ln.code for ln in unfinished} <= set(works)
    gas_station = InfrastructureProject.objects.get(zone=demo, source__code="GRS-1")
    assert works["GA-1"]["requires"] == [f"IP-{gas_station.pk}"]  # GRS-1 has nothing free
    assert works["PO-3"]["requires"] == []
    for p in data["plots"]:
        plot = Plot.objects.get(zone=demo, code=p["id"])
        assert plot.status in ("published", "draft")
        lines = lines_serving_plot(plot, {"power": 0.0, "water": 0.0}, today=timezone.localdate())
        expected = [ln.code for ln in lines.values() if ln.status != "existing"]
        assert sorted(p["requires"]) == sorted(expected)
        assert p["value"] == pytest.approx(float(plot.declared_area_ha)
                                           * float(plot.lease_price_kzt_ha_year) / 1e6, abs=1e-4)
    needed = {w for p in data["plots"] for w in p["requires"]}
    assert data["budget"][0] == pytest.approx(sum(works[w]["cost"] for w in needed) / 8, abs=1e-3)
    assert len(ctx.period_starts) == 8 and ctx.period_starts[0] == today


def test_a_line_needs_its_source_upgrade_when_the_source_is_full(demo, today):
    ps2 = UtilitySource.objects.get(zone=demo, code="PS-2")
    zone_services.capacity_commit(actor=None, source=ps2, amount=ps2.free, holder="test: full")
    ctx = selectors.plan_instance(demo, today=today)
    upgrade = InfrastructureProject.objects.get(zone=demo, source=ps2)
    works = {w["id"]: w for w in ctx.instance["works"]}
    assert works["PO-3"]["requires"] == [f"IP-{upgrade.pk}"]
    near_existing = {p["id"]: p for p in ctx.instance["plots"]}["BLK-01"]
    assert near_existing["requires"] == [f"IP-{upgrade.pk}"]


def test_kinds_values_and_requires_can_be_changed(demo, today):
    ctx = selectors.plan_instance(demo, today=today, kinds=["power"],
                                  values={"BLK-13": 99.0}, requires={"BLK-01": ["PO-4"]},
                                  budget=[1.0] * 4, periods=4, discount_rate=0.1, carry_over=False)
    plots = {p["id"]: p for p in ctx.instance["plots"]}
    assert plots["BLK-13"]["value"] == 99.0 and plots["BLK-01"]["requires"] == ["PO-4"]
    assert not any(r.startswith("WA") for p in plots.values() for r in p["requires"])
    assert ctx.instance["budget"] == [1.0] * 4 and ctx.instance["carry_over"] is False


def test_plot_that_no_line_can_serve_is_left_out_and_said_so(demo, today):
    ctx = selectors.plan_instance(demo, today=today, kinds=["power", "gas"])
    # gas: GRS-1 has nothing free but its project is pending, so plots wait for it
    assert ctx.left_out == []
    project = InfrastructureProject.objects.get(zone=demo, source__code="GRS-1")
    project.status = "cancelled"
    zone_services.feature_save(actor=None, obj=project)
    ctx = selectors.plan_instance(demo, today=today, kinds=["power", "gas"])
    assert ctx.left_out and all(kinds == ("gas",) for _, kinds in ctx.left_out)
    assert not {code for code, _ in ctx.left_out} & {p["id"] for p in ctx.instance["plots"]}


def test_durations_count_quarters_to_the_planned_completion(demo):
    today = dt.date(2026, 1, 1)
    project = InfrastructureProject.objects.filter(zone=demo, source__code="PS-2").first()
    project.planned_completion = dt.date(2026, 12, 31)
    project.start_date = None
    project.cost_kzt = Decimal("2400000000")
    zone_services.feature_save(actor=None, obj=project)
    works = {w["id"]: w for w in selectors.plan_instance(demo, today=today).instance["works"]}
    assert works[f"IP-{project.pk}"]["duration"] == 4
    assert works[f"IP-{project.pk}"]["cost"] == 2400.0
