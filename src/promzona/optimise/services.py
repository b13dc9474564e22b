"""Writes: build-plan scenarios saved and deleted, a plan's works created, an allocation
proposal confirmed.

Each writes in one transaction with its audit entry (a scenario is solved before it opens);
only zone office staff may write.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.applications.models import Application, Reservation
from promzona.applications.selectors import is_reviewer
from promzona.applications.services import plot_reserve
from promzona.audit.services import audit_record
from promzona.core.errors import Forbidden, InputError, NotFound
from promzona.core.numbers import whole_number
from promzona.works.models import Work
from promzona.works.services import work_create
from promzona.zones.models import InfrastructureProject, Plot, UtilityLine, Zone

from .answers import solve_plan_context
from .models import PlanScenario
from .selectors import PlanContext, PlanWork, plan_instance, plan_works

MAX_NAME = 100
MAX_PAIRS = 1000
SCENARIO_TIME_LIMIT = 20.0


def _require_staff(actor: Actor) -> None:
    if not is_reviewer(actor):
        raise Forbidden(_("Only zone office staff may do this."))


def scenario_create(  # noqa: PLR0913 - a scenario's choices, keyword-only, as the form sends them
    *, actor: Actor, zone: Zone, name: str, periods: int, budget: list[float] | None,
    discount_rate: float, carry_over: bool, kinds: list[str] | None = None,
    values: dict[str, float] | None = None, requires: dict[str, list[str]] | None = None,
    now: dt.datetime | None = None,
) -> PlanScenario:
    """Solve the zone's build plan with these choices and keep it as a named scenario
    (``budget`` None: the default of :func:`~promzona.optimise.selectors.plan_instance`).

    The instance is checked like any other (:func:`~promzona.core.optimise.plan.parse_plan`):
    a value override for a plot that is not offerable, or a requirement naming an unknown
    work, is an :class:`InputError` and nothing is saved.
    """
    _require_staff(actor)
    now = now or timezone.now()
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME:
        raise InputError(_("A scenario needs a name of at most 100 characters."), field="name")
    ctx = plan_instance(zone, today=timezone.localdate(now), periods=periods, budget=budget,
                        discount_rate=discount_rate, carry_over=carry_over, kinds=kinds,
                        values=values, requires=requires)
    unknown = sorted((set(values or {}) | set(requires or {})) - set(ctx.plots))
    if unknown:
        raise InputError(_("Plot %(code)s is not in the plan: it is not offerable, or no line "
                           "can serve it (give its required works).")
                         % {"code": unknown[0][:40]}, field="values")
    # Solved before the transaction: a write lock is not held for the solver's seconds.
    answer = solve_plan_context(ctx, time_limit=SCENARIO_TIME_LIMIT)[2]
    with transaction.atomic():
        scenario = PlanScenario.objects.create(
            zone=zone, name=name, periods=periods, budget=list(ctx.instance["budget"]),
            discount_rate=discount_rate, carry_over=carry_over, kinds=kinds,
            values=values or {}, requires=requires or {}, result=answer, created_by=actor,
            created_at=now)
        audit_record(actor=actor, action="plan_scenario.created", obj=scenario, now=now,
                     after={"zone": zone.slug, "name": name, "objective": answer["objective"],
                            "status": answer["status"]})
    return scenario


@transaction.atomic
def scenario_delete(*, actor: Actor, scenario: PlanScenario, now: dt.datetime | None = None) -> None:
    _require_staff(actor)
    audit_record(actor=actor, action="plan_scenario.deleted", obj=scenario, now=now,
                 before={"zone": scenario.zone.slug, "name": scenario.name})
    scenario.delete()


MAX_WORKS = 500


def plan_works_create(
    *, actor: Actor, zone: Zone, ctx: PlanContext, answer: dict[str, Any], work_ids: list[str],
    funding_source: str, contractor: str, now: dt.datetime | None = None,
) -> tuple[list[Work], list[PlanWork]]:
    """Create a planned infrastructure work (through :func:`~promzona.works.services.work_create`)
    for each of ``work_ids`` — works the plan ``answer`` schedules — that no open work builds yet:
    all of them, or none when any one is refused. Returns the works created and the chosen plan
    works that already had one (so a second call creates nothing)."""
    _require_staff(actor)
    if not isinstance(work_ids, list) or not work_ids or len(work_ids) > MAX_WORKS or \
            not all(isinstance(w, str) for w in work_ids):
        raise InputError(_("Choose at least one work of the plan."), field="work")
    if funding_source not in Work.Funding.values:
        raise InputError(_("Choose a funding source."), field="funding_source")
    now = now or timezone.now()
    with transaction.atomic():
        Zone.objects.select_for_update().get(pk=zone.pk)  # one creation per zone at a time
        scheduled = {pw.key: pw for pw in plan_works(ctx, answer)}
        unknown = [w for w in work_ids if w not in scheduled or scheduled[w].gone]
        if unknown:
            raise InputError(_("Work %(work)s is not to be built in this plan.")
                             % {"work": unknown[0][:40]}, field="work")
        chosen = [scheduled[w] for w in dict.fromkeys(work_ids)]
        todo = [pw for pw in chosen if pw.existing is None]
        for pw in todo:  # as they are now, not as when the plan was solved
            pw.line = pw.line and UtilityLine.objects.select_for_update().get(pk=pw.line.pk)
            pw.upgrade = pw.upgrade and InfrastructureProject.objects.select_for_update().get(
                pk=pw.upgrade.pk)
        existing = [pw for pw in chosen if pw.existing is not None]
        created = [work_create(
            actor=actor, zone=zone, name=f"{pw.key} — {pw.name}"[:255],
            kind="upgrade" if pw.upgrade else "line", line=pw.line, upgrade=pw.upgrade, contractor=contractor,
            funding_source=funding_source, planned_start=pw.start, planned_finish=pw.finish,
            contract_value_kzt=pw.value_kzt, now=now) for pw in todo]
        if created:
            audit_record(actor=actor, action="plan.works_created", obj=zone, now=now, after={
                "works": {pw.key: w.pk for pw, w in zip(todo, created, strict=True)},
                "existing": {pw.key: pw.existing.pk for pw in existing},
                "funding_source": funding_source})
    return created, existing


def _pair(zone: Zone, app_key: Any, plot_code: Any) -> tuple[Application, Plot]:
    pk = whole_number(app_key[1:]) if isinstance(app_key, str) and app_key[:1] == "A" else None
    app = Application.objects.filter(pk=pk).first() if pk is not None else None
    plot = Plot.objects.filter(zone=zone, code=plot_code).first() \
        if isinstance(plot_code, str) else None
    if app is None or plot is None:
        raise NotFound(_("The proposal names an application or plot that does not exist."))
    return app, plot


def allocation_confirm(
    *, actor: Actor, zone: Zone, pairs: list[tuple[str, str]],
    expires_at: dt.datetime | None = None, now: dt.datetime | None = None,
) -> list[Reservation]:
    """Reserve each proposed plot for its application through the ledger
    (:func:`~promzona.applications.services.plot_reserve`): all of them, or none when any one
    is refused (plot taken meanwhile, capacity gone, application withdrawn)."""
    _require_staff(actor)
    if not isinstance(pairs, list) or not pairs or len(pairs) > MAX_PAIRS:
        raise InputError(_("The proposal assigns no plot."), field="pairs")
    resolved = sorted((_pair(zone, a, p) for a, p in pairs), key=lambda ap: ap[0].pk)
    if len({a.pk for a, _ in resolved}) != len(resolved) or \
            len({p.pk for _, p in resolved}) != len(resolved):
        raise InputError(_("An application or a plot appears twice in the proposal."),
                         field="pairs")
    now = now or timezone.now()
    with transaction.atomic():
        reservations = [plot_reserve(actor=actor, plot=plot, application=app,
                                     expires_at=expires_at, now=now) for app, plot in resolved]
        audit_record(actor=actor, action="allocation.confirmed", obj=zone, now=now,
                     after={"pairs": [[f"A{a.pk}", p.code] for a, p in resolved],
                            "reservations": [r.pk for r in reservations]})
    return reservations
