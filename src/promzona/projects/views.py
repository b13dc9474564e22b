"""Pages for investor projects: staff and managers see all, an investor its organisation's.

Thin: parse a form, call a service, render. A project the user may not see is a 404; an action
of another role is a 403; a business refusal is a message on the project's page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.accounts.selectors import acts_for
from promzona.applications.models import Application, Reservation
from promzona.applications.selectors import is_reviewer
from promzona.audit.selectors import audit_history
from promzona.core.errors import PromzonaError
from promzona.web.feedback import form_errors, form_refused, refused
from promzona.works.selectors import oversees, recorded_by

from . import selectors, services
from .forms import (
    DoneForm,
    ProjectFilter,
    ProjectForm,
    ReportForm,
    RescheduleForm,
    ReviewForm,
    StatusForm,
    TerminateForm,
)
from .models import Milestone, Report

PAGE_SIZE = 50


def _get(request, pk):
    return selectors.project_get(user=request.user, pk=pk)


def _require_overseer(user) -> None:
    if not oversees(user):
        raise PermissionDenied


@login_required
@require_GET
def project_list(request):
    today = timezone.localdate()
    filters = ProjectFilter(request.GET or None)
    as_of, status, behind = today, "", False
    if filters.is_valid():
        as_of = filters.cleaned_data["as_of"] or today
        status, behind = filters.cleaned_data["status"], filters.cleaned_data["behind"]
    qs = recorded_by(selectors.projects_visible_to(request.user), as_of)
    rows = [(p, selectors.project_figures(p, as_of=as_of)) for p in qs]
    rows = [r for r in rows if (not status or r[1].status == status) and (not behind or r[1].behind)]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    waiting = []
    if oversees(request.user):
        waiting = Application.objects.filter(
            status=Application.Status.APPROVED, project__isnull=True,
            reservations__status=Reservation.Status.ALLOCATED,
        ).select_related("organisation").distinct()
    return render(request, "projects/list.html", {
        "page": page, "rows": page, "filters": filters, "as_of": as_of, "waiting": waiting,
        "query": query.urlencode(), "sees_all": oversees(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request, application_id):
    _require_overseer(request.user)
    app = get_object_or_404(Application, pk=application_id)
    today = timezone.localdate()
    form = ProjectForm(request.POST or None, initial=ProjectForm.initial_from(
        today, selectors.default_plan(app.investment_kzt, app.jobs_planned, today)))
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                actor=request.user, application=app, plan=form.cleaned_data["plan"],
                agreement_on=form.cleaned_data["agreement_on"])
        except PromzonaError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("Project created."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/create.html", {"form": form, "app": app})


@login_required
@require_GET
def project_detail(request, pk):
    project = _get(request, pk)
    today = timezone.localdate()
    staff = oversees(request.user)
    return render(request, "projects/detail.html", {
        "project": project, "f": selectors.project_figures(project, as_of=today),
        "today": today, "staff": staff, "can_terminate": is_reviewer(request.user),
        "member": acts_for(request.user, project.application.organisation_id),
        "milestones": project.milestones.all(), "updates": project.updates.all(),
        "reports": project.reports.all(),
        "history": audit_history(project) if staff else None,
        "report_form": ReportForm(initial={"year": today.year}),
        "status_form": StatusForm(initial={"on": today}),
        "done_form": DoneForm(initial={"done_on": today}),
        "reschedule_form": RescheduleForm(), "review_form": ReviewForm(),
    })


def _on_project(request, project, form, call, done: str):
    if not form.is_valid():
        form_errors(request, form)
    else:
        try:
            call(form.cleaned_data)
            messages.success(request, done)
        except PromzonaError as exc:
            refused(request, exc)
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def project_report(request, pk):
    project = _get(request, pk)
    return _on_project(request, project, ReportForm(request.POST), lambda d: services.project_report(
        actor=request.user, project=project, **d), _("Report sent; staff will confirm it."))


@login_required
@require_POST
def project_status(request, pk):
    project = _get(request, pk)
    return _on_project(request, project, StatusForm(request.POST),
                       lambda d: services.project_status_update(
                           actor=request.user, project=project, **d), _("Status recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def project_terminate(request, pk):
    """A confirmation page that says what termination does, then the termination itself."""
    project = _get(request, pk)
    if not is_reviewer(request.user):
        raise PermissionDenied
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_terminate(actor=request.user, project=project,
                                       reason=form.cleaned_data["reason"])
        except PromzonaError as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Project terminated; the plot is offered again."))
        return redirect("projects:detail", pk=project.pk)
    today = timezone.localdate()
    return render(request, "projects/terminate.html", {
        "project": project, "form": form,
        "overdue": selectors.overdue_obligations(project, today),
        "commitments": project.allocation.commitment_links.select_related(
            "commitment__source").filter(commitment__status="active"),
    })


def _milestone(request, pk) -> Milestone:
    m = get_object_or_404(Milestone.objects.select_related("project"), pk=pk)
    _get(request, m.project_id)  # 404 unless the user may see the project
    return m


@login_required
@require_POST
def milestone_done(request, pk):
    m = _milestone(request, pk)
    return _on_project(request, m.project, DoneForm(request.POST), lambda d: services.milestone_done(
        actor=request.user, milestone=m, **d), _("Milestone recorded."))


@login_required
@require_POST
def milestone_reschedule(request, pk):
    m = _milestone(request, pk)
    return _on_project(request, m.project, RescheduleForm(request.POST),
                       lambda d: services.milestone_reschedule(actor=request.user, milestone=m, **d),
                       _("Due date changed."))


@login_required
@require_POST
def report_review(request, pk, decision):
    if decision not in ("confirm", "reject"):
        raise Http404
    report = get_object_or_404(Report.objects.select_related("project"), pk=pk)
    project = _get(request, report.project_id)
    call = services.report_confirm if decision == "confirm" else services.report_reject
    return _on_project(request, project, ReviewForm(request.POST), lambda d: call(
        actor=request.user, report=report, comment=d["comment"]), _("Report reviewed."))
