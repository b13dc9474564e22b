"""A plan's scheduled works become planned infrastructure works: created through the works
services, all or none, idempotent, staff only; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from promzona.accounts.models import User
from promzona.audit.models import AuditEntry
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.optimise import answers, selectors, services
from promzona.works import services as work_services
from promzona.works.models import Work, WorkPlan
from promzona.zones.models import InfrastructureProject, UtilityLine

REQUIRES = {"BLK-13": ["IP-1", "PO-4", "WA-3", "HE-2"]}


def chosen_plan(zone):
    """A generous plan that schedules lines and the PS-2 upgrade."""
    ctx = selectors.plan_instance(zone, today=timezone.localdate(), periods=8,
                                  budget=[500.0] * 8, requires=REQUIRES)
    return ctx, answers.solve_plan_context(ctx)[2]


def create(actor, zone, ctx, answer, ids, **kw):
    return services.plan_works_create(actor=actor, zone=zone, ctx=ctx, answer=answer,
                                      work_ids=ids, **{"funding_source": "local",
                                                       "contractor": "To be selected", **kw})


def test_scheduled_works_become_planned_works_with_the_plans_dates_and_cost(demo, staff_user):
    ctx, answer = chosen_plan(demo)
    rows = {r["work"]: r for r in answer["schedule"]}
    assert {"IP-1", "PO-4"} <= set(rows)
    created, existing = create(staff_user, demo, ctx, answer, ["PO-4", "IP-1"])
    assert existing == []
    by_target = {w.line.code if w.line else f"IP-{w.upgrade_id}": w for w in created}
    line_work, upgrade_work = by_target["PO-4"], by_target["IP-1"]
    assert (line_work.kind, upgrade_work.kind) == ("line", "upgrade")
    for key, work in (("PO-4", line_work), ("IP-1", upgrade_work)):
        row = rows[key]
        assert work.status == Work.Status.PLANNED and work.funding_source == "local"
        assert work.planned_start == ctx.period_starts[row["start"] - 1]
        end = (ctx.period_starts[row["complete"]] - dt.timedelta(days=1)
               if row["complete"] < len(ctx.period_starts)
               else selectors.period_end(ctx, row["complete"]))
        assert work.planned_finish == end
        assert work.contract_value_kzt == Decimal(str(row["cost"])) * 1_000_000
        assert WorkPlan.objects.get(work=work).version == 1  # the baseline
        assert AuditEntry.objects.filter(action="work.created", object_id=str(work.pk)).exists()
    assert upgrade_work.contract_value_kzt == Decimal("2400000000")  # the project's cost
    # The line and the upgrade follow the work's plan, as for any work.
    assert UtilityLine.objects.get(code="PO-4", zone=demo).planned_completion == \
        line_work.planned_finish
    assert InfrastructureProject.objects.get(pk=upgrade_work.upgrade_id).start_date == \
        upgrade_work.planned_start
    entry = AuditEntry.objects.get(action="plan.works_created")
    assert entry.actor == staff_user and entry.after["works"] == {
        "PO-4": line_work.pk, "IP-1": upgrade_work.pk}


def test_second_click_creates_nothing_and_names_the_existing_works(demo, staff_user):
    ctx, answer = chosen_plan(demo)
    first, _ = create(staff_user, demo, ctx, answer, ["PO-4", "WA-3"])
    again, existing = create(staff_user, demo, ctx, answer, ["PO-4", "WA-3"])
    assert again == [] and {pw.key: pw.existing.pk for pw in existing} == {
        w.line.code: w.pk for w in first}
    assert Work.objects.count() == 2
    assert AuditEntry.objects.filter(action="plan.works_created").count() == 1


def test_a_line_already_built_by_a_work_is_listed_not_duplicated(demo, staff_user, today):
    line = UtilityLine.objects.get(zone=demo, code="HE-2")
    own = work_services.work_create(actor=staff_user, zone=demo, name="Heat main", kind="line",
                                    line=line, contractor="C", funding_source="private",
                                    planned_start=today, planned_finish=today)
    ctx, answer = chosen_plan(demo)
    listed = {pw.key: pw for pw in selectors.plan_works(ctx, answer)}
    assert listed["HE-2"].existing == own and listed["PO-4"].existing is None
    created, existing = create(staff_user, demo, ctx, answer, ["HE-2", "PO-4"])
    assert [w.line.code for w in created] == ["PO-4"] and [pw.key for pw in existing] == ["HE-2"]
    assert Work.objects.filter(line=line).count() == 1


def test_a_failure_midway_creates_nothing(demo, staff_user):
    ctx, answer = chosen_plan(demo)
    # WA-3 is completed meanwhile: its work is refused after PO-4's was written.
    UtilityLine.objects.filter(zone=demo, code="WA-3").update(status=UtilityLine.Status.EXISTING)
    before = UtilityLine.objects.get(zone=demo, code="PO-4").planned_completion
    with pytest.raises(Conflict, match="WA-3 already exists"):
        create(staff_user, demo, ctx, answer, ["PO-4", "WA-3"])
    assert not Work.objects.exists() and not WorkPlan.objects.exists()
    assert UtilityLine.objects.get(zone=demo, code="PO-4").planned_completion == before
    assert not AuditEntry.objects.filter(action__in=["work.created", "plan.works_created"]).exists()


@pytest.mark.parametrize("username", ["demo-manager", "demo-investor", "demo-executor"])
def test_only_staff_create_works_from_a_plan(demo, username):
    ctx, answer = chosen_plan(demo)
    with pytest.raises(Forbidden):
        create(User.objects.get(username=username), demo, ctx, answer, ["PO-4"])
    assert not Work.objects.exists()


@pytest.mark.parametrize(("ids", "kw", "error"), [
    (["NOPE"], {}, "NOPE is not to be built"),
    (["PO-4", "GA-1"], {}, "GA-1 is not to be built"),  # a candidate the plan did not schedule
    (["PO-4' OR 1=1"], {}, "is not to be built"),
    ([], {}, "at least one work"),
    ("PO-4", {}, "at least one work"),
    ([4], {}, "at least one work"),
    (["PO-4"] * 501, {}, "at least one work"),
    (["PO-4"], {"funding_source": "oligarch"}, "funding source"),
    (["PO-4"], {"contractor": ""}, "contractor"),
    (["PO-4"], {"contractor": "x" * 256}, "contractor"),
])
def test_bad_input_is_refused_and_nothing_created(demo, staff_user, ids, kw, error):
    ctx, answer = chosen_plan(demo)
    with pytest.raises(InputError, match=f"(?i){error}"):
        create(staff_user, demo, ctx, answer, ids, **kw)
    assert not Work.objects.exists()


def test_a_scenario_work_no_longer_a_candidate_is_not_created(demo, staff_user):
    scenario = services.scenario_create(actor=staff_user, zone=demo, name="S", periods=8,
                                        budget=[500.0] * 8, discount_rate=0.02, carry_over=True,
                                        requires=REQUIRES)
    UtilityLine.objects.filter(zone=demo, code="PO-4").update(status=UtilityLine.Status.EXISTING)
    ctx = selectors.plan_instance(demo, today=timezone.localdate(), periods=8,
                                  budget=scenario.budget, requires={"BLK-13": ["IP-1"]})
    listed = {pw.key: pw for pw in selectors.plan_works(ctx, scenario.result)}
    assert listed["PO-4"].gone and not listed["IP-1"].gone
    with pytest.raises(InputError, match="PO-4 is not to be built"):
        create(staff_user, demo, ctx, scenario.result, ["PO-4"])
