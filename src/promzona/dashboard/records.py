"""The dated records behind the dashboard's figures, read once for several days (:func:`gather`)
and split per zone (:func:`split`); :mod:`.selectors` evaluates them with
:mod:`promzona.core.kpi`.

* plots and utility sources are today's rows rolled back through the audit trail
  (:class:`promzona.audit.selectors.History`), committed capacity through the ledger's dated
  commitments;
* the funnel reads the dated transitions of applications (audit trail), reservations and the
  milestones of projects; enquiries the ``match.requested`` and ``saved_search.created``
  entries of investors;
* works and projects are evaluated on that day by the rules ``work_figures`` and
  ``project_figures`` use (``core.earned_value.standing``, ``core.kpi.plan_vs_actual``);
* instructions are today's rows, with those changed since rolled back through their events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language

from promzona.accounts.models import User
from promzona.applications.models import Application, PreferredPlot, Reservation
from promzona.audit.models import AuditEntry
from promzona.audit.selectors import History
from promzona.columns import TextDates, TextDays, as_float, utc_text
from promzona.core import earned_value as evm
from promzona.core import instructions as rules
from promzona.core import kpi
from promzona.core.utilities import UTILITY_KINDS, ledger_sum
from promzona.instructions.models import Body, Event, Instruction
from promzona.instructions.selectors import zones_of_instructions
from promzona.projects.models import Milestone, MilestoneKind, PlanYear, Project, Report
from promzona.works.models import Work, WorkPlan, WorkProgress
from promzona.works.selectors import end_of
from promzona.zones.models import (
    CapacityCommitment,
    InfrastructureProject,
    Plot,
    PriorityDirection,
    UtilitySource,
    Zone,
)

#: Audit actions that count as an investor's enquiry (the funnel's first stage).
ENQUIRY_ACTIONS = ("match.requested", "saved_search.created")
#: Application transitions of the funnel, by the audit action that records them.
STAGE_ACTIONS = {"application.submitted": "applications_submitted",
                 "application.under_review": "under_review",
                 "application.approved": "approved"}
OTHER_DIRECTION = ""


@dataclass
class Records:
    """What :func:`figures` needs for each of ``days``, each item with its zone's id."""

    days: list[dt.date]
    zones: dict[int, Zone]
    plots: dict[dt.date, list[tuple[int, str, int, float]]] = field(default_factory=dict)
    sources: dict[dt.date, list[tuple[int, kpi.Source]]] = field(default_factory=dict)
    journeys: list[tuple[int | None, int, kpi.Journey]] = field(default_factory=list)
    enquiries: list[dt.date] = field(default_factory=list)
    projects: dict[dt.date, list[tuple[int, int, kpi.ProjectMoney]]] = field(default_factory=dict)
    works: dict[dt.date, list[tuple[int, int, kpi.WorkState]]] = field(default_factory=dict)
    instructions: dict[dt.date, list[tuple[frozenset[int], int, kpi.InstructionState]]] = \
        field(default_factory=dict)
    bodies: dict[int, str] = field(default_factory=dict)


def end_utc(day: dt.date) -> dt.datetime:
    """:func:`end_of` in UTC, as the database's times come (compared without conversions)."""
    return end_of(day).astimezone(dt.UTC)


def local_days():
    """``day(at)``: the site's calendar day of an instant (the zone looked up once)."""
    zone = timezone.get_current_timezone()
    return lambda at: at.astimezone(zone).date()


def _float(value: Any) -> float:
    """A Decimal, a number, or a number written in the audit trail's JSON, as a float."""
    return 0.0 if value is None else float(value)


