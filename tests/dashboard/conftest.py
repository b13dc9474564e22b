"""A small zone whose every figure is computed by hand, recorded through the services with past
dates (so that "as of" a past day has a history to read).

Today T; everything below happened before T (at noon of the day given):

* land: P1 2 ha and P2 3 ha published, P3 5 ha draft, P4 1 ha withdrawn, P5 4 ha reserved on
  T-60 and allocated on T-50, P6 6 ha occupied — occupancy (4 + 6) / (2 + 3 + 4 + 6) = 2/3;
* capacity: S1 power, 1000 kW, 300 committed (T-400); an upgrade of +500 kW planned;
* funnel: A1 submitted T-80, under review T-70, reserved T-60, approved T-50, its project
  created T-40, construction started T-20; A2 submitted T-85; A3 submitted T-80, under review
  T-75, rejected T-70 — 3 submitted, 2 under review, 1 reserved, 1 approved, 1 construction;
  median days submitted → under review: (10 + 5) / 2 = 7.5;
* investment: A1's project plans 300 (its first year, 30 jobs) and 200 (the next, 50 jobs);
  a report of 120 and 12 jobs for the first year, confirmed T-10 — by year: first year 300
  planned, 120 actual, 30 jobs planned, 12 actual; next year 200, 0, 50, 0;
* works: W1 1000 KZT, T-100 to T-10, 50% and 600 spent by T-20 (late); W2 1300 KZT, T-30 to
  T+100, 20% and 100 spent by T-5 — PV 1000 + 300, EV 500 + 260, AC 600 + 100;
* instructions (linked to the zone): I1 due T-5, in progress (overdue); I2 due T+20; I3 due
  T-10, accepted T-12 (on time); I4 due T-20, accepted T-16 (late).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from pyproj import Transformer

from promzona.accounts.models import User
from promzona.applications import services as apps
from promzona.instructions import services as ins
from promzona.instructions.models import Body
from promzona.projects import services as projects
from promzona.projects.models import MilestoneKind
from promzona.works import services as works
from promzona.zones import services as zones
from promzona.zones.models import InfrastructureProject, Plot, PriorityDirection, UtilitySource, Zone

_TO_WGS = Transformer.from_crs(32643, 4326, always_xy=True)
X0, Y0 = 560_000.0, 5_190_000.0  # far from the demo zone, in UTM 43N


def rect(x: float, y: float, w: float, h: float) -> dict:
    ring = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
    return {"type": "Polygon", "coordinates": [[list(_TO_WGS.transform(a, b)) for a, b in ring]]}


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@dataclass
class Fixture:
    zone: Zone
    plots: dict[str, Plot]
    source: UtilitySource
    apps: dict
    project: object
    works: dict
    instructions: dict
    staff: User
    investor: User
    executor: User
    bodies: dict
    today: dt.date


@pytest.fixture
def hand(demo, today):
    """The hand-computed zone ``kpi-hand`` (see the module's docstring)."""
    T = today

    def d(n: int) -> dt.date:
        return T - dt.timedelta(days=n)

    staff = User.objects.get(username="demo-staff")
    investor = User.objects.get(username="demo-investor")
    executor = User.objects.get(username="demo-executor")
    recorded = at(d(400))
    save = zones.feature_save
    zone = save(actor=staff, now=recorded, obj=Zone(
        slug="kpi-hand", name_ru="Зона для расчёта", name_en="Hand-computed zone",
        kind=Zone.Kind.PARK, status=Zone.Status.OPERATING, municipality="Test",
        geometry=rect(X0, Y0, 2000, 1000)))
    direction = PriorityDirection.objects.create(zone=zone, position=0, name_ru="Металл",
                                                 name_en="Metal")
    direction.sectors.set(["C25"])
    plots = {}
    x = X0 + 10
    for code, status, width in [("P1", "published", 100), ("P2", "published", 150),
                                ("P3", "draft", 250), ("P4", "withdrawn", 50),
                                ("P5", "published", 200), ("P6", "occupied", 300)]:
        plots[code] = save(actor=staff, now=recorded, obj=Plot(
            zone=zone, code=code, status=status, declared_area_ha=Decimal(width * 200) / 10000,
            geometry=rect(x, Y0 + 10, width, 200), ownership=Plot.Ownership.STATE,
            deal_lease=False))
        x += width + 20
    source = save(actor=staff, now=recorded, obj=UtilitySource(
        zone=zone, code="S1", kind="power", name_ru="ПС", capacity=Decimal(1000),
        geometry={"type": "Point", "coordinates": list(_TO_WGS.transform(X0 + 5, Y0 + 5))}))
    zones.capacity_commit(actor=staff, source=source, amount=300, holder="existing", now=recorded)
    save(actor=staff, now=recorded, obj=InfrastructureProject(
        zone=zone, name_ru="Расширение S1", status="planned", source=source,
        capacity_added=Decimal(500), planned_completion=T + dt.timedelta(days=200)))

    def application(name, plot, created):
        return apps.application_create(actor=investor, project_name=name, sector="C25",
                                       investment_kzt=1000, jobs_planned=10, needs={},
                                       preferred_plots=[plot.pk], now=at(created))

    a1, a2, a3 = (application("A1", plots["P5"], d(90)), application("A2", plots["P1"], d(90)),
                  application("A3", plots["P2"], d(90)))
    apps.application_submit(actor=investor, application=a1, now=at(d(80)))
    apps.application_start_review(actor=staff, application=a1, now=at(d(70)))
    apps.plot_reserve(actor=staff, plot=plots["P5"], application=a1, now=at(d(60)),
                      expires_at=at(d(60)) + dt.timedelta(days=90))
    apps.application_approve(actor=staff, application=a1, now=at(d(50)))
    apps.application_submit(actor=investor, application=a2, now=at(d(85)))
    apps.application_submit(actor=investor, application=a3, now=at(d(80)))
    apps.application_start_review(actor=staff, application=a3, now=at(d(75)))
    apps.application_reject(actor=staff, application=a3, comment="No.", now=at(d(70)))
    y0 = d(40).year
    project = projects.project_create(actor=staff, application=a1, agreement_on=d(40),
                                      plan=[(y0, 300, 30), (y0 + 1, 200, 50)], now=at(d(40)))
    projects.milestone_done(actor=staff, now=at(d(20)), done_on=d(20),
                            milestone=project.milestones.get(kind=MilestoneKind.CONSTRUCTION_START))
    report = projects.project_report(actor=investor, project=project, year=y0, investment_kzt=120,
                                     jobs=12, now=at(d(15)))
    projects.report_confirm(actor=staff, report=report, now=at(d(10)))

    def work(name, value, start, finish, percent, spent, on):
        w = works.work_create(actor=staff, zone=zone, name=name, kind="facility", contractor="C",
                              funding_source="local", contract_value_kzt=value,
                              planned_start=start, planned_finish=finish, now=at(start))
        works.work_report_progress(actor=staff, work=w, reported_on=on, percent=percent,
                                   spent_kzt=spent, now=at(on))
        return w

    w1 = work("W1", 1000, d(100), d(10), 50, 600, d(20))
    w2 = work("W2", 1300, d(30), T + dt.timedelta(days=100), 20, 100, d(5))
    city = Body.objects.get(name_en="Balkhash city akimat")
    dept = Body.objects.get(name_en="Balkhash construction and utilities department (demo)")
    rec = Body.objects.get(name_en="Regional power company (demo)")

    def issue(number, issued, deadline, executor_body):
        return ins.instruction_issue(
            actor=staff, number=number, issued_on=issued, issuer=city, title=f"Task {number}",
            executor=executor_body, executor_person=executor, controller=staff,
            deadline=deadline, links=[("zone", zone.pk)], now=at(issued))

    i1 = issue("H-1", d(30), d(5), dept)
    ins.instruction_start(actor=executor, instruction=i1, now=at(d(29)))
    i2 = issue("H-2", d(10), T + dt.timedelta(days=20), rec)
    i3 = issue("H-3", d(30), d(10), dept)
    ins.instruction_report(actor=executor, instruction=i3, text="Done", now=at(d(15)))
    ins.instruction_accept(actor=staff, instruction=i3, now=at(d(12)))
    i4 = issue("H-4", d(30), d(20), dept)
    ins.instruction_report(actor=executor, instruction=i4, text="Done", now=at(d(18)))
    ins.instruction_accept(actor=staff, instruction=i4, now=at(d(16)))
    for p in plots.values():
        p.refresh_from_db()
    return Fixture(zone=zone, plots=plots, source=source, apps={"A1": a1, "A2": a2, "A3": a3},
                   project=project, works={"W1": w1, "W2": w2},
                   instructions={"I1": i1, "I2": i2, "I3": i3, "I4": i4}, staff=staff,
                   investor=investor, executor=executor,
                   bodies={"city": city, "dept": dept, "rec": rec}, today=T)


#: The figures of ``hand`` today (and on every day since T-5), by hand.
EXPECTED = {
    "count_by_status": {"published": 2, "reserved": 0, "allocated": 1, "occupied": 1, "draft": 1,
                        "withdrawn": 1},
    "area_ha_by_status": {"published": 5.0, "reserved": 0.0, "allocated": 4.0, "occupied": 6.0,
                          "draft": 5.0, "withdrawn": 1.0},
    "occupancy_share": 10 / 15,
    "capacity": (1000.0, 300.0, 700.0),
    "funnel": {"enquiries": None, "applications_submitted": 3, "under_review": 2, "reserved": 1,
               "approved": 1, "projects_in_construction": 1, "projects_in_operation": 0},
    "median_days": {"under_review": 7.5, "reserved": 10.0, "approved": 10.0,
                    "projects_in_construction": 30.0},
    "investment": (500.0, 120.0),
    "works": {"total": 2, "late": 1, "spi": 760 / 1300, "cpi": 760 / 700},
    "instructions": {"open": 2, "overdue": 1, "closed_on_time": 1, "closed_late": 1},
}


def jobs_planned(fx: Fixture) -> int:
    """This year's plan: the first year's 30 jobs, or 50 once the agreement's year is over."""
    return 30 if fx.today.year == fx.project.agreement_on.year else 50


def by_year(fx: Fixture) -> list[dict]:
    """Investment and jobs by year: each year's plan against the report confirmed for it."""
    y0 = fx.project.agreement_on.year
    return [{"year": y0, "planned": 300.0, "actual": 120.0, "planned_jobs": 30, "actual_jobs": 12},
            {"year": y0 + 1, "planned": 200.0, "actual": 0.0, "planned_jobs": 50,
             "actual_jobs": 0}]
