"""The zone's figures (the dashboard, ``/api/kpi``, the monthly report), each defined once.

Plain data in, plain data out; the day is always passed in. The dashboard gathers the dated records
(``promzona.dashboard.records``); these functions decide what each figure is:

* **land**: plots and hectares by status; **occupancy** = area of allocated and occupied plots /
  area of all plots except draft and withdrawn (0 while no plot counts);
* **capacity**: per source, capacity, committed (the active commitments of the ledger), free =
  capacity − committed; a source is **near exhaustion** when at most 10% of it is free;
* **funnel**: how many reached each stage by the day (a later stage counts as reaching the
  earlier ones), the conversion from the stage before, the median days between two stages;
* **investment and jobs**: planned against confirmed actual figures, by year and direction;
* **works**: on schedule or late; SPI = ΣEV / ΣPV and CPI = ΣEV / ΣAC over the works with
  contract money;
* **instructions**: open, overdue (``core.instructions.is_overdue``), closed on time or late.

>>> land([("published", 2, 3.0), ("allocated", 1, 1.0), ("draft", 1, 5.0)]).occupancy_share
0.25
"""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from promzona.core import instructions as rules
from promzona.core.utilities import ledger_sum

PLOT_STATUSES = ("published", "reserved", "allocated", "occupied", "draft", "withdrawn")
#: Plots whose land is taken (the numerator of occupancy).
TAKEN = ("allocated", "occupied")
#: Plots that do not count towards the zone's land (the denominator leaves them out).
NOT_OFFERED = ("draft", "withdrawn")
#: A source with at most this share of its capacity free is near exhaustion.
EXHAUSTION_SHARE = 0.10
NEVER = dt.date.max  # the day of a funnel stage never reached


# --- history: an audited object at a past moment -------------------------------------------


def rollback(current: dict | None, changes: Iterable[tuple[str, dict | None]]) -> dict | None:
    """The state of an object before ``changes`` — its audit entries after the moment asked
    for, newest first, as ``(action, before)``. ``current`` is its state now (``None`` when it
    has been deleted); the result is ``None`` when it did not exist yet.

    >>> rollback({"status": "reserved"}, [("plot.status.reserved", {"status": "published"})])
    {'status': 'published'}
    >>> rollback({"status": "published"}, [("plot.created", None)]) is None
    True
    """
    state = None if current is None else dict(current)
    for action, before in changes:
        if action.endswith(".created"):
            state = None
        elif action.endswith(".deleted"):
            state = dict(before or {})
        elif before and state is not None:
            state.update(before)
    return state


def rolled_back_total(now_total: float, recent: Iterable[tuple[float, float]]) -> float:
    """A running total as it was: ``now_total`` with each recent change ``(now, then)`` (the
    contribution of one row now and at the moment asked for) taken back.

    >>> rolled_back_total(10.0, [(4.0, 0.0), (0.0, 2.5)])
    8.5
    """
    return now_total + sum(then - now for now, then in recent)


# --- land ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Land:
    count_by_status: dict[str, int]
    area_ha_by_status: dict[str, float]

    @property
    def count(self) -> int:
        return sum(self.count_by_status.values())

    @property
    def area_ha(self) -> float:
        return sum(self.area_ha_by_status.values())

    @property
    def occupancy_share(self) -> float:
        return occupancy_share(self.area_ha_by_status)


def land(rows: Iterable[tuple[str, int, float]]) -> Land:
    """Plots and hectares by status from ``(status, count, area_ha)`` rows — single plots or
    sums; a row with a negative count takes a plot's contribution out (see :func:`rollback`)."""
    counts, areas = dict.fromkeys(PLOT_STATUSES, 0), dict.fromkeys(PLOT_STATUSES, 0.0)
    for status, count, area in rows:
        counts[status] = counts.get(status, 0) + count
        areas[status] = areas.get(status, 0.0) + area
    return Land(counts, {k: round(v, 4) + 0.0 for k, v in areas.items()})


def occupancy_share(area_ha_by_status: dict[str, float]) -> float:
    """Area of allocated and occupied plots / area of all plots except draft and withdrawn.

    >>> occupancy_share({"published": 6.0, "occupied": 2.0, "withdrawn": 9.0})
    0.25
    """
    offered = sum(a for s, a in area_ha_by_status.items() if s not in NOT_OFFERED)
    taken = sum(area_ha_by_status.get(s, 0.0) for s in TAKEN)
    return taken / offered if offered > 0 else 0.0


