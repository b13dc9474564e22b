"""The matcher: a per-dataset index built once, and one vectorised pass per request.

**Index** (:class:`MatchIndex`, built once per dataset): plot attributes as numpy arrays; lines
grouped by (source, status); for every plot and group of its zone within
``max_connection_m``, the distance to the group's nearest line (STRtree) and the connection cost
(fixed + per km × distance). Lines without a recorded source are not connection options: their
capacity cannot be checked.

**Per request** (:func:`match`), array operations only:

* hard constraints — status published, area range, permitted sector (OKED prefix: a plot
  permitting ``C25`` accepts ``C25.11``; no permitted sectors means any), hazard class (class
  ``h`` is allowed when ``h >= hazard_class_max``), rail spur, maximum distances (an unknown
  distance fails a stated maximum), a published lease or sale price, budget;
* utilities, per need: among the plot's options (nearest line per source and status) that can
  ever serve, the one with the lowest cost over the horizon (connection + tariff × consumption ×
  years), then ready earliest, then lowest line id. Cost first keeps the match monotone: more
  capacity or a smaller need only adds options, so it can never raise a plot's cost above a
  budget. An option is ready when its line exists (today, or its planned completion) **and** its
  source has the capacity — free capacity from the ledger now, or once enough planned upgrades
  are completed — plus the connection lead time;
* a need no option can ever serve is a **gap** and the plot is **excluded** with the sentence
  saying why; a need served only by a line being built or by a planned upgrade keeps the plot
  in the results ("possibly later") with the gap and the date it closes;
* cost of location over ``horizon_years``: land (the cheaper of lease × area × years and the sale
  price) + connections + annual utility bill × years − incentives (see
  :class:`~promzona.core.matching.request.Assumptions`);
* time to start: the latest of plot availability, today + the zone's administrative procedure,
  and each need's readiness (connection lead time included);
* score 0–100: weighted mean of the criteria in :data:`CRITERIA_DOC`; ties by plot id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely

from promzona.core.connections import LineLink
from promzona.core.utilities import UTILITY_KINDS

from .data import PlotIn, SourceIn, UpgradeIn, ZoneIn
from .request import CRITERIA, KINDS, Assumptions, MatchRequest
from .text import fmt_date, fmt_month, fmt_num, texts

NEVER = 10**8  # a day ordinal later than any real date
STATUS_OK = "published"

CRITERIA_DOC = {
    "cost": "cheapest cost of location among the results / this plot's (1 for the cheapest)",
    "time": "365 / (365 + days to start)",
    "logistics": "0.5 × rail (1 with a spur, else e^(−d/5 km)) + 0.3 × e^(−road/5 km) "
                 "+ 0.2 × e^(−airport/50 km); unknown distances count 0",
    "sector": "1 when the sector is a priority sector of the zone, else 0",
    "anchor": "1 when an anchor enterprise of the zone is in the same OKED division "
              "(e.g. C24), 0.5 in the same section (letter), else 0",
    "area": "requested minimum area / plot area (capped at 1): less unused land is better",
}

# Exclusion reason bits.
R_STATUS, R_AREA_SMALL, R_AREA_LARGE, R_SECTOR, R_HAZARD, R_RAIL_SPUR = 1, 2, 4, 8, 16, 32
R_DIST_RAIL, R_DIST_ROAD, R_DIST_AIRPORT, R_NO_PRICE, R_BUDGET = 64, 128, 256, 512, 1024
R_GAP = {k: 2048 << i for i, k in enumerate(KINDS)}


def sector_within(sector: str, code: str) -> bool:
    """True when ``sector`` is ``code`` or a subdivision of it (OKED codes are prefixes)."""
    return sector == code or sector.startswith(code)


def _division(code: str) -> str:
    return code.split(".")[0][:3]


def _ord(d: dt.date | None, default: int) -> int:
    return d.toordinal() if d is not None else default


class MatchIndex:
    """Everything about the dataset that does not depend on the request."""

    def __init__(
        self,
        *,
        zones: list[ZoneIn],
        plots: list[PlotIn],
        sources: list[SourceIn],
        upgrades: list[UpgradeIn],
        lines: list[LineLink],
        max_connection_m: float = 10_000.0,
    ):
        self.max_connection_m = float(max_connection_m)
        self.zones = sorted(zones, key=lambda z: z.id)
        self.zone_pos = {z.id: i for i, z in enumerate(self.zones)}
        self.plots = sorted(plots, key=lambda p: p.id)
        self.sources = sorted(sources, key=lambda s: s.id)
        self.source_pos = {s.id: i for i, s in enumerate(self.sources)}
        self.sources_of_kind: dict[str, list[int]] = {}
        for i, s in enumerate(self.sources):
            self.sources_of_kind.setdefault(s.kind, []).append(i)
        self.upgrades: dict[int, list[UpgradeIn]] = {}
        for u in sorted(upgrades, key=lambda u: (u.completion, u.id)):
            if u.source_id in self.source_pos and u.capacity_added > 0:
                self.upgrades.setdefault(u.source_id, []).append(u)
        P = len(self.plots)
        self.plot_pos = {p.id: i for i, p in enumerate(self.plots)}
        self.plot_id = np.array([p.id for p in self.plots], dtype=np.int64)
        self.plot_zone = np.array([self.zone_pos[p.zone_id] for p in self.plots], dtype=np.int64)
        self.published = np.array([p.status == STATUS_OK for p in self.plots], dtype=bool)
        self.area = np.array([p.area_ha for p in self.plots], dtype=float)
        self.hazard_max = np.array([p.hazard_class_max for p in self.plots], dtype=np.int64)

        def opt(vals):
            return np.array([np.nan if v is None else float(v) for v in vals], dtype=float)

        self.lease = opt(p.lease_price_kzt_ha_year for p in self.plots)
        self.sale = opt(p.sale_price_kzt for p in self.plots)
        self.free_use = np.array([p.free_use for p in self.plots], dtype=bool)
        self.rail_spur = np.array([p.rail_spur for p in self.plots], dtype=bool)
        self.d_rail = opt(p.dist_rail_m for p in self.plots)
        self.d_road = opt(p.dist_road_m for p in self.plots)
        self.d_airport = opt(p.dist_airport_m for p in self.plots)
        self.avail = np.array([_ord(p.available_from, 0) for p in self.plots], dtype=np.int64)
        sets: dict[tuple[str, ...], int] = {}
        self.plot_sectorset = np.array(
            [sets.setdefault(tuple(sorted(p.permitted_sectors)), len(sets)) for p in self.plots],
            dtype=np.int64,
        )
        self.sectorsets = list(sets)
        self.admin_days = np.array([z.admin_procedure_days for z in self.zones], dtype=np.int64)

        # Lines: keep those whose source is known and of the same kind.
        self.lines = sorted(
            (ln for ln in lines if ln.source_id in self.source_pos
             and self.sources[self.source_pos[ln.source_id]].kind == ln.kind),
            key=lambda ln: ln.id,
        )
        self.line_pos = {ln.id: i for i, ln in enumerate(self.lines)}
        self.line_fixed = np.array([ln.fixed_cost_kzt for ln in self.lines], dtype=float)
        self.line_perkm = np.array([ln.cost_per_km_kzt for ln in self.lines], dtype=float)
        self.line_lead = np.array([ln.lead_days for ln in self.lines], dtype=np.int64)
        self.line_done = np.array([_ord(ln.completion, 0) for ln in self.lines], dtype=np.int64)
        groups: dict[tuple[int, str], list[int]] = {}
        for i, ln in enumerate(self.lines):
            groups.setdefault((self.source_pos[ln.source_id], ln.status), []).append(i)
        self.group_keys = sorted(groups)
        self.group_source = np.array([g[0] for g in self.group_keys], dtype=np.int64)
        plots_of_zone: dict[int, np.ndarray] = {
            zi: np.flatnonzero(self.plot_zone == zi) for zi in range(len(self.zones))
        }
        geoms = np.array([p.geometry for p in self.plots], dtype=object)
        acc: dict[str, list[tuple[np.ndarray, ...]]] = {k: [] for k in KINDS}
        for gi, key in enumerate(self.group_keys):
            src = self.sources[key[0]]
            members = plots_of_zone.get(self.zone_pos.get(src.zone_id, -1))
            if members is None or members.size == 0:
                continue
            line_idx = np.array(groups[key], dtype=np.int64)
            tree = shapely.STRtree([self.lines[i].geometry for i in line_idx])
            (inp, hit), dist = tree.query_nearest(
                geoms[members], max_distance=self.max_connection_m, return_distance=True,
                all_matches=True,
            )
            # Equidistant lines: keep the lowest line index (hits come in any order).
            order = np.lexsort((line_idx[hit], inp))
            inp, hit, dist = inp[order], hit[order], dist[order]
            first = np.ones(inp.size, dtype=bool)
            first[1:] = inp[1:] != inp[:-1]
            acc[src.kind].append((members[inp[first]], np.full(first.sum(), gi, dtype=np.int64),
                                  line_idx[hit[first]], dist[first]))
        self.pairs: dict[str, dict[str, np.ndarray]] = {}
        for kind in KINDS:
            if acc[kind]:
                plot_i, grp, line, dist = (np.concatenate(c) for c in zip(*acc[kind], strict=True))
            else:
                plot_i = grp = line = np.zeros(0, dtype=np.int64)
                dist = np.zeros(0)
            order = np.lexsort((line, plot_i))
            plot_i, grp, line, dist = plot_i[order], grp[order], line[order], dist[order]
            seg_plot, seg_start = np.unique(plot_i, return_index=True)
            self.pairs[kind] = {
                "plot": plot_i, "group": grp, "line": line, "dist": dist,
                "cost": self.line_fixed[line] + self.line_perkm[line] * dist / 1000.0,
                "lead": self.line_lead[line], "done": self.line_done[line],
                "seg_plot": seg_plot, "seg_start": seg_start,
                "seg_len": np.diff(np.append(seg_start, plot_i.size)),
            }
        self.size = P

    def status_mask(self, statuses: tuple[str, ...]) -> np.ndarray:
        """Plots (in index order) whose status is one of ``statuses``."""
        return np.array([p.status in statuses for p in self.plots], dtype=bool)

    def source_ready(self, source_pos: int, need: float, today_ord: int) -> int:
        """Day ordinal from which the source can supply ``need`` more, or NEVER."""
        s = self.sources[source_pos]
        free = s.capacity - s.committed
        if free >= need:
            return today_ord
        for u in self.upgrades.get(s.id, []):
            free += u.capacity_added
            if free >= need:
                return max(today_ord, u.completion.toordinal())
        return NEVER


@dataclass
class Choice:
    """Per kind: the chosen pair per plot (-1 none) and its ready day ordinal (NEVER: a gap)."""

    pair: np.ndarray
    ready: np.ndarray
    pair_ready: np.ndarray  # ready day ordinal of every pair of the kind (for alternatives)


@dataclass
class UtilityOption:
    kind: str
    need: float
    unit: str
    line_id: int
    line_code: str
    line_status: str
    source_id: int
    source_code: str
    source_name: str
    distance_m: float
    connection_cost_kzt: float
    free_now: float
    tariff_kzt: float
    annual_cost_kzt: float
    ready_on: dt.date


@dataclass
class Gap:
    kind: str
    text: str
    resolved_on: dt.date | None  # None: never, with what is planned (the plot is excluded)


@dataclass
class Reason:
    code: str
    text: str


@dataclass
class ResultRow:
    plot_id: int
    rank: int
    score: float
    cost_of_location_kzt: float
    cost_breakdown: dict[str, float]
    time_to_start_days: int
    start_on: dt.date
    utilities: list[UtilityOption]
    gaps: list[Gap]
    criteria: dict[str, float]
    explanation: list[str] = field(default_factory=list)


@dataclass
class Excluded:
    plot_id: int
    reasons: list[Reason]


def _segment_choice(p: dict[str, np.ndarray], keys: list[np.ndarray]) -> np.ndarray:
    """Per segment (plot), the first pair in the lexicographic order of ``keys`` (then index)."""
    if p["plot"].size == 0:
        return np.zeros(0, dtype=np.int64)
    start, length = p["seg_start"], p["seg_len"]
    cand = np.ones(p["plot"].size, dtype=bool)
    for key in keys:
        k = np.where(cand, key, np.inf)
        cand &= k == np.repeat(np.minimum.reduceat(k, start), length)
    idx = np.where(cand, np.arange(cand.size), cand.size)
    return np.minimum.reduceat(idx, start)


def match(
    index: MatchIndex, req: MatchRequest, *, today: dt.date, assumptions: Assumptions | None = None,
    visible: np.ndarray | None = None,
) -> MatchOutcome:
    """Decide for every plot of ``index`` (or those ``visible``, a mask in plot-id order): a
    ranked result or excluded with reasons."""
    a = assumptions or req.assumptions
    ix = index
    t = today.toordinal()
    years = float(req.horizon_years)
    reasons = np.where(ix.published, 0, R_STATUS).astype(np.int64)
    if req.area_min_ha is not None:
        reasons |= np.where(ix.area < req.area_min_ha, R_AREA_SMALL, 0)
    if req.area_max_ha is not None:
        reasons |= np.where(ix.area > req.area_max_ha, R_AREA_LARGE, 0)
    set_ok = np.array([not s or any(sector_within(req.sector, c) for c in s) for s in ix.sectorsets],
                      dtype=bool)
    if set_ok.size:
        reasons |= np.where(set_ok[ix.plot_sectorset], 0, R_SECTOR)
    reasons |= np.where(req.hazard_class >= ix.hazard_max, 0, R_HAZARD)
    if req.rail_spur:
        reasons |= np.where(ix.rail_spur, 0, R_RAIL_SPUR)
    for limit, d, bit in ((req.max_dist_rail_m, ix.d_rail, R_DIST_RAIL),
                          (req.max_dist_road_m, ix.d_road, R_DIST_ROAD),
                          (req.max_dist_airport_m, ix.d_airport, R_DIST_AIRPORT)):
        if limit is not None:
            reasons |= np.where(d <= limit, 0, bit)  # NaN (unknown) compares False

    P = ix.size
    conn = np.zeros(P)
    annual = np.zeros(P)
    latest = np.maximum(np.maximum(ix.avail, t), t + ix.admin_days[ix.plot_zone])
    choices: dict[str, Choice] = {}
    tariff = np.array([s.tariff_kzt for s in ix.sources], dtype=float)
    for kind in KINDS:
        need = req.need(kind)
        if need <= 0:
            continue
        p = ix.pairs[kind]
        src_ready = np.full(len(ix.sources), NEVER, dtype=np.int64)
        for s in ix.sources_of_kind.get(kind, ()):
            src_ready[s] = ix.source_ready(s, need, t)
        g_ready = src_ready[ix.group_source[p["group"]]]
        ready = np.maximum(np.maximum(p["done"], t), g_ready) + p["lead"]
        ready = np.where(g_ready >= NEVER, NEVER, ready)
        bill = tariff[ix.group_source[p["group"]]] * need * a.annual_units(kind)
        # The lowest cost over the horizon among the feasible, then the earliest. (Where none is
        # feasible the pick is arbitrary; the gap sentence names the cheapest, see _option.)
        horizon_cost = np.where(ready >= NEVER, np.inf, p["cost"] + bill * years)
        chosen = _segment_choice(p, [horizon_cost, ready.astype(float)])
        pair = np.full(P, -1, dtype=np.int64)
        when = np.full(P, NEVER, dtype=np.int64)
        pair[p["seg_plot"]] = chosen
        when[p["seg_plot"]] = ready[chosen]
        choices[kind] = Choice(pair=pair, ready=when, pair_ready=ready)
        reasons |= np.where(when >= NEVER, R_GAP[kind], 0)
        has = pair >= 0
        conn[has] += p["cost"][pair[has]]
        annual[has] += tariff[ix.group_source[p["group"][pair[has]]]] * need * a.annual_units(kind)
        latest = np.maximum(latest, when)

    lease_total = ix.area * ix.lease * years
    with np.errstate(invalid="ignore"):
        land = np.fmin(lease_total, ix.sale)
    by_lease = ~np.isnan(lease_total) & ~(ix.sale < lease_total)
    reasons |= np.where(np.isnan(land), R_NO_PRICE, 0)
    zone_priority = np.array([any(sector_within(req.sector, c) or sector_within(c, req.sector)
                                  for c in z.priority_sectors) for z in ix.zones], dtype=bool)
    priority = zone_priority[ix.plot_zone] if zone_priority.size else np.zeros(P, dtype=bool)
    incentive = np.where(ix.free_use & priority & by_lease,
                         ix.area * np.nan_to_num(ix.lease) * min(a.free_use_years, years), 0.0)
    total = np.nan_to_num(land) + conn + annual * years - incentive
    if req.budget_kzt is not None:
        reasons |= np.where(total > req.budget_kzt, R_BUDGET, 0)
    return MatchOutcome(
        index=ix, request=req, today=today, assumptions=a, reasons=reasons, choices=choices,
        land=np.nan_to_num(land), by_lease=by_lease, conn=conn, annual=annual,
        incentive=incentive, total=total, start=latest, priority=priority,
        visible=np.ones(P, dtype=bool) if visible is None else visible,
    )


def _anchor_fit(req: MatchRequest, zones: list[ZoneIn]) -> np.ndarray:
    out = []
    for z in zones:
        if any(_division(c) == _division(req.sector) for c in z.anchor_sectors):
            out.append(1.0)
        elif any(c[:1] == req.sector[:1] for c in z.anchor_sectors):
            out.append(0.5)
        else:
            out.append(0.0)
    return np.array(out, dtype=float)


class MatchOutcome:
    """The arrays of one match, with rows materialised on demand."""

    def __init__(self, *, index, request, today, assumptions, reasons, choices, land, by_lease,
                 conn, annual, incentive, total, start, priority, visible):
        self.index, self.request, self.today, self.assumptions = index, request, today, assumptions
        self.reasons, self.choices = reasons, choices
        self.land, self.by_lease, self.conn, self.annual = land, by_lease, conn, annual
        self.incentive, self.total, self.start, self.priority = incentive, total, start, priority
        ix, req = index, request
        ok = np.flatnonzero((reasons == 0) & visible)
        self.days = (start - today.toordinal()).astype(np.int64)
        crit: dict[str, np.ndarray] = {}
        if ok.size:
            tot = total[ok]
            cmin = max(float(tot.min()), 0.0)
            crit["cost"] = (cmin + 1.0) / (np.maximum(tot, 0.0) + 1.0)
            crit["time"] = 365.0 / (365.0 + self.days[ok])
            rail = np.where(ix.rail_spur[ok], 1.0, np.nan_to_num(np.exp(-ix.d_rail[ok] / 5000.0)))
            crit["logistics"] = (0.5 * rail + 0.3 * np.nan_to_num(np.exp(-ix.d_road[ok] / 5000.0))
                                 + 0.2 * np.nan_to_num(np.exp(-ix.d_airport[ok] / 50000.0)))
            crit["sector"] = priority[ok].astype(float)
            crit["anchor"] = _anchor_fit(req, ix.zones)[ix.plot_zone[ok]]
            target = req.area_min_ha if req.area_min_ha else None
            crit["area"] = (np.minimum(1.0, target / ix.area[ok]) if target
                            else np.ones(ok.size))
            wsum = sum(req.weights.get(c, 0.0) for c in CRITERIA)
            score = sum(req.weights.get(c, 0.0) * crit[c] for c in CRITERIA) * 100.0 / wsum
            score = np.round(score, 4)
            order = np.lexsort((ix.plot_id[ok], -score))
            self.ranked = ok[order]
            self.score = score[order]
            self.criteria = {c: v[order] for c, v in crit.items()}
        else:
            self.ranked = ok
            self.score = np.zeros(0)
            self.criteria = {c: np.zeros(0) for c in CRITERIA}
        self.excluded_pos = np.flatnonzero((reasons != 0) & visible)

    # ---- ids -------------------------------------------------------------------------------
    @property
    def result_ids(self) -> list[int]:
        return self.index.plot_id[self.ranked].tolist()

    @property
    def excluded_ids(self) -> list[int]:
        return self.index.plot_id[self.excluded_pos].tolist()

    # ---- materialised rows -----------------------------------------------------------------
    def results(self, limit: int | None = None, tr: Callable[[str], str] = str,
                lang: str = "en") -> list[ResultRow]:
        """The first ``limit`` results, sentences translated by ``tr``, numbers and dates
        written as ``lang`` writes them."""
        T = texts(tr, lang)
        rows = []
        n = self.ranked.size if limit is None else min(limit, self.ranked.size)
        for r in range(n):
            i = int(self.ranked[r])
            utilities, gaps = self._utilities(i, T)
            start_on = dt.date.fromordinal(int(self.start[i]))
            row = ResultRow(
                plot_id=int(self.index.plot_id[i]), rank=r + 1, score=float(self.score[r]),
                cost_of_location_kzt=round(float(self.total[i]), 2),
                cost_breakdown=self._breakdown(i), time_to_start_days=int(self.days[i]),
                start_on=start_on, utilities=utilities, gaps=gaps,
                criteria={c: round(float(v[r]), 4) for c, v in self.criteria.items()},
            )
            row.explanation = self._explain(i, row, T)
            rows.append(row)
        return rows

    def excluded(self, tr: Callable[[str], str] = str, limit: int | None = None,
                 lang: str = "en") -> list[Excluded]:
        T = texts(tr, lang)
        return [Excluded(plot_id=int(self.index.plot_id[i]), reasons=self._reasons(int(i), T))
                for i in self.excluded_pos[:limit]]

    def _breakdown(self, i: int) -> dict[str, float]:
        years = self.request.horizon_years
        return {
            "land_kzt": round(float(self.land[i]), 2),
            "land_deal": "lease" if self.by_lease[i] else "purchase",
            "connections_kzt": round(float(self.conn[i]), 2),
            "utilities_per_year_kzt": round(float(self.annual[i]), 2),
            "utilities_kzt": round(float(self.annual[i]) * years, 2),
            "incentives_kzt": round(-float(self.incentive[i]), 2) + 0.0,  # no "-0.0"
            "horizon_years": years,
        }

    def _option(self, kind: str, i: int) -> UtilityOption | None:
        ch = self.choices.get(kind)
        if ch is None or ch.pair[i] < 0:
            return None
        ix = self.index
        p = ix.pairs[kind]
        k = int(ch.pair[i])
        if ch.ready[i] >= NEVER:  # a gap: describe the option cheapest to connect
            seg = int(np.searchsorted(p["seg_plot"], i))
            lo = int(p["seg_start"][seg])
            k = lo + int(np.argmin(p["cost"][lo:lo + int(p["seg_len"][seg])]))
        line = ix.lines[int(p["line"][k])]
        src = ix.sources[int(ix.group_source[p["group"][k]])]
        need = self.request.need(kind)
        ready = int(ch.ready[i])
        return UtilityOption(
            kind=kind, need=need, unit=UTILITY_KINDS[kind].unit, line_id=line.id,
            line_code=line.code, line_status=line.status, source_id=src.id, source_code=src.code,
            source_name=src.name, distance_m=round(float(p["dist"][k]), 1),
            connection_cost_kzt=round(float(p["cost"][k]), 2), free_now=src.free,
            tariff_kzt=src.tariff_kzt,
            annual_cost_kzt=round(src.tariff_kzt * need * self.assumptions.annual_units(kind), 2),
            ready_on=dt.date.fromordinal(min(ready, dt.date.max.toordinal())),  # NEVER: max date
        )

    def _gap_text(self, kind: str, i: int, opt: UtilityOption | None, T) -> tuple[str, dt.date | None]:
        """The gap sentence and the date it closes (None: nothing planned closes it)."""
        ix = self.index
        unit = T[f"unit_{kind}"]
        need = self.request.need(kind)
        if opt is None:
            return T["gap_no_line"].format(
                kind=T[f"kind_{kind}"], km=fmt_num(ix.max_connection_m / 1000, T=T)), None
        head = T["gap_need"].format(need=fmt_num(need, T=T), unit=unit, source=opt.source_code,
                                           free=fmt_num(max(opt.free_now, 0.0), T=T))
        never = self.choices[kind].ready[i] >= NEVER
        ups = ix.upgrades.get(opt.source_id, [])
        parts = []
        if opt.free_now < need:
            parts.append(head)
            if ups:
                parts += [T["gap_upgrade"].format(added=fmt_num(u.capacity_added, T=T), unit=unit,
                                                         month=fmt_month(u.completion, T))
                          for u in ups]
            else:
                parts.append(T["gap_no_upgrade"])
        if opt.line_status != "existing":
            line = ix.lines[ix.line_pos[opt.line_id]]
            parts.append(T["gap_line"].format(
                line=opt.line_code, status=T[f"status_{opt.line_status}"],
                date=fmt_date(line.completion, T)))
        return "; ".join(parts), None if never else opt.ready_on

    def _utilities(self, i: int, T) -> tuple[list[UtilityOption], list[Gap]]:
        utilities, gaps = [], []
        for kind in KINDS:
            if self.request.need(kind) <= 0:
                continue
            opt = self._option(kind, i)
            if opt is not None:
                utilities.append(opt)
            if opt is None or self.choices[kind].ready[i] >= NEVER:
                gaps.append(Gap(kind, self._gap_text(kind, i, opt, T)[0], None))
            elif opt.line_status != "existing" or opt.free_now < opt.need:
                text, when = self._gap_text(kind, i, opt, T)
                gaps.append(Gap(kind, text, when))
        return utilities, gaps

    def _faster(self, kind: str, i: int) -> tuple[LineLink, dt.date, float] | None:
        """An option ready earlier than the chosen (cheapest) one: line, date, connection cost."""
        ch, p = self.choices[kind], self.index.pairs[kind]
        seg = int(np.searchsorted(p["seg_plot"], i))
        if seg >= p["seg_plot"].size or p["seg_plot"][seg] != i:
            return None
        lo = int(p["seg_start"][seg])
        ready = ch.pair_ready[lo:lo + int(p["seg_len"][seg])]
        k = lo + int(np.argmin(ready))
        if ch.pair_ready[k] >= ch.ready[i]:
            return None
        line = self.index.lines[int(p["line"][k])]
        return line, dt.date.fromordinal(int(ch.pair_ready[k])), float(p["cost"][k])

    def _explain(self, i: int, row: ResultRow, T) -> list[str]:
        ix, req, b = self.index, self.request, row.cost_breakdown
        out = []
        if b["land_deal"] == "lease":
            out.append(T["x_lease"].format(
                area=fmt_num(ix.area[i], 2, T=T), price=fmt_num(ix.lease[i], T=T),
                years=req.horizon_years, total=fmt_num(b["land_kzt"], T=T)))
        else:
            out.append(T["x_sale"].format(total=fmt_num(b["land_kzt"], T=T)))
        for u in row.utilities:
            out.append(T["x_utility"].format(
                kind=T[f"kind_{u.kind}"], line=u.line_code, source=u.source_code,
                dist=fmt_num(u.distance_m, T=T), cost=fmt_num(u.connection_cost_kzt, T=T),
                ready=fmt_date(u.ready_on, T), annual=fmt_num(u.annual_cost_kzt, T=T)))
            faster = self._faster(u.kind, i)
            if faster is not None:
                out.append(T["x_faster"].format(
                    kind=T[f"kind_{u.kind}"], line=faster[0].code,
                    status=T[f"status_{faster[0].status}"], ready=fmt_date(faster[1], T),
                    cost=fmt_num(faster[2], T=T)))
        if b["incentives_kzt"]:
            out.append(T["x_incentive"].format(total=fmt_num(-b["incentives_kzt"], T=T)))
        out.append(T["x_start"].format(date=fmt_date(row.start_on, T),
                                              days=row.time_to_start_days))
        if req.start_by is not None and row.start_on > req.start_by:
            out.append(T["x_late"].format(date=fmt_date(req.start_by, T)))
        if self.priority[i]:
            out.append(T["x_priority"])
        return out

    def _reasons(self, i: int, T) -> list[Reason]:
        ix, req, bits = self.index, self.request, int(self.reasons[i])
        p = ix.plots[i]
        out = []

        def add(code: str, **kw: Any) -> None:
            out.append(Reason(code, T[f"r_{code}"].format(**kw)))

        if bits & R_STATUS:
            out.append(Reason("status", T.get(f"r_status_{p.status}") or T["r_status"]))
        if bits & R_AREA_SMALL:
            add("area_small", area=fmt_num(p.area_ha, 2, T=T),
                min=fmt_num(req.area_min_ha, 2, T=T))
        if bits & R_AREA_LARGE:
            add("area_large", area=fmt_num(p.area_ha, 2, T=T),
                max=fmt_num(req.area_max_ha, 2, T=T))
        if bits & R_SECTOR:
            add("sector", sector=req.sector, permitted=", ".join(p.permitted_sectors))
        if bits & R_HAZARD:
            add("hazard", hazard=req.hazard_class, max=p.hazard_class_max)
        if bits & R_RAIL_SPUR:
            add("rail_spur")
        for bit, name, d, lim in ((R_DIST_RAIL, "rail", p.dist_rail_m, req.max_dist_rail_m),
                                  (R_DIST_ROAD, "road", p.dist_road_m, req.max_dist_road_m),
                                  (R_DIST_AIRPORT, "airport", p.dist_airport_m,
                                   req.max_dist_airport_m)):
            if bits & bit:
                if d is None:
                    add(f"dist_{name}_unknown", max=fmt_num(lim, T=T))
                else:
                    add(f"dist_{name}", dist=fmt_num(d, T=T), max=fmt_num(lim, T=T))
        if bits & R_NO_PRICE:
            add("no_price")
        if bits & R_BUDGET:
            add("budget", cost=fmt_num(self.total[i], T=T), budget=fmt_num(req.budget_kzt, T=T))
        for kind in KINDS:
            if bits & R_GAP[kind]:
                text, _ = self._gap_text(kind, i, self._option(kind, i), T)
                out.append(Reason(f"gap_{kind}", text))
        return out
