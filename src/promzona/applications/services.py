"""Writes for applications and reservations. Each runs in one transaction, checks the actor's
role, writes a comment visible to the investor, an audit entry, and emails the investor once the
transaction has committed.

Lock order (PostgreSQL): application row, then plot row, then utility sources by id — so two
operations never wait on each other in a cycle. On SQLite every write transaction is
``BEGIN IMMEDIATE``: writers queue on the database lock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promzona.audit.services import audit_record, changed, snapshot
from promzona.core.errors import CapacityExceeded, Conflict, Forbidden, InputError
from promzona.core.filenames import safe_filename
from promzona.core.numbers import whole_number
from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS
from promzona.matching.selectors import sources_serving_plot
from promzona.news.events import article_draft_from_event
from promzona.outbox.services import mail_enqueue
from promzona.zones import services as zone_services
from promzona.zones.models import CapacityCommitment, Plot, Sector
from promzona.zones.selectors import plots_visible_to

from . import files
from .models import (
    Application,
    Attachment,
    Comment,
    PreferredPlot,
    Reservation,
    ReservationCommitment,
)
from .selectors import is_member, is_reviewer

S = Application.Status
DEFAULT_RESERVATION_DAYS = 90
MAX_RESERVATION_DAYS = 3 * 365
MAX_PREFERRED_PLOTS = 10
EDITABLE_FIELDS = (
    "project_name", "description", "sector", "investment_kzt", "jobs_planned", "needs",
)


# --- roles ---------------------------------------------------------------------------------


def _require_member(actor: Any, app: Application) -> None:
    """Only an investor of the application's organisation acts for it."""
    if not is_member(actor, app):
        raise Forbidden(_("Only the applicant organisation's users may do this."))


def _require_reviewer(actor: Any) -> None:
    if not is_reviewer(actor):
        raise Forbidden(_("Only zone office staff may do this."))


def _locked(app: Application) -> Application:
    """Re-read ``app`` in place inside the transaction, locking its row where the database can."""
    app.refresh_from_db(from_queryset=Application.objects.select_for_update())
    return app


# --- notifications -------------------------------------------------------------------------


def _site_language():
    """Comments and emails are written in the site's language, whoever triggers them."""
    return translation.override(settings.LANGUAGE_CODE)


def _notify(*, actor: Any, app: Application, transition: str, body: str, now: dt.datetime) -> None:
    """A comment the investor sees, and an email to the organisation's users after commit."""
    author = actor if getattr(actor, "is_authenticated", False) else None
    Comment.objects.create(
        application=app, author=author, body=body, transition=transition, created_at=now
    )
    recipients = sorted(
        {u.email for u in app.organisation.users.filter(is_active=True) if u.email}
    )
    if not recipients:
        return
    with _site_language():
        subject = _("Application #%(id)s “%(name)s”: %(status)s") % {
            "id": app.pk, "name": app.project_name[:80], "status": app.get_status_display(),
        }
    mail_enqueue(to=recipients, subject=subject, body=body, now=now)


# --- input ---------------------------------------------------------------------------------


def _clean_needs(needs: Any) -> dict[str, float]:
    if needs is None:
        needs = {}
    if not isinstance(needs, dict):
        raise InputError(_("Needs must be an object."), field="needs")
    out: dict[str, float] = {}
    for key, value in needs.items():
        if key not in NEED_KEYS:
            raise InputError(_("Unknown need %(key)s.") % {"key": str(key)[:40]}, field="needs")
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            raise InputError(_("%(key)s must be a number.") % {"key": key}, field="needs") from None
        if isinstance(value, bool) or not number.is_finite() or number < 0 or number >= 10**12:
            raise InputError(
                _("%(key)s must be a number from 0 to 10¹².") % {"key": key}, field="needs"
            )
        if number != number.quantize(Decimal("0.001")):  # the ledger keeps three decimals
            raise InputError(_("%(key)s may have at most three decimals.") % {"key": key},
                             field="needs")
        out[key] = float(number)
    return {key: out.get(key, 0.0) for key in NEED_KEYS}


def _sector(value: Any) -> Sector:
    if isinstance(value, Sector):
        return value
    sector = Sector.objects.filter(pk=str(value)[:10]).first()
    if sector is None:
        raise InputError(_("Unknown sector."), field="sector")
    return sector


