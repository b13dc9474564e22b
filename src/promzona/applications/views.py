"""Investor and staff pages for applications. Thin: parse a form, call a service, render.

Business errors become a message on the application's page; an application or attachment the
user may not see is a 404, never a 403 (its existence is not revealed).
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.accounts.selectors import acts_for
from promzona.audit.selectors import audit_history
from promzona.core.errors import NotFound, PromzonaError
from promzona.core.matching.request import MAX_HORIZON
from promzona.core.numbers import whole_number
from promzona.core.utilities import NEED_KEYS
from promzona.web.feedback import form_errors, form_refused, refused, uploads_over
from promzona.zones.selectors import plots_visible_to

from . import selectors, services
from .actions import actions_for
from .files import MAX_ATTACHMENT_BYTES
from .forms import ApplicationForm, CommentForm, QueueFilter, ReserveForm, UploadForm
from .models import Reservation

PAGE_SIZE = 50


def _get(request, pk):
    return selectors.application_get(user=request.user, pk=pk)




@login_required
@require_GET
def application_list(request):
    """An investor's applications, or the staff review queue with filters."""
    qs = selectors.applications_visible_to(request.user)
    filters = QueueFilter(request.GET or None)
    if filters.is_valid():
        d = filters.cleaned_data
        if d["status"]:
            qs = qs.filter(status=d["status"])
        if d["sector"]:
            qs = qs.filter(sector=d["sector"])
        if d["q"]:
            qs = qs.filter(Q(project_name__icontains=d["q"]) |
                           Q(organisation__name__icontains=d["q"]) |
                           Q(organisation__bin=d["q"]) |
                           Q(organisation__registration_number=d["q"].upper()))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    return render(request, "applications/list.html", {
        "applications": page, "page": page, "query": query.urlencode(), "filters": filters,
        "can_create": user.acts_for_organisation, "sees_all": selectors.sees_all(user),
        "awaits_confirmation": user.role == "investor" and not user.acts_for_organisation,
    })


