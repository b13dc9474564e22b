"""``/api/projects``: investor projects — staff and managers see all, an investor its own
organisation's and reports on them. Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from promzona.api.auth import REQUIRED_AUTH
from promzona.api.schemas import ERRORS, Integer, Number, PageQuery, StrictIn, Text, page
from promzona.core.deadlines import overdue
from promzona.works.inputs import day as checked_day
from promzona.works.selectors import recorded_by

from . import selectors, services
from .models import Project, Report

router = Router(tags=["projects"], auth=REQUIRED_AUTH)


class ReportIn(StrictIn):
    year: Integer = Field(..., ge=2000, le=2100)
    investment_kzt: Number = Field(..., ge=0, lt=1e15,
                                   description="Investment made in that year (KZT).")
    jobs: Integer = Field(..., ge=0, le=10**6, description="Jobs at the enterprise now.")
    comment: Text = Field("", max_length=5000)


class YearOut(Schema):
    year: int
    planned_investment_kzt: float
    actual_investment_kzt: float | None
    planned_jobs: int
    actual_jobs: int | None


class MilestoneOut(Schema):
    kind: str
    due_on: dt.date | None
    done_on: dt.date | None
    obligation: bool
    overdue: bool


class ProjectOut(Schema):
    id: int
    name: str
    status: str
    organisation: str
    application_id: int
    plot_id: int
    plot_code: str
    zone: str
    sector: str
    agreement_on: dt.date
    phase: str | None
    health: str | None
    behind: bool
    planned_investment_kzt: float
    actual_investment_kzt: float
    planned_jobs: int
    actual_jobs: int
    years: list[YearOut]
    milestones: list[MilestoneOut]
    as_of: dt.date


class ProjectPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ProjectOut]


class ReportOut(Schema):
    id: int
    project_id: int
    year: int
    investment_kzt: float
    jobs: int
    status: str
    reported_at: dt.datetime


def _project(p: Project, as_of: dt.date) -> dict[str, Any]:
    f = selectors.project_figures(p, as_of=as_of)
    plot = p.allocation.plot
    return {
        "id": p.pk, "name": p.name, "status": f.status,
        "organisation": p.application.organisation.name, "application_id": p.application_id,
        "plot_id": plot.pk, "plot_code": plot.code, "zone": plot.zone.slug,
        "sector": p.application.sector_id, "agreement_on": p.agreement_on, "phase": f.phase,
        "health": f.health, "behind": f.behind,
        "planned_investment_kzt": float(f.planned_investment_kzt),
        "actual_investment_kzt": float(f.actual_investment_kzt),
        "planned_jobs": f.planned_jobs, "actual_jobs": f.actual_jobs,
        "years": [{"year": y.year, "planned_investment_kzt": float(y.planned_investment_kzt),
                   "actual_investment_kzt": None if y.actual_investment_kzt is None
                   else float(y.actual_investment_kzt),
                   "planned_jobs": y.planned_jobs, "actual_jobs": y.actual_jobs}
                  for y in f.years],
        "milestones": [{"kind": m.kind, "due_on": m.due_on,
                        "done_on": m.done_on if m.done_on and m.done_on <= as_of else None,
                        "obligation": m.obligation,
                        "overdue": m.obligation and overdue(due=m.due_on, done=m.done_on,
                                                            as_of=as_of)}
                       for m in p.milestones.all()],
        "as_of": as_of,
    }


def _day(as_of: dt.date | None) -> dt.date:
    return checked_day(as_of, "as_of") if as_of else timezone.localdate()


@router.get("/projects", response={200: ProjectPage, **ERRORS})
def project_list(request, query: Query[PageQuery], status: str | None = None,
                 as_of: dt.date | None = None):
    """The projects the caller may see (staff and managers: all; an investor: its
    organisation's), with planned and actual figures as of ``as_of`` (default today)."""
    day = _day(as_of)
    rows = list(recorded_by(selectors.projects_visible_to(request.auth), day).order_by("id"))
    if status:
        rows = [p for p in rows if selectors.project_figures(p, as_of=day).status == status]
    return page(rows, query, lambda p: _project(p, day))


@router.get("/projects/{int:project_id}", response={200: ProjectOut, **ERRORS})
def project_detail(request, project_id: int, as_of: dt.date | None = None):
    return _project(selectors.project_get(user=request.auth, pk=project_id), _day(as_of))


@router.post("/projects/{int:project_id}/report", response={201: ReportOut, **ERRORS})
def project_report(request, project_id: int, payload: ReportIn):
    """The investor reports the investment made in a year and the jobs now; staff confirm it
    on the project's page before it counts as actual."""
    project = selectors.project_get(user=request.auth, pk=project_id)
    r: Report = services.project_report(actor=request.auth, project=project, **payload.dict())
    return Status(201, {"id": r.pk, "project_id": project.pk, "year": r.year,
                        "investment_kzt": float(r.investment_kzt), "jobs": r.jobs,
                        "status": r.status, "reported_at": r.reported_at})
