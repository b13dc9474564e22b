"""Reads: the instances a zone's own data gives, for the build plan and for the allocation.

The rules (``docs/optimisation.md`` states them for users):

* **A plot's serving source** per utility kind is the option
  :func:`promzona.core.connections.choose` picks for the plot with no need named
  (:func:`promzona.matching.selectors.lines_serving_plot`): the cheapest connection that can
  ever serve. An application whose needs, desired start or horizon pick another connection on
  one of its eligible plots carries that plot's sources of its own
  (:func:`promzona.applications.selectors.serving_for`, the rule a reservation commits by).
* **Candidate works** are the zone's infrastructure projects that are planned or in progress and
  its lines that are planned or under construction (a line a project builds is that project).
  Costs are in million KZT: the project's cost, or for a line without a project its fixed
  connection cost plus its cost per km times its length. Duration: the periods from today (or
  the project's later start) to the planned completion, at least one. A line requires the
  pending upgrades of its source when that source has no free capacity.
* **A plot's required works**: for each utility kind its permitted sectors need (the shipped
  table of typical needs; any sector needs power and water), the work that builds the line
  serving it when that line is not existing yet, and the pending upgrades of the line's source
  when the source has no free capacity. Its **value** is its yearly lease income in million KZT
  (declared area × lease price; the zone's median price when the plot has none).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from promzona.applications.models import Application, PreferredPlot, Reservation
from promzona.applications.selectors import serving_for
from promzona.audit.models import AuditEntry
from promzona.core import geometry as geo
from promzona.core.matching import sector_within
from promzona.core.sector_data import typical_needs
from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS
from promzona.matching.selectors import lines_serving_plot
from promzona.works.models import Work
from promzona.zones.models import InfrastructureProject, Plot, UtilityLine, Zone

from .models import PlanScenario

MILLION = 1e6
PERIOD_DAYS = 365.25 / 4  # a period is a quarter
DEFAULT_PERIODS = 8
DEFAULT_RATE = 0.02  # per quarter, about 8 % a year
#: Weights of the default value of an application (scores out of 100).
DEFAULT_WEIGHTS = {"investment": 0.5, "jobs": 0.3, "priority": 0.2}
UNDER_CONSIDERATION = (Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW)
PENDING_PROJECT = (InfrastructureProject.Status.PLANNED, InfrastructureProject.Status.IN_PROGRESS)
OFFERABLE = (Plot.Status.PUBLISHED, Plot.Status.DRAFT)
OPEN_WORK = (Work.Status.PLANNED, Work.Status.IN_PROGRESS)


# --- allocation ----------------------------------------------------------------------------


def applications_competing(zone: Zone) -> QuerySet[Application]:
    """Applications under consideration holding no plot whose preferred plots (if any) lie in
    ``zone``; an application without preferred plots competes in every zone."""
    held = Reservation.objects.filter(application=OuterRef("pk"),
                                      status__in=(Reservation.Status.ACTIVE,
                                                  Reservation.Status.ALLOCATED))
    elsewhere = PreferredPlot.objects.filter(application=OuterRef("pk")).exclude(plot__zone=zone)
    return (Application.objects.filter(status__in=UNDER_CONSIDERATION)
            .exclude(Exists(held)).exclude(Exists(elsewhere))
            .select_related("sector", "organisation").prefetch_related("preferred__plot")
            .order_by("pk"))


def application_value(app: Application, *, top_investment: float, top_jobs: float,
                      priority: list[str], weights: dict[str, float]) -> float:
    """The default value (0–100): weighted investment and jobs, each relative to the largest
    among the competitors, and whether the sector is one of the zone's priorities."""
    fit = any(sector_within(app.sector_id, code) for code in priority)
    score = (weights["investment"] * float(app.investment_kzt) / (top_investment or 1.0)
             + weights["jobs"] * app.jobs_planned / (top_jobs or 1.0)
             + weights["priority"] * fit)
    return round(100.0 * score, 2)


def application_key(app: Application) -> str:
    return f"A{app.pk}"


def submitted_at(apps: list[Application]) -> dict[int, dt.datetime]:
    """When each application was submitted (its audit entry; the creation time otherwise)."""
    entries = AuditEntry.objects.filter(
        action="application.submitted", object_type=Application._meta.label_lower,
        object_id__in=[str(a.pk) for a in apps]).values_list("object_id", "at")
    out = {a.pk: a.created_at for a in apps}
    for object_id, at in entries.order_by("at"):
        out[int(object_id)] = at
    return out


