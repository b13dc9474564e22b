"""Writes for investor projects. Each runs in one transaction, checks the actor's role, validates
before writing and records an audit entry ``project.<verb>``.

Staff and managers create projects, record milestones and status updates and confirm the
investor's reports; the investor's users report actual figures for their own organisation's
projects; only zone office staff terminate a project, which ends its allocation through
:func:`promzona.applications.services.allocation_release` (capacity released on the ledger,
the plot offered again).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.models import Role, User
from promzona.accounts.selectors import acts_for
from promzona.accounts.types import Actor
from promzona.applications import services as application_services
from promzona.applications.models import Application, Reservation
from promzona.applications.selectors import is_reviewer
from promzona.audit.services import audit_record, snapshot
from promzona.core.deadlines import add_months
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.matching.models import Notice
from promzona.outbox.services import absolute_link, mail_enqueue
from promzona.works.inputs import day, money, person, text, whole
from promzona.works.selectors import oversees
from promzona.zones.models import Plot
from promzona.zones.services import plot_set_status

from .models import (
    MILESTONE_ORDER,
    Milestone,
    MilestoneKind,
    ObligationRule,
    PlanYear,
    Project,
    Report,
    StatusUpdate,
)
from .selectors import obligations_to_warn, overdue_obligations

MAX_YEARS = 30
MAX_JOBS = 10**6


def _require_manager(actor: Actor) -> None:
    if not oversees(actor):
        raise Forbidden(_("Only zone office staff and managers may do this."))


def _locked(project: Project) -> Project:
    project.refresh_from_db(from_queryset=Project.objects.select_for_update())
    return project


def _require_active(project: Project) -> None:
    if project.status != Project.Status.ACTIVE:
        raise Conflict(_("The project is terminated: it changes no more."))


def _year(value: Any) -> int:
    return whole(value, "year", lower=2000, upper=2100)


def _jobs(value: Any) -> int:
    return whole(value, "jobs", lower=0, upper=MAX_JOBS)


def _plan_rows(plan: Any, agreement_on: dt.date) -> list[tuple[int, Decimal, int]]:
    if not isinstance(plan, (list, tuple)) or not 1 <= len(plan) <= MAX_YEARS:
        raise InputError(_("The plan has 1 to %(n)s years.") % {"n": MAX_YEARS}, field="plan")
    rows = []
    for row in plan:
        if not isinstance(row, (list, tuple)) or len(row) != 3:
            raise InputError(_("Each year of the plan is (year, investment, jobs)."), field="plan")
        year = _year(row[0])
        if year < agreement_on.year:
            raise InputError(_("The plan starts in the agreement's year or later."), field="plan")
        rows.append((year, money(row[1], "investment_kzt", optional=False), _jobs(row[2])))
    if len({r[0] for r in rows}) != len(rows):
        raise InputError(_("A year appears twice in the plan."), field="plan")
    return sorted(rows)


@transaction.atomic
def project_create(*, actor: Actor, application: Application, agreement_on: dt.date,
                   plan: Any, now: dt.datetime | None = None) -> Project:
    """A project from an approved application and its allocation: the plan per year, and the
    milestones — the agreement done, the zone's obligations due within their months."""
    _require_manager(actor)
    now = now or timezone.now()
    agreement_on = day(agreement_on, "agreement_on", latest=timezone.localdate(now))
    rows = _plan_rows(plan, agreement_on)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status != Application.Status.APPROVED:
        raise Conflict(_("Only an approved application becomes a project."),
                       details={"status": app.status})
    allocation = app.reservations.filter(status=Reservation.Status.ALLOCATED).first()
    if allocation is None:
        raise Conflict(_("The application holds no allocated plot."))
    try:
        with transaction.atomic():
            project = Project.objects.create(application=app, allocation=allocation,
                                             agreement_on=agreement_on, created_at=now,
                                             created_by=person(actor))
    except IntegrityError as exc:
        raise Conflict(_("The application already has a project.")) from exc
    PlanYear.objects.bulk_create([PlanYear(project=project, year=y, investment_kzt=i, jobs=j)
                                  for y, i, j in rows])
    rules = dict(ObligationRule.objects.filter(zone_id=allocation.plot.zone_id)
                 .values_list("milestone", "months"))
    Milestone.objects.bulk_create([
        Milestone(project=project, kind=kind, position=i,
                  due_on=agreement_on if kind == MilestoneKind.AGREEMENT
                  else add_months(agreement_on, rules[kind]) if kind in rules else None,
                  done_on=agreement_on if kind == MilestoneKind.AGREEMENT else None,
                  obligation=kind in rules)
        for i, kind in enumerate(MILESTONE_ORDER)])
    audit_record(actor=actor, action="project.created", obj=project, now=now,
                 after=snapshot(project) | {"plan": rows, "obligations": rules})
    return project


