"""The dashboard, the list behind each figure, the monthly report and the registers: for zone
office staff and managers. Thin: parse the scope and day, call the selectors, render."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from promzona.accounts.decorators import role_required
from promzona.columns import paused_collector
from promzona.core import charts as c
from promzona.core import kpi
from promzona.core.errors import InputError, NotFound
from promzona.core.numbers import whole_number
from promzona.web.feedback import form_error_text, message_of
from promzona.zones.models import Plot, Zone

from . import charts, drill, jobs, selectors
from .contract import kpi_json

overseers = role_required("staff", "manager")
PAGE_SIZE = 50


class ZoneChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Zone) -> str:
        return obj.name  # in the page's language


class ScopeForm(forms.Form):
    zone = ZoneChoice(label=gettext_lazy("Zone"), required=False, to_field_name="slug",
                      queryset=Zone.objects.all(), empty_label=gettext_lazy("All zones"))
    as_of = forms.DateField(label=gettext_lazy("As of"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean_as_of(self):
        value = self.cleaned_data["as_of"]
        if value is None:
            return None
        try:
            return selectors.scope_and_day(None, value, today=timezone.localdate())[1]
        except InputError as exc:
            raise forms.ValidationError(message_of(exc)) from exc


def _scope(request, *, strict: bool = True) -> tuple[ScopeForm, Zone | None, dt.date]:
    """The zone and day asked for. A value that does not parse is a 404 (``strict``: a list
    or a report of another scope than asked would mislead), or on the dashboard an error
    next to its field, which then shows all zones today."""
    form = ScopeForm(request.GET or None)
    today = timezone.localdate()
    if not form.is_bound:
        return form, None, today
    if form.is_valid():
        return form, form.cleaned_data["zone"], form.cleaned_data["as_of"] or today
    if strict:
        raise Http404(" ".join(str(e) for errors in form.errors.values() for e in errors))
    return form, None, today


def _query(zone: Zone | None, day: dt.date, **more) -> str:
    params = {"zone": zone.slug if zone else None, "as_of": day.isoformat(), **more}
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def linker(zone: Zone | None, day: dt.date):
    """``link(name, **params)``: the list behind a figure of the page."""
    def link(name: str, **params) -> str:
        if name == "works":
            return reverse("works:list") + "?" + urlencode(
                {"zone": zone.pk if zone else "", "as_of": day.isoformat(), **params})
        if name == "plots":
            return reverse("dashboard:list", args=["plots", params["status"]]) + "?" + \
                _query(zone, day)
        if name == "source":
            return reverse("dashboard:list", args=["source", params["source"]]) + "?" + \
                _query(None, day)
        if name == "funnel":
            return reverse("dashboard:list", args=["funnel", params["stage"]]) + "?" + \
                _query(zone, day)
        if name == "projects":
            return reverse("dashboard:list", args=["projects", "counted"]) + "?" + \
                _query(zone, day)
        kind = params.pop("kind")
        return reverse("dashboard:list", args=["instructions", kind]) + "?" + \
            _query(zone, day, **params)
    return link


@overseers
@require_GET
@paused_collector()
def index(request):
    """Where the zone (or every zone) stands on a day: every figure with its chart and the
    list behind it, each zone's figures, and the trends month by month (the thousands of
    figures written without the collector's passes, as they are computed)."""
    form, zone, day = _scope(request, strict=False)
    board = selectors.board(zone=zone, day=day, per_zone=zone is None)
    f = board.figures
    link = linker(zone, day)
    current = kpi_json(f, zone=zone.slug if zone else None, bodies=board.bodies)
    points = selectors.trend_points(zone=zone, day=day, current=current)

    def svg(chart: c.Chart) -> str:
        return mark_safe(c.svg(chart))  # noqa: S308 - core.charts escapes every text

    month = (day.year, day.month)
    zone_names = {z.slug: z.translated("name") for z in Zone.objects.all()}
    return render(request, "dashboard/index.html", {
        "form": form, "zone": zone, "day": day, "today": timezone.localdate(), "f": f,
        "query": _query(zone, day),
        "charts": {"land": svg(charts.land(f, link)),
                   "capacity": svg(charts.capacity(f, link, alerts_only=zone is None,
                                                   zone_names=zone_names)),
                   "funnel": svg(charts.funnel(f, link)),
                   "investment": svg(charts.investment(f, link)),
                   "jobs": svg(charts.jobs(f, link)),
                   "works": svg(charts.works(f, link)),
                   "instructions": svg(charts.instructions(f, board.bodies, link))},
        "trends": [svg(t) for t in charts.trends(points)],
        "trend_months": len(points) - 1,
        "report": {"year": month[0], "month": month[1], "languages": settings.LANGUAGES},
        **_rows(f, board, link, zone_names),
    })