def _preferred_plots(actor: Any, plot_ids: Any) -> list[Plot]:
    if plot_ids is None:
        return []
    if not isinstance(plot_ids, (list, tuple)) or len(plot_ids) > MAX_PREFERRED_PLOTS:
        raise InputError(
            _("Give at most %(n)s preferred plots.") % {"n": MAX_PREFERRED_PLOTS},
            field="preferred_plots",
        )
    ids = [whole_number(str(i)) if isinstance(i, int) and not isinstance(i, bool) else None
           for i in plot_ids]
    if None in ids:
        raise InputError(_("Preferred plots are plot ids."), field="preferred_plots")
    if len(set(ids)) != len(ids):
        raise InputError(_("A plot is listed twice."), field="preferred_plots")
    found = {p.pk: p for p in plots_visible_to(actor).filter(pk__in=ids)}
    if len(found) != len(ids):
        raise InputError(_("Unknown plot in the preferred plots."), field="preferred_plots")
    return [found[i] for i in ids]


def _validated(app: Application) -> None:
    try:
        app.full_clean(exclude=["organisation", "created_by"])
    except ValidationError as exc:
        details = exc.message_dict
        field, messages = next(iter(details.items()))
        raise InputError(f"{field}: {messages[0]}", field=field, details=details) from exc


def _set_preferred(app: Application, plots: list[Plot]) -> None:
    app.preferred.all().delete()
    PreferredPlot.objects.bulk_create(
        [PreferredPlot(application=app, plot=p, position=i) for i, p in enumerate(plots, 1)]
    )


# --- applications --------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor: Any,
    project_name: str,
    sector: Any,
    investment_kzt: Any,
    jobs_planned: Any,
    needs: Any = None,
    description: str = "",
    preferred_plots: Any = None,
    now: dt.datetime | None = None,
) -> Application:
    """A draft application of the actor's organisation (investors only)."""
    if not getattr(actor, "acts_for_organisation", False):
        raise Forbidden(_("Only users of an organisation confirmed by the zone office may "
                          "apply."))
    app = Application(
        organisation_id=actor.organisation_id, created_by=actor, project_name=project_name,
        description=description, sector=_sector(sector), investment_kzt=investment_kzt,
        jobs_planned=jobs_planned, needs=_clean_needs(needs),
    )
    _validated(app)
    plots = _preferred_plots(actor, preferred_plots)
    app.save()
    _set_preferred(app, plots)
    audit_record(actor=actor, action="application.created", obj=app, now=now,
                 after=snapshot(app) | {"preferred_plots": [p.pk for p in plots]})
    return app


@transaction.atomic
def application_update(*, actor: Any, application: Application, **fields: Any) -> Application:
    """Edit a draft; ``fields`` among :data:`EDITABLE_FIELDS` and ``preferred_plots``."""
    app = _locked(application)
    _require_member(actor, app)
    if app.status != S.DRAFT:
        raise Conflict(_("Only a draft can be edited."))
    unknown = set(fields) - set(EDITABLE_FIELDS) - {"preferred_plots"}
    if unknown:
        raise InputError(_("These fields cannot be edited."), details=sorted(unknown))
    before = snapshot(app)
    plots = None
    if "preferred_plots" in fields:
        plots = _preferred_plots(actor, fields.pop("preferred_plots"))
    if "sector" in fields:
        fields["sector"] = _sector(fields["sector"])
    if "needs" in fields:
        fields["needs"] = _clean_needs(fields["needs"])
    for name, value in fields.items():
        setattr(app, name, value)
    _validated(app)
    app.save()
    if plots is not None:
        _set_preferred(app, plots)
    b, a = changed(before, snapshot(app))
    if plots is not None:
        a["preferred_plots"] = [p.pk for p in plots]
    audit_record(actor=actor, action="application.updated", obj=app, before=b, after=a)
    return app


def _transition(
    *, actor: Any, application: Application, allowed_from: tuple[str, ...], to: str,
    comment: str, now: dt.datetime | None,
) -> Application:
    """Move ``application`` to ``to`` (caller holds the row lock and checked the role)."""
    now = now or timezone.now()
    if application.status not in allowed_from:
        raise Conflict(
            _("An application that is %(status)s cannot become %(to)s.")
            % {"status": application.get_status_display(), "to": S(to).label},
            details={"status": application.status, "to": to},
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action=f"application.{to}", obj=application, now=now,
                 before={"status": before}, after={"status": to})
    with _site_language():
        text = _("Status: %(before)s → %(after)s.") % {
            "before": S(before).label, "after": S(to).label,
        }
    if comment:
        text = f"{text}\n\n{comment}"
    _notify(actor=actor, app=application, transition=to, body=text, now=now)
    return application


def _comment(comment: Any) -> str:
    text = (comment or "").strip() if isinstance(comment, str) or comment is None else None
    if text is None or len(text) > 5000:
        raise InputError(_("A comment is text of at most 5000 characters."), field="comment")
    return text