def gather(*, days: Sequence[dt.date], zone: Zone | None = None,
           sections: Sequence[str] = ("plots", "sources", "funnel", "projects", "works",
                                      "instructions")) -> Records:
    """The records behind the figures of ``days``, for one zone or all; ``sections`` limits
    what is read. (Who may see them is the interfaces' check: staff and managers.)"""
    days = sorted(set(days))
    zones = {z.pk: z for z in (Zone.objects.filter(pk=zone.pk) if zone else Zone.objects.all())}
    records = Records(days=days, zones=zones)
    since = end_utc(days[0])
    zone_id = zone.pk if zone else None
    readers = {"plots": _plots, "sources": _sources, "funnel": _funnel, "projects": _projects,
               "works": _works, "instructions": _instructions}
    for name in sections:
        readers[name](records, since=since, zone_id=zone_id)
    return records


def _plots(records: Records, *, since, zone_id, **_: Any) -> None:
    qs = Plot.objects.all() if zone_id is None else Plot.objects.filter(zone_id=zone_id)
    now = [(r["zone_id"], r["status"], r["n"], _float(r["area"])) for r in  # COUNT(*), not of
           qs.values("zone_id", "status").order_by()  # the key: the covering index answers it
           .annotate(n=Count("*"), area=Sum(Coalesce("computed_area_ha", "declared_area_ha")))]
    history = History(Plot, since, ["zone", "status", "declared_area_ha", "computed_area_ha"])

    def area(state: dict) -> float:
        value = state.get("computed_area_ha")
        return _float(state.get("declared_area_ha") if value is None else value)

    for day in records.days:
        rows = list(now)
        for before, then in history.then(end_utc(day)).values():
            if before is not None:
                rows.append((before["zone"], before["status"], -1, -area(before)))
            if then is not None:
                rows.append((then["zone"], then["status"], 1, area(then)))
        records.plots[day] = [r for r in rows if zone_id is None or r[0] == zone_id]


def _sources(records: Records, *, since, zone_id, **_: Any) -> None:
    qs = UtilitySource.objects.all() if zone_id is None else \
        UtilitySource.objects.filter(zone_id=zone_id)
    now = {r.pop("id"): r for r in qs.values("id", "zone", "code", "kind", "capacity",
                                              "committed")}
    history = History(UtilitySource, since, ["zone", "code", "kind", "capacity"])
    recent = defaultdict(list)
    for source_id, amount, created, released in CapacityCommitment.objects.filter(
            Q(created_at__gte=since) | Q(released_at__gte=since)).values_list(
            "source_id", "amount", "created_at", "released_at"):
        recent[source_id].append(kpi.Commitment(_float(amount), created, released))
    upgrades = _upgrades(since)
    slugs = {pk: z.slug for pk, z in Zone.objects.in_bulk().items()}
    for day in records.days:
        cutoff = end_utc(day)
        rows = {pk: dict(r) for pk, r in now.items()}
        for pk, (_now, then) in history.then(cutoff).items():
            if then is None:
                rows.pop(pk, None)
            elif zone_id is None or then["zone"] == zone_id:
                rows[pk] = {"committed": 0, **rows.get(pk, {}), **then}
        out = []
        for pk, r in sorted(rows.items(), key=lambda item: (item[1]["zone"], item[1]["kind"],
                                                             item[1]["code"])):
            committed = kpi.rolled_back_total(_float(r["committed"]), [
                (kpi.committed_at([c], None), kpi.committed_at([c], cutoff))
                for c in recent.get(pk, ())])
            out.append((r["zone"], kpi.Source(
                id=pk, code=r["code"], kind=r["kind"], unit=UTILITY_KINDS[r["kind"]].unit,
                zone=slugs.get(r["zone"], ""), capacity=_float(r["capacity"]),
                committed=ledger_sum(committed), upgrades=upgrades(pk, cutoff))))
        records.sources[day] = out


