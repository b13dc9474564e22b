"""Optimisation pages for zone office staff and managers: the build plan and its scenarios,
the allocation proposal (pin, forbid, re-solve, confirm), and their XLSX and PDF exports.

Thin: parse a form, call a selector or service, render. Managers see and export everything;
only staff save scenarios, turn a plan into works and confirm a proposal (their services check
it too).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona import l10n
from promzona.accounts.decorators import role_required
from promzona.accounts.models import Role
from promzona.core.errors import PromzonaError
from promzona.web.feedback import form_errors, refused
from promzona.zones.models import Zone

from . import answers, charts, exports, selectors, services
from .forms import AllocationForm, PlanForm, PlanWorksForm, ScenarioForm
from .models import PlanScenario

overseers = role_required(Role.STAFF, Role.MANAGER)
staff_only = role_required(Role.STAFF)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _zone(slug: str) -> Zone:
    return get_object_or_404(Zone, slug=slug)


def _note(zone: Zone) -> str:
    return _("Illustrative data: the zone, plots, works, budgets and applications of the demo "
             "are invented; the results show how the method works.") if zone.is_illustrative \
        else ""


@overseers
@require_GET
def index(request):
    return render(request, "optimise/index.html", {"zones": Zone.objects.order_by("slug")})


# --- the build plan ------------------------------------------------------------------------


def _plan_answer(request, zone: Zone, form: PlanForm):
    """The context and readable answer for the plan form's choices (None when invalid)."""
    if form.is_bound and not form.is_valid():
        return None, None
    choices = form.choices() if form.is_bound else PlanForm.defaults()
    step = (form.cleaned_data.get("marginal_step") if form.is_bound else None) or 1.0
    ctx = selectors.plan_instance(zone, today=timezone.localdate(), **choices)
    try:
        answer = answers.solve_plan_context(ctx, marginal_step=step)[2]
    except PromzonaError as exc:
        refused(request, exc)
        return ctx, None
    return ctx, answers.readable(answer)


def _chosen_plan(request, zone: Zone):
    """(context, answer, scenario or None) of the plan the query string names: a saved
    ``scenario``, or the plan form's choices solved again."""
    scenario_id = request.GET.get("scenario", "")
    if scenario_id:
        if not scenario_id.isdigit() or len(scenario_id) > 12:
            raise Http404
        scenario = get_object_or_404(PlanScenario, zone=zone, pk=int(scenario_id))
        return *_scenario_context(zone, scenario), scenario
    return *_plan_answer(request, zone, PlanForm(request.GET or None)), None


def _plan_page(request, zone: Zone, ctx, answer, **extra):
    pictures = {}
    if answer is not None:
        pictures = {"gantt": charts.data_uri(charts.gantt(answer, ctx)),
                    "map": charts.data_uri(charts.unlock_map(answer, ctx, zone))}
        if request.user.is_zone_staff:
            pictures |= {"plan_works": selectors.plan_works(ctx, answer),
                         "works_form": PlanWorksForm()}
    return render(request, extra.pop("template", "optimise/plan.html"), {
        "zone": zone, "ctx": ctx, "answer": answer, "note": _note(zone), **pictures,
        "periods": list(zip(range(1, len(ctx.period_starts) + 1), ctx.period_starts,
                            strict=True)) if ctx else [],
        "can_save": request.user.is_zone_staff, **extra})


@overseers
@require_GET
def plan(request, zone_slug: str):
    zone = _zone(zone_slug)
    form = PlanForm(request.GET or None)
    ctx, answer = _plan_answer(request, zone, form)
    return _plan_page(request, zone, ctx, answer, form=form, query=request.GET.urlencode())


@overseers
@require_GET
def scenarios(request, zone_slug: str):
    zone = _zone(zone_slug)
    ids = [int(i) for i in request.GET.getlist("compare")[:10] if i.isdigit() and len(i) < 12]
    listed = list(selectors.scenarios_of(zone))
    chosen = [s for s in listed if s.pk in ids]
    return render(request, "optimise/scenarios.html", {
        "zone": zone, "scenarios": listed, "compared": [
            (s, answers.readable(s.result)) for s in chosen], "note": _note(zone),
        "can_save": request.user.is_zone_staff})