@transaction.atomic
def application_submit(*, actor, application, comment="", now=None) -> Application:
    app = _locked(application)
    _require_member(actor, app)
    _validated(app)
    return _transition(actor=actor, application=app, allowed_from=(S.DRAFT,), to=S.SUBMITTED,
                       comment=_comment(comment), now=now)


@transaction.atomic
def application_start_review(*, actor, application, comment="", now=None) -> Application:
    _require_reviewer(actor)
    app = _locked(application)
    return _transition(actor=actor, application=app, allowed_from=(S.SUBMITTED,),
                       to=S.UNDER_REVIEW, comment=_comment(comment), now=now)


@transaction.atomic
def application_approve(*, actor, application, comment="", now=None) -> Application:
    """Approve; the application's active reservation becomes an allocation (plot allocated)."""
    _require_reviewer(actor)
    now = now or timezone.now()
    app = _locked(application)
    reservation = app.reservations.filter(status=Reservation.Status.ACTIVE).first()
    if app.status in (S.SUBMITTED, S.UNDER_REVIEW) and reservation is None:
        raise Conflict(_("Reserve a plot for the application before approving it."))
    if reservation is not None and reservation.expires_at <= now:
        raise Conflict(_("The reservation has expired; reserve the plot again."))
    _transition(actor=actor, application=app, allowed_from=(S.SUBMITTED, S.UNDER_REVIEW),
                to=S.APPROVED, comment=_comment(comment), now=now)
    rows = Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.ACTIVE).update(
        status=Reservation.Status.ALLOCATED, ended_at=now
    )
    if rows != 1:
        raise Conflict(_("The reservation changed meanwhile; reload and try again."))
    plot = Plot.objects.select_for_update().get(pk=reservation.plot_id)
    if plot.status != Plot.Status.RESERVED:
        raise Conflict(_("The plot is no longer reserved (it is %(status)s).")
                       % {"status": plot.get_status_display()})
    zone_services.plot_set_status(actor=actor, plot=plot, status=Plot.Status.ALLOCATED)
    audit_record(actor=actor, action="reservation.allocated", obj=reservation, now=now,
                 before={"status": "active"}, after={"status": "allocated"})
    # An agreement signed is news: a draft for the newsroom, never published by itself.
    article_draft_from_event(event="application.approved", obj=app, now=now, actor=actor)
    return app


def _end_active_reservations(*, actor, app: Application, status: str, now) -> None:
    for reservation in app.reservations.filter(status=Reservation.Status.ACTIVE):
        _reservation_end(actor=actor, reservation=reservation, status=status, now=now)


@transaction.atomic
def application_reject(*, actor, application, comment, now=None) -> Application:
    """Reject with a reason; an active reservation is released."""
    _require_reviewer(actor)
    text = _comment(comment)
    if not text:
        raise InputError(_("Say why the application is rejected."), field="comment")
    now = now or timezone.now()
    app = _locked(application)
    _transition(actor=actor, application=app, allowed_from=(S.SUBMITTED, S.UNDER_REVIEW),
                to=S.REJECTED, comment=text, now=now)
    _end_active_reservations(actor=actor, app=app, status=Reservation.Status.RELEASED, now=now)
    return app


@transaction.atomic
def application_withdraw(*, actor, application, comment="", now=None) -> Application:
    """The investor withdraws; an active reservation is released."""
    now = now or timezone.now()
    app = _locked(application)
    _require_member(actor, app)
    _transition(actor=actor, application=app, allowed_from=(S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW),
                to=S.WITHDRAWN, comment=_comment(comment), now=now)
    _end_active_reservations(actor=actor, app=app, status=Reservation.Status.RELEASED, now=now)
    return app


@transaction.atomic
def comment_add(*, actor, application, body, now=None) -> Comment:
    """A free comment by the applicant's users or by staff."""
    if not is_reviewer(actor):
        _require_member(actor, application)
    text = _comment(body)
    if not text:
        raise InputError(_("The comment is empty."), field="body")
    c = Comment.objects.create(application=application, author=actor, body=text,
                               created_at=now or timezone.now())
    audit_record(actor=actor, action="application.commented", obj=application,
                 after={"comment": c.pk})
    return c