def _upgrades(since: dt.datetime):
    """Planned and running upgrades of each source at a moment: ``upgrades(source, at)``."""
    fields = ["source", "status", "planned_completion", "capacity_added", "name_ru", "name_kk",
              "name_en"]
    now = {r.pop("id"): r for r in InfrastructureProject.objects.filter(source__isnull=False)
           .values("id", *fields)}
    history = History(InfrastructureProject, since, fields)
    cache: dict[dt.datetime, dict[int, list[kpi.Upgrade]]] = {}
    lang = (get_language() or "ru")[:2]

    def at_moment(at: dt.datetime) -> dict[int, list[kpi.Upgrade]]:
        rows = dict(now)
        for pk, (_now, then) in history.then(at).items():
            if then is None:
                rows.pop(pk, None)
            else:
                rows[pk] = {**rows.get(pk, {}), **then}
        out = defaultdict(list)
        for r in sorted(rows.values(), key=lambda r: (str(r.get("planned_completion")),)):
            if r.get("source") and r.get("status") in ("planned", "in_progress"):
                completion = r.get("planned_completion")
                if isinstance(completion, str):
                    completion = dt.date.fromisoformat(completion)
                out[r["source"]].append(kpi.Upgrade(
                    name=r.get(f"name_{lang}") or r.get("name_ru") or "",
                    capacity_added=_float(r.get("capacity_added")),
                    planned_completion=completion, status=r["status"]))
        return out

    def upgrades(source_id: int, at: dt.datetime) -> tuple[kpi.Upgrade, ...]:
        if at not in cache:
            cache[at] = at_moment(at)
        return tuple(cache[at].get(source_id, ()))

    return upgrades


def zone_of_plot(plot: str) -> Subquery:
    """The zone of the plot a row refers to (``plot``: the path to its key), looked up by the
    key for each row: joined instead, PostgreSQL read all of a region's plots to find the few
    thousand asked for."""
    return Subquery(Plot.objects.filter(pk=OuterRef(plot)).order_by().values("zone_id"))


def application_zones(reservations: list[tuple[int, Any, int]] | None = None) -> dict[int, int]:
    """Each application's zone: that of the plot it holds or last held, else of its first
    preferred plot. Applications without a plot belong to no zone (they count for all).
    ``reservations``: the rows of :func:`_reservations` when already read."""
    out = {app: zone for app, zone in PreferredPlot.objects.order_by("-position")
           .values_list("application_id", zone_of_plot("plot_id"))}
    out |= {app: zone for app, _at, zone in reservations or _reservations()}
    return out


def _reservations() -> list[tuple[int, str, int]]:
    """``(application, created_at, zone)`` of every reservation, oldest first, the time as
    :func:`utc_text`."""
    return list(Reservation.objects.order_by("created_at", "id").values_list(
        "application_id", utc_text("created_at"), zone_of_plot("plot_id")))


def _funnel(records: Records, *, zone_id, **_: Any) -> None:
    _day, date = TextDays(), TextDates()
    reservations = _reservations()
    zones = application_zones(reservations)
    entries = AuditEntry.objects.filter(object_type=Application._meta.label_lower,
                                        action__in=list(STAGE_ACTIONS))
    milestones = Milestone.objects.filter(kind__in=[MilestoneKind.CONSTRUCTION_START,
                                                    MilestoneKind.OPERATION],
                                          done_on__isnull=False)
    if zone_id is not None:  # only the zone's applications are read
        mine = [app for app, zone in zones.items() if zone == zone_id]
        entries = entries.filter(object_id__in=[str(app) for app in mine])
        milestones = milestones.filter(project__application_id__in=mine)
    stages: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for object_id, action, at in entries.order_by().values_list(  # unordered: an index covers it
            "object_id", "action", utc_text("at")):
        if object_id.isdigit():  # each stage's earliest day
            dates, stage, day = stages[int(object_id)], STAGE_ACTIONS[action], _day(at)
            if stage not in dates or day < dates[stage]:
                dates[stage] = day
    for app, at, _zone in reservations:
        stages[app].setdefault("reserved", _day(at))
    milestone = {MilestoneKind.CONSTRUCTION_START: "projects_in_construction",
                 MilestoneKind.OPERATION: "projects_in_operation"}
    for app, kind, done, created in milestones.values_list(
            "project__application_id", "kind", utc_text("done_on"),
            utc_text("project__created_at")):
        stages[app][milestone[kind]] = max(date(done), _day(created))  # counts once recorded
    for app, dates in stages.items():
        if zone_id is None or zones.get(app) == zone_id:
            records.journeys.append((zones.get(app), app, kpi.Journey(**dates)))
    if zone_id is None:
        records.enquiries = [_day(at) for at in enquiry_entries().order_by().values_list(
            utc_text("at"), flat=True)]


