"""``/api/applications`` and ``/api/reservations`` (docs/applications.md). Thin: parse, call, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from promzona.api.auth import REQUIRED_AUTH
from promzona.api.schemas import Id, StrictIn, answers, number, whole
from promzona.core.errors import NotFound
from promzona.core.matching.request import MAX_HORIZON
from promzona.core.strict import IsoDate
from promzona.zones.selectors import plots_visible_to

from . import services
from .models import Application, Reservation
from .selectors import application_get, applications_visible_to, reservations_visible_to

router = Router(tags=["applications"], auth=REQUIRED_AUTH)


class ApplicationOut(Schema):
    id: int
    status: str
    project_name: str
    organisation: str
    sector: str
    investment_kzt: Decimal
    jobs_planned: int
    needs: dict[str, float]
    start_by: dt.date | None
    horizon_years: int
    preferred_plots: list[int]


Need = number(below=10**12, places=3)  # the ledger keeps three decimals
Kzt = number(below=10**16, places=2)
Jobs = whole(minimum=0, maximum=10**7)
Horizon = whole(minimum=1, maximum=MAX_HORIZON)


class NeedsIn(StrictIn):
    """Each need in its unit; absent is 0."""

    power_kw: Need = Decimal(0)
    water_m3_day: Need = Decimal(0)
    sewage_m3_day: Need = Decimal(0)
    heat_gcal_h: Need = Decimal(0)
    gas_m3_h: Need = Decimal(0)


class ApplicationIn(StrictIn):
    project_name: str = Field(..., min_length=1, max_length=255)
    description: str = Field("", max_length=20000)
    sector: str = Field(..., max_length=10)
    investment_kzt: Kzt
    jobs_planned: Jobs
    needs: NeedsIn = Field(default_factory=NeedsIn)
    start_by: IsoDate | None = Field(None, description="Desired start of the project.")
    horizon_years: Horizon = 10
    preferred_plots: list[Id] = Field([], max_length=10)


class ApplicationPatch(StrictIn):
    """The fields to change; a field not sent keeps its value (``null`` is not a value, but
    for ``start_by``: no desired start). ``needs``, when sent, is the whole set: a need it does
    not name is 0."""

    project_name: str = Field(None, min_length=1, max_length=255)
    description: str = Field(None, max_length=20000)
    sector: str = Field(None, max_length=10)
    investment_kzt: Kzt = None
    jobs_planned: Jobs = None
    needs: NeedsIn = None
    start_by: IsoDate | None = None
    horizon_years: Horizon = None
    preferred_plots: list[Id] = Field(None, max_length=10)


class TransitionIn(StrictIn):
    comment: str = Field("", max_length=5000)


class CommitmentOut(Schema):
    source: str
    kind: str
    amount: Decimal


class ReservationIn(StrictIn):
    plot_id: Id
    application_id: Id
    expires_at: dt.datetime | None = Field(None, strict=False)


class ReservationOut(Schema):
    id: int
    plot_id: int
    application_id: int
    status: str
    expires_at: dt.datetime
    commitments: list[CommitmentOut]


def _application(app: Application) -> dict[str, Any]:
    return {
        "id": app.pk, "status": app.status, "project_name": app.project_name,
        "organisation": app.organisation.name, "sector": app.sector_id,
        "investment_kzt": app.investment_kzt, "jobs_planned": app.jobs_planned,
        "needs": app.needs, "start_by": app.start_by, "horizon_years": app.horizon_years,
        "preferred_plots": [p.plot_id for p in app.preferred.all()],
    }


def _reservation(r: Reservation) -> dict[str, Any]:
    links = r.commitment_links.select_related("commitment__source").order_by("commitment__source")
    return {
        "id": r.pk, "plot_id": r.plot_id, "application_id": r.application_id, "status": r.status,
        "expires_at": r.expires_at,
        "commitments": [
            {"source": c.commitment.source.code, "kind": c.commitment.source.kind,
             "amount": c.commitment.amount} for c in links
        ],
    }


@router.get("/applications", response=list[ApplicationOut])
def application_list(request, status: Application.Status | None = None):
    """The applications the caller may see: staff and managers all, an investor its own
    organisation's."""
    qs = applications_visible_to(request.auth).prefetch_related("preferred")
    if status:
        qs = qs.filter(status=status)
    return [_application(a) for a in qs]


@router.post("/applications", response={201: ApplicationOut})
def application_create(request, payload: ApplicationIn):
    """An investor starts a draft application for its organisation."""
    app = services.application_create(actor=request.auth, **payload.model_dump())
    return Status(201, _application(app))


@router.get("/applications/{int:application_id}", response=ApplicationOut)
def application_detail(request, application_id: int):
    return _application(application_get(user=request.auth, pk=application_id))


@router.patch("/applications/{int:application_id}", response=ApplicationOut)
def application_update(request, application_id: int, payload: ApplicationPatch):
    """Edit a draft (the applicant only): only the fields sent change."""
    app = application_get(user=request.auth, pk=application_id)
    return _application(services.application_update(
        actor=request.auth, application=app, now=timezone.now(),
        **payload.model_dump(exclude_unset=True)))


TRANSITIONS = ("submit", "start_review", "approve", "reject", "withdraw")


def _transition_view(name: str):
    func = getattr(services, f"application_{name}")

    def view(request, application_id: int, payload: TransitionIn):
        app = application_get(user=request.auth, pk=application_id)
        return _application(func(actor=request.auth, application=app, comment=payload.comment))

    view.__name__ = f"application_{name}"
    view.__doc__ = f"Transition: {name.replace('_', ' ')} (see docs/applications.md for roles)."
    return view


for _name in TRANSITIONS:
    router.post(f"/applications/{{int:application_id}}/{_name}", response=ApplicationOut)(
        _transition_view(_name)
    )


@router.post("/reservations", response=answers({201: ReservationOut}, 404))
def reservation_create(request, payload: ReservationIn):
    """Staff reserve a plot for an application: 201, or 409 when the plot is taken or a utility
    source lacks capacity."""
    app = application_get(user=request.auth, pk=payload.application_id)
    plot = plots_visible_to(request.auth).filter(pk=payload.plot_id).first()
    if plot is None:
        raise NotFound("No such plot.")
    reservation = services.plot_reserve(
        actor=request.auth, plot=plot, application=app, expires_at=payload.expires_at
    )
    return Status(201, _reservation(reservation))


@router.get("/reservations", response=list[ReservationOut])
def reservation_list(request, status: Reservation.Status | None = None):
    qs = reservations_visible_to(request.auth)
    if status:
        qs = qs.filter(status=status)
    return [_reservation(r) for r in qs[:1000]]


@router.post("/reservations/{int:reservation_id}/release", response=ReservationOut)
def reservation_release(request, reservation_id: int):
    """Staff release an active reservation."""
    r = reservations_visible_to(request.auth).filter(pk=reservation_id).first()
    if r is None:
        raise NotFound("No such reservation.")
    return _reservation(services.reservation_release(actor=request.auth, reservation=r))



