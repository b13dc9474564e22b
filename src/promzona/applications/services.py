"""Writes for applications. Each runs in one transaction, checks the actor's role, writes a
comment visible to the investor, an audit entry, and emails the investor once the transaction
has committed. Reservations are in :mod:`.reservations` (re-exported here)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record, changed, snapshot
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.core.filenames import safe_filename
from promzona.core.numbers import whole_number
from promzona.core.utilities import NEED_KEYS
from promzona.news.events import article_draft_from_event
from promzona.validation import validated
from promzona.zones import services as zone_services
from promzona.zones.models import Plot, Sector
from promzona.zones.selectors import plots_visible_to

from . import files
from .actions import ALLOWED_FROM
from .models import (
    Application,
    Attachment,
    Comment,
    PreferredPlot,
    Reservation,
)
from .reservations import allocation_release as allocation_release
from .reservations import plot_reserve as plot_reserve
from .reservations import reservation_end as reservation_end
from .reservations import reservation_release as reservation_release
from .reservations import reservations_expire as reservations_expire
from .selectors import is_reviewer
from .workflow import locked, notify, require_member, require_reviewer, site_language

S = Application.Status
MAX_PREFERRED_PLOTS = 10
EDITABLE_FIELDS = (
    "project_name", "description", "sector", "investment_kzt", "jobs_planned", "needs",
    "start_by", "horizon_years",
)


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


def _preferred_plots(actor: Actor, plot_ids: Any) -> list[Plot]:
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


def _set_preferred(app: Application, plots: list[Plot]) -> None:
    app.preferred.all().delete()
    PreferredPlot.objects.bulk_create(
        [PreferredPlot(application=app, plot=p, position=i) for i, p in enumerate(plots, 1)]
    )


# --- applications --------------------------------------------------------------------------


@transaction.atomic
def application_create(  # noqa: PLR0913 - the application's fields, keyword-only, as the form and API send them
    *,
    actor: Actor,
    project_name: str,
    sector: Any,
    investment_kzt: Any,
    jobs_planned: Any,
    needs: Any = None,
    start_by: dt.date | None = None,
    horizon_years: int = 10,
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
        jobs_planned=jobs_planned, needs=_clean_needs(needs), start_by=start_by,
        horizon_years=horizon_years,
    )
    validated(app, exclude=["organisation", "created_by"])
    plots = _preferred_plots(actor, preferred_plots)
    app.save()
    _set_preferred(app, plots)
    audit_record(actor=actor, action="application.created", obj=app, now=now,
                 after=snapshot(app) | {"preferred_plots": [p.pk for p in plots]})
    return app


@transaction.atomic
def application_update(*, actor: Actor, application: Application, now: dt.datetime | None = None,
                       **fields: Any) -> Application:
    """Edit a draft; ``fields`` among :data:`EDITABLE_FIELDS` and ``preferred_plots``."""
    app = locked(application)
    require_member(actor, app)
    if app.status not in ALLOWED_FROM["edit"]:
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
    validated(app, exclude=["organisation", "created_by"])
    app.save()
    if plots is not None:
        _set_preferred(app, plots)
    b, a = changed(before, snapshot(app))
    if plots is not None:
        a["preferred_plots"] = [p.pk for p in plots]
    audit_record(actor=actor, action="application.updated", obj=app, before=b, after=a,
                 now=now or timezone.now())
    return app


def _transition(
    *, actor: Actor, application: Application, allowed_from: tuple[str, ...], to: str,
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
    with site_language():
        text = _("Status: %(before)s → %(after)s.") % {
            "before": S(before).label, "after": S(to).label,
        }
    if comment:
        text = f"{text}\n\n{comment}"
    notify(actor=actor, app=application, transition=to, body=text, now=now)
    return application


def _comment(comment: Any) -> str:
    text = (comment or "").strip() if isinstance(comment, str) or comment is None else None
    if text is None or len(text) > 5000:
        raise InputError(_("A comment is text of at most 5000 characters."), field="comment")
    return text


@transaction.atomic
def application_submit(*, actor: Actor, application, comment="", now=None) -> Application:
    app = locked(application)
    require_member(actor, app)
    validated(app, exclude=["organisation", "created_by"])
    return _transition(actor=actor, application=app, allowed_from=ALLOWED_FROM["submit"],
                       to=S.SUBMITTED,
                       comment=_comment(comment), now=now)


@transaction.atomic
def application_start_review(*, actor: Actor, application, comment="", now=None) -> Application:
    require_reviewer(actor)
    app = locked(application)
    return _transition(actor=actor, application=app, allowed_from=ALLOWED_FROM["start_review"],
                       to=S.UNDER_REVIEW, comment=_comment(comment), now=now)


@transaction.atomic
def application_approve(*, actor: Actor, application, comment="", now=None) -> Application:
    """Approve; the application's active reservation becomes an allocation (plot allocated)."""
    require_reviewer(actor)
    now = now or timezone.now()
    app = locked(application)
    reservation = app.reservations.filter(status=Reservation.Status.ACTIVE).first()
    if app.status in ALLOWED_FROM["approve"] and reservation is None:
        raise Conflict(_("Reserve a plot for the application before approving it."))
    if reservation is not None and reservation.expires_at <= now:
        raise Conflict(_("The reservation has expired; reserve the plot again."))
    _transition(actor=actor, application=app, allowed_from=ALLOWED_FROM["approve"],
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
    zone_services.plot_set_status(actor=actor, plot=plot, status=Plot.Status.ALLOCATED,
                                  now=now)
    audit_record(actor=actor, action="reservation.allocated", obj=reservation, now=now,
                 before={"status": "active"}, after={"status": "allocated"})
    # An agreement signed is news: a draft for the newsroom, never published by itself.
    article_draft_from_event(event="application.approved", obj=app, now=now, actor=actor)
    return app


def _end_active_reservations(*, actor: Actor, app: Application, status: str, now) -> None:
    for reservation in app.reservations.filter(status=Reservation.Status.ACTIVE):
        reservation_end(actor=actor, reservation=reservation, status=status, now=now)


@transaction.atomic
def application_reject(*, actor: Actor, application, comment, now=None) -> Application:
    """Reject with a reason; an active reservation is released."""
    require_reviewer(actor)
    text = _comment(comment)
    if not text:
        raise InputError(_("Say why the application is rejected."), field="comment")
    now = now or timezone.now()
    app = locked(application)
    _transition(actor=actor, application=app, allowed_from=ALLOWED_FROM["reject"],
                to=S.REJECTED, comment=text, now=now)
    _end_active_reservations(actor=actor, app=app, status=Reservation.Status.RELEASED, now=now)
    return app


@transaction.atomic
def application_withdraw(*, actor: Actor, application, comment="", now=None) -> Application:
    """The investor withdraws; an active reservation is released."""
    now = now or timezone.now()
    app = locked(application)
    require_member(actor, app)
    _transition(actor=actor, application=app, allowed_from=ALLOWED_FROM["withdraw"],
                to=S.WITHDRAWN, comment=_comment(comment), now=now)
    _end_active_reservations(actor=actor, app=app, status=Reservation.Status.RELEASED, now=now)
    return app


@transaction.atomic
def comment_add(*, actor: Actor, application, body, now=None) -> Comment:
    """A free comment by the applicant's users or by staff."""
    if not is_reviewer(actor):
        require_member(actor, application)
    text = _comment(body)
    if not text:
        raise InputError(_("The comment is empty."), field="body")
    c = Comment.objects.create(application=application, author=actor, body=text,
                               created_at=now or timezone.now())
    audit_record(actor=actor, action="application.commented", obj=application,
                 now=c.created_at, after={"comment": c.pk})
    return c


@transaction.atomic
def attachment_add(*, actor: Actor, application, upload, now=None) -> Attachment:
    """Attach a PDF, DOCX, XLSX, PNG or JPEG of at most 20 MB, its type read from its bytes."""
    if not is_reviewer(actor):
        require_member(actor, application)
    if application.status not in ALLOWED_FROM["upload"]:
        raise Conflict(_("A closed application takes no more attachments."))
    kind = files.upload_kind(upload)
    content_type, ext = files.KINDS[kind]
    name = safe_filename(upload.name) or f"{kind}.{ext}"
    att = Attachment(application=application, original_name=name, content_type=content_type,
                     size=upload.size, uploaded_by=actor, uploaded_at=now or timezone.now())
    # The stored name is ours: the extension follows the content, never the client.
    with files.stored_with_rows() as stored:
        att.file.save(f"{application.pk}.{ext}", upload, save=False)
        stored.append(att.file.name)
        att.save()
        audit_record(actor=actor, action="attachment.added", obj=application, now=att.uploaded_at,
                     after={"attachment": att.pk, "name": name, "type": kind, "size": upload.size})
    return att