def enquiry_entries():
    """The audit entries of investors' enquiries (the funnel's first stage). The investors are
    asked for by their keys: joined, PostgreSQL read every actor's entries first."""
    investors = list(User.objects.filter(role="investor").values_list("id", flat=True))
    return AuditEntry.objects.filter(action__in=ENQUIRY_ACTIONS, actor_id__in=investors)


def directions() -> dict[int, list[tuple[str, list[str]]]]:
    """Each zone's priority directions, in order, as ``(name, sector codes)``."""
    out: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
    for d in PriorityDirection.objects.prefetch_related("sectors").order_by("zone", "position"):
        out[d.zone_id].append((d.name, [s.code for s in d.sectors.all()]))
    return out


def _projects(records: Records, *, zone_id, **_: Any) -> None:
    mine = {} if zone_id is None else {"allocation__plot__zone_id": zone_id}
    day_of, date = TextDays(), TextDates()
    projects = [(pk, day_of(created), date(terminated), sector, zone)
                for pk, created, terminated, sector, zone in Project.objects.filter(**mine)
                .values_list("id", utc_text("created_at"), utc_text("terminated_on"),
                             "application__sector_id", zone_of_plot("allocation__plot_id"))]
    inside = {} if zone_id is None else {"project__allocation__plot__zone_id": zone_id}
    plans = defaultdict(list)
    for pk, year, investment, jobs in PlanYear.objects.filter(**inside).values_list(
            "project_id", "year", as_float("investment_kzt"), "jobs"):
        plans[pk].append((year, _float(investment), jobs))
    confirmed = defaultdict(list)
    for pk, year, investment, jobs, at, report in Report.objects.filter(
            status=Report.Status.CONFIRMED, **inside).values_list(
            "project_id", "year", as_float("investment_kzt"), "jobs", "reviewed_at", "id"):
        confirmed[pk].append(kpi.Confirmed(year, _float(investment), jobs, at, report))
    by_zone, direction = directions(), {}  # each zone's direction of a sector, found once
    for day in records.days:
        cutoff = end_utc(day)
        out = []
        for pk, created, terminated, sector, zone in projects:
            if created > day or (terminated is not None and terminated <= day):
                continue  # not recorded yet, or no longer a project (as project_figures says)
            years, planned_jobs, actual_jobs = kpi.plan_vs_actual(
                plans[pk], confirmed[pk], cutoff=cutoff, as_of=day)
            if (zone, sector) not in direction:
                direction[zone, sector] = kpi.direction_of(
                    sector, by_zone.get(zone, [])) or OTHER_DIRECTION
            out.append((zone, pk, kpi.ProjectMoney(
                direction=direction[zone, sector], years=tuple(years),
                planned_jobs=planned_jobs, actual_jobs=actual_jobs)))
        records.projects[day] = out


def _works(records: Records, *, zone_id, **_: Any) -> None:
    mine = {} if zone_id is None else {"zone_id": zone_id}
    inside = {} if zone_id is None else {"work__zone_id": zone_id}
    day_of, date = TextDays(), TextDates()  # no conversion of each value by the ORM
    works = [(pk, zone, day_of(created), date(started), date(accepted), date(cancelled))
             for pk, zone, created, started, accepted, cancelled in Work.objects.filter(**mine)
             .values_list("id", "zone_id", *map(utc_text, ("created_at", "started_on",
                                                           "accepted_on", "cancelled_on")))]
    baselines = {pk: evm.Baseline(date(start), date(finish), value)
                 for pk, start, finish, value in WorkPlan.objects.filter(version=1, **inside)
                 .values_list("work_id", utc_text("planned_start"), utc_text("planned_finish"),
                              as_float("contract_value_kzt"))}
    reports = defaultdict(list)
    for pk, on, percent, spent in WorkProgress.objects.filter(**inside).order_by(
            "reported_on", "id").values_list("work_id", utc_text("reported_on"),
                                             as_float("percent"), as_float("spent_kzt")):
        reports[pk].append(evm.Progress(date(on), _float(percent), spent))
    for day in records.days:
        out = []
        for pk, zone, created, started, accepted, cancelled in works:
            if created > day:
                continue  # recorded later (as /api/works?as_of= says)
            status, late, earned = evm.standing(
                baseline=baselines[pk], reports=reports[pk], started_on=started,
                accepted_on=accepted, cancelled_on=cancelled, as_of=day)
            out.append((zone, pk, kpi.WorkState(
                status=status, late=late, planned_value=earned.planned_value,
                earned_value=earned.earned_value, actual_cost=earned.actual_cost)))
        records.works[day] = out


