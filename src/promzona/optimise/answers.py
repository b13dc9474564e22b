"""Solve a zone's instance and give the answer as the contract's JSON (English sentences, as
the command line writes them); :func:`readable` adds the active language's sentences for pages
and exports."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.translation import gettext

from promzona import l10n
from promzona.core.optimise.allocation import AllocationInstance, parse_allocation
from promzona.core.optimise.assign import AllocationResult, solve_allocation
from promzona.core.optimise.plan import PlanInstance, parse_plan
from promzona.core.optimise.schedule import PlanResult, budget_marginals, plan_json, solve_plan
from promzona.core.optimise.text import Reason, baseline_label

from .selectors import AllocationContext, PlanContext

PAGE_TIME_LIMIT = 10.0
#: A page re-solves once per period for the value of more budget only when that is quick.
MARGINAL_PAGE_SECONDS = 20.0


def solve_plan_context(ctx: PlanContext, *, time_limit: float = PAGE_TIME_LIMIT,
                       marginal_step: float | None = None,
                       ) -> tuple[PlanInstance, PlanResult, dict[str, Any]]:
    """Solve; with ``marginal_step``, also the value of more budget per period when solving
    again once per period takes at most :data:`MARGINAL_PAGE_SECONDS`."""
    inst = parse_plan(ctx.instance)
    result = solve_plan(inst, time_limit=time_limit)
    if marginal_step and result.model.solve_seconds * inst.periods <= MARGINAL_PAGE_SECONDS:
        result = dataclasses.replace(result, marginals=budget_marginals(
            inst, result, step=marginal_step, time_limit=time_limit))
    return inst, result, plan_json(inst, result)


def solve_allocation_context(
    ctx: AllocationContext, *, pinned: list[tuple[str, str]] = (),
    forbidden: list[tuple[str, str]] = (), time_limit: float = PAGE_TIME_LIMIT,
) -> tuple[AllocationInstance, AllocationResult, dict[str, Any]]:
    data = dict(ctx.instance,
                pinned=[{"application": a, "plot": p} for a, p in pinned],
                forbidden=[{"application": a, "plot": p} for a, p in forbidden])
    inst = parse_allocation(data)
    result = solve_allocation(inst, time_limit=time_limit)
    return inst, result, result.to_json(inst)


def readable(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer with its sentences and baseline names in the active language."""
    out = dict(answer)

    def works(rows):
        return [dict(r, explanation=Reason(r["code"], {
            "period": r["complete"], "plots": r["unlocks"] or r["helps"]}).text(gettext, l10n.lang()))
            for r in rows]

    if "schedule" in out:
        out["schedule"] = works(out["schedule"])
    out["baselines"] = [dict(b, label=baseline_label(b["name"], gettext),
                             **({"schedule": works(b["schedule"])} if "schedule" in b else {}))
                        for b in out["baselines"]]
    return out


def unassigned_sentences(result: AllocationResult) -> dict[str, str]:
    return {a: r.text(gettext, l10n.lang()) for a, r in result.unassigned.items()}
