"""What a match produced: per plot a ranked result or the reasons it was excluded, with the
utility option that serves it, its gaps and the sentences that explain it.

Rows are materialised on demand from the arrays :func:`~promzona.core.matching.engine.match`
computed; sentences come from :data:`~promzona.core.matching.text.TEXT`, translated by the
caller's ``tr``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from promzona.core.connections import NEVER
from promzona.core.utilities import UTILITY_KINDS

from .data import ZoneIn
from .index import MatchIndex
from .request import CRITERIA, KINDS, Assumptions, MatchRequest
from .text import fmt_date, fmt_month, fmt_num, texts

# Exclusion reason bits.
R_STATUS, R_AREA_SMALL, R_AREA_LARGE, R_SECTOR, R_HAZARD, R_RAIL_SPUR = 1, 2, 4, 8, 16, 32
R_DIST_RAIL, R_DIST_ROAD, R_DIST_AIRPORT, R_NO_PRICE, R_BUDGET = 64, 128, 256, 512, 1024
R_GAP = {k: 2048 << i for i, k in enumerate(KINDS)}
#: Each reason bit's code, the code of its sentence; a distance's code ends in ``_unknown``
#: where the plot's distance is not known (``DISTANCES`` names the index's array of it).
REASON_CODES = {R_STATUS: "status", R_AREA_SMALL: "area_small", R_AREA_LARGE: "area_large",
                R_SECTOR: "sector", R_HAZARD: "hazard", R_RAIL_SPUR: "rail_spur",
                R_DIST_RAIL: "dist_rail", R_DIST_ROAD: "dist_road",
                R_DIST_AIRPORT: "dist_airport", R_NO_PRICE: "no_price",
                R_BUDGET: "budget"} | {bit: f"gap_{kind}" for kind, bit in R_GAP.items()}
DISTANCES = {R_DIST_RAIL: "d_rail", R_DIST_ROAD: "d_road", R_DIST_AIRPORT: "d_airport"}


def _division(code: str) -> str:
    return code.split(".")[0][:3]


@dataclass
class Choice:
    """Per kind: the chosen pair per plot (-1 none) and its ready day ordinal (NEVER: a gap)."""

    pair: np.ndarray
    ready: np.ndarray
    pair_ready: np.ndarray  # ready day ordinal of every pair of the kind (for alternatives)
    pair_cost: np.ndarray  # cost over the horizon of every pair of the kind (inf: never)


@dataclass
class UtilityOption:
    kind: str
    need: float
    unit: str
    line_id: int
    line_code: str
    line_status: Literal["existing", "under_construction", "planned"]
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


def option_of(ix: MatchIndex, ch: Choice, kind: str, i: int, *, need: float,
              assumptions: Assumptions, k: int | None = None) -> UtilityOption | None:
    """The option chosen for the plot at position ``i`` (or pair ``k`` of ``kind``); where none
    can ever serve, the one cheapest to connect (the gap sentence names it); None: no line."""
    p = ix.pairs[kind]
    if k is None:
        if ch.pair[i] < 0:
            return None
        k = int(ch.pair[i])
        if ch.ready[i] >= NEVER:
            seg = ix.segment(kind, i)
            k = seg.start + int(np.argmin(p["cost"][seg]))
    line = ix.lines[int(p["line"][k])]
    src = ix.sources[int(ix.group_source[p["group"][k]])]
    ready = int(ch.pair_ready[k])
    return UtilityOption(
        kind=kind, need=need, unit=UTILITY_KINDS[kind].unit, line_id=line.id,
        line_code=line.code, line_status=line.status, source_id=src.id, source_code=src.code,
        source_name=src.name, distance_m=round(float(p["dist"][k]), 1),
        connection_cost_kzt=round(float(p["cost"][k]), 2), free_now=src.free,
        tariff_kzt=src.tariff_kzt,
        annual_cost_kzt=round(src.tariff_kzt * need * assumptions.annual_units(kind), 2),
        ready_on=dt.date.fromordinal(min(ready, dt.date.max.toordinal())),  # NEVER: max date
    )


class MatchOutcome:
    """The arrays of one match, with rows materialised on demand."""

    def __init__(self, *, index, request, today, assumptions, reasons, choices, land, by_lease,  # noqa: PLR0913 - the engine's arrays, keyword-only, built in one place
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
            target = req.area_ha.min if req.area_ha.min else None
            crit["area"] = (np.minimum(1.0, target / ix.area[ok]) if target
                            else np.ones(ok.size))
            wsum = sum(getattr(req.weights, c) for c in CRITERIA)
            score = sum(getattr(req.weights, c) * crit[c] for c in CRITERIA) * 100.0 / wsum
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
                lang: str = "en", offset: int = 0) -> list[ResultRow]:
        """``limit`` results (all by default) from rank ``offset`` + 1, sentences translated by
        ``tr``, numbers and dates written as ``lang`` writes them."""
        T = texts(tr, lang)
        rows = []
        end = self.ranked.size if limit is None else min(offset + limit, self.ranked.size)
        for r in range(offset, end):
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
                 lang: str = "en", offset: int = 0) -> list[Excluded]:
        T = texts(tr, lang)
        end = None if limit is None else offset + limit
        return [Excluded(plot_id=int(self.index.plot_id[i]), reasons=self._reasons(int(i), T))
                for i in self.excluded_pos[offset:end]]

    def reason_counts(self) -> dict[str, int]:
        """How many excluded plots each reason code excludes (a plot may have several), the
        codes of :meth:`excluded` without building its sentences."""
        ix, pos = self.index, self.excluded_pos
        bits = self.reasons[pos]
        counts: dict[str, int] = {}

        def count(code: str, hit: np.ndarray) -> None:
            if n := int(np.count_nonzero(hit)):
                counts[code] = n

        for bit, code in REASON_CODES.items():
            hit = bits & bit != 0
            if bit in DISTANCES:
                unknown = np.isnan(getattr(ix, DISTANCES[bit])[pos])
                count(code, hit & ~unknown)
                count(f"{code}_unknown", hit & unknown)
            else:
                count(code, hit)
        return counts

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
        if ch is None:
            return None
        return option_of(self.index, ch, kind, i, need=self.request.need(kind),
                         assumptions=self.assumptions)

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

    def _trade_off(self, kind: str, i: int, T) -> str | None:
        """The sentence on what the rule of :func:`~promzona.core.connections.choose` gave up:
        the cheaper option that is late, or (no desired start, or none in time) the faster one
        that costs more over the horizon."""
        ch, p, ix = self.choices[kind], self.index.pairs[kind], self.index
        seg = ix.segment(kind, i)
        k = int(ch.pair[i])
        if seg.stop == seg.start or ch.ready[i] >= NEVER:
            return None
        cost, ready = ch.pair_cost[seg], ch.pair_ready[seg]
        start_by = self.request.start_by
        chosen_cost, chosen_ready = ch.pair_cost[k], ch.pair_ready[k]
        if start_by is not None and chosen_ready <= start_by.toordinal() and cost.min() < chosen_cost:
            alt, text = seg.start + int(np.argmin(cost)), "x_in_time"
        elif ready.min() < chosen_ready:
            alt, text = seg.start + int(np.argmin(ready)), "x_faster"
        elif start_by is not None and chosen_ready > start_by.toordinal() and cost.min() < chosen_cost:
            alt, text = seg.start + int(np.argmin(cost)), "x_cheaper_later"
        else:
            return None
        line = ix.lines[int(p["line"][alt])]
        return T[text].format(
            kind=T[f"kind_{kind}"], line=line.code, status=T[f"status_{line.status}"],
            ready=fmt_date(dt.date.fromordinal(int(ch.pair_ready[alt])), T),
            cost=fmt_num(p["cost"][alt], T=T),
            diff=fmt_num(abs(float(chosen_cost) - float(ch.pair_cost[alt])), T=T),
            date=fmt_date(start_by, T) if start_by else "")

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
            trade_off = self._trade_off(u.kind, i, T)
            if trade_off is not None:
                out.append(trade_off)
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
                min=fmt_num(req.area_ha.min, 2, T=T))
        if bits & R_AREA_LARGE:
            add("area_large", area=fmt_num(p.area_ha, 2, T=T),
                max=fmt_num(req.area_ha.max, 2, T=T))
        if bits & R_SECTOR:
            add("sector", sector=req.sector, permitted=", ".join(p.permitted_sectors))
        if bits & R_HAZARD:
            add("hazard", hazard=req.hazard_class, max=p.hazard_class_max)
        if bits & R_RAIL_SPUR:
            add("rail_spur")
        for bit, name, d, lim in ((R_DIST_RAIL, "rail", p.dist_rail_m, req.max_distance_m.rail),
                                  (R_DIST_ROAD, "road", p.dist_road_m, req.max_distance_m.road),
                                  (R_DIST_AIRPORT, "airport", p.dist_airport_m,
                                   req.max_distance_m.airport)):
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
