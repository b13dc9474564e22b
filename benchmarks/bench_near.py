"""Near misses over 100,000 generated plots: what showing them costs on top of the match.

Two requests on the generated dataset of ``bench_matching.py`` (40 zones, 200 sources, 20,000
line segments): one with results, and one that no plot meets (a maximum area below every
plot's), whose near misses are the whole answer. For each: the match alone (the baseline,
measured in the same run), then the match plus ``near_misses`` (reasons of every plot left out
by one criterion, sorted, and up to 3 × 10 patched re-matches); medians of several runs and the
ratio to the baseline.

Run: ``.venv/bin/python benchmarks/bench_near.py [--plots N] [--runs N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from promzona.core.matching import MatchIndex, MatchRequest, match  # noqa: E402
from promzona.core.matching.near import near_misses  # noqa: E402
from promzona.core.matching.synthetic import generate  # noqa: E402

TODAY = dt.date(2027, 1, 1)
REQUESTS = {
    "with results": {"sector": "C25", "area_ha": {"min": 0.5, "max": 6},
                     "needs": {"power_kw": 500, "water_m3_day": 20}, "hazard_class": 4,
                     "horizon_years": 10, "max_distance_m": {"road": 4000}},
    "nothing fits": {"sector": "C25", "area_ha": {"max": 0.01},
                     "needs": {"power_kw": 500, "water_m3_day": 20}, "hazard_class": 4,
                     "horizon_years": 10},
}


def median_ms(fn, runs: int) -> tuple[float, object]:
    fn()  # warm-up
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plots", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    zones = 40
    ds = generate(zones=zones, plots_per_zone=args.plots // zones, sources_per_zone=5,
                  lines_per_zone=20_000 // zones, today=TODAY, seed=7)
    ix = MatchIndex(**ds.as_kwargs())
    print(f"dataset: {len(ds.plots):,} plots, {len(ds.zones)} zones, {len(ds.sources)} sources, "
          f"{len(ds.lines):,} line segments")
    for name, body in REQUESTS.items():
        req = MatchRequest.parse(body)
        base, out = median_ms(lambda req=req: match(ix, req, today=TODAY), args.runs)
        both, near = median_ms(
            lambda req=req: near_misses(match(ix, req, today=TODAY)), args.runs)
        single = sum(1 for b in out.reasons[out.excluded_pos].tolist()
                     if b and not b & (b - 1))
        print(f"{name}: {len(out.result_ids):,} results, {single:,} plots left out by one "
              f"criterion, {len(near)} near misses shown")
        print(f"  match alone (baseline): p50 {base:.1f} ms; match + near misses: p50 "
              f"{both:.1f} ms ({both / base:.1f}x; {args.runs} runs)")


if __name__ == "__main__":
    main()