def _rows(f, board, link, zone_names) -> dict:
    """The tables beside the charts, each row with the link to the list behind it."""
    statuses = dict(Plot.Status.choices)
    labels = charts.funnel_labels()
    return {
        "land_rows": [(s, statuses[s], f.land.count_by_status[s], f.land.area_ha_by_status[s],
                       link("plots", status=s)) for s in kpi.PLOT_STATUSES],
        "source_rows": [(s, zone_names.get(s.zone, s.zone), link("source", source=s.id))
                        for s in f.sources
                        if s.near_exhaustion or board.zones == ()],
        "sources_near": sum(s.near_exhaustion for s in f.sources),
        "funnel_rows": [(labels[s], f.funnel.counts[s], f.funnel.conversion.get(s),
                         f.funnel.median_days.get(s), link("funnel", stage=s))
                        for s in kpi.FUNNEL if f.funnel.counts[s] is not None],
        "by_executor": [(board.bodies.get(pk, "?"), n, link("instructions", kind="overdue",
                                                           executor=pk))
                        for pk, n in f.instructions.overdue_by_executor.items()],
        "by_issuer": [(board.bodies.get(pk, "?"), n, link("instructions", kind="overdue",
                                                         issuer=pk))
                      for pk, n in f.instructions.overdue_by_issuer.items()],
        "zone_rows": [(z, zf, sum(s.near_exhaustion for s in zf.sources))
                      for z, zf in board.zones],
        "links": {"works_late": link("works", late="on"), "works": link("works"),
                  "projects": link("projects"), "taken": link("plots", status="taken"),
                  "free": link("plots", status="published"),
                  "instructions": {k: link("instructions", kind=k)
                                   for k in drill.INSTRUCTION_KINDS}},
    }


@overseers
@require_GET
def listing(request, kind: str, key: str):
    """The items behind one figure, on the page's day (and zone), 50 to a page."""
    form, zone, day = _scope(request)
    try:
        if kind == "plots":
            found = drill.plots(zone=zone, day=day, status=key)
        elif kind == "source":
            found = drill.source(source_id=whole_number(key, maximum=2**62) or 0, day=day)
        elif kind == "funnel":
            found = drill.funnel(zone=zone, day=day, stage=key)
        elif kind == "projects" and key == "counted":
            found = drill.projects(zone=zone, day=day)
        elif kind == "instructions":
            found = drill.instructions(
                zone=zone, day=day, kind=key,
                executor=whole_number(request.GET.get("executor", ""), maximum=2**62),
                issuer=whole_number(request.GET.get("issuer", ""), maximum=2**62))
        else:
            raise NotFound(_("No such list."))
    except NotFound as exc:
        raise Http404(message_of(exc)) from exc
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dashboard/list.html", {
        "form": form, "zone": zone, "day": day, "listing": found, "page": page,
        "query": query.urlencode(), "back": reverse("dashboard:index") + "?" + _query(zone, day)})


class AskForm(forms.Form):
    """The scope and language of a report asked for from the dashboard."""

    zone = ZoneChoice(label=gettext_lazy("Zone"), required=False, to_field_name="slug",
                      queryset=Zone.objects.all())
    lang = forms.ChoiceField(label=gettext_lazy("Language"), required=False,
                             choices=settings.LANGUAGES)


def _asked(request) -> tuple[Zone | None, str]:
    """The zone and language of a report asked for; :class:`InputError` (the error page, 400)
    for a zone or language unknown."""
    form = AskForm(request.POST)
    if not form.is_valid():
        raise InputError(form_error_text(form))
    return (form.cleaned_data["zone"],
            form.cleaned_data["lang"] or translation.get_language() or settings.LANGUAGE_CODE)


@overseers
@require_POST
def monthly(request, year: int, month: int, fmt: str):
    """Queue the monthly report of the zone (``zone``; all zones without) for ``year``-``month``
    in ``lang`` (ru, kk, en) as PDF or XLSX; its page follows it."""
    zone, lang = _asked(request)
    job = jobs.monthly_ask(actor=request.user, zone=zone, year=year, month=month, fmt=fmt,
                           lang=lang, today=timezone.localdate())
    return redirect("ops:report", pk=job.pk)


@overseers
@require_POST
def register(request, what: str, fmt: str):
    """Queue the printable register of plots or of applications (``zone``), PDF or XLSX."""
    zone, lang = _asked(request)
    job = jobs.register_ask(actor=request.user, what=what, zone=zone, fmt=fmt, lang=lang,
                            today=timezone.localdate())
    return redirect("ops:report", pk=job.pk)