@transaction.atomic
def milestone_done(*, actor: Actor, milestone: Milestone, done_on: dt.date,
                   now: dt.datetime | None = None) -> Milestone:
    """Record the day a milestone was reached. Operation puts the plot in use (occupied)."""
    _require_manager(actor)
    now = now or timezone.now()
    done_on = day(done_on, "done_on", latest=timezone.localdate(now))
    project = _locked(milestone.project)
    _require_active(project)
    milestone.refresh_from_db()
    if milestone.done_on is not None:
        raise Conflict(_("This milestone is already done (%(date)s).")
                       % {"date": l10n.day(milestone.done_on)})
    if done_on < project.agreement_on:
        raise InputError(_("A milestone cannot be done before the agreement."), field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit_record(actor=actor, action="project.milestone_done", obj=project, now=now,
                 after={"milestone": milestone.kind, "done_on": done_on,
                        "due_on": milestone.due_on})
    if milestone.kind == MilestoneKind.OPERATION:
        plot = Plot.objects.select_for_update().get(pk=project.allocation.plot_id)
        if plot.status == Plot.Status.ALLOCATED:
            plot_set_status(actor=actor, plot=plot, status=Plot.Status.OCCUPIED, now=now)
    return milestone


@transaction.atomic
def milestone_reschedule(*, actor: Actor, milestone: Milestone, due_on: dt.date, reason: str,
                         now: dt.datetime | None = None) -> Milestone:
    """Move a milestone's due date (an obligation's deadline is extended), with a reason kept
    in the audit trail with the old and new dates."""
    _require_manager(actor)
    now = now or timezone.now()
    due_on = day(due_on, "due_on")
    reason = text(reason, "reason", required=True)
    project = _locked(milestone.project)
    _require_active(project)
    milestone.refresh_from_db()
    if milestone.kind == MilestoneKind.AGREEMENT or milestone.done_on is not None:
        raise Conflict(_("A milestone already done keeps its dates."))
    if due_on < project.agreement_on:
        raise InputError(_("A milestone cannot be due before the agreement."), field="due_on")
    if due_on == milestone.due_on:
        raise InputError(_("The new date is the same as the current one."), field="due_on")
    before = milestone.due_on
    milestone.due_on, milestone.warned_at = due_on, None
    milestone.save(update_fields=["due_on", "warned_at"])
    audit_record(actor=actor, action="project.milestone_rescheduled", obj=project, now=now,
                 before={"milestone": milestone.kind, "due_on": before},
                 after={"milestone": milestone.kind, "due_on": due_on, "reason": reason})
    return milestone


@transaction.atomic
def project_status_update(*, actor: Actor, project: Project, on: dt.date, health: str,
                          comment: str = "", now: dt.datetime | None = None) -> StatusUpdate:
    """On track, at risk or off track, as of a date, with a comment."""
    _require_manager(actor)
    now = now or timezone.now()
    on = day(on, "on", latest=timezone.localdate(now))
    if health not in StatusUpdate.Health.values:
        raise InputError(_("The status is on track, at risk or off track."), field="health")
    comment = text(comment, "comment")
    project = _locked(project)
    _require_active(project)
    update = StatusUpdate.objects.create(project=project, on=on, health=health, comment=comment,
                                         author=person(actor), created_at=now)
    audit_record(actor=actor, action="project.status_updated", obj=project, now=now,
                 after={"on": on, "health": health, "comment": comment})
    return update


@transaction.atomic
def project_report(*, actor: Actor, project: Project, year: int, investment_kzt: Any, jobs: int,
                   comment: str = "", now: dt.datetime | None = None) -> Report:
    """The investor reports the investment made in a year and the jobs now (own organisation's
    projects only); staff confirm or reject it."""
    if not acts_for(actor, project.application.organisation_id):
        raise Forbidden(_("Only the investor's users report on its project."))
    now = now or timezone.now()
    year = _year(year)
    if not project.agreement_on.year <= year <= timezone.localdate(now).year:
        raise InputError(_("Report on a year from the agreement's to the current one."),
                         field="year")
    investment = money(investment_kzt, "investment_kzt", optional=False)
    jobs = _jobs(jobs)
    comment = text(comment, "comment")
    project = _locked(project)
    _require_active(project)
    report = Report.objects.create(project=project, year=year, investment_kzt=investment,
                                   jobs=jobs, comment=comment, reported_by=person(actor),
                                   reported_at=now)
    audit_record(actor=actor, action="project.reported", obj=project, now=now,
                 after={"report": report.pk, "year": year, "investment_kzt": investment,
                        "jobs": jobs})
    return report


def _review(*, actor: Actor, report: Report, to: str, comment: Any, now) -> Report:
    _require_manager(actor)
    now = now or timezone.now()
    comment = text(comment, "comment", required=to == Report.Status.REJECTED)
    project = _locked(report.project)
    _require_active(project)
    report.refresh_from_db()
    if report.status != Report.Status.SUBMITTED:
        raise Conflict(_("This report was already reviewed."), details={"status": report.status})
    report.status, report.reviewed_by, report.reviewed_at, report.review_comment = (
        to, person(actor), now, comment)
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    audit_record(actor=actor, action=f"project.report_{to}", obj=project, now=now,
                 before={"report": report.pk, "status": Report.Status.SUBMITTED},
                 after={"report": report.pk, "status": to, "comment": comment})
    return report


@transaction.atomic
def report_confirm(*, actor: Actor, report: Report, comment: str = "",
                   now: dt.datetime | None = None) -> Report:
    """Staff confirm the investor's figures: they become the year's actual figures."""
    return _review(actor=actor, report=report, to=Report.Status.CONFIRMED, comment=comment,
                   now=now)


@transaction.atomic
def report_reject(*, actor: Actor, report: Report, comment: str,
                  now: dt.datetime | None = None) -> Report:
    """Staff reject the investor's figures, saying why."""
    return _review(actor=actor, report=report, to=Report.Status.REJECTED, comment=comment,
                   now=now)


@transaction.atomic
def project_terminate(*, actor: Actor, project: Project, reason: str,
                      now: dt.datetime | None = None) -> Project:
    """Staff end a project whose obligation is overdue: the allocation is released (capacity
    back on the ledger, the plot offered again)."""
    if not is_reviewer(actor):
        raise Forbidden(_("Only zone office staff may terminate a project."))
    now = now or timezone.now()
    reason = text(reason, "reason", required=True)
    project = _locked(project)
    _require_active(project)
    late = overdue_obligations(project, timezone.localdate(now))
    if not late:
        raise Conflict(_("No obligation of this project is overdue."))
    project.status, project.terminated_on, project.termination_reason = (
        Project.Status.TERMINATED, timezone.localdate(now), reason)
    project.save(update_fields=["status", "terminated_on", "termination_reason"])
    audit_record(actor=actor, action="project.terminated", obj=project, now=now,
                 before={"status": Project.Status.ACTIVE},
                 after={"status": Project.Status.TERMINATED, "reason": reason,
                        "overdue": [m.kind for m in late]})
    application_services.allocation_release(actor=actor, reservation=project.allocation, now=now)
    return project


def obligations_warn(*, now: dt.datetime | None = None) -> int:
    """Warn staff and managers once about each newly overdue obligation (a notice on the portal
    and an email); returns how many obligations were announced. Safe to run repeatedly."""
    now = now or timezone.now()
    people = list(User.objects.filter(is_active=True, role__in=[Role.STAFF, Role.MANAGER]))
    count = 0
    for milestone in obligations_to_warn(timezone.localdate(now)).order_by("due_on", "pk"):
        with transaction.atomic():
            if not Milestone.objects.filter(pk=milestone.pk, warned_at__isnull=True).update(
                    warned_at=now):
                continue  # announced meanwhile by a concurrent run
            project = milestone.project
            with translation.override(settings.LANGUAGE_CODE):  # stored: the default language
                url = reverse("projects:detail", args=[project.pk])
                text = _("Project #%(id)s “%(name)s”: %(milestone)s was due on %(date)s and is "
                         "overdue.") % {"id": project.pk, "name": project.name[:80],
                                        "milestone": milestone.get_kind_display(),
                                        "date": l10n.day(milestone.due_on)}
            Notice.objects.bulk_create([Notice(user=u, text=text[:500], url=url, created_at=now)
                                        for u in people])
            audit_record(actor=None, action="project.obligation_overdue", obj=project, now=now,
                         after={"milestone": milestone.kind, "due_on": milestone.due_on})
            recipients = sorted({u.email for u in people if u.email})
            if recipients:
                mail_enqueue(to=recipients, subject=text, body=f"{text}\n{absolute_link(url)}",
                             now=now)
            count += 1
    return count
