"""Reads for investor projects: who sees which, and their figures as of any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from promzona.accounts.selectors import reads_for
from promzona.core.deadlines import overdue
from promzona.core.errors import NotFound
from promzona.works.selectors import end_of, oversees

from .models import Milestone, MilestoneKind, Project, Report, StatusUpdate


def projects_visible_to(user: Any) -> QuerySet[Project]:
    """Staff and managers: all; an investor: its organisation's; anyone else: none."""
    qs = Project.objects.select_related(
        "application__organisation", "application__sector", "allocation__plot__zone",
    ).prefetch_related(
        "years", Prefetch("milestones", queryset=Milestone.objects.order_by("position")),
        Prefetch("updates", queryset=StatusUpdate.objects.order_by("on", "id")),
        Prefetch("reports", queryset=Report.objects.order_by("reported_at", "id")),
    )
    if oversees(user):
        return qs
    org_id = reads_for(user)
    return qs.none() if org_id is None else qs.filter(application__organisation_id=org_id)


def project_get(*, user: Any, pk: Any) -> Project:
    """The project ``pk`` if ``user`` may see it; :class:`NotFound` otherwise (never 403)."""
    project = projects_visible_to(user).filter(pk=pk).first() if isinstance(pk, int) else None
    if project is None:
        raise NotFound(_("No such project."))
    return project


@dataclass(frozen=True)
class YearFigures:
    year: int
    planned_investment_kzt: Decimal
    planned_jobs: int
    actual_investment_kzt: Decimal | None  # None: nothing confirmed for the year
    actual_jobs: int | None


@dataclass(frozen=True)
class ProjectFigures:
    """A project as it stood on ``as_of`` (see docs/execution.md for each definition)."""

    as_of: dt.date
    status: str
    phase: str | None  # the last milestone done, in phase order
    health: str | None  # the latest status update
    years: list[YearFigures]
    planned_investment_kzt: Decimal
    actual_investment_kzt: Decimal
    planned_jobs: int
    actual_jobs: int
    overdue: list[Milestone]
    behind: bool

    @property
    def status_label(self) -> str:
        return str(Project.Status(self.status).label)

    @property
    def phase_label(self) -> str:
        return str(MilestoneKind(self.phase).label) if self.phase else ""

    @property
    def health_label(self) -> str:
        return str(StatusUpdate.Health(self.health).label) if self.health else ""


def overdue_obligations(project: Project, as_of: dt.date) -> list[Milestone]:
    return [m for m in project.milestones.all()
            if m.obligation and overdue(due=m.due_on, done=m.done_on, as_of=as_of)]


def confirmed_by(project: Project, as_of: dt.date) -> dict[int, Report]:
    """Per year, the latest report staff had confirmed by the end of ``as_of``."""
    cutoff = end_of(as_of)
    out: dict[int, Report] = {}
    for r in sorted((r for r in project.reports.all()
                     if r.status == Report.Status.CONFIRMED and r.reviewed_at < cutoff),
                    key=lambda r: (r.reviewed_at, r.pk)):
        out[r.year] = r
    return out


def project_figures(project: Project, *, as_of: dt.date) -> ProjectFigures:
    """Planned against confirmed actual figures per year, phase, health and overdue
    obligations on ``as_of``."""
    actual = confirmed_by(project, as_of)
    plan = {y.year: y for y in project.years.all()}
    years = []
    for year in sorted(set(plan) | set(actual)):
        p, a = plan.get(year), actual.get(year)
        years.append(YearFigures(
            year=year, planned_investment_kzt=p.investment_kzt if p else Decimal(0),
            planned_jobs=p.jobs if p else 0,
            actual_investment_kzt=a.investment_kzt if a else None,
            actual_jobs=a.jobs if a else None))
    done = [m for m in project.milestones.all() if m.done_on and m.done_on <= as_of]
    updates = [u for u in project.updates.all() if u.on <= as_of]
    latest_report = max(actual.values(), key=lambda r: (r.reviewed_at, r.pk), default=None)
    jobs_plan = [y for y in years if y.year <= as_of.year]
    late = overdue_obligations(project, as_of)
    past = [y for y in years if y.year < as_of.year]
    terminated = project.terminated_on is not None and project.terminated_on <= as_of
    return ProjectFigures(
        as_of=as_of,
        status=Project.Status.TERMINATED if terminated else Project.Status.ACTIVE,
        phase=max(done, key=lambda m: m.position).kind if done else None,
        health=updates[-1].health if updates else None,
        years=years,
        planned_investment_kzt=sum((y.planned_investment_kzt for y in years), Decimal(0)),
        actual_investment_kzt=sum((y.actual_investment_kzt or Decimal(0) for y in years),
                                  Decimal(0)),
        planned_jobs=jobs_plan[-1].planned_jobs if jobs_plan else 0,
        actual_jobs=latest_report.jobs if latest_report else 0,
        overdue=late,
        behind=bool(late) or sum((y.actual_investment_kzt or Decimal(0) for y in past),
                                 Decimal(0)) < sum((y.planned_investment_kzt for y in past),
                                                   Decimal(0)),
    )


def default_plan(investment_kzt: Decimal, jobs: int, agreement_on: dt.date,
                 years: int = 3) -> list[tuple[int, Decimal, int]]:
    """A starting point for the plan form: the application's investment spread evenly over
    ``years`` from the agreement's year (cents to the last), jobs reached in equal steps."""
    share = (investment_kzt / years).quantize(Decimal("0.01"))
    out = []
    for i in range(years):
        amount = share if i < years - 1 else investment_kzt - share * (years - 1)
        out.append((agreement_on.year + i, amount, jobs * (i + 1) // years))
    return out


def obligations_to_warn(today: dt.date) -> QuerySet[Milestone]:
    """Overdue obligations of active projects that staff have not been warned about yet."""
    return Milestone.objects.filter(
        obligation=True, done_on__isnull=True, due_on__lt=today, warned_at__isnull=True,
        project__status=Project.Status.ACTIVE,
    ).select_related("project__application", "project__allocation__plot")
