"""Time the optimisers at scale and measure what they gain over the rules in use today.

Run: ``.venv/bin/python benchmarks/bench_optimise.py`` (``make bench`` runs every bench_*.py);
``BENCH_RUNS`` sets the number of runs (3).

Instances (generated, deterministic; see :mod:`promzona.core.optimise.synthetic`):

* allocation, 1,000 applications x 5,000 plots x 200 sources in 25 zones: most applications
  name 3-10 preferred plots, 30 % accept any plot of their zone; free capacity is scarce
  (demand / free = 1.2). Goal: optimal in under 10 s.
* the same in one zone (every application may take any plot in its area range, 200 sources):
  the hard case, reported once with its gap at the 60 s limit.
* build plan, 300 works x 12 periods x 5,000 plots: goal optimal, or a gap under 0.1 % within
  60 s.

For each: the median wall-clock time over the runs (and CPU seconds of this process: the wall
clock of a shared machine includes other people's work), the solver's status and proven gap,
model building as a share of solver time (goal <= 20 %), and the value the optimum gains over
each baseline. The baselines' own time is the reference the ratio is taken to.
"""

from __future__ import annotations

import os
import statistics
import time

from promzona.core.optimise.allocation import Arrays, candidates, parse_allocation
from promzona.core.optimise.assign import baselines as allocation_baselines
from promzona.core.optimise.assign import solve_allocation
from promzona.core.optimise.plan import baselines as plan_baselines
from promzona.core.optimise.plan import parse_plan
from promzona.core.optimise.schedule import solve_plan
from promzona.core.optimise.synthetic import allocation_instance, plan_instance

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TIME_LIMIT = 60.0
ALLOCATION_GOAL_S = 10.0
BUILD_SHARE_GOAL = 0.20
GAP_GOAL = 0.001


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def runs(fn, n):
    rows = [timed(fn) for _ in range(n)]
    return (statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows),
            rows[-1][2])


def gains(objective: float, baselines: dict[str, float]) -> str:
    return "; ".join(f"{name} {value:,.1f} (optimum +{objective - value:,.1f}, "
                     f"+{100 * (objective - value) / value:.1f} %)" if value > 0 else
                     f"{name} {value:,.1f}" for name, value in baselines.items())


def report(name: str, n: int, wall: float, cpu: float, result, baseline_s: float,
           goal_s: float | None):
    m = result.model
    share = m.build_seconds / m.solve_seconds if m.solve_seconds else 0.0
    gap = "0" if not result.gap else f"{result.gap:.4%}"
    print(f"  {name}: median {wall:.2f} s wall, {cpu:.2f} s CPU over {n} run(s); "
          f"status {result.status}, gap {gap}")
    print(f"    model building {m.build_seconds:.3f} s = {share:.1%} of solver time "
          f"{m.solve_seconds:.2f} s ({'OK' if share <= BUILD_SHARE_GOAL else 'ABOVE GOAL'} "
          f"<= {BUILD_SHARE_GOAL:.0%})")
    print(f"    baselines take {baseline_s:.3f} s: the optimiser takes "
          f"{wall / baseline_s:.0f} x as long")
    if goal_s is not None:
        verdict = "OK" if result.status == "optimal" and wall < goal_s else "NOT MET"
        print(f"    goal optimal in under {goal_s:.0f} s: {verdict}")
    elif result.status != "optimal":
        verdict = "OK" if result.gap is not None and result.gap < GAP_GOAL else "NOT MET"
        print(f"    goal gap < {GAP_GOAL:.1%} within {TIME_LIMIT:.0f} s: {verdict}")


def allocation(zones: int, n: int, goal: float | None) -> None:
    t, data = timed(lambda: allocation_instance(zones=zones))[::2]
    parse_s, _, inst = timed(lambda: parse_allocation(data))
    label = f"{len(inst.applications)} applications x {len(inst.plots)} plots x " \
            f"{len(inst.sources)} sources, {zones} zone(s)"
    arr = Arrays.of(inst)
    cand = candidates(arr)
    base_s, _, base = timed(lambda: allocation_baselines(arr, cand, {}))
    wall, cpu, result = runs(lambda: solve_allocation(inst, time_limit=TIME_LIMIT), n)
    print(f"allocation, {label} (generated in {t:.2f} s, parsed in {parse_s:.2f} s)")
    print(f"  model: {result.model.variables} pair variables, {result.model.constraints} rows, "
          f"{result.model.parts} independent parts")
    report("solve", n, wall, cpu, result, base_s, goal)
    print(f"    value {result.objective:,.1f}; "
          + gains(result.objective, {k: s.objective() for k, s in base.items()}))


def build_plan(n: int) -> None:
    data = plan_instance()
    parse_s, _, inst = timed(lambda: parse_plan(data))
    base_s, _, _ = timed(lambda: plan_baselines(inst))
    wall, cpu, result = runs(lambda: solve_plan(inst, time_limit=TIME_LIMIT), n)
    m = result.model
    print(f"build plan, {len(inst.works)} works x {inst.periods} periods x {len(inst.plots)} "
          f"plots (parsed in {parse_s:.2f} s)")
    print(f"  model: {m.variables} variables ({m.integer_variables} binary), {m.constraints} rows,"
          f" {m.plot_classes} plot classes")
    report("solve", n, wall, cpu, result, base_s, None)
    print(f"    value {result.objective:,.1f}; "
          + gains(result.objective, {k: v[0] for k, v in result.baselines.items()}))


def main() -> int:
    print(f"HiGHS on one thread; time limit {TIME_LIMIT:.0f} s; {os.cpu_count()} CPUs, load "
          f"average {os.getloadavg()[0]:.1f}")
    allocation(25, RUNS, ALLOCATION_GOAL_S)
    allocation(1, 1, None)
    build_plan(RUNS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
