"""Who gets which plot: the allocation MILP, its two baselines and the reasons for "nothing".

Model (``docs/optimisation.md``): a binary ``x[a, p]`` for each pair from
:func:`~.allocation.candidates` only; maximise ``Σ value[a] x[a, p]`` subject to one plot per
application, one application per plot and, per source, ``Σ need x <= free``. Rows that cannot
bind are left out (a source whose free capacity covers every application that could draw on
it), and the model splits into independent parts (applications linked by a shared plot or a
binding source), each solved on its own.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_array
from scipy.sparse.csgraph import connected_components

from .allocation import KINDS, TOLERANCE, AllocationInstance, Arrays, candidates, fit_mask
from .milp import DEFAULT_GAP, Rows, maximise, relative_gap
from .text import Reason, baseline_json, rounded

BASELINES = ("fcfs", "greedy_value")


@dataclass(frozen=True)
class ModelStats:
    variables: int
    constraints: int
    parts: int
    build_seconds: float
    solve_seconds: float


@dataclass(frozen=True)
class Baseline:
    name: str
    objective: float
    assignments: dict[str, str]


@dataclass(frozen=True)
class AllocationResult:
    status: str  # optimal | time_limit
    objective: float
    bound: float | None
    gap: float | None
    assignments: dict[str, str]  # application -> plot
    unassigned: dict[str, Reason]
    baselines: tuple[Baseline, ...]
    model: ModelStats

    def to_json(self, inst: AllocationInstance, tr: Callable[[str], str] = str) -> dict:
        values = {a.id: a.value for a in inst.applications}
        out = {"status": self.status, "objective": rounded(self.objective)}
        out["gap"] = None if self.gap is None else rounded(self.gap)
        out["bound"] = None if self.bound is None else rounded(self.bound)
        out["assignments"] = [{"application": a.id, "plot": self.assignments[a.id],
                               "value": values[a.id]}
                              for a in inst.applications if a.id in self.assignments]
        out["unassigned"] = [{"application": a, "code": r.code, "reason": r.text(tr)}
                             for a, r in self.unassigned.items()]
        out["baselines"] = [baseline_json(b.name, b.objective, self.objective, tr,
                                          assigned=len(b.assignments)) for b in self.baselines]
        m = self.model
        out["model"] = {"variables": m.variables, "constraints": m.constraints, "parts": m.parts,
                        "build_seconds": round(m.build_seconds, 4),
                        "solve_seconds": round(m.solve_seconds, 4)}
        return out


# --- the model -----------------------------------------------------------------------------


@dataclass
class _Model:
    ai: np.ndarray  # pair -> application
    pi: np.ndarray  # pair -> plot
    matrix: object  # csr rows x pairs
    upper: np.ndarray
    part: np.ndarray  # pair -> part label
    parts: int


def _pairs(arr: Arrays, cand: list[np.ndarray], free: np.ndarray, pinned: dict[int, int]):
    ai = np.concatenate([np.full(len(c), a, dtype=np.int64) for a, c in enumerate(cand)
                         if a not in pinned] or [np.zeros(0, dtype=np.int64)])
    pi = np.concatenate([c for a, c in enumerate(cand) if a not in pinned]
                        or [np.zeros(0, dtype=np.int64)])
    keep = np.ones(len(ai), dtype=bool)  # pins took capacity: a pair may no longer fit alone
    for k in range(len(KINDS)):
        keep &= fit_mask(arr.need[ai, k], arr.src(ai, pi, k), free)
    return ai[keep], pi[keep]


def _group_rows(rows: Rows, owner: np.ndarray, upper: float) -> None:
    """One ``Σ x <= upper`` row per owner (application or plot) holding two pairs or more."""
    if not len(owner):
        return
    counts = np.bincount(owner)
    shared = counts[owner] >= 2
    ids, row = np.unique(owner[shared], return_inverse=True)
    rows.add_block(row, np.nonzero(shared)[0], 1.0, np.full(len(ids), upper))


def _build(arr: Arrays, ai: np.ndarray, pi: np.ndarray, free: np.ndarray) -> _Model:
    n, A, P, S = len(ai), len(arr.value), len(arr.area), len(free)
    rows = Rows()
    _group_rows(rows, ai, 1.0)
    _group_rows(rows, pi, 1.0)
    edges_a, edges_b = [ai], [A + pi]
    for k in range(len(KINDS)):
        use = np.nonzero(arr.need[ai, k] > 0)[0]
        if not len(use):
            continue
        src, need = arr.src(ai[use], pi[use], k), arr.need[ai[use], k]
        # the most a source could be asked for: each application's need once
        first = np.unique(ai[use] * S + src, return_index=True)[1]
        demand = np.bincount(src[first], weights=need[first], minlength=S)
        binding = demand > free + TOLERANCE * np.maximum(1.0, free)
        b = binding[src]
        ids, row = np.unique(src[b], return_inverse=True)
        rows.add_block(row, use[b], need[b], free[ids])
        edges_a.append(ai[use[b]])
        edges_b.append(A + P + src[b])
    a, b = np.concatenate(edges_a), np.concatenate(edges_b)
    graph = coo_array((np.ones(len(a)), (a, b)), shape=(A + P + S, A + P + S))
    _, label = connected_components(graph, directed=False)
    return _Model(ai, pi, rows.matrix(n).tocsr(), np.asarray(rows.upper), label[ai],
                  len(np.unique(label[ai])) if n else 0)


def _solve_parts(m: _Model, value: np.ndarray, start: np.ndarray, time_limit: float, gap: float):
    """Solve each part from ``start`` (a feasible choice of pairs); return (chosen pairs,
    bound, status, solver seconds)."""
    chosen = np.zeros(len(m.ai), dtype=bool)
    if not len(m.ai):
        return chosen, 0.0, "optimal", 0.0
    row_part = m.part[m.matrix.indices[m.matrix.indptr[:-1]]] if m.matrix.shape[0] else \
        np.zeros(0, dtype=np.int64)
    order = np.argsort(m.part, kind="stable")
    bounds_ = np.split(order, np.nonzero(np.diff(m.part[order]))[0] + 1)
    status, bound, spent = "optimal", 0.0, 0.0
    for cols in sorted(bounds_, key=len, reverse=True):
        pair_value = value[m.ai[cols]]
        if len(np.unique(m.ai[cols])) == 1:  # one application: its first choice fits alone
            chosen[cols[0]] = True
            bound += pair_value[0]
            continue
        rws = np.nonzero(row_part == m.part[cols[0]])[0]
        sub = m.matrix[rws][:, cols]
        res = maximise(pair_value, sub, m.upper[rws], integer=np.ones(len(cols), dtype=bool),
                       time_limit=time_limit - spent, gap=gap, start=start[cols])
        spent += res.seconds
        if res.status != "optimal":
            status = "time_limit"
        if res.x is not None:
            chosen[cols[res.x > 0.5]] = True
        bound += res.bound if res.bound is not None else pair_value.sum()
    return chosen, bound, status, spent


# --- sequences: baselines and the finishing fill -------------------------------------------


class _State:
    """An assignment being built: plots taken and capacity left."""

    def __init__(self, arr: Arrays):
        self.arr = arr
        self.free = arr.free.copy()
        self.taken = np.full(len(arr.area), -1, dtype=np.int64)  # plot -> application
        self.plot_of: dict[int, int] = {}

    def assign(self, a: int, p: int) -> None:
        self.plot_of[a] = p
        self.taken[p] = a
        for k in np.nonzero(self.arr.need[a] > 0)[0]:
            self.free[self.arr.src(a, p, k)] -= self.arr.need[a, k]

    def release(self, a: int) -> int:
        p = self.plot_of.pop(a)
        self.taken[p] = -1
        for k in np.nonzero(self.arr.need[a] > 0)[0]:
            self.free[self.arr.src(a, p, k)] += self.arr.need[a, k]
        return p

    def prefer(self, cand: list[np.ndarray], pinned: dict[int, int]) -> None:
        """Move each application to the plot it prefers most among those still possible (the
        value is the same: ties in the optimum go to the applicants' own order)."""
        for a in sorted(self.plot_of):
            if a in pinned:
                continue
            current = self.release(a)
            self.assign(a, int(self.arr.fitting(a, cand[a][self.taken[cand[a]] < 0], self.free)[0])
                        if current in cand[a] else current)

    def try_assign(self, a: int, plots: np.ndarray) -> bool:
        if a in self.plot_of:
            return True
        ok = self.arr.fitting(a, plots[self.taken[plots] < 0], self.free)
        if len(ok):
            self.assign(a, int(ok[0]))
        return bool(len(ok))

    def objective(self) -> float:
        return float(sum(self.arr.value[a] for a in self.plot_of))

    def named(self) -> dict[str, str]:
        inst = self.arr.inst
        return {inst.applications[a].id: inst.plots[p].id for a, p in sorted(self.plot_of.items())}


def fcfs_order(inst: AllocationInstance) -> list[int]:
    """By submission time; undated applications after the dated ones; ties in list order."""
    return sorted(range(len(inst.applications)), key=lambda i: (
        inst.applications[i].submitted is None, inst.applications[i].submitted or 0, i))


def _sequence(arr: Arrays, cand: list[np.ndarray], order: list[int], pinned: dict[int, int]):
    state = _State(arr)
    for a, p in pinned.items():
        state.assign(a, p)
    for a in order:
        state.try_assign(a, cand[a])
    return state


def baselines(arr: Arrays, cand: list[np.ndarray], pinned: dict[int, int]) -> dict[str, _State]:
    """First come, first served; and greedy by value (ties by submission). Each application
    in turn takes the first plot still possible in its order of preference."""
    fcfs = fcfs_order(arr.inst)
    rank = {a: i for i, a in enumerate(fcfs)}
    greedy = sorted(fcfs, key=lambda a: (-arr.value[a], rank[a]))
    return {"fcfs": _sequence(arr, cand, fcfs, pinned),
            "greedy_value": _sequence(arr, cand, greedy, pinned)}


# --- solve ---------------------------------------------------------------------------------


def solve_allocation(inst: AllocationInstance, *, time_limit: float = 60.0,
                     gap: float = DEFAULT_GAP) -> AllocationResult:
    """The assignment of greatest total value, its proof (status, bound, gap), the baselines
    and a reason for every application left without a plot."""
    started = time.perf_counter()
    arr = Arrays.of(inst)
    cand = candidates(arr)
    pinned = {arr.app_index[a]: arr.plot_index[p] for a, p in inst.pinned}
    state = _State(arr)
    for a, p in pinned.items():
        state.assign(a, p)
    ai, pi = _pairs(arr, cand, state.free, pinned)
    model = _build(arr, ai, pi, state.free)
    build_seconds = time.perf_counter() - started
    base = baselines(arr, cand, pinned)
    summaries = tuple(Baseline(n, s.objective(), s.named()) for n, s in base.items())
    first = max(base.values(), key=lambda s: s.objective())
    plot_of = np.full(len(arr.value), -1, dtype=np.int64)
    plot_of[list(first.plot_of)] = list(first.plot_of.values())
    start = (plot_of[ai] == pi).astype(float)
    chosen, bound, status, solve_seconds = _solve_parts(model, arr.value, start, time_limit, gap)
    for j in np.nonzero(chosen)[0]:
        state.assign(int(ai[j]), int(pi[j]))
    _repair(state)
    best = max([state, *base.values()], key=lambda s: s.objective())  # solver first on ties
    for a in fcfs_order(inst):  # nothing that still fits is left out (values of 0 included)
        best.try_assign(a, cand[a])
    best.prefer(cand, pinned)
    objective = best.objective()
    bound = max(bound + float(sum(arr.value[a] for a in pinned)), objective)
    return AllocationResult(
        status=status, objective=objective, bound=bound, gap=relative_gap(objective, bound),
        assignments=best.named(), unassigned=reasons(arr, cand, best), baselines=summaries,
        model=ModelStats(len(ai), model.matrix.shape[0], model.parts, build_seconds,
                         solve_seconds),
    )


def _repair(state: _State) -> None:
    """Drop the least valuable application on a source the solver's tolerance overfilled."""
    arr = state.arr
    while True:
        over = np.nonzero(state.free < -TOLERANCE * np.maximum(1.0, arr.free))[0]
        if not len(over):
            return
        s = over[0]
        users = [a for a, p in state.plot_of.items()
                 if any(arr.src(a, p, k) == s and arr.need[a, k] > 0 for k in range(len(KINDS)))]
        state.release(min(users, key=lambda u: arr.value[u]))


# --- reasons -------------------------------------------------------------------------------


def reasons(arr: Arrays, cand: list[np.ndarray], state: _State) -> dict[str, Reason]:
    """Why each application without a plot got none, in instance order."""
    users: dict[tuple[int, int], list] = {}
    for b, p in state.plot_of.items():
        for k in np.nonzero(arr.need[b] > 0)[0]:
            users.setdefault((int(arr.src(b, p, k)), int(k)), []).append(
                (arr.inst.applications[b].id, float(arr.value[b])))
    for lst in users.values():
        lst.sort(key=lambda u: (-u[1], u[0]))
    out = {}
    for a, app in enumerate(arr.inst.applications):
        if a not in state.plot_of:
            out[app.id] = _competition(arr, a, cand[a], state, users) if len(cand[a]) \
                else _alone(arr, a)
    return out


def _competition(arr: Arrays, a: int, fit_alone: np.ndarray, state: _State, users) -> Reason:
    """The plots that would fit alone went to others, or their sources filled up. A taken plot
    is named only when its sources still have room for the application (the plot itself is
    then what it lacks)."""
    plots, apps, sources = arr.inst.plots, arr.inst.applications, arr.inst.sources
    held = state.taken[fit_alone] >= 0
    roomy = arr.fitting(a, fit_alone[held], state.free)
    parts = []
    if len(roomy):
        parts.append(Reason("taken", {"pairs": [(plots[p].id, apps[state.taken[p]].id)
                                                for p in roomy]}))
    short: dict[int, int] = {}
    for k in np.nonzero(arr.need[a] > 0)[0]:
        src = arr.src(a, fit_alone, k)
        lacking = ~fit_mask(np.full(len(src), arr.need[a, k]), src, state.free)
        for s in np.unique(src[lacking]):
            short.setdefault(int(s), int(k))
    for s, k in sorted(short.items(), key=lambda sk: sources[sk[0]].id):
        parts.append(Reason("exhausted", {
            "source": sources[s].id, "kind": KINDS[k], "apps": users.get((s, k), []),
            "left": max(0.0, float(state.free[s])), "need": float(arr.need[a, k])}))
    return Reason("competition", parts=tuple(parts)) if parts else Reason("capacity_mix")


def _alone(arr: Arrays, a: int) -> Reason:
    """The first filter that leaves the application nothing, before any competition."""
    app = arr.inst.applications[a]
    plots = arr.listed(a)
    if not len(plots):
        return Reason("no_eligible")
    forbidden = [arr.plot_index[p] for b, p in arr.inst.forbidden if b == app.id]
    rest = plots[~np.isin(plots, forbidden)]
    if not len(rest):
        return Reason("forbidden")
    fitting = rest[(arr.area[rest] >= app.area_min) & (arr.area[rest] <= app.area_max)]
    if not len(fitting):
        code = "area_eligible" if app.eligible is not None else "area"
        return Reason(code, {"min": app.area_min, "max": app.area_max})
    needed = np.nonzero(arr.need[a] > 0)[0]
    has = {k: arr.src(a, fitting, k) >= 0 for k in needed}
    served = fitting[np.all([has[k] for k in needed], axis=0)] if len(needed) else fitting
    if not len(served):
        missing = [KINDS[k] for k in needed if not np.any(has[k])]
        return Reason("no_source", {"kinds": missing or [KINDS[k] for k in needed]})
    fit = arr.fitting(a, served, arr.free)
    if not len(fit):
        for k in needed:
            srcs = np.unique(arr.src(a, served, k))
            s = srcs[np.argmax(arr.free[srcs])]
            if arr.need[a, k] > arr.free[s] + TOLERANCE * max(1.0, arr.free[s]):
                return Reason("capacity_alone", {
                    "kind": KINDS[k], "need": float(arr.need[a, k]), "free": float(arr.free[s]),
                    "source": arr.inst.sources[s].id})
        return Reason("capacity_mix")
    pinned_by = {arr.plot_index[p]: b for b, p in arr.inst.pinned}
    return Reason("competition", parts=(Reason("taken", {"pairs": [
        (arr.inst.plots[p].id, pinned_by[p]) for p in fit if p in pinned_by]}),))