# --- capacity ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    name: str
    capacity_added: float
    planned_completion: dt.date | None
    status: str


@dataclass(frozen=True)
class Source:
    id: int
    code: str
    kind: str
    unit: str
    zone: str
    capacity: float
    committed: float
    upgrades: tuple[Upgrade, ...] = ()

    @property
    def free(self) -> float:
        return ledger_sum(self.capacity, -self.committed)

    @property
    def near_exhaustion(self) -> bool:
        return near_exhaustion(self.capacity, self.committed)


def near_exhaustion(capacity: float, committed: float) -> bool:
    """At most :data:`EXHAUSTION_SHARE` of the capacity is free (a source of no capacity too).

    >>> near_exhaustion(100.0, 90.0), near_exhaustion(100.0, 89.0)
    (True, False)
    """
    return ledger_sum(capacity, -committed) <= EXHAUSTION_SHARE * capacity + 1e-9


@dataclass(frozen=True)
class Commitment:
    amount: float
    created_at: dt.datetime
    released_at: dt.datetime | None


def committed_at(commitments: Iterable[Commitment], at: dt.datetime | None) -> float:
    """The committed capacity at the instant ``at`` (``None``: now): the commitments made
    before it and not released by it.

    >>> t = dt.datetime(2026, 1, 1)
    >>> c = [Commitment(5.0, t, None), Commitment(2.0, t, t + dt.timedelta(days=1))]
    >>> committed_at(c, t + dt.timedelta(hours=1)), committed_at(c, None)
    (7.0, 5.0)
    """
    return sum(c.amount for c in commitments
               if (at is None or c.created_at < at)
               and (c.released_at is None or (at is not None and c.released_at >= at)))


# --- the investor funnel -------------------------------------------------------------------

#: The stages of an investor's way, in order.
FUNNEL = ("enquiries", "applications_submitted", "under_review", "reserved", "approved",
          "projects_in_construction", "projects_in_operation")


@dataclass(frozen=True)
class Journey:
    """When one application reached each stage (``None``: not recorded)."""

    applications_submitted: dt.date | None = None
    under_review: dt.date | None = None
    reserved: dt.date | None = None
    approved: dt.date | None = None
    projects_in_construction: dt.date | None = None
    projects_in_operation: dt.date | None = None

    #: What :func:`funnel` asks on any day, worked out once: the day it reached each stage (in
    #: stage order, never decreasing; :data:`NEVER` for none) and ``(later day, stage index,
    #: days)`` of each pair of consecutive stages both recorded.
    steps: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        dates = (self.applications_submitted, self.under_review, self.reserved, self.approved,
                 self.projects_in_construction, self.projects_in_operation)
        gaps = tuple((d1, i, (d1 - d0).days) for i, d0, d1 in zip(range(1, 6), dates, dates[1:],
                     strict=False) if d0 is not None and d1 is not None)
        reach, first = [], NEVER
        for d in reversed(dates):
            if d is not None and d < first:
                first = d
            reach.append(first)
        object.__setattr__(self, "steps", (tuple(reversed(reach)), gaps))

    @property
    def reach(self) -> dict[str, dt.date | None]:
        """Per stage, the first day the application was at it or at a later one."""
        return {s: None if d == NEVER else d for s, d in zip(FUNNEL[1:], self.steps[0], strict=True)}

    def reached(self, stage: str, as_of: dt.date) -> bool:
        """Reached ``stage`` or a later one by the end of ``as_of``."""
        return self.steps[0][FUNNEL.index(stage) - 1] <= as_of


@dataclass(frozen=True)
class Funnel:
    counts: dict[str, int | None]  # enquiries is None where enquiries are not counted
    conversion: dict[str, float | None]  # share of the stage before; None without a base
    median_days: dict[str, float | None]  # from the stage before; None without a pair


