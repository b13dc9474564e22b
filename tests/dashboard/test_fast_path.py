"""The figures' fast reads (instants as UTC text, decimals as floats, the funnel counted in one
pass; ``dashboard.selectors``) against a plain reference read of the same records (the ORM's
datetimes and Decimals, each stage counted over every journey with ``Journey.reached``), on a
generated region (the bench's recipe, small) and on several days: long past, a month end whose
snapshot is stored, a day between two month ends, and today."""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from promzona.applications.models import Application, Reservation
from promzona.audit.models import AuditEntry
from promzona.core import earned_value as evm
from promzona.core import kpi
from promzona.core.deadlines import month_ends
from promzona.dashboard import records as dated
from promzona.dashboard import selectors
from promzona.dashboard.contract import kpi_json
from promzona.dashboard.models import Snapshot
from promzona.dashboard.services import snapshots_take
from promzona.projects.models import Milestone, PlanYear, Project, Report
from promzona.works.models import Work, WorkPlan, WorkProgress
from promzona.zones.models import Zone

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_dashboard import generate  # noqa: E402 - the bench's recipe of a region

pytestmark = pytest.mark.django_db


def _journeys(zone_id: int | None) -> tuple[list[kpi.Journey], list[dt.date]]:
    """Each application's stages read plainly: aware datetimes, oldest entry first."""
    day = timezone.localdate
    zones = dated.application_zones()
    stages: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for object_id, action, at in AuditEntry.objects.filter(
            object_type="applications.application", action__in=list(dated.STAGE_ACTIONS)
    ).order_by("at", "id").values_list("object_id", "action", "at"):
        stages[int(object_id)].setdefault(dated.STAGE_ACTIONS[action], day(at))
    for app, at in Reservation.objects.order_by("created_at", "id").values_list(
            "application_id", "created_at"):
        stages[app].setdefault("reserved", day(at))
    names = {"construction_start": "projects_in_construction", "operation": "projects_in_operation"}
    for m in Milestone.objects.filter(kind__in=list(names), done_on__isnull=False) \
            .select_related("project"):
        stages[m.project.application_id][names[m.kind]] = max(m.done_on,
                                                              day(m.project.created_at))
    journeys = [kpi.Journey(**d) for app, d in stages.items()
                if zone_id is None or zones.get(app) == zone_id]
    enquiries = [day(at) for at in AuditEntry.objects.filter(
        action__in=dated.ENQUIRY_ACTIONS, actor__role="investor").values_list("at", flat=True)]
    return journeys, enquiries


def _funnel(zone_id: int | None, on: dt.date) -> dict:
    journeys, enquiries = _journeys(zone_id)
    counts = {stage: sum(1 for j in journeys if j.reached(stage, on)) for stage in kpi.FUNNEL[1:]}
    medians = {}
    for before, stage in zip(kpi.FUNNEL[1:], kpi.FUNNEL[2:], strict=False):
        gaps = [(getattr(j, stage) - getattr(j, before)).days for j in journeys
                if getattr(j, before) and getattr(j, stage) and getattr(j, stage) <= on]
        medians[stage] = float(statistics.median(gaps)) if gaps else None
    return {"enquiries": None if zone_id else sum(1 for d in enquiries if d <= on), **counts,
            "median_days": medians}


def _works(zone_id: int | None, on: dt.date) -> tuple:
    """SPI and CPI from the works' Decimals, each work by ``earned_value.standing``."""
    ev = pv = ac = 0.0
    for w in Work.objects.filter(**({"zone_id": zone_id} if zone_id else {}),
                                 created_at__lt=dated.end_utc(on)):
        plan = WorkPlan.objects.get(work=w, version=1)
        reports = [evm.Progress(p.reported_on, float(p.percent),
                                None if p.spent_kzt is None else float(p.spent_kzt))
                   for p in WorkProgress.objects.filter(work=w).order_by("reported_on", "id")]
        _status, _late, e = evm.standing(
            baseline=evm.Baseline(plan.planned_start, plan.planned_finish,
                                  float(plan.contract_value_kzt)),
            reports=reports, started_on=w.started_on, accepted_on=w.accepted_on,
            cancelled_on=w.cancelled_on, as_of=on)
        pv, ev, ac = pv + e.planned_value, ev + (e.earned_value or 0), ac + (e.actual_cost or 0)
    return (round(ev / pv, 4) if pv else None, round(ev / ac, 4) if ac else None)


def _investment(zone_id: int | None, on: dt.date) -> tuple[float, float]:
    """Planned (every year) and confirmed actual (per year the latest) from the Decimals."""
    cutoff = dated.end_utc(on)
    planned = actual = 0.0
    mine = {"allocation__plot__zone_id": zone_id} if zone_id else {}
    for p in Project.objects.filter(created_at__lt=cutoff, **mine):
        if p.terminated_on is not None and p.terminated_on <= on:
            continue
        planned += sum(float(y.investment_kzt) for y in PlanYear.objects.filter(project=p))
        latest = {}
        for r in Report.objects.filter(project=p, status="confirmed", reviewed_at__lt=cutoff) \
                .order_by("reviewed_at", "id"):
            latest[r.year] = float(r.investment_kzt)
        actual += sum(latest.values())
    return round(planned, 2), round(actual, 2)


@pytest.fixture
def region(today):
    generate(scale=0.02)  # 2 zones, 40 plots, 200 applications, 40 works, 100 instructions
    return Zone.objects.filter(slug__startswith="zone-").first()


def test_the_fast_reads_agree_with_the_plain_reference_on_every_kind_of_day(region, today):
    ends = month_ends(today, 12)
    snapshot_day = ends[-2]
    snapshots_take(actor=None, days=[snapshot_day])
    days = {"long past": today - dt.timedelta(days=400), "snapshot day": snapshot_day,
            "between snapshots": ends[-3] + dt.timedelta(days=15), "today": today}
    for what, on in days.items():
        for zone in (None, region):
            zone_id = zone.pk if zone else None
            fast = kpi_json(selectors.board(zone=zone, day=on).figures,
                            zone=zone.slug if zone else None, bodies={})
            expected = _funnel(zone_id, on)
            got = {k: fast["funnel"][k] for k in expected if k != "median_days"}
            assert got == {k: v for k, v in expected.items() if k != "median_days"}, (what, zone)
            assert fast["funnel"]["median_days"] | {"enquiries": None,
                                                    "applications_submitted": None} \
                == {"enquiries": None, "applications_submitted": None,
                    **expected["median_days"]}, (what, zone)
            assert (fast["works"]["spi"], fast["works"]["cpi"]) == _works(zone_id, on), what
            assert (fast["investment_kzt"]["planned"], fast["investment_kzt"]["actual"]) \
                == _investment(zone_id, on), (what, zone)
            if on == snapshot_day:  # the stored month end says the same
                stored = Snapshot.objects.get(zone=zone, day=on).figures
                for key in ("plots", "funnel", "works", "investment_kzt"):
                    assert stored[key] == json.loads(json.dumps(
                        fast[key], cls=DjangoJSONEncoder)), (key, zone)
    assert Application.objects.count() >= 200  # the generated region is there, not only the demo
