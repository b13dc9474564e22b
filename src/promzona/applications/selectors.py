"""Reads: who sees which application and its reservations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from promzona.accounts.selectors import reads_for
from promzona.audit.models import AuditEntry
from promzona.core.errors import NotFound
from promzona.core.matching import UtilityOption
from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS
from promzona.matching.selectors import plot_serving, sources_serving_plot
from promzona.zones.models import Plot, UtilityKindChoices, UtilitySource
from promzona.zones.selectors import can_see_unpublished

from .models import Application, Attachment, Reservation


def is_reviewer(user: Any) -> bool:
    """Zone office staff review applications and reserve plots."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_zone_staff", False))


#: Staff and managers see every organisation's applications, as they see every plot.
sees_all = can_see_unpublished


def applications_visible_to(user: Any) -> QuerySet[Application]:
    """Staff and managers: all; an investor: its organisation's; anyone else: none."""
    qs = Application.objects.select_related("organisation", "sector", "created_by")
    if sees_all(user):
        return qs
    org_id = reads_for(user)
    return qs.none() if org_id is None else qs.filter(organisation_id=org_id)


def application_get(*, user: Any, pk: Any) -> Application:
    """The application ``pk`` if ``user`` may see it; :class:`NotFound` otherwise (never 403)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("No such application.") from None
    app = applications_visible_to(user).filter(pk=pk).first()
    if app is None:
        raise NotFound("No such application.")
    return app


def attachment_get(*, user: Any, pk: Any) -> Attachment:
    att = Attachment.objects.filter(
        pk=pk, application__in=applications_visible_to(user)
    ).select_related("application").first()
    if att is None:
        raise NotFound("No such attachment.")
    return att


def reservations_visible_to(user: Any) -> QuerySet[Reservation]:
    return Reservation.objects.filter(application__in=applications_visible_to(user)).select_related(
        "plot", "application"
    )


def application_history(app: Application) -> QuerySet[AuditEntry]:
    """The audit trail of an application and of its reservations, newest first."""
    reservation_ids = [str(pk) for pk in app.reservations.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        Q(object_type=Application._meta.label_lower, object_id=str(app.pk))
        | Q(object_type=Reservation._meta.label_lower, object_id__in=reservation_ids)
    )


def needs_by_kind(app: Application) -> dict[str, Decimal]:
    """The application's positive needs by utility kind (power, water...)."""
    needs = {kind: app.need(key) for key, kind in NEED_KEYS.items()}
    return {kind: amount for kind, amount in needs.items() if amount > 0}


@dataclass(frozen=True)
class CapacityLine:
    """One need of an application against the source a reservation of the plot would commit."""

    kind: str
    label: str
    unit: str
    need: Decimal
    source: UtilitySource | None  # None: no source serves the plot for this kind
    fits: bool

    @property
    def short(self) -> Decimal:
        return max(self.need - self.source.free, Decimal(0)) if self.source else self.need


def _request_of(app: Application) -> dict[str, Any]:
    """The application's request as the serving rule reads it: needs, desired start, horizon."""
    return {"needs": {k: float(v) for k, v in needs_by_kind(app).items()},
            "start_by": app.start_by, "horizon_years": app.horizon_years}


def serving_for(app: Application, plot: Plot, *, today: dt.date) -> dict[str, UtilityOption]:
    """Per kind ``app`` needs, the option serving ``plot`` for the application's request: the one
    a match of that request quotes, and so the one a reservation commits capacity on."""
    return plot_serving(plot, today=today, **_request_of(app))


def sources_serving(app: Application, plot: Plot, *, today: dt.date) -> dict[str, UtilitySource]:
    """Per kind ``app`` needs, the source serving ``plot`` for it (see :func:`serving_for`)."""
    return sources_serving_plot(plot, today=today, **_request_of(app))


def capacity_check(app: Application, plot: Plot, *, today: dt.date) -> list[CapacityLine]:
    """For the reviewer: would reserving ``plot`` for ``app`` find the capacity? The sources
    are the ones the reservation commits on (:func:`sources_serving`)."""
    needs = needs_by_kind(app)
    serving = sources_serving(app, plot, today=today)
    labels = dict(UtilityKindChoices.choices)
    return [CapacityLine(kind=kind, label=str(labels[kind]), unit=UTILITY_KINDS[kind].unit,
                         need=need, source=serving.get(kind),
                         fits=kind in serving and serving[kind].free >= need)
            for kind, need in needs.items()]
