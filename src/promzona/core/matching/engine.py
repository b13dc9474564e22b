"""The matcher: one vectorised pass per request over a :class:`~.index.MatchIndex`.

**Per request** (:func:`match`), array operations only:

* hard constraints — status published, area range, permitted sector (OKED prefix: a plot
  permitting ``C25`` accepts ``C25.11``; no permitted sectors means any), hazard class (class
  ``h`` is allowed when ``h >= hazard_class_max``), rail spur, maximum distances (an unknown
  distance fails a stated maximum), a published lease or sale price, budget;
* utilities, per need: among the plot's options (nearest line per source and status), the one
  :func:`promzona.core.connections.choose` picks — the cheapest over the horizon (connection +
  tariff × consumption × years) that is ready by the desired start, else the earliest; the
  explanation says what the choice gave up. An option is ready when its line exists (today, or
  its planned completion) **and** its source has the capacity — free capacity from the ledger
  now, or once enough planned upgrades are completed — plus the connection lead time.
  :func:`serving` applies the same choice to one plot: what a reservation commits;
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

import numpy as np

from promzona.core.connections import NEVER, choose

from .index import MatchIndex, sector_within
from .outcome import (
    R_AREA_LARGE,
    R_AREA_SMALL,
    R_BUDGET,
    R_DIST_AIRPORT,
    R_DIST_RAIL,
    R_DIST_ROAD,
    R_GAP,
    R_HAZARD,
    R_NO_PRICE,
    R_RAIL_SPUR,
    R_SECTOR,
    R_STATUS,
    Choice,
    MatchOutcome,
    UtilityOption,
    option_of,
)
from .request import KINDS, Assumptions, MatchRequest

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

def kind_choice(ix: MatchIndex, kind: str, need: float, *, today: dt.date, years: float,
                assumptions: Assumptions, start_by: int | None) -> Choice:
    """For every plot, the option of ``kind`` that serves ``need`` (the rule of
    :func:`~promzona.core.connections.choose`) and when it is ready."""
    p, t = ix.pairs[kind], today.toordinal()
    src_ready = np.full(len(ix.sources), NEVER, dtype=np.int64)
    for s in ix.sources_of_kind.get(kind, ()):
        src_ready[s] = ix.source_ready(s, need, t)
    source = ix.group_source[p["group"]]
    g_ready = src_ready[source]
    ready = np.maximum(np.maximum(p["done"], t), g_ready) + p["lead"]
    ready = np.where(g_ready >= NEVER, NEVER, ready)
    bill = ix.source_tariff[source] * need * assumptions.annual_units(kind)
    cost = np.where(ready >= NEVER, np.inf, p["cost"] + bill * years)
    chosen = choose(cost, ready, seg_start=p["seg_start"], seg_len=p["seg_len"], start_by=start_by)
    pair = np.full(ix.size, -1, dtype=np.int64)
    when = np.full(ix.size, NEVER, dtype=np.int64)
    pair[p["seg_plot"]] = chosen
    when[p["seg_plot"]] = ready[chosen]
    return Choice(pair=pair, ready=when, pair_ready=ready, pair_cost=cost)


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
    if req.area_ha.min is not None:
        reasons |= np.where(ix.area < req.area_ha.min, R_AREA_SMALL, 0)
    if req.area_ha.max is not None:
        reasons |= np.where(ix.area > req.area_ha.max, R_AREA_LARGE, 0)
    set_ok = np.array([not s or any(sector_within(req.sector, c) for c in s) for s in ix.sectorsets],
                      dtype=bool)
    if set_ok.size:
        reasons |= np.where(set_ok[ix.plot_sectorset], 0, R_SECTOR)
    reasons |= np.where(req.hazard_class >= ix.hazard_max, 0, R_HAZARD)
    if req.rail_spur:
        reasons |= np.where(ix.rail_spur, 0, R_RAIL_SPUR)
    for limit, d, bit in ((req.max_distance_m.rail, ix.d_rail, R_DIST_RAIL),
                          (req.max_distance_m.road, ix.d_road, R_DIST_ROAD),
                          (req.max_distance_m.airport, ix.d_airport, R_DIST_AIRPORT)):
        if limit is not None:
            reasons |= np.where(d <= limit, 0, bit)  # NaN (unknown) compares False

    P = ix.size
    conn = np.zeros(P)
    annual = np.zeros(P)
    latest = np.maximum(np.maximum(ix.avail, t), t + ix.admin_days[ix.plot_zone])
    choices: dict[str, Choice] = {}
    tariff = ix.source_tariff
    start_by = req.start_by.toordinal() if req.start_by is not None else None
    for kind in KINDS:
        need = req.need(kind)
        if need <= 0:
            continue
        ch = choices[kind] = kind_choice(ix, kind, need, today=today, years=years, assumptions=a,
                                         start_by=start_by)
        p = ix.pairs[kind]
        reasons |= np.where(ch.ready >= NEVER, R_GAP[kind], 0)
        has = ch.pair >= 0
        conn[has] += p["cost"][ch.pair[has]]
        annual[has] += tariff[ix.group_source[p["group"][ch.pair[has]]]] * need * a.annual_units(kind)
        latest = np.maximum(latest, ch.ready)

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


def plot_options(ix: MatchIndex, *, plot_id: int, kind: str, need: float = 0.0, today: dt.date,
                 horizon_years: int = 10, start_by: dt.date | None = None,
                 assumptions: Assumptions | None = None) -> tuple[list[UtilityOption], int | None]:
    """Every option of ``kind`` for one plot and the position of the one that serves (None:
    no option can ever serve ``need``) — by the same choice a match makes."""
    a = assumptions or Assumptions()
    i = ix.plot_pos[plot_id]
    ch = kind_choice(ix, kind, need, today=today, years=float(horizon_years), assumptions=a,
                     start_by=start_by.toordinal() if start_by is not None else None)
    seg = ix.segment(kind, i)
    options = [option_of(ix, ch, kind, i, need=need, assumptions=a, k=k)
               for k in range(seg.start, seg.stop)]
    serves = None if ch.pair[i] < 0 or ch.ready[i] >= NEVER else int(ch.pair[i]) - seg.start
    return options, serves


def serving(ix: MatchIndex, *, plot_id: int, needs: dict[str, float], today: dt.date,
            horizon_years: int = 10, start_by: dt.date | None = None,
            assumptions: Assumptions | None = None) -> dict[str, UtilityOption]:
    """Per utility kind in ``needs``, the option that serves the plot: the one a match quotes,
    a reservation commits capacity on, a passport marks. Where no option can ever serve, the
    one cheapest to connect (its ledger refuses the commitment); kinds with no line are absent."""
    out = {}
    for kind, need in needs.items():
        options, k = plot_options(ix, plot_id=plot_id, kind=kind, need=need, today=today,
                                  horizon_years=horizon_years, start_by=start_by,
                                  assumptions=assumptions)
        if options:
            out[kind] = options[k] if k is not None else min(
                options, key=lambda o: (o.connection_cost_kzt, o.line_id))
    return out