@dataclass
class AllocationContext:
    """The instance with what the pages show beside it."""

    instance: dict[str, Any]
    applications: dict[str, Application] = field(default_factory=dict)
    plots: dict[str, Plot] = field(default_factory=dict)
    default_values: dict[str, float] = field(default_factory=dict)


def allocation_instance(zone: Zone, *, today: dt.date, weights: dict[str, float] | None = None,
                        values: dict[str, float] | None = None) -> AllocationContext:
    """The zone's published plots and competing applications as an allocation instance.

    An application's eligible plots are its preferred plots (all the zone's when it named
    none) that permit its sector. ``values`` overrides the default value of some applications
    (by instance id).
    """
    weights = weights or DEFAULT_WEIGHTS
    plots = list(Plot.objects.filter(zone=zone, status=Plot.Status.PUBLISHED)
                 .prefetch_related("permitted_sectors").order_by("code"))
    sources = list(zone.sources.order_by("code"))
    apps = list(applications_competing(zone))
    priority = list(zone.priority_sectors.values_list("code", flat=True))
    top_inv = max((float(a.investment_kzt) for a in apps), default=0.0)
    top_jobs = max((a.jobs_planned for a in apps), default=0)
    when = submitted_at(apps)
    permitted = {p.pk: [s.code for s in p.permitted_sectors.all()] for p in plots}
    ctx = AllocationContext(instance={})
    rows = []
    for app in apps:
        key = application_key(app)
        preferred = [pp.plot for pp in app.preferred.all()] or plots
        eligible = [p.code for p in preferred if p.status == Plot.Status.PUBLISHED
                    and (not permitted.get(p.pk) or any(sector_within(app.sector_id, c)
                                                        for c in permitted[p.pk]))]
        default = application_value(app, top_investment=top_inv, top_jobs=top_jobs,
                                    priority=priority, weights=weights)
        ctx.default_values[key] = default
        ctx.applications[key] = app
        rows.append({
            "id": key, "value": (values or {}).get(key, default),
            "needs": {k: float(app.need(k)) for k in NEED_KEYS if app.need(k) > 0},
            "eligible": eligible, "submitted": when[app.pk].isoformat(),
        })
    plot_rows, code_of = [], {s.pk: s.code for s in sources}
    for plot in plots:
        ctx.plots[plot.code] = plot
        served = lines_serving_plot(plot, dict.fromkeys(UTILITY_KINDS, 0.0), today=today)
        plot_rows.append({"id": plot.code, "area_ha": float(plot.declared_area_ha),
                          "sources": {k: line.source.code for k, line in served.items()}})
    own_sources(ctx, rows, plot_rows, code_of, today=today)
    ctx.instance = {"applications": rows, "plots": plot_rows,
                    "sources": [{"id": s.code, "kind": s.kind, "free": float(s.free)}
                                for s in sources]}
    return ctx


def own_sources(ctx: AllocationContext, rows: list[dict], plot_rows: list[dict],
                code_of: dict[int, str], *, today: dt.date) -> None:
    """Give each application row the sources a reservation would commit on those of its
    eligible plots where they differ from the plot's own (the instance's ``sources``)."""
    default = {p["id"]: p["sources"] for p in plot_rows}
    for row in rows:
        app = ctx.applications[row["id"]]
        own = {}
        for code in (c for c in row["eligible"] if c in default):
            chosen = {k: code_of[o.source_id] for k, o in
                      serving_for(app, ctx.plots[code], today=today).items()}
            if any(default[code].get(k) != sid for k, sid in chosen.items()):
                own[code] = chosen
        if own:
            row["sources"] = own


# --- build plan ----------------------------------------------------------------------------


@dataclass
class WorkInfo:
    id: str
    name: str
    kind: str  # "line" | "upgrade" | "project"
    line: UtilityLine | None = None
    project: InfrastructureProject | None = None


@dataclass
class PlanContext:
    instance: dict[str, Any]
    works: dict[str, WorkInfo] = field(default_factory=dict)
    plots: dict[str, Plot] = field(default_factory=dict)
    default_values: dict[str, float] = field(default_factory=dict)
    default_requires: dict[str, list[str]] = field(default_factory=dict)
    left_out: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # (plot, kinds)
    period_starts: list[dt.date] = field(default_factory=list)


