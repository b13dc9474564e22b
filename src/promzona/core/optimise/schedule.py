"""The build plan MILP: which works to start when, to unlock the most discounted value.

Time-indexed "started by" formulation (``docs/optimisation.md``): binary ``z[j, t]`` = work
``j`` has started by period ``t`` (non-decreasing in ``t``), only for the periods in which ``j``
can start (after its requirements' earliest completion, early enough to finish by the
horizon). Plots that need the same works form one class with their values added; a class of one
work is valued on that work's completion directly, others through a continuous ``u[c, t] <=``
each work's completion. Budget rows are cumulative (carry-over) or per period.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .milp import DEFAULT_GAP, Rows, maximise, relative_gap
from .plan import (
    PlanInstance,
    baselines,
    closures,
    complete,
    evaluate,
    left_shift,
    spending,
)
from .text import Reason, baseline_json

BASELINES = ("cheapest_first", "best_value_per_cost")
#: HiGHS's effort on heuristics for the plan (its default is 0.05): on the benchmark plan it
#: found better schedules within the minute (proven gap 0.09 % against 0.13 %).
HEURISTIC_EFFORT = 0.3


@dataclass(frozen=True)
class PlanModelStats:
    variables: int
    integer_variables: int
    constraints: int
    plot_classes: int
    build_seconds: float
    solve_seconds: float


@dataclass(frozen=True)
class Marginal:
    period: int
    objective: float
    gain_per_unit: float
    status: str


@dataclass(frozen=True)
class PlanResult:
    status: str
    objective: float
    bound: float | None
    gap: float | None
    starts: dict[str, int]
    unlocked: dict[str, int | None]
    values: dict[str, float]
    baselines: dict[str, tuple[float, dict[str, int]]]
    model: PlanModelStats
    marginals: tuple[Marginal, ...] | None = None


class _Index:
    """Variable numbering: ``z(j, t)`` for the periods ``j`` may start in (0-based)."""

    def __init__(self, inst: PlanInstance, useful: list[int]):
        self.est: dict[int, int] = {}
        for j in _topological(inst, useful):
            w = inst.works[j]
            self.est[j] = max((self.est.get(inst.work_index[r], inst.periods) +
                               inst.works[inst.work_index[r]].duration for r in w.requires),
                              default=0)
        self.last = {j: inst.periods - inst.works[j].duration for j in useful}
        self.works = [j for j in useful if self.est[j] <= self.last[j]]
        self.offset: dict[int, int] = {}
        n = 0
        for j in self.works:
            self.offset[j] = n - self.est[j]
            n += self.last[j] - self.est[j] + 1
        self.n = n

    def z(self, j: int, t: int) -> int | None:
        """The variable for "j started by t", None when j cannot have started by t."""
        if j not in self.offset or t < self.est[j]:
            return None
        return self.offset[j] + min(t, self.last[j])


def _topological(inst: PlanInstance, subset: list[int]) -> list[int]:
    order, seen = [], set()
    for root in subset:
        stack = [(root, False)]
        while stack:
            j, expanded = stack.pop()
            if expanded:
                order.append(j)
                continue
            if j in seen:
                continue
            seen.add(j)
            stack.append((j, True))
            stack.extend((inst.work_index[r], False) for r in inst.works[j].requires
                         if inst.work_index[r] not in seen)
    return order


def _classes(inst: PlanInstance, clos: list[frozenset[int]]) -> tuple[dict, float]:
    """Plots grouped by the works they need (reduced to those no other needed work implies),
    with their values added; and the value of the plots that need nothing."""
    classes: dict[frozenset[int], float] = {}
    free_value = 0.0
    for p in inst.plots:
        if p.value <= 0:
            continue
        need = {inst.work_index[r] for r in p.requires}
        if not need:
            free_value += p.value
            continue
        implied = set().union(*(clos[j] - {j} for j in need))
        key = frozenset(need - implied)
        classes[key] = classes.get(key, 0.0) + p.value
    return classes, free_value


@dataclass
class _Model:
    ix: _Index
    value: np.ndarray
    integer: np.ndarray
    rows: Rows
    free_value: float  # plots that need no work: unlocked in period 1
    classes: int
    locks: list[tuple[int, list[tuple[int, int]], int]]  # u variable, its (work, duration), t

    def start(self, inst: PlanInstance, starts: dict[str, int]) -> np.ndarray:
        """The variables of a feasible schedule (a baseline's), to start the solver from."""
        x = np.zeros(len(self.value))
        begun = {inst.work_index[w]: s - 1 for w, s in starts.items()}
        for j in self.ix.works:
            if j in begun:
                x[[self.ix.z(j, t) for t in range(max(begun[j], self.ix.est[j]),
                                                   self.ix.last[j] + 1)]] = 1.0
        for u, works, t in self.locks:
            x[u] = float(all(j in begun and begun[j] + d - 1 <= t for j, d in works))
        return x


def _precedence_rows(inst: PlanInstance, ix: _Index, rows: Rows) -> None:
    """Once started, a work stays started; it starts only after what it requires is finished."""
    for j in ix.works:
        for t in range(ix.est[j], ix.last[j]):
            rows.add([ix.z(j, t), ix.z(j, t + 1)], [1, -1], 0)
        for r in inst.works[j].requires:
            k = inst.work_index[r]
            for t in range(ix.est[j], ix.last[j] + 1):
                rows.add([ix.z(j, t), ix.z(k, t - inst.works[k].duration)], [1, -1], 0)


def _budget_rows(inst: PlanInstance, ix: _Index, rows: Rows) -> None:
    """Per period, what the works started spend stays within the budget (cumulative when
    unspent money carries over)."""
    cum = np.cumsum(inst.budget)
    for t in range(inst.periods):
        cols, vals = [], []
        for j in ix.works:
            cost = inst.works[j].cost
            now, before = ix.z(j, t), ix.z(j, t - 1)
            if cost <= 0 or now is None:
                continue
            if inst.carry_over:
                cols.append(now)
                vals.append(cost)
            elif now != before:
                cols.append(now)
                vals.append(cost)
                if before is not None:
                    cols.append(before)
                    vals.append(-cost)
        if cols:
            rows.add(cols, vals, cum[t] if inst.carry_over else inst.budget[t])


def _build(inst: PlanInstance) -> _Model:
    clos = closures(inst)
    classes, free_value = _classes(inst, clos)
    useful = sorted(set().union(*(clos[j] for key in classes for j in key)) if classes else set())
    ix = _Index(inst, useful)
    T = inst.periods
    disc = np.array([inst.discount(t + 1) for t in range(T)] + [0.0])
    gain = disc[:-1] - disc[1:]  # value of being unlocked by t rather than by t + 1
    value: list[float] = [0.0] * ix.n
    integer = [True] * ix.n
    rows = Rows()
    _precedence_rows(inst, ix, rows)
    _budget_rows(inst, ix, rows)
    n_classes, locks = 0, []
    for key, v in classes.items():
        works = sorted(key)
        if any(j not in ix.offset for j in works):
            continue  # cannot finish by the horizon: stays locked
        n_classes += 1
        done = [(j, inst.works[j].duration) for j in works]
        if len(done) == 1:
            j, d = done[0]
            for t in range(T):
                ref = ix.z(j, t - d + 1)
                if ref is not None:
                    value[ref] += v * gain[t]
            continue
        first = max(ix.est[j] + d - 1 for j, d in done)
        for t in range(first, T):
            u = len(value)
            value.append(v * gain[t])
            integer.append(False)
            locks.append((u, done, t))
            for j, d in done:
                rows.add([u, ix.z(j, t - d + 1)], [1, -1], 0)
    return _Model(ix, np.array(value), np.array(integer, dtype=bool), rows, free_value,
                  n_classes, locks)


def _starts(inst: PlanInstance, ix: _Index, x: np.ndarray) -> dict[str, int]:
    out = {}
    for j in ix.works:
        for t in range(ix.est[j], ix.last[j] + 1):
            if x[ix.z(j, t)] > 0.5:
                out[inst.works[j].id] = t + 1
                break
    return out


def prune(inst: PlanInstance, starts: dict[str, int]) -> dict[str, int]:
    """Only the works some unlocked plot needs (directly or through another work)."""
    unlocked = evaluate(inst, starts).unlocked
    clos = closures(inst)
    keep: set[int] = set()
    for p in inst.plots:
        if unlocked[p.id] is not None:
            for r in p.requires:
                keep |= clos[inst.work_index[r]]
    return {w: s for w, s in starts.items() if inst.work_index[w] in keep}


def solve_plan(inst: PlanInstance, *, time_limit: float = 60.0,
               gap: float = DEFAULT_GAP) -> PlanResult:
    """The schedule of greatest discounted value, its proof and the baselines' schedules."""
    started = time.perf_counter()
    model = _build(inst)
    matrix = model.rows.matrix(len(model.value))
    build_seconds = time.perf_counter() - started
    base = baselines(inst)  # as the rules give them: works that unlock nothing included
    scored = {k: evaluate(inst, s) for k, s in base.items()}
    first = max(base, key=lambda k: scored[k].objective)
    res = maximise(model.value, matrix, np.asarray(model.rows.upper), integer=model.integer,
                   time_limit=time_limit, gap=gap, start=model.start(inst, base[first]),
                   heuristic_effort=HEURISTIC_EFFORT)
    candidates = {"solver": left_shift(inst, prune(inst, _starts(inst, model.ix, res.x)))
                  if res.x is not None else {}, **base}
    scored["solver"] = evaluate(inst, candidates["solver"])
    best = max(candidates, key=lambda k: scored[k].objective)  # the solver first on ties
    outcome = scored[best]
    bound = None if res.bound is None else max(res.bound + model.free_value, outcome.objective)
    return PlanResult(
        status=res.status, objective=outcome.objective, bound=bound,
        gap=relative_gap(outcome.objective, bound), starts=prune(inst, candidates[best]),
        unlocked=outcome.unlocked, values=outcome.values,
        baselines={k: (scored[k].objective, base[k]) for k in base},
        model=PlanModelStats(len(model.value), int(model.integer.sum()), matrix.shape[0],
                             model.classes, build_seconds, res.seconds),
    )


def budget_marginals(inst: PlanInstance, result: PlanResult, *, step: float = 1.0,
                     time_limit: float = 60.0, gap: float = DEFAULT_GAP) -> tuple[Marginal, ...]:
    """The value of ``step`` more budget in each period, by solving again (per unit of
    budget). Exact when both solves are ``optimal``; the status says so."""
    out = []
    for t in range(inst.periods):
        budget = list(inst.budget)
        budget[t] += step
        more = solve_plan(dataclasses.replace(inst, budget=tuple(budget)),
                          time_limit=time_limit, gap=gap)
        both = "optimal" if more.status == result.status == "optimal" else "time_limit"
        out.append(Marginal(t + 1, more.objective,
                            max(0.0, more.objective - result.objective) / step, both))
    return tuple(out)


def work_rows(inst: PlanInstance, starts: dict[str, int],
              unlocked: dict[str, int | None]) -> list[dict]:
    """Per scheduled work: start, completion, cost, the plots it unlocks (those whose last
    needed work it is), those it helps unlock (a later work completes them), and why; ordered
    by start."""
    done = complete(inst, starts)
    unlocks: dict[str, list[str]] = {w: [] for w in starts}
    shares: dict[str, list[str]] = {w: [] for w in starts}  # unlocked later by another work
    for p in inst.plots:
        t = unlocked[p.id]
        for r in p.requires:
            if t is not None and r in done:
                (unlocks if done[r] == t else shares)[r].append(p.id)
    needed = {r for w in starts for r in inst.works[inst.work_index[w]].requires}
    rows = []
    for w in sorted(starts, key=lambda w: (starts[w], inst.work_index[w])):
        code = ("unlocks" if unlocks[w] else "unlocks_with" if shares[w]
                else "unlocks_later" if w in needed else "unlocks_nothing")
        rows.append({"work": w, "start": starts[w], "complete": done[w],
                     "cost": inst.works[inst.work_index[w]].cost, "unlocks": unlocks[w],
                     "helps": shares[w],
                     "reason": Reason(code, {"period": done[w],
                                             "plots": unlocks[w] or shares[w]})})
    return rows


def plan_json(inst: PlanInstance, result: PlanResult, tr: Callable[[str], str] = str) -> dict:
    """The plan as the contract's JSON, with the baselines, spending and explanations."""
    def schedule(starts, unlocked):
        return [{**{k: v for k, v in r.items() if k != "reason"}, "code": r["reason"].code,
                 "explanation": r["reason"].text(tr)} for r in work_rows(inst, starts, unlocked)]

    out = {"status": result.status, "objective": round(result.objective, 6),
           "gap": None if result.gap is None else round(result.gap, 6),
           "bound": None if result.bound is None else round(result.bound, 6),
           "schedule": schedule(result.starts, result.unlocked),
           "plots": [{"plot": p.id, "unlocked": result.unlocked[p.id],
                      "value": round(result.values[p.id], 6)} for p in inst.plots]}
    spent = spending(inst, result.starts)
    out["spending"] = [{"period": t + 1, "budget": inst.budget[t], "spent": round(spent[t], 6)}
                       for t in range(inst.periods)]
    out["baselines"] = []
    for name, (objective, starts) in result.baselines.items():
        unlocked = evaluate(inst, starts).unlocked
        out["baselines"].append(baseline_json(name, objective, result.objective, tr,
                                              schedule=schedule(starts, unlocked)))
    if result.marginals is not None:
        out["marginal_budget"] = [{"period": m.period, "objective": round(m.objective, 6),
                                   "gain_per_unit": round(m.gain_per_unit, 6),
                                   "status": m.status} for m in result.marginals]
    m = result.model
    out["model"] = {"variables": m.variables, "integer_variables": m.integer_variables,
                    "constraints": m.constraints, "plot_classes": m.plot_classes,
                    "build_seconds": round(m.build_seconds, 4),
                    "solve_seconds": round(m.solve_seconds, 4)}
    return out