@staff_only
@require_http_methods(["GET", "POST"])
def scenario_new(request, zone_slug: str):
    zone = _zone(zone_slug)
    plan_form = PlanForm(request.GET or None)
    choices = plan_form.choices() if plan_form.is_bound and plan_form.is_valid() \
        else PlanForm.defaults()
    ctx = selectors.plan_instance(zone, today=timezone.localdate(), **{
        **choices, "budget": None})
    initial = {**{k: v for k, v in request.GET.items() if k in plan_form.fields},
               "kinds": request.GET.getlist("kinds")}
    form = ScenarioForm(request.POST or None, ctx=ctx, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            scenario = services.scenario_create(
                actor=request.user, zone=zone, name=d["name"], values=d["values"],
                requires=d["requires"], **form.choices())
        except PromzonaError as exc:
            refused(request, exc)
        else:
            return redirect("optimise:scenario", zone_slug=zone.slug, pk=scenario.pk)
    return render(request, "optimise/scenario_form.html", {
        "zone": zone, "form": form, "ctx": ctx, "note": _note(zone)})


def _scenario_context(zone: Zone, scenario: PlanScenario):
    ctx = selectors.plan_instance(
        zone, today=timezone.localdate(scenario.created_at), periods=scenario.periods,
        budget=scenario.budget, discount_rate=scenario.discount_rate,
        carry_over=scenario.carry_over, kinds=scenario.kinds, values=scenario.values,
        requires=scenario.requires)
    return ctx, answers.readable(scenario.result)


@overseers
@require_GET
def scenario_detail(request, zone_slug: str, pk: int):
    zone = _zone(zone_slug)
    scenario = get_object_or_404(PlanScenario, zone=zone, pk=pk)
    ctx, answer = _scenario_context(zone, scenario)
    return _plan_page(request, zone, ctx, answer, scenario=scenario,
                      template="optimise/scenario.html", query=f"scenario={scenario.pk}")


@staff_only
@require_POST
def scenario_delete(request, zone_slug: str, pk: int):
    zone = _zone(zone_slug)
    scenario = get_object_or_404(PlanScenario, zone=zone, pk=pk)
    try:
        services.scenario_delete(actor=request.user, scenario=scenario)
    except PromzonaError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Scenario deleted."))
    return redirect("optimise:scenarios", zone_slug=zone.slug)


@staff_only
@require_POST
def plan_works(request, zone_slug: str):
    """The chosen plan's ticked works become planned infrastructure works (all or none)."""
    zone = _zone(zone_slug)
    ctx, answer, scenario = _chosen_plan(request, zone)
    back = reverse("optimise:scenario", args=[zone.slug, scenario.pk]) if scenario else \
        f"{reverse('optimise:plan', args=[zone.slug])}?{request.GET.urlencode()}"
    form = PlanWorksForm(request.POST)
    if answer is None:
        return redirect(back)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    try:
        created, existing = services.plan_works_create(
            actor=request.user, zone=zone, ctx=ctx, answer=answer,
            work_ids=request.POST.getlist("work"), **{
                k: form.cleaned_data[k] for k in ("funding_source", "contractor")})
    except PromzonaError as exc:
        refused(request, exc)
        return redirect(back)
    if created:
        messages.success(request, _("Planned works created: %(works)s.")
                         % {"works": ", ".join(w.name for w in created)})
    if existing:
        messages.info(request, _("Already built by a work, not created again: %(works)s.")
                      % {"works": ", ".join(f"{pw.key} (#{pw.existing.pk})" for pw in existing)})
    return redirect(back)


# --- the allocation ------------------------------------------------------------------------


def _proposal(request, zone: Zone, form: AllocationForm):
    """(context, answer, result) for the form's state; (None, None, None) when refused."""
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, error[0])
        return None, None, None
    d = form.cleaned_data
    ctx = selectors.allocation_instance(zone, today=timezone.localdate(), weights=form.weights(),
                                       values=d["values"])
    try:
        _, result, answer = answers.solve_allocation_context(
            ctx, pinned=d["pinned"], forbidden=d["forbidden"])
    except PromzonaError as exc:
        refused(request, exc)
        return ctx, None, None
    return ctx, answers.readable(answer), result


def _state(d: dict, weights: dict) -> list[tuple[str, str]]:
    """The proposal's state as query pairs (weights, changed values, pins, forbids)."""
    q = [(k, str(v)) for k, v in weights.items()]
    q += [(f"value_{a}", str(v)) for a, v in d.get("values", {}).items()]
    q += [("pin", f"{a}:{p}") for a, p in d.get("pinned", [])]
    q += [("forbid", f"{a}:{p}") for a, p in d.get("forbidden", [])]
    return q