def _periods_until(today: dt.date, start: dt.date | None, end: dt.date) -> int:
    begin = max(today, start or today)
    return max(1, math.ceil((end - begin).days / PERIOD_DAYS))


def required_kinds(permitted: list[str]) -> list[str]:
    """The utility kinds the typical enterprise of the permitted sectors needs (power and
    water for a sector the table does not list, or for a plot open to any sector). The table
    is the shipped illustrative one (:func:`~promzona.core.sector_data.typical_needs`)."""
    needs = typical_needs()
    kinds: set[str] = set()
    for code in permitted or [None]:
        typical = next((n for s, n in needs.items() if code and sector_within(code, s)), None)
        if typical is None:
            kinds |= {"power", "water"}
        else:
            kinds |= {k for k in ("power", "water") if typical[k] > 0}
    return sorted(kinds)


def candidate_works(zone: Zone, *, today: dt.date) -> tuple[dict[str, dict], dict[str, WorkInfo],
                                                            dict[int, str], dict[int, list[str]]]:
    """Works (instance rows), their labels, the work building each line, and the pending
    upgrade works of each source."""
    rows: dict[str, dict] = {}
    info: dict[str, WorkInfo] = {}
    line_work: dict[int, str] = {}
    upgrades: dict[int, list[str]] = {}
    for p in (InfrastructureProject.objects.filter(zone=zone, status__in=PENDING_PROJECT)
              .select_related("line", "source").order_by("planned_completion", "pk")):
        key = f"IP-{p.pk}"
        rows[key] = {"id": key, "cost": round(float(p.cost_kzt or 0) / MILLION, 3),
                     "duration": _periods_until(today, p.start_date, p.planned_completion),
                     "requires": []}
        info[key] = WorkInfo(key, p.name, "project" if p.line_id else "upgrade", p.line, p)
        if p.line_id:
            line_work[p.line_id] = key
        elif p.source_id and p.capacity_added > 0:
            upgrades.setdefault(p.source_id, []).append(key)
    for ln in (UtilityLine.objects.filter(zone=zone).exclude(status=UtilityLine.Status.EXISTING)
               .select_related("source").order_by("code")):
        if ln.pk in line_work:
            continue
        shape = ln.shape()
        km = geo.project(shape, geo.metric_epsg_for(shape)).length / 1000.0
        cost = float(ln.connection_fixed_cost_kzt) + float(ln.connection_cost_per_km_kzt) * km
        rows[ln.code] = {"id": ln.code, "cost": round(cost / MILLION, 3),
                         "duration": _periods_until(today, None, ln.planned_completion),
                         "requires": []}
        info[ln.code] = WorkInfo(ln.code, ln.name or ln.code, "line", ln)
        line_work[ln.pk] = ln.code
    lines = {ln.pk: ln for ln in UtilityLine.objects.filter(pk__in=line_work)
             .select_related("source")}
    for line_id, key in line_work.items():
        source = lines[line_id].source
        if source is not None and source.free <= 0:
            rows[key]["requires"] = [u for u in upgrades.get(source.pk, []) if u != key]
    return rows, info, line_work, upgrades


def _needed(works: dict[str, dict], plots: list[dict]) -> set[str]:
    """The works the plots need, directly or through another work."""
    out: set[str] = set()
    todo = [w for p in plots for w in p["requires"]]
    while todo:
        w = todo.pop()
        if w not in out and w in works:
            out.add(w)
            todo += works[w]["requires"]
    return out


def plot_value(plot: Plot, median_lease: float) -> float:
    """Yearly lease income in million KZT."""
    price = float(plot.lease_price_kzt_ha_year) if plot.lease_price_kzt_ha_year else median_lease
    return round(float(plot.declared_area_ha) * price / MILLION, 4)