def funnel(journeys: Sequence[Journey], *, enquiries: Sequence[dt.date] | None,
           as_of: dt.date) -> Funnel:
    """Counts of each stage reached by ``as_of``, the conversion from the stage before, and the
    median days from the stage before (over applications with both dates recorded).
    ``enquiries``: the days of the enquiries, or ``None`` where they are not counted.

    One pass over the journeys (a region has tens of thousands), each asked its ``steps``: the
    stages it reached by the day are its first few, found by bisection, and its gaps by then."""
    stages = FUNNEL[1:]
    depth = [0] * (len(stages) + 1)  # journeys by the number of stages reached
    gaps: list[list[int]] = [[] for _ in stages]
    for j in journeys:
        reach, pairs = j.steps
        depth[bisect.bisect_right(reach, as_of)] += 1
        for d1, i, days in pairs:
            if d1 <= as_of:
                gaps[i].append(days)
    reached = {stage: sum(depth[i + 1:]) for i, stage in enumerate(stages)}
    counts: dict[str, int | None] = {
        "enquiries": None if enquiries is None else sum(1 for d in enquiries if d <= as_of),
        **reached}
    conversion: dict[str, float | None] = {FUNNEL[0]: None}
    for before, stage in zip(FUNNEL, FUNNEL[1:], strict=False):
        base = counts[before]
        conversion[stage] = counts[stage] / base if base else None
    median: dict[str, float | None] = {FUNNEL[0]: None, FUNNEL[1]: None}
    for stage, days in zip(stages[1:], gaps[1:], strict=True):
        median[stage] = float(statistics.median(days)) if days else None
    return Funnel(counts, conversion, median)


# --- investment and jobs -------------------------------------------------------------------


@dataclass(frozen=True)
class YearPlan:
    """One year of a project: its plan, and the report confirmed for it (``None``: none)."""

    year: int
    planned_investment: Any
    planned_jobs: int
    actual_investment: Any | None
    actual_jobs: int | None


@dataclass(frozen=True)
class ProjectMoney:
    """One project's figures on the day (from ``projects.selectors.project_figures``)."""

    direction: str
    years: tuple[YearPlan, ...]
    planned_jobs: int  # this year's plan
    actual_jobs: int  # the latest confirmed report's


@dataclass(frozen=True)
class Plan:
    planned: float = 0.0
    actual: float = 0.0
    planned_jobs: int = 0
    actual_jobs: int = 0
    projects: int = 0


@dataclass(frozen=True)
class Investment:
    total: Plan
    by_year: dict[int, Plan]
    by_direction: dict[str, Plan]


def investment(projects: Iterable[ProjectMoney]) -> Investment:
    """Investment planned (every year of the plans) against confirmed actual, and jobs planned
    (this year's plans) against actual, in total and by priority direction; by year, each
    year's plan against the report confirmed for it. (Summed in plain lists, in place.)"""
    total = [0.0, 0.0, 0, 0, 0]
    by_year: dict[int, list] = defaultdict(lambda: [0.0, 0.0, 0, 0, 0])
    by_direction: dict[str, list] = defaultdict(lambda: [0.0, 0.0, 0, 0, 0])

    for p in projects:
        planned = sum(float(y.planned_investment) for y in p.years)
        actual = sum(float(y.actual_investment or 0) for y in p.years)
        for sums in (total, by_direction[p.direction]):
            for i, value in enumerate((planned, actual, p.planned_jobs, p.actual_jobs, 1)):
                sums[i] += value
        for y in p.years:
            for i, value in enumerate((float(y.planned_investment), float(
                    y.actual_investment or 0), y.planned_jobs, y.actual_jobs or 0)):
                by_year[y.year][i] += value
    return Investment(Plan(*total), {k: Plan(*v) for k, v in sorted(by_year.items())},
                      {k: Plan(*v) for k, v in sorted(by_direction.items())})


@dataclass(frozen=True)
class Confirmed:
    """An investor's report that staff confirmed ``at``: the investment made in ``year`` and the
    jobs then."""

    year: int
    investment: Any
    jobs: int
    at: dt.datetime
    id: int


def plan_vs_actual(plan: Iterable[tuple[int, Any, int]], confirmed: Iterable[Confirmed], *,
                   cutoff: dt.datetime, as_of: dt.date) -> tuple[list[YearPlan], int, int]:
    """A project's plan ``(year, investment, jobs)`` against what was confirmed before
    ``cutoff``: per year, the latest report confirmed for it; the jobs planned are those of the
    last planned year up to ``as_of``'s, the actual jobs those of the latest confirmed report.
    Returns ``(years, planned jobs, actual jobs)``."""
    counted = sorted((c for c in confirmed if c.at < cutoff), key=lambda c: (c.at, c.id))
    actual = {c.year: c for c in counted}
    planned = {year: (investment, jobs) for year, investment, jobs in plan}
    years = []
    for year in sorted(set(planned) | set(actual)):
        p, a = planned.get(year), actual.get(year)
        years.append(YearPlan(year, p[0] if p else 0, p[1] if p else 0,
                              a.investment if a else None, a.jobs if a else None))
    upto = [y for y in years if y.year <= as_of.year]
    return years, upto[-1].planned_jobs if upto else 0, counted[-1].jobs if counted else 0