@transaction.atomic
def attachment_add(*, actor, application, upload, now=None) -> Attachment:
    """Attach a PDF, DOCX, XLSX, PNG or JPEG of at most 20 MB, its type read from its bytes."""
    if not is_reviewer(actor):
        _require_member(actor, application)
    if application.status in (S.APPROVED, S.REJECTED, S.WITHDRAWN):
        raise Conflict(_("A closed application takes no more attachments."))
    kind = files.upload_kind(upload)
    content_type, ext = files.KINDS[kind]
    name = safe_filename(upload.name) or f"{kind}.{ext}"
    att = Attachment(application=application, original_name=name, content_type=content_type,
                     size=upload.size, uploaded_by=actor, uploaded_at=now or timezone.now())
    # The stored name is ours: the extension follows the content, never the client.
    att.file.save(f"{application.pk}.{ext}", upload, save=False)
    try:
        att.save()
        audit_record(actor=actor, action="attachment.added", obj=application,
                     after={"attachment": att.pk, "name": name, "type": kind, "size": upload.size})
    except BaseException:
        att.file.delete(save=False)  # the row is rolled back: no orphan file either
        raise
    return att


# --- reservations --------------------------------------------------------------------------


def _needed_sources(plot: Plot, app: Application, *, today: dt.date) -> list[tuple[Any, Decimal]]:
    """(source, amount) for each positive need, ordered by source id (the lock order): the
    sources a match of these needs quotes for the plot."""
    kinds = {UTILITY_KINDS[code].code: app.need(key) for key, code in NEED_KEYS.items()}
    kinds = {k: v for k, v in kinds.items() if v > 0}
    serving = sources_serving_plot(plot, {k: float(v) for k, v in kinds.items()}, today=today)
    missing = sorted(set(kinds) - set(serving))
    if missing:
        raise CapacityExceeded(
            _("No utility source serves this plot for: %(kinds)s.") % {"kinds": ", ".join(missing)},
            details={"missing": missing},
        )
    return sorted(((serving[k], amount) for k, amount in kinds.items()), key=lambda p: p[0].pk)


def plot_reserve(
    *, actor: Any, plot: Plot, application: Application, expires_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Reservation:
    """Staff reserve a published plot for an application and commit its needs on each source
    serving the plot (:func:`~promzona.matching.selectors.sources_serving_plot`: the sources
    a match of the application's needs quotes) — all in one transaction, or nothing.

    Raises :class:`Conflict` when the plot or the application is already held,
    :class:`CapacityExceeded` (a Conflict) when a source lacks capacity, :class:`InputError`
    for an unpublished plot or a bad expiry, :class:`Forbidden` for anyone but staff.
    """
    _require_reviewer(actor)
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
        app = _locked(application)
        if app.status not in (S.SUBMITTED, S.UNDER_REVIEW):
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
        zone_services.plot_set_status(actor=actor, plot=current, status=Plot.Status.RESERVED)
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
        with _site_language():
            body = _("Plot %(plot)s is reserved for this application until %(date)s.") % {
                "plot": current.code, "date": timezone.localtime(expires_at).date().isoformat()}
        _notify(actor=actor, app=app, transition="reserved", now=now, body=body)
    return reservation


def _reservation_end(*, actor, reservation: Reservation, status: str, now,
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
        zone_services.plot_set_status(actor=actor, plot=plot, status=Plot.Status.PUBLISHED)
    reservation.status = status
    reservation.ended_at = now
    audit_record(actor=actor, action=f"reservation.{status}", obj=reservation, now=now,
                 before={"status": held}, after={"status": status})
    app = reservation.application
    with _site_language():
        text = (_("The reservation of plot %(plot)s has expired.") if status == "expired"
                else _("The reservation of plot %(plot)s was released.")) % {"plot": plot.code}
    _notify(actor=actor, app=app, transition=status, now=now, body=text)
    return True


@transaction.atomic
def reservation_release(*, actor, reservation: Reservation, now=None) -> Reservation:
    """Staff release an active reservation: capacity freed, plot published again."""
    _require_reviewer(actor)
    _locked(reservation.application)
    if not _reservation_end(actor=actor, reservation=reservation,
                            status=Reservation.Status.RELEASED, now=now or timezone.now()):
        raise Conflict(_("The reservation is not active."))
    return reservation


@transaction.atomic
def allocation_release(*, actor, reservation: Reservation, now=None) -> Reservation:
    """End an allocation (an investor project terminated): its capacity is released and the
    plot is offered again. Staff only; the approved application stays approved."""
    _require_reviewer(actor)
    _locked(reservation.application)
    if not _reservation_end(actor=actor, reservation=reservation, now=now or timezone.now(),
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
            _locked(reservation.application)
            count += _reservation_end(actor=None, reservation=reservation,
                                      status=Reservation.Status.EXPIRED, now=now)
    return count
