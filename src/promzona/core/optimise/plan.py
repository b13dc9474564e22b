"""The utilities build plan: candidate works, a budget per period, plots waiting for works.

:func:`parse_plan` reads the JSON contract strictly (cycles in ``requires`` are refused, naming
the works); :func:`evaluate` values any schedule by the contract's rules; :func:`baselines` are
the two list schedules people use today ("cheapest work first", "best value per tenge first").

A work started in period ``s`` with duration ``d`` completes in ``s + d − 1``; it may start only
after every work it requires has completed; its cost is paid when it starts. A plot unlocks in
the first period by which every work it requires is complete (period 1 when it requires none)
and is then worth ``value / (1 + r) ** (t − 1)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .checks import fail, flag, items, label, mapping, number, references, unique_ids, whole

MAX_PERIODS = 240
MAX_WORKS = 20_000
MAX_PLOTS = 200_000
MAX_DURATION = 10_000
MAX_RATE = 10.0
BUDGET_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Work:
    id: str
    cost: float
    duration: int
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanPlot:
    id: str
    value: float
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanInstance:
    periods: int
    budget: tuple[float, ...]
    works: tuple[Work, ...]
    plots: tuple[PlanPlot, ...]
    discount_rate: float = 0.0
    carry_over: bool = True
    work_index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "work_index", {w.id: i for i, w in enumerate(self.works)})

    def discount(self, period: int) -> float:
        """The factor of a value unlocked in ``period`` (1-based)."""
        return (1.0 + self.discount_rate) ** -(period - 1)


def _cycle(works: list[Work]) -> list[str] | None:
    """A cycle in ``requires`` as [W1, W2, ..., W1], or None (iterative depth-first search)."""
    index = {w.id: i for i, w in enumerate(works)}
    state = [0] * len(works)  # 0 new, 1 on the path, 2 done
    for root in range(len(works)):
        if state[root]:
            continue
        path, stack = [], [(root, iter(works[root].requires))]
        state[root] = 1
        path.append(root)
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            j = index[nxt]
            if state[j] == 1:
                loop = path[path.index(j):] + [j]
                return [works[i].id for i in loop]
            if state[j] == 0:
                state[j] = 1
                path.append(j)
                stack.append((j, iter(works[j].requires)))
    return None


def parse_plan(data: Any) -> PlanInstance:
    """The instance in ``data`` (parsed JSON), or :class:`InputError` naming the culprit."""
    top = mapping(data, "instance", required=("periods", "budget", "works", "plots"),
                  optional=("discount_rate", "carry_over"))
    periods = whole(top["periods"], "periods", minimum=1, maximum=MAX_PERIODS)
    budget = items(top["budget"], "budget", maximum=MAX_PERIODS)
    if len(budget) != periods:
        raise fail("budget", f"has {len(budget)} entries but periods is {periods}; give one "
                             "budget per period")
    budget = tuple(number(b, f"budget[{t}]") for t, b in enumerate(budget))
    rate = number(top.get("discount_rate", 0.0), "discount_rate", maximum=MAX_RATE)
    carry = flag(top.get("carry_over", True), "carry_over")
    raw_works = items(top["works"], "works", maximum=MAX_WORKS)
    for i, w in enumerate(raw_works):
        mapping(w, label("works", i, w), required=("id", "cost", "duration"), optional=("requires",))
    work_ids = unique_ids(raw_works, "works")
    works = []
    for i, w in enumerate(raw_works):
        where = label("works", i, w)
        requires = references(w.get("requires", []), f"{where}.requires", work_ids, "work",
                              maximum=MAX_WORKS)
        if w["id"] in requires:
            raise fail(f"{where}.requires", f"work {w['id']!r} requires itself", id=w["id"])
        works.append(Work(id=w["id"], cost=number(w["cost"], f"{where}.cost"),
                          duration=whole(w["duration"], f"{where}.duration", minimum=1,
                                         maximum=MAX_DURATION),
                          requires=requires))
    loop = _cycle(works)
    if loop:
        raise fail("works", f"{' → '.join(loop)} require each other in a cycle", cycle=loop)
    raw_plots = items(top["plots"], "plots", maximum=MAX_PLOTS)
    for i, p in enumerate(raw_plots):
        mapping(p, label("plots", i, p), required=("id", "value"), optional=("requires",))
    unique_ids(raw_plots, "plots")
    plots = tuple(
        PlanPlot(id=p["id"], value=number(p["value"], f"{label('plots', i, p)}.value"),
                 requires=references(p.get("requires", []), f"{label('plots', i, p)}.requires",
                                     work_ids, "work", maximum=MAX_WORKS))
        for i, p in enumerate(raw_plots))
    return PlanInstance(periods=periods, budget=budget, works=tuple(works), plots=plots,
                        discount_rate=rate, carry_over=carry)


def closures(inst: PlanInstance) -> list[frozenset[int]]:
    """Per work, itself and every work it requires, directly or not (by index)."""
    out: list[frozenset[int] | None] = [None] * len(inst.works)

    def visit(root: int) -> None:
        stack = [root]
        while stack:
            j = stack[-1]
            pending = [inst.work_index[r] for r in inst.works[j].requires
                       if out[inst.work_index[r]] is None]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            if out[j] is None:
                out[j] = frozenset({j}).union(*(out[inst.work_index[r]]
                                                for r in inst.works[j].requires))

    for j in range(len(inst.works)):
        visit(j)
    return out  # type: ignore[return-value]


@dataclass(frozen=True)
class PlanValue:
    objective: float
    unlocked: dict[str, int | None]  # plot -> period (None: not by the horizon)
    values: dict[str, float]


def complete(inst: PlanInstance, starts: dict[str, int]) -> dict[str, int]:
    """Completion period of each started work (``start + duration − 1``)."""
    return {w: s + inst.works[inst.work_index[w]].duration - 1 for w, s in starts.items()}


def evaluate(inst: PlanInstance, starts: dict[str, int]) -> PlanValue:
    """What a (feasible) schedule is worth: when each plot unlocks and its discounted value."""
    done = {w: c for w, c in complete(inst, starts).items() if c <= inst.periods}
    unlocked: dict[str, int | None] = {}
    values: dict[str, float] = {}
    for p in inst.plots:
        if all(r in done for r in p.requires):
            t = max((done[r] for r in p.requires), default=1)
            unlocked[p.id], values[p.id] = t, p.value * inst.discount(t)
        else:
            unlocked[p.id], values[p.id] = None, 0.0
    return PlanValue(sum(values.values()), unlocked, values)


def spending(inst: PlanInstance, starts: dict[str, int]) -> list[float]:
    """Money spent in each period (a work's cost in its start period)."""
    out = [0.0] * inst.periods
    for w, s in starts.items():
        out[s - 1] += inst.works[inst.work_index[w]].cost
    return out


def left_shift(inst: PlanInstance, starts: dict[str, int]) -> dict[str, int]:
    """Start each work as early as its requirements and the budget allow, keeping the others
    where they are (a tie in value goes to the earlier plan; the value never drops)."""
    out = dict(starts)
    spent = spending(inst, out)
    cum_budget = [sum(inst.budget[: t + 1]) for t in range(inst.periods)]

    def affordable(cost: float, t: int, s: int) -> bool:
        if not inst.carry_over:
            return spent[t - 1] + cost <= inst.budget[t - 1] * (1 + BUDGET_TOLERANCE) + BUDGET_TOLERANCE
        running = sum(spent[: t - 1])
        for tau in range(t, s):  # periods whose cumulative spending grows by the move
            running += spent[tau - 1]
            if running + cost > cum_budget[tau - 1] * (1 + BUDGET_TOLERANCE) + BUDGET_TOLERANCE:
                return False
        return True

    for w in sorted(out, key=lambda w: (out[w], inst.work_index[w])):
        work = inst.works[inst.work_index[w]]
        ready = max((out[r] + inst.works[inst.work_index[r]].duration for r in work.requires),
                    default=1)
        for t in range(ready, out[w]):
            if affordable(work.cost, t, out[w]):
                spent[out[w] - 1] -= work.cost
                spent[t - 1] += work.cost
                out[w] = t
                break
    return out


def useful_works(inst: PlanInstance) -> set[int]:
    """Works some plot of positive value needs, directly or through another work."""
    clos = closures(inst)
    out: set[int] = set()
    for p in inst.plots:
        if p.value > 0:
            for r in p.requires:
                out |= clos[inst.work_index[r]]
    return out


def work_values(inst: PlanInstance) -> list[float]:
    """Per work, the total value of the plots that need it, directly or not (undiscounted)."""
    clos = closures(inst)
    out = [0.0] * len(inst.works)
    for p in inst.plots:
        needed = set().union(*(clos[inst.work_index[r]] for r in p.requires)) if p.requires \
            else set()
        for j in needed:
            out[j] += p.value
    return out


def list_schedule(inst: PlanInstance, priority: Callable[[int], Any]) -> dict[str, int]:
    """Period by period, start the works whose requirements are complete, in ``priority``
    order, while the money lasts (the period's budget, plus what is left from earlier periods
    when carry-over is on). Only works some plot needs; only works that finish by the horizon."""
    useful = useful_works(inst)
    starts: dict[str, int] = {}
    finish: dict[int, int] = {}
    left_over = 0.0
    for t in range(1, inst.periods + 1):
        money = inst.budget[t - 1] + (left_over if inst.carry_over else 0.0)
        ready = [j for j in useful if inst.works[j].id not in starts
                 and t + inst.works[j].duration - 1 <= inst.periods
                 and all(finish.get(inst.work_index[r], inst.periods + 1) < t
                         for r in inst.works[j].requires)]
        for j in sorted(ready, key=priority):
            cost = inst.works[j].cost
            if cost <= money + BUDGET_TOLERANCE * max(1.0, money):
                starts[inst.works[j].id] = t
                finish[j] = t + inst.works[j].duration - 1
                money -= cost
        left_over = max(0.0, money)
    return starts


def baselines(inst: PlanInstance) -> dict[str, dict[str, int]]:
    """"Cheapest work first" and "best value per tenge first" (the value of the plots a work
    helps unlock, over its cost), both respecting precedence and budget."""
    value = work_values(inst)

    def per_cost(j: int) -> tuple:
        cost = inst.works[j].cost
        return (-(value[j] / cost) if cost > 0 else -float("inf"), j)

    return {
        "cheapest_first": list_schedule(inst, lambda j: (inst.works[j].cost, j)),
        "best_value_per_cost": list_schedule(inst, per_cost),
    }
