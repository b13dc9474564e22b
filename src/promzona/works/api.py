"""``/api/works``: infrastructure works for staff and managers (docs/execution.md). Thin: parse, call,
render. Figures are those of ``as_of`` (default today)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from promzona.api.auth import REQUIRED_AUTH
from promzona.api.schemas import ERRORS, Number, PageQuery, StrictIn, Text, page
from promzona.core.errors import Forbidden, InputError
from promzona.core.strict import IsoDate
from promzona.zones.models import InfrastructureProject, UtilityLine, Zone

from . import selectors, services
from .inputs import day as checked_day
from .models import Work

router = Router(tags=["works"], auth=REQUIRED_AUTH)


class WorkIn(StrictIn):
    zone: Text = Field(..., max_length=50, description="The zone's slug.")
    name: Text = Field(..., max_length=255)
    kind: Text = Field(..., description="line, upgrade, facility or other")
    contractor: Text = Field(..., max_length=255)
    contract_number: Text = Field("", max_length=64)
    contract_value_kzt: Number | None = Field(None, ge=0, lt=1e15)
    funding_source: Text = Field(..., description="republican, local, special_fund, private "
                                                  "or other")
    planned_start: IsoDate
    planned_finish: IsoDate
    line_id: int | None = Field(None, ge=1, le=2**62, strict=True)
    upgrade_id: int | None = Field(None, ge=1, le=2**62, strict=True)


class ProgressIn(StrictIn):
    reported_on: IsoDate
    percent: Number = Field(..., ge=0, le=100)
    spent_kzt: Number | None = Field(None, ge=0, lt=1e15,
                                     description="Money spent to date (cumulative).")
    remarks: Text = Field("", max_length=5000)


class AcceptIn(StrictIn):
    accepted_on: IsoDate
    remarks: Text = Field("", max_length=5000)


class PlanOut(Schema):
    version: int
    planned_start: dt.date
    planned_finish: dt.date
    contract_value_kzt: float | None
    reason: str
    recorded_on: dt.date


class ProgressOut(Schema):
    reported_on: dt.date
    percent: float
    spent_kzt: float | None
    remarks: str
    photos: int


class WorkOut(Schema):
    id: int
    name: str
    kind: str
    zone: str
    contractor: str
    contract_number: str
    contract_value_kzt: float | None
    funding_source: str
    planned_start: dt.date
    planned_finish: dt.date
    baseline_start: dt.date
    baseline_finish: dt.date
    progress_pct: float
    spent_kzt: float | None
    status: str
    late: bool
    started_on: dt.date | None
    accepted_on: dt.date | None
    planned_value_kzt: float | None
    earned_value_kzt: float | None
    actual_cost_kzt: float | None
    spi: float | None
    cpi: float | None
    open_findings: int
    line_id: int | None
    upgrade_id: int | None
    as_of: dt.date


class WorkDetailOut(WorkOut):
    plans: list[PlanOut]
    progress: list[ProgressOut]


class WorkPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[WorkOut]


def _money(value) -> float | None:
    return None if value is None else float(value)


def _rounded(value: float | None, digits: int) -> float | None:
    """Money to the tiyn, indices to four decimals (the figures are exact in the selectors)."""
    return None if value is None else round(value, digits)


def _work(w: Work, as_of: dt.date) -> dict[str, Any]:
    f = selectors.work_figures(w, as_of=as_of)
    return {
        "id": w.pk, "name": w.name, "kind": w.kind, "zone": w.zone.slug,
        "contractor": w.contractor, "contract_number": w.contract_number,
        "contract_value_kzt": _money(f.plan.contract_value_kzt),
        "funding_source": w.funding_source, "planned_start": f.plan.planned_start,
        "planned_finish": f.plan.planned_finish, "baseline_start": f.baseline.planned_start,
        "baseline_finish": f.baseline.planned_finish, "progress_pct": f.percent,
        "spent_kzt": f.spent_kzt, "status": f.status, "late": f.late,
        "started_on": w.started_on if f.status != Work.Status.PLANNED else None,
        "accepted_on": w.accepted_on if f.status == Work.Status.ACCEPTED else None,
        "planned_value_kzt": _rounded(f.earned.planned_value, 2),
        "earned_value_kzt": _rounded(f.earned.earned_value, 2),
        "actual_cost_kzt": _rounded(f.earned.actual_cost, 2),
        "spi": _rounded(f.earned.spi, 4), "cpi": _rounded(f.earned.cpi, 4),
        "open_findings": f.open_findings, "line_id": w.line_id, "upgrade_id": w.upgrade_id,
        "as_of": as_of,
    }


def _detail(w: Work, as_of: dt.date) -> dict[str, Any]:
    cutoff = selectors.end_of(as_of)
    return _work(w, as_of) | {
        "plans": [{"version": p.version, "planned_start": p.planned_start,
                   "planned_finish": p.planned_finish, "recorded_on": timezone.localdate(p.created_at),
                   "contract_value_kzt": _money(p.contract_value_kzt), "reason": p.reason}
                  for p in w.plans.all() if p.created_at < cutoff],
        "progress": [{"reported_on": r.reported_on, "percent": float(r.percent),
                      "spent_kzt": _money(r.spent_kzt), "remarks": r.remarks,
                      "photos": r.photos.count()}
                     for r in w.progress.all() if r.reported_on <= as_of],
    }


def _overseer(request) -> None:
    if not selectors.oversees(request.auth):
        raise Forbidden(_("Only zone office staff and managers see works."))


def _get(request, work_id: int) -> Work:
    _overseer(request)
    return selectors.work_get(user=request.auth, pk=work_id)


@router.get("/works", response={200: WorkPage, **ERRORS})
def work_list(request, query: Query[PageQuery], zone: str | None = None,
              status: str | None = None, kind: str | None = None, as_of: dt.date | None = None):
    """Works with their figures as of ``as_of`` (default today): those recorded by then, with
    the plan, progress and status of that day. Staff and managers only."""
    _overseer(request)
    day = checked_day(as_of, "as_of") if as_of else timezone.localdate()
    qs = selectors.recorded_by(selectors.works_visible_to(request.auth), day)
    if zone:
        qs = qs.filter(zone__slug=zone[:50])
    if kind:
        qs = qs.filter(kind=kind[:16])
    rows = list(qs.order_by("id"))
    if status:
        rows = [w for w in rows if selectors.work_figures(w, as_of=day).status == status]
    return page(rows, query, lambda w: _work(w, day))


@router.get("/works/{int:work_id}", response={200: WorkDetailOut, **ERRORS})
def work_detail(request, work_id: int, as_of: dt.date | None = None):
    """One work with its plan versions and progress reports (as of ``as_of``)."""
    work = _get(request, work_id)
    return _detail(work, checked_day(as_of, "as_of") if as_of else timezone.localdate())


def _target(model, pk: int | None, field: str, message: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise InputError(message, field=field)
    return obj


@router.post("/works", response={201: WorkOut, **ERRORS})
def work_create(request, payload: WorkIn):
    """A new work; its plan becomes the baseline. A line or upgrade it builds takes its dates."""
    _overseer(request)
    data = payload.dict()
    zone = Zone.objects.filter(slug=data.pop("zone")).first()
    if zone is None:
        raise InputError(_("No such zone."), field="zone")
    work = services.work_create(
        actor=request.auth, zone=zone,
        line=_target(UtilityLine, data.pop("line_id"), "line_id", _("No such line.")),
        upgrade=_target(InfrastructureProject, data.pop("upgrade_id"), "upgrade_id",
                        _("No such upgrade.")), **data)
    return Status(201, _work(selectors.work_get(user=request.auth, pk=work.pk),
                             timezone.localdate()))


@router.post("/works/{int:work_id}/progress", response={201: WorkOut, **ERRORS})
def work_progress(request, work_id: int, payload: ProgressIn):
    """A progress report: percent done and money spent to date (photos: on the work's page)."""
    work = _get(request, work_id)
    services.work_report_progress(actor=request.auth, work=work, **payload.dict())
    return Status(201, _work(selectors.work_get(user=request.auth, pk=work_id),
                             timezone.localdate()))


@router.post("/works/{int:work_id}/accept", response={200: WorkOut, **ERRORS})
def work_accept(request, work_id: int, payload: AcceptIn):
    """Accept a work reported 100% done with no open findings: a line it builds becomes
    existing, an upgrade's capacity is added to its source."""
    work = _get(request, work_id)
    services.work_accept(actor=request.auth, work=work, **payload.dict())
    return _work(selectors.work_get(user=request.auth, pk=work_id), timezone.localdate())
