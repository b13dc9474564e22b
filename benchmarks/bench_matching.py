"""One match over 100,000 generated plots (40 zones, 200 sources, 20,000 line segments).

Prints: index build time; in-process match p50/p95 (median of 21 runs); the same decisions as a
plain per-plot Python loop over lists and tuples with a memo per source, as a Python
programmer would write it (the baseline, measured in this run), and the ratio; peak memory
(tracemalloc of one match, and the process's max RSS). ``POST /api/match`` over the same
dataset in a database is ``bench_match_api.py``.

Run: ``.venv/bin/python benchmarks/bench_matching.py [--plots N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from promzona.core.connections import NEVER  # noqa: E402
from promzona.core.matching import MatchIndex, MatchRequest, match, sector_within  # noqa: E402
from promzona.core.matching.request import KINDS, Assumptions  # noqa: E402
from promzona.core.matching.synthetic import generate  # noqa: E402

TODAY = dt.date(2027, 1, 1)
BODY = {"sector": "C25", "area_ha": {"min": 0.5, "max": 6},
        "needs": {"power_kw": 500, "water_m3_day": 20, "sewage_m3_day": 10},
        "hazard_class": 4, "horizon_years": 10, "max_distance_m": {"road": 4000}}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def plain_options(ix: MatchIndex) -> dict[str, list[list[tuple[int, float]]]]:
    """Each plot's connection options per kind as plain ``(source, cost)`` tuples: the lists a
    Python programmer would hold (built once, like the index, and not timed)."""
    out: dict[str, list[list[tuple[int, float]]]] = {}
    source_of_group = ix.group_source.tolist()
    for kind in KINDS:
        pr = ix.pairs[kind]
        per_plot: list[list[tuple[int, float]]] = [[] for _ in range(ix.size)]
        for pi, g, cost in zip(pr["plot"].tolist(), pr["group"].tolist(), pr["cost"].tolist(),
                               strict=True):
            per_plot[pi].append((source_of_group[g], cost))
        out[kind] = per_plot
    return out


def loop_baseline(ix: MatchIndex, plots: list, options: dict[str, list[list[tuple[int, float]]]],  # noqa: C901 - one plain loop on purpose: the baseline the vectorised engine is measured against
                  req: MatchRequest, today: dt.date) -> list[int]:
    """The same decisions, one plot at a time in plain Python over the plot objects and lists
    of tuples, with a memo per source of when it can supply the need."""
    a = Assumptions()
    t = today.toordinal()
    years = req.horizon_years
    needs = {kind: req.need(kind) for kind in KINDS if req.need(kind) > 0}
    tariffs = [s.tariff_kzt for s in ix.sources]
    ready: dict[tuple[int, str], int] = {}  # (source, kind) -> the day it can supply the need
    ok = []
    for i, p in enumerate(plots):
        if p.status != "published":
            continue
        if req.area_ha.min is not None and p.area_ha < req.area_ha.min:
            continue
        if req.area_ha.max is not None and p.area_ha > req.area_ha.max:
            continue
        if p.permitted_sectors and not any(sector_within(req.sector, c) for c in p.permitted_sectors):
            continue
        if req.hazard_class < p.hazard_class_max or (req.rail_spur and not p.rail_spur):
            continue
        road = req.max_distance_m.road
        if road is not None and (p.dist_road_m is None or p.dist_road_m > road):
            continue
        lease = (p.area_ha * p.lease_price_kzt_ha_year * years
                 if p.lease_price_kzt_ha_year is not None else None)
        prices = [x for x in (lease, p.sale_price_kzt) if x is not None]
        if not prices:
            continue
        total = min(prices)
        served = True
        for kind, need in needs.items():
            best = None
            for src, cost in options[kind][i]:
                sr = ready.get((src, kind))
                if sr is None:
                    sr = ready[(src, kind)] = ix.source_ready(src, need, t)
                if sr >= NEVER:
                    continue
                cost += tariffs[src] * need * a.annual_units(kind) * years
                if best is None or cost < best:
                    best = cost
            if best is None:
                served = False
                break
            total += best
        if served:
            ok.append(p.id)
    return ok


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plots", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    zones = 40
    t0 = time.perf_counter()
    ds = generate(zones=zones, plots_per_zone=args.plots // zones, sources_per_zone=5,
                  lines_per_zone=20_000 // zones, today=TODAY, seed=7)
    t1 = time.perf_counter()
    ix = MatchIndex(**ds.as_kwargs())
    t2 = time.perf_counter()
    print(f"dataset: {len(ds.plots):,} plots, {len(ds.zones)} zones, {len(ds.sources)} sources, "
          f"{len(ds.lines):,} line segments, {len(ds.upgrades)} upgrades")
    print(f"generate {t1 - t0:.1f} s; build index {t2 - t1:.1f} s (once per dataset)")
    req = MatchRequest.parse(BODY)
    match(ix, req, today=TODAY)  # warm-up
    times = []
    for _ in range(args.runs):
        s = time.perf_counter()
        out = match(ix, req, today=TODAY)
        times.append(time.perf_counter() - s)
    s = time.perf_counter()
    out.results(limit=20)
    top20 = time.perf_counter() - s
    tracemalloc.start()
    match(ix, req, today=TODAY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    p50, p95 = statistics.median(times), pct(times, 0.95)
    print(f"in-process match: p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
          f"({args.runs} runs; {len(out.result_ids):,} results, {len(out.excluded_ids):,} excluded)")
    print(f"  + top-20 rows with explanations: {top20 * 1000:.1f} ms")
    print(f"  peak memory of one match (tracemalloc): {peak / 2**20:.1f} MiB")
    options = plain_options(ix)
    plots = sorted(ds.plots, key=lambda p: p.id)  # the index's order; the objects, not rebuilt ones
    base = []
    for _ in range(3):
        s = time.perf_counter()
        ids = loop_baseline(ix, plots, options, req, TODAY)
        base.append(time.perf_counter() - s)
    assert sorted(ids) == sorted(out.result_ids), "baseline disagrees with the matcher"
    b50 = statistics.median(base)
    print(f"baseline: the same decisions as a plain Python loop over lists and tuples, a memo "
          f"per source: p50 {b50 * 1000:.0f} ms (3 runs, same results) — vectorised is "
          f"{b50 / p50:.0f}× faster")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    print(f"goal p50 < 50 ms in-process: {'met' if p50 < 0.05 else 'NOT met'}")


if __name__ == "__main__":
    main()