def _prefill(request, plots) -> dict:
    """Initial values from a plot passport (``?plot=ID``) or a match result (``?plots=3,1,7``
    in rank order, ``sector=C25``, the need keys, e.g. ``power_kw=500``, ``start_by`` and
    ``horizon_years``): the match's request, so the reservation weighs sources as it did."""
    raw = request.GET.get("plots") or request.GET.get("plot") or ""
    ids = [n for n in (whole_number(i) for i in raw.split(",")[:10]) if n is not None]
    codes = dict(plots.filter(pk__in=ids).values_list("pk", "code"))
    initial = {"preferred_codes": ", ".join(codes[i] for i in ids if i in codes)}
    if request.GET.get("sector"):
        initial["sector"] = request.GET["sector"][:10]
    for key in NEED_KEYS:
        value = request.GET.get(key, "")
        if value.isascii() and value.replace(".", "", 1).isdigit() and len(value) < 16:
            initial[key] = value
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", request.GET.get("start_by", "")):
        initial["start_by"] = request.GET["start_by"]
    horizon = whole_number(request.GET.get("horizon_years", ""))
    if horizon is not None and 1 <= horizon <= MAX_HORIZON:
        initial["horizon_years"] = horizon
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    if not request.user.acts_for_organisation:  # say why, and what comes next
        raise PermissionDenied(
            _("You can apply once the zone office has confirmed you as a user of your "
              "organisation.") if request.user.role == "investor" else
            _("Only users of an organisation confirmed by the zone office may apply."))
    plots = plots_visible_to(request.user)
    form = ApplicationForm(request.POST or None, plots=plots, initial=_prefill(request, plots))
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_create(actor=request.user, **form.service_fields())
        except PromzonaError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("Draft saved. Submit it when it is complete."))
            return redirect("applications:detail", pk=app.pk)
    return render(request, "accounts/form.html", {
        "form": form, "title": _("New application"), "button": _("Save draft"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request, pk):
    app = _get(request, pk)
    plots = plots_visible_to(request.user)
    form = ApplicationForm(request.POST or None, plots=plots,
                           initial=ApplicationForm.initial_from(app))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_update(actor=request.user, application=app,
                                        now=timezone.now(), **form.service_fields())
        except PromzonaError as exc:
            form_refused(form, exc)
        else:
            return redirect("applications:detail", pk=app.pk)
    return render(request, "accounts/form.html", {
        "form": form, "title": _("Edit application #%(id)s") % {"id": app.pk},
        "button": _("Save"),
    })


@login_required
@require_GET
def application_detail(request, pk):
    app = _get(request, pk)
    user = request.user
    staff = selectors.is_reviewer(user)
    preferred = list(app.preferred.select_related("plot__zone"))
    reservations = list(app.reservations.select_related("plot__zone"))
    active = next((r for r in reservations if r.status == Reservation.Status.ACTIVE), None)
    actions = actions_for(user, app, active=active)
    today = timezone.localdate()
    return render(request, "applications/detail.html", {
        "app": app, "preferred": preferred, "reservations": reservations, "active": active,
        "comments": app.comments.select_related("author"),
        "attachments": app.attachments.all(),
        "history": selectors.application_history(app) if selectors.sees_all(user) else None,
        "is_member": acts_for(user, app.organisation_id),
        "is_staff": staff, "actions": actions,
        # The reviewer's check: would a reservation of each preferred plot find the capacity?
        "capacity": [(p.plot, selectors.capacity_check(app, p.plot, today=today))
                     for p in preferred] if "reserve" in actions else [],
        "committed": active.commitment_links.select_related("commitment__source")
        if active is not None and selectors.sees_all(user) else [],
        "comment_form": CommentForm(auto_id=False), "upload_form": UploadForm(),
        "reserve_form": ReserveForm(initial={"plot_code": next(
            (p.plot.code for p in preferred), "")}),
    })


@login_required
@require_POST
def application_transition(request, pk, name):
    if name not in ("submit", "start_review", "approve", "reject", "withdraw"):
        raise Http404
    app = _get(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A comment is text of at most 5000 characters."))
        return redirect("applications:detail", pk=app.pk)
    comment = form.cleaned_data["comment"]
    try:
        getattr(services, f"application_{name}")(actor=request.user, application=app,
                                                 comment=comment)
        messages.success(request, _("Done: %(status)s.") % {"status": app.get_status_display()})
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def comment_add(request, pk):
    app = _get(request, pk)
    form = CommentForm(request.POST)
    try:
        services.comment_add(actor=request.user, application=app,
                             body=form.cleaned_data["comment"] if form.is_valid() else None)
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def plot_reserve(request, pk):
    app = _get(request, pk)
    form = ReserveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a plot code and a valid date."))
        return redirect("applications:detail", pk=app.pk)
    plot = plots_visible_to(request.user).filter(code=form.cleaned_data["plot_code"]).first()
    expires = form.cleaned_data["expires_on"]
    expires_at = None
    if expires:
        expires_at = timezone.make_aware(dt.datetime.combine(expires, dt.time(23, 59)))
    try:
        if plot is None:
            raise NotFound(_("No such plot."))
        services.plot_reserve(actor=request.user, plot=plot, application=app,
                              expires_at=expires_at)
        messages.success(request, _("Plot %(code)s reserved.") % {"code": plot.code})
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def reservation_release(request, pk):
    reservation = get_object_or_404(selectors.reservations_visible_to(request.user), pk=pk)
    try:
        services.reservation_release(actor=request.user, reservation=reservation)
        messages.success(request, _("Reservation released."))
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("applications:detail", pk=reservation.application_id)


@login_required
@require_POST
def attachment_upload(request, pk):
    app = _get(request, pk)
    if not (selectors.is_reviewer(request.user) or acts_for(request.user, app.organisation_id)):
        raise PermissionDenied
    if uploads_over(request, files=1, each=MAX_ATTACHMENT_BYTES):  # before Django spools it
        messages.error(request, _("An attachment may be at most 20 MB."))
        return redirect("applications:detail", pk=app.pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("applications:detail", pk=app.pk)
    try:
        services.attachment_add(actor=request.user, application=app,
                                upload=form.cleaned_data["file"])
        messages.success(request, _("Attachment added."))
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_GET
def attachment_download(request, pk):
    """Served only to users who may see the application; never from a public URL."""
    att = selectors.attachment_get(user=request.user, pk=pk)
    response = FileResponse(att.file.open("rb"), as_attachment=True,
                            filename=att.download_name, content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Should a browser render it all the same, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def plot_history(request, plot_id):
    """The audit history of a plot, with its reservations (staff and managers)."""
    if not selectors.sees_all(request.user):
        raise PermissionDenied
    plot = get_object_or_404(plots_visible_to(request.user), pk=plot_id)
    return render(request, "applications/plot_history.html", {
        "plot": plot, "history": audit_history(plot),
        "reservations": Reservation.objects.filter(plot=plot).select_related("application"),
    })
