"""Pages for works (staff and managers). Thin: parse a form, call a service, render.

Business errors become a message on the work's page; investors and the public get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.accounts.decorators import role_required
from promzona.audit.selectors import audit_history
from promzona.core.errors import PromzonaError
from promzona.web.feedback import form_errors, form_refused, refused, uploads_over

from . import selectors, services
from .forms import (
    AcceptForm,
    CancelForm,
    FixForm,
    InspectionForm,
    ProgressForm,
    ReplanForm,
    WorkFilter,
    WorkForm,
)
from .models import Inspection, WorkPhoto
from .timeline import timeline_svg

PAGE_SIZE = 50
overseers = role_required("staff", "manager")


def _get(request, pk):
    return selectors.work_get(user=request.user, pk=pk)


@overseers
@require_GET
def work_list(request):
    today = timezone.localdate()
    filters = WorkFilter(request.GET or None)
    qs, as_of, late_only = selectors.works_visible_to(request.user), today, False
    if filters.is_valid():
        d = filters.cleaned_data
        as_of = d["as_of"] or today
        late_only = d["late"]
        qs = qs.filter(**{k: d[k] for k in ("zone", "kind") if d[k]})
    qs = selectors.recorded_by(qs, as_of)
    rows = [(w, selectors.work_figures(w, as_of=as_of)) for w in qs]
    if filters.is_valid() and filters.cleaned_data["status"]:
        rows = [r for r in rows if r[1].status == filters.cleaned_data["status"]]
    if late_only:
        rows = [r for r in rows if r[1].late]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "works/list.html", {
        "page": page, "rows": page, "filters": filters, "as_of": as_of,
        "query": query.urlencode(), "can_edit": selectors.oversees(request.user),
    })


@overseers
@require_http_methods(["GET", "POST"])
def work_create(request):
    form = WorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            work = services.work_create(actor=request.user, **form.cleaned_data)
        except PromzonaError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("Work saved with its baseline."))
            return redirect("works:detail", pk=work.pk)
    return render(request, "accounts/form.html", {
        "form": form, "title": _("New work"), "button": _("Save"),
    })


@overseers
@require_GET
def work_detail(request, pk):
    work = _get(request, pk)
    today = timezone.localdate()
    return render(request, "works/detail.html", {
        "work": work, "f": selectors.work_figures(work, as_of=today), "today": today,
        "plans": work.plans.all(), "progress": work.progress.prefetch_related("photos"),
        "inspections": work.inspections.all(), "history": audit_history(work),
        "progress_form": ProgressForm(initial={"reported_on": today}),
        "replan_form": ReplanForm(initial={
            "planned_start": work.planned_start, "planned_finish": work.planned_finish,
            "contract_value_kzt": work.contract_value_kzt}),
        "inspection_form": InspectionForm(initial={"inspected_on": today}),
        "fix_form": FixForm(initial={"fixed_on": today}),
        "accept_form": AcceptForm(initial={"accepted_on": today}),
        "cancel_form": CancelForm(),
    })


def _post(request, pk, form_class, call, done: str, *, files=False):
    """Parse ``form_class`` from the POST, call ``call(work, cleaned_data)``, go back."""
    work = _get(request, pk)
    form = form_class(request.POST, request.FILES if files else None)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("works:detail", pk=work.pk)
    try:
        call(work, form.cleaned_data)
        messages.success(request, done)
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("works:detail", pk=work.pk)


@overseers
@require_POST
def work_progress(request, pk):
    if uploads_over(request, files=services.MAX_PHOTOS, each=services.MAX_PHOTO_BYTES):
        messages.error(request, _("The upload is too large."))
        return redirect("works:detail", pk=_get(request, pk).pk)
    return _post(request, pk, ProgressForm, lambda w, d: services.work_report_progress(
        actor=request.user, work=w, **d), _("Progress recorded."), files=True)


@overseers
@require_POST
def work_replan(request, pk):
    return _post(request, pk, ReplanForm, lambda w, d: services.work_replan(
        actor=request.user, work=w, **d), _("New plan version saved."))


@overseers
@require_POST
def work_inspect(request, pk):
    return _post(request, pk, InspectionForm, lambda w, d: services.work_inspect(
        actor=request.user, work=w, **d), _("Inspection recorded."))


@overseers
@require_POST
def work_accept(request, pk):
    return _post(request, pk, AcceptForm, lambda w, d: services.work_accept(
        actor=request.user, work=w, accepted_on=d["accepted_on"], remarks=d["remarks"]),
        _("Work accepted."))


@overseers
@require_POST
def work_cancel(request, pk):
    return _post(request, pk, CancelForm, lambda w, d: services.work_cancel(
        actor=request.user, work=w, reason=d["reason"]), _("Work cancelled."))


@overseers
@require_POST
def inspection_fix(request, pk):
    inspection = get_object_or_404(Inspection, pk=pk, work__in=selectors.works_visible_to(
        request.user))
    form = FixForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            services.inspection_fix(actor=request.user, inspection=inspection,
                                    **form.cleaned_data)
            messages.success(request, _("Finding marked as fixed."))
        except PromzonaError as exc:
            refused(request, exc)
    return redirect("works:detail", pk=inspection.work_id)


@overseers
@require_GET
def photo(request, pk):
    """A site photo, to staff and managers only; never from a public URL."""
    p = get_object_or_404(WorkPhoto, pk=pk)
    response = FileResponse(p.file.open("rb"), content_type=p.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@overseers
@require_GET
def timeline(request):
    """Works and investor projects on one timeline, as of today."""
    today = timezone.localdate()
    zone = request.GET.get("zone", "")
    if zone and (not zone.isascii() or len(zone) > 50):
        raise Http404
    return render(request, "works/timeline.html", {
        "svg": timeline_svg(request.user, today=today, zone_slug=zone or None),
        "today": today, "zone": zone,
    })