def direction_of(sector: str, directions: Sequence[tuple[str, Sequence[str]]]) -> str | None:
    """The first direction ``(name, sector codes)`` covering ``sector`` (a code covers itself
    and its sub-codes: C25 covers C25.11).

    >>> direction_of("C25.11", [("Logistics", ["H49"]), ("Metalworking", ["C25", "C28"])])
    'Metalworking'
    """
    for name, codes in directions:
        if any(sector == c or sector.startswith(c + ".") for c in codes):
            return name
    return None


# --- works ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkState:
    """One work on the day (from ``works.selectors.work_figures``)."""

    status: str
    late: bool
    planned_value: float | None
    earned_value: float | None
    actual_cost: float | None


@dataclass(frozen=True)
class Works:
    total: int
    by_status: dict[str, int]
    late: int
    on_schedule: int
    spi: float | None
    cpi: float | None


def works(items: Iterable[WorkState]) -> Works:
    """Works recorded by the day: how many, by status, late, on schedule (neither late nor
    cancelled), and the portfolio's SPI = ΣEV / ΣPV and CPI = ΣEV / ΣAC (works with money)."""
    items = list(items)
    by_status = Counter(w.status for w in items)
    late = sum(1 for w in items if w.late)
    money = [w for w in items if w.planned_value is not None]
    pv = sum(w.planned_value for w in money)
    ev = sum(w.earned_value or 0.0 for w in money)
    ac = sum(w.actual_cost or 0.0 for w in money)
    return Works(total=len(items), by_status=dict(by_status), late=late,
                 on_schedule=sum(1 for w in items if not w.late and w.status != "cancelled"),
                 spi=ev / pv if pv > 0 else None, cpi=ev / ac if ac > 0 else None)


# --- instructions --------------------------------------------------------------------------


@dataclass(frozen=True)
class InstructionState:
    """One instruction at the end of the day."""

    status: str
    deadline: dt.date
    on_control: bool
    accepted_on: dt.date | None
    executor: int  # the executing body
    issuer: int  # the issuing body


@dataclass(frozen=True)
class Instructions:
    open: int
    overdue: int
    closed_on_time: int
    closed_late: int
    off_control: int
    overdue_by_executor: dict[int, int] = field(default_factory=dict)  # body -> overdue
    overdue_by_issuer: dict[int, int] = field(default_factory=dict)


def instructions(items: Iterable[InstructionState], *, today: dt.date) -> Instructions:
    """Open (on control, not accepted), overdue (:func:`promzona.core.instructions.is_overdue`),
    closed on time or late (:func:`~promzona.core.instructions.accepted_on_time`), removed from
    control while open; the overdue ones counted by executor and by issuer."""
    open_ = overdue = on_time = late = off = 0
    by_executor: Counter[int] = Counter()
    by_issuer: Counter[int] = Counter()
    for i in items:
        if i.status == rules.ACCEPTED:
            accepted = i.accepted_on or today
            if rules.accepted_on_time(deadline=i.deadline, accepted_on=accepted):
                on_time += 1
            else:
                late += 1
            continue
        if not i.on_control:
            off += 1
            continue
        open_ += 1
        if rules.is_overdue(deadline=i.deadline, status=i.status, on_control=i.on_control,
                            today=today):
            overdue += 1
            by_executor[i.executor] += 1
            by_issuer[i.issuer] += 1
    return Instructions(open_, overdue, on_time, late, off,
                        dict(by_executor.most_common()), dict(by_issuer.most_common()))


# --- the whole -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Every figure of one scope (a zone or all zones) at the end of ``as_of``."""

    as_of: dt.date
    land: Land
    sources: tuple[Source, ...]
    funnel: Funnel
    investment: Investment
    works: Works
    instructions: Instructions
