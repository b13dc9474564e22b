"""Reservations: staff hold a plot for an application and commit its needs on the ledger of
each source that serves the plot; a reservation ends as an allocation, released or expired.

Lock order (PostgreSQL): application row, then plot row, then utility sources by id — so two
operations never wait on each other in a cycle. On SQLite every write transaction is
``BEGIN IMMEDIATE``: writers queue on the database lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.types import Actor
from promzona.audit.services import audit_record, snapshot
from promzona.core.errors import CapacityExceeded, Conflict, InputError
from promzona.zones import services as zone_services
from promzona.zones.models import CapacityCommitment, Plot, UtilityKindChoices

from .actions import ALLOWED_FROM
from .models import Application, Reservation, ReservationCommitment
from .selectors import needs_by_kind, sources_serving
from .workflow import locked, notify, require_reviewer, site_language

S = Application.Status
DEFAULT_RESERVATION_DAYS = 90
MAX_RESERVATION_DAYS = 3 * 365


def _needed_sources(plot: Plot, app: Application, *, today: dt.date) -> list[tuple[Any, Decimal]]:
    """(source, amount) for each positive need, ordered by source id (the lock order): the
    sources a match of these needs quotes for the plot."""
    kinds = needs_by_kind(app)
    serving = sources_serving(app, plot, today=today)
    missing = sorted(set(kinds) - set(serving))
    if missing:
        raise CapacityExceeded(
            _("No utility source serves this plot for: %(kinds)s.") % {
                "kinds": ", ".join(str(UtilityKindChoices(k).label) for k in missing)},
            details={"missing": missing},
        )
    return sorted(((serving[k], amount) for k, amount in kinds.items()), key=lambda p: p[0].pk)


def plot_reserve(
    *, actor: Actor, plot: Plot, application: Application, expires_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Reservation:
    """Staff reserve a published plot for an application and commit its needs on each source
    serving the plot (:func:`~promzona.applications.selectors.sources_serving`: the sources
    a match of the application's request quotes) — all in one transaction, or nothing.

    Raises :class:`Conflict` when the plot or the application is already held,
    :class:`CapacityExceeded` (a Conflict) when a source lacks capacity, :class:`InputError`
    for an unpublished plot or a bad expiry, :class:`Forbidden` for anyone but staff.
    """
    require_reviewer(actor)
    now = now or timezone.now()
    if expires_at is None:
        expires_at = now + dt.timedelta(days=DEFAULT_RESERVATION_DAYS)
    if timezone.is_naive(expires_at):
        raise InputError(_("The expiry needs a time zone."), field="expires_at")
    if expires_at <= now:
        raise InputError(_("The expiry must lie in the future."), field="expires_at")
    if expires_at > now + dt.timedelta(days=MAX_RESERVATION_DAYS):
        raise InputError(_("A reservation lasts at most three years."), field="expires_at")
    # The geometry work happens before the write transaction, to keep the lock short.
    needed = _needed_sources(plot, application, today=timezone.localdate(now))
    with transaction.atomic():
        app = locked(application)
        if app.status not in ALLOWED_FROM["reserve"]:
            raise Conflict(
                _("Only a submitted application under consideration can hold a plot."),
                details={"status": app.status},
            )
        current = Plot.objects.select_for_update().get(pk=plot.pk)
        if current.status != Plot.Status.PUBLISHED:
            if current.status in (Plot.Status.DRAFT, Plot.Status.WITHDRAWN):
                raise InputError(_("The plot is not published."), field="plot_id")
            raise Conflict(_("The plot is already taken."), details={"plot_status": current.status})
        try:
            with transaction.atomic():
                reservation = Reservation.objects.create(
                    plot=current, application=app, created_by=actor, created_at=now,
                    expires_at=expires_at,
                )
        except IntegrityError as exc:
            raise Conflict(_("The plot or the application is already held.")) from exc
        zone_services.plot_set_status(actor=actor, plot=current, status=Plot.Status.RESERVED,
                                      now=now)
        for source, amount in needed:
            commitment = zone_services.capacity_commit(
                actor=actor, source=source, amount=amount, now=now,
                holder=f"reservation #{reservation.pk}: application #{app.pk}",
            )
            ReservationCommitment.objects.create(reservation=reservation, commitment=commitment)
        audit_record(actor=actor, action="plot.reserved", obj=current, now=now,
                     after={"reservation": reservation.pk, "application": app.pk,
                            "expires_at": expires_at})
        audit_record(actor=actor, action="reservation.created", obj=reservation, now=now,
                     after=snapshot(reservation))
        with site_language():
            body = _("Plot %(plot)s is reserved for this application until %(date)s.") % {
                "plot": current.code, "date": l10n.day(expires_at)}
        notify(actor=actor, app=app, transition="reserved", now=now, body=body)
    return reservation


def reservation_end(*, actor: Actor, reservation: Reservation, status: str, now,
                     held: str = Reservation.Status.ACTIVE) -> bool:
    """End a reservation that is ``held`` (active, or an allocation) as released or expired:
    its capacity is released and its plot offered again; False when it was no longer held."""
    rows = Reservation.objects.filter(pk=reservation.pk, status=held).update(
        status=status, ended_at=now
    )
    if rows == 0:
        return False
    commitments = CapacityCommitment.objects.filter(
        reservation_link__reservation=reservation, status=CapacityCommitment.Status.ACTIVE
    ).order_by("source_id")
    for commitment in commitments:
        zone_services.capacity_release(actor=actor, commitment=commitment, now=now)
    plot = Plot.objects.select_for_update().get(pk=reservation.plot_id)
    if plot.status in (Plot.Status.RESERVED, Plot.Status.ALLOCATED, Plot.Status.OCCUPIED):
        zone_services.plot_set_status(actor=actor, plot=plot, status=Plot.Status.PUBLISHED,
                                      now=now)
    reservation.status = status
    reservation.ended_at = now
    audit_record(actor=actor, action=f"reservation.{status}", obj=reservation, now=now,
                 before={"status": held}, after={"status": status})
    app = reservation.application
    with site_language():
        text = (_("The reservation of plot %(plot)s has expired.") if status == "expired"
                else _("The reservation of plot %(plot)s was released.")) % {"plot": plot.code}
    notify(actor=actor, app=app, transition=status, now=now, body=text)
    return True


@transaction.atomic
def reservation_release(*, actor: Actor, reservation: Reservation, now=None) -> Reservation:
    """Staff release an active reservation: capacity freed, plot published again."""
    require_reviewer(actor)
    locked(reservation.application)
    if not reservation_end(actor=actor, reservation=reservation,
                            status=Reservation.Status.RELEASED, now=now or timezone.now()):
        raise Conflict(_("The reservation is not active."))
    return reservation


@transaction.atomic
def allocation_release(*, actor: Actor, reservation: Reservation, now=None) -> Reservation:
    """End an allocation (an investor project terminated): its capacity is released and the
    plot is offered again. Staff only; the approved application stays approved."""
    require_reviewer(actor)
    locked(reservation.application)
    if not reservation_end(actor=actor, reservation=reservation, now=now or timezone.now(),
                            status=Reservation.Status.RELEASED,
                            held=Reservation.Status.ALLOCATED):
        raise Conflict(_("The reservation is not an allocation."))
    return reservation


def reservations_expire(*, now: dt.datetime | None = None) -> int:
    """Expire every active reservation whose time is up; each in its own transaction.

    Safe to run concurrently and repeatedly (the cron/systemd job): a reservation ends once.
    """
    now = now or timezone.now()
    due = list(
        Reservation.objects.filter(status=Reservation.Status.ACTIVE, expires_at__lte=now)
        .order_by("expires_at", "pk").select_related("application")
    )
    count = 0
    for reservation in due:
        with transaction.atomic():
            locked(reservation.application)
            count += reservation_end(actor=None, reservation=reservation,
                                      status=Reservation.Status.EXPIRED, now=now)
    return count