def plan_instance(zone: Zone, *, today: dt.date, periods: int = DEFAULT_PERIODS,
                  budget: list[float] | None = None, discount_rate: float = DEFAULT_RATE,
                  carry_over: bool = True, kinds: list[str] | None = None,
                  values: dict[str, float] | None = None,
                  requires: dict[str, list[str]] | None = None) -> PlanContext:
    """The zone's build-plan instance (million KZT, quarters from ``today``).

    ``budget`` defaults to the total cost of the works the plots need, spread evenly over the
    periods (so that not everything can start at once);
    ``kinds`` replaces the kinds the permitted sectors need; ``values`` and ``requires``
    override single plots' defaults (by plot code).
    """
    works, info, line_work, upgrades = candidate_works(zone, today=today)
    plots = list(Plot.objects.filter(zone=zone, status__in=OFFERABLE)
                 .prefetch_related("permitted_sectors").order_by("code"))
    leases = [float(p.lease_price_kzt_ha_year) for p in plots if p.lease_price_kzt_ha_year]
    median_lease = statistics.median(leases) if leases else 0.0
    ctx = PlanContext(instance={}, works=info)
    rows = []
    for plot in plots:
        wanted = kinds if kinds is not None else required_kinds(
            [s.code for s in plot.permitted_sectors.all()])
        serving = lines_serving_plot(plot, dict.fromkeys(wanted, 0.0), today=today)
        need: list[str] = []
        missing = [k for k in wanted if k not in serving]
        for kind in wanted:
            line = serving.get(kind)
            if line is None:
                continue
            if line.status != UtilityLine.Status.EXISTING and line.pk in line_work:
                need.append(line_work[line.pk])
            if line.source.free <= 0:
                pending = upgrades.get(line.source_id, [])
                if not pending:
                    missing.append(kind)
                need += pending
        need = list(dict.fromkeys(need))
        ctx.default_values[plot.code] = plot_value(plot, median_lease)
        ctx.default_requires[plot.code] = need
        if missing and plot.code not in (requires or {}):
            ctx.left_out.append((plot.code, tuple(sorted(set(missing)))))
            continue
        ctx.plots[plot.code] = plot
        rows.append({"id": plot.code,
                     "value": (values or {}).get(plot.code, ctx.default_values[plot.code]),
                     "requires": (requires or {}).get(plot.code, need)})
    if budget is None:
        total = sum(works[w]["cost"] for w in _needed(works, rows))
        budget = [math.ceil(total / periods * 1000) / 1000] * periods
    ctx.period_starts = [today + dt.timedelta(days=round(t * PERIOD_DAYS)) for t in range(periods)]
    ctx.instance = {"periods": periods, "discount_rate": discount_rate, "budget": list(budget),
                    "carry_over": carry_over, "works": list(works.values()), "plots": rows}
    return ctx


@dataclass
class PlanWork:
    """A scheduled work of a plan as an infrastructure work: what it builds, its dates from the
    plan's periods, its cost as the contract value estimate (None when unknown), and the open
    work that already builds it, if any. ``gone``: no longer a candidate (built or cancelled
    since the plan was made)."""

    key: str
    name: str
    start: dt.date
    finish: dt.date
    value_kzt: Decimal | None
    line: UtilityLine | None = None
    upgrade: InfrastructureProject | None = None
    existing: Work | None = None
    gone: bool = False


def period_end(ctx: PlanContext, period: int) -> dt.date:
    """The last day of ``period`` (1-based)."""
    return ctx.period_starts[0] + dt.timedelta(days=round(period * PERIOD_DAYS) - 1)


def plan_works(ctx: PlanContext, answer: dict[str, Any]) -> list[PlanWork]:
    """The works ``answer`` schedules, in its order. A work building a line (a line, or a
    project that builds one) becomes a line work; a project adding capacity, an upgrade work."""
    out = []
    for row in answer["schedule"]:
        info = ctx.works.get(row["work"])
        start = ctx.period_starts[0] + dt.timedelta(days=round((row["start"] - 1) * PERIOD_DAYS))
        cost = Decimal(str(row["cost"])) * Decimal(MILLION) if row["cost"] > 0 else None
        pw = PlanWork(row["work"], info.name if info else row["work"], start,
                      period_end(ctx, row["complete"]), cost, gone=info is None)
        if info is not None:
            if info.kind == "upgrade":
                pw.upgrade = info.project
            else:
                pw.line = info.line
            target = Q(line=pw.line) if pw.line is not None else Q(upgrade=pw.upgrade)
            if info.project is not None:
                target |= Q(upgrade=info.project)
            pw.existing = (Work.objects.filter(target, status__in=OPEN_WORK)
                           .order_by("pk").first())
        out.append(pw)
    return out


def scenarios_of(zone: Zone) -> QuerySet[PlanScenario]:
    return PlanScenario.objects.filter(zone=zone).select_related("created_by").order_by("-pk")

