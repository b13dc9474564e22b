"""Reads for works: who sees them, and their figures as of any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona.core import earned_value as evm
from promzona.core.errors import NotFound
from promzona.zones.selectors import can_see_unpublished

from .models import Inspection, Work, WorkPlan, WorkProgress

#: Staff and managers see and manage works; investors and the public see none.
oversees = can_see_unpublished


def works_visible_to(user: Any) -> QuerySet[Work]:
    qs = Work.objects.select_related("zone", "line", "upgrade").prefetch_related(
        Prefetch("plans", queryset=WorkPlan.objects.order_by("version")),
        Prefetch("progress", queryset=WorkProgress.objects.order_by("reported_on", "id")),
        "inspections",
    )
    return qs if oversees(user) else qs.none()


def work_get(*, user: Any, pk: Any) -> Work:
    """The work ``pk`` if ``user`` may see it; :class:`NotFound` otherwise (never 403)."""
    work = works_visible_to(user).filter(pk=pk).first() if isinstance(pk, int) else None
    if work is None:
        raise NotFound(_("No such work."))
    return work


def end_of(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the site's time zone: records made before it count
    as of ``day``."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def recorded_by(qs: QuerySet, day: dt.date) -> QuerySet:
    """Rows of ``qs`` (with ``created_at``) that existed at the end of ``day``."""
    return qs.filter(created_at__lt=end_of(day))


@dataclass(frozen=True)
class WorkFigures:
    """A work as it stood on ``as_of`` (see docs/execution.md for each definition)."""

    as_of: dt.date
    status: str
    baseline: WorkPlan
    plan: WorkPlan
    percent: float
    spent_kzt: float | None
    earned: evm.EarnedValue
    late: bool
    slip_days: int
    open_findings: int
    overdue_findings: int

    @property
    def status_label(self) -> str:
        return str(Work.Status(self.status).label)


def work_figures(work: Work, *, as_of: dt.date) -> WorkFigures:
    """Status, plan, progress, earned value and lateness of ``work`` on ``as_of``.

    Plans count from the day they were recorded; progress, inspections, start and acceptance
    from the dates they carry. Reads the prefetched relations of :func:`works_visible_to`.
    """
    plans = list(work.plans.all())
    cutoff = end_of(as_of)
    baseline = plans[0]
    plan = next((p for p in reversed(plans) if p.created_at < cutoff), baseline)
    reports = [evm.Progress(on=r.reported_on, percent=float(r.percent),
                            spent=None if r.spent_kzt is None else float(r.spent_kzt))
               for r in work.progress.all()]
    last = evm.latest(reports, as_of)
    status, late, earned = evm.standing(
        baseline=evm.Baseline(start=baseline.planned_start, finish=baseline.planned_finish,
                              budget=None if baseline.contract_value_kzt is None
                              else float(baseline.contract_value_kzt)),
        reports=reports, started_on=work.started_on, accepted_on=work.accepted_on,
        cancelled_on=work.cancelled_on, as_of=as_of)
    findings = [i for i in work.inspections.all()
                if i.findings and i.inspected_on <= as_of
                and (i.fixed_on is None or i.fixed_on > as_of)]
    return WorkFigures(
        as_of=as_of, status=Work.Status(status), baseline=baseline, plan=plan,
        percent=last.percent if last else 0.0, spent_kzt=last.spent if last else None,
        earned=earned, late=late,
        slip_days=(plan.planned_finish - baseline.planned_finish).days,
        open_findings=len(findings),
        overdue_findings=sum(1 for i in findings if i.fix_by and i.fix_by < as_of),
    )


def open_findings(work: Work) -> list[Inspection]:
    return [i for i in work.inspections.all() if i.is_open]