@overseers
@require_GET
def allocation(request, zone_slug: str):
    zone = _zone(zone_slug)
    form = AllocationForm(request.GET)
    ctx, answer, result = _proposal(request, zone, form)
    rows, state = [], []
    if answer is not None:
        d = form.cleaned_data
        state = _state(d, form.weights())
        base = reverse("optimise:allocation", args=[zone.slug])
        plot_of = {a["application"]: a["plot"] for a in answer["assignments"]}
        values = {a["id"]: a["value"] for a in ctx.instance["applications"]}
        reasons = answers.unassigned_sentences(result)
        for key, app in ctx.applications.items():
            plot = plot_of.get(key)
            pair = (key, plot)
            rows.append({
                "key": key, "app": app, "value": values[key], "default": ctx.default_values[key],
                "plot": plot, "reason": reasons.get(key), "pinned": pair in d["pinned"],
                "pin_url": f"{base}?{urlencode(state + [('pin', f'{key}:{plot}')])}",
                "forbid_url": f"{base}?{urlencode(state + [('forbid', f'{key}:{plot}')])}",
            })
        pins = [(a, p, f"{base}?{urlencode([s for s in state if s != ('pin', f'{a}:{p}')])}")
                for a, p in d["pinned"]]
        forbids = [(a, p, f"{base}?{urlencode([s for s in state if s != ('forbid', f'{a}:{p}')])}")
                   for a, p in d["forbidden"]]
    else:
        pins = forbids = []
    return render(request, "optimise/allocation.html", {
        "zone": zone, "form": form, "answer": answer, "rows": rows, "state": state,
        "pins": pins, "forbids": forbids, "note": _note(zone), "query": urlencode(state),
        "can_confirm": request.user.is_zone_staff})


@staff_only
@require_POST
def allocation_confirm(request, zone_slug: str):
    zone = _zone(zone_slug)
    form = AllocationForm(request.POST)
    ctx, answer, _result = _proposal(request, zone, form)
    back = reverse("optimise:allocation", args=[zone.slug])
    if answer is None:
        return redirect(back)
    d = form.cleaned_data
    state = urlencode(_state(d, form.weights()))
    proposed = sorted((a["application"], a["plot"]) for a in answer["assignments"])
    if proposed != sorted(d["pairs"]):
        messages.warning(request, _("The proposal changed since it was shown (the data or the "
                                    "choices changed); review it and confirm again."))
        return redirect(f"{back}?{state}")
    try:
        reserved = services.allocation_confirm(actor=request.user, zone=zone, pairs=d["pairs"])
    except PromzonaError as exc:
        refused(request, exc)
        return redirect(f"{back}?{state}")
    messages.success(request, _("%(n)s plots reserved for their applications.")
                     % {"n": len(reserved)})
    return redirect(back)


# --- exports -------------------------------------------------------------------------------


@overseers
@require_GET
def export(request, zone_slug: str, what: str, fmt: str):
    zone = _zone(zone_slug)
    if what not in ("plan", "allocation") or fmt not in ("xlsx", "pdf"):
        raise Http404
    title = f"{zone.name}: " + (_("build plan") if what == "plan" else _("allocation proposal"))
    note = _note(zone)
    images = []
    if what == "plan":
        ctx, answer, scenario = _chosen_plan(request, zone)
        if scenario is not None:
            title += f" · {scenario.name}"
        if answer is None:
            raise Http404
        tables = exports.plan_tables(answer, ctx.period_starts)
        if fmt == "pdf":
            images = [charts.gantt(answer, ctx, fmt="png"),
                      charts.unlock_map(answer, ctx, zone, fmt="png")]
    else:
        ctx, answer, result = _proposal(request, zone, AllocationForm(request.GET))
        if answer is None:
            raise Http404
        names = {k: a.project_name for k, a in ctx.applications.items()}
        tables = exports.allocation_tables(answer, names, answers.unassigned_sentences(result))
    status = _("optimal") if answer["status"] == "optimal" else _("time limit")
    summary = [_("Status: %(status)s; objective %(objective)s.")
               % {"status": status, "objective": l10n.num(answer["objective"], 2)}]
    summary += [_("%(rule)s: %(objective)s; the optimum gains %(gain)s.")
                % {"rule": b["label"], "objective": l10n.num(b["objective"], 2),
                   "gain": l10n.num(b["gain"], 2)} for b in answer["baselines"]]
    if fmt == "xlsx":
        body, ctype = exports.xlsx(title, note, tables), XLSX
    else:
        body, ctype = exports.pdf(title, note, summary, tables, images), "application/pdf"
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="promzona-{zone.slug}-{what}.{fmt}"'
    return resp