def _instructions(records: Records, *, since, zone_id, **_: Any) -> None:
    _day, text_day, date = local_days(), TextDays(), TextDates()
    records.bodies = {b.pk: b.name for b in Body.objects.all()}
    zones = zones_of_instructions()
    rows = Instruction.objects.order_by().values_list(
        "id", "status", utc_text("deadline"), "on_control", utc_text("accepted_at"),
        "executor_id", "issuer_id")
    if zone_id is not None:
        rows = rows.filter(pk__in=[pk for pk, z in zones.items() if zone_id in z])
    rows = [(pk, status, date(deadline), *more) for pk, status, deadline, *more in rows]
    changed: dict[int, list[tuple[dt.datetime, rules.State]]] = defaultdict(list)
    for pk, at, status, deadline, on_control in Event.objects.filter(
            instruction_id__in=Event.objects.filter(at__gte=since).values("instruction_id")) \
            .order_by("instruction_id", "at", "id").values_list(
            "instruction_id", "at", "status", "deadline", "on_control"):
        changed[pk].append((at, rules.State(_day(at), status, deadline, on_control)))
    for day in records.days:
        cutoff = end_utc(day)
        out = []
        for pk, status, deadline, on_control, accepted_at, executor, issuer in rows:
            accepted_on = text_day(accepted_at) if accepted_at else None
            events = changed.get(pk, ())
            if events and events[-1][0] >= cutoff:
                state = rules.state_as_of([s for _at, s in events], day)
                if state is None:
                    continue  # issued later
                status, deadline, on_control = state.status, state.deadline, state.on_control
                accepted_on = next((s.day for _at, s in events
                                    if s.status == rules.ACCEPTED and s.day <= day), None)
            out.append((zones.get(pk, frozenset()), pk, kpi.InstructionState(
                status=status, deadline=deadline, on_control=on_control,
                accepted_on=accepted_on, executor=executor, issuer=issuer)))
        records.instructions[day] = out


def split(records: Records, day: dt.date) -> dict[int, Records]:
    """The records of ``day`` per zone (an instruction goes to each zone it concerns), so that
    the figures of every zone cost about what those of all zones cost."""
    out = {pk: Records(days=[day], zones={pk: z}, bodies=records.bodies)
           for pk, z in records.zones.items()}

    def bucket(zone: int | None) -> Records | None:
        return out.get(zone) if zone is not None else None

    for row in records.plots.get(day, ()):
        if (r := bucket(row[0])) is not None:
            r.plots.setdefault(day, []).append(row)
    for zone, source in records.sources.get(day, ()):
        if (r := bucket(zone)) is not None:
            r.sources.setdefault(day, []).append((zone, source))
    for item in records.journeys:
        if (r := bucket(item[0])) is not None:
            r.journeys.append(item)
    for name in ("projects", "works"):
        for item in getattr(records, name).get(day, ()):
            if (r := bucket(item[0])) is not None:
                getattr(r, name).setdefault(day, []).append(item)
    for item in records.instructions.get(day, ()):
        for zone in item[0]:
            if (r := bucket(zone)) is not None:
                r.instructions.setdefault(day, []).append(item)
    return out
