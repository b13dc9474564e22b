"""Writes for enquiries: receiving one from anybody (guarded against robots and floods) and the
zone office marking it answered or spam. Each runs in one transaction and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from promzona.accounts.models import Role, User
from promzona.accounts.types import Actor
from promzona.audit.services import audit_record
from promzona.core import richtext
from promzona.core.errors import Forbidden, InputError, RateLimited
from promzona.core.organisations import country_is_valid
from promzona.outbox.services import mail_enqueue
from promzona.validation import validated
from promzona.web import antispam

from .models import Enquiry

MAX_LINKS = 2
MAX_SEARCH_CHARS = 5000
#: (enquiries, window) per address, and per email address: floods wait, people rarely notice.
LIMITS = {"address": ((3, dt.timedelta(minutes=10)), (10, dt.timedelta(days=1))),
          "email": ((5, dt.timedelta(days=1)),)}
PURPOSE = "enquiry"


def form_token(*, now: dt.datetime) -> str:
    """The signed note of when the enquiry form was shown (see :mod:`promzona.web.antispam`)."""
    return antispam.form_token(purpose=PURPOSE, now=now)


def _clean(enquiry: Enquiry) -> None:
    """Plain text only, within the limits; the contact and the plot belong to the zone."""
    enquiry.name = richtext.plain(enquiry.name)
    enquiry.organisation = richtext.plain(enquiry.organisation)
    enquiry.phone = richtext.plain(enquiry.phone)
    enquiry.email = richtext.plain(enquiry.email)
    enquiry.message = richtext.plain_block(enquiry.message)
    enquiry.country = (enquiry.country or "").strip().upper()
    if not enquiry.name:
        raise InputError(_("Give your name."), field="name")
    if not enquiry.message:
        raise InputError(_("Write what you would like to know."), field="message")
    if enquiry.country and not country_is_valid(enquiry.country):
        raise InputError(_("Choose a country from the list."), field="country")
    if richtext.count_links(enquiry.message) + richtext.count_links(enquiry.name) > MAX_LINKS:
        raise InputError(_("An enquiry may carry at most two links."), field="message")
    if enquiry.contact_id is not None and (enquiry.contact.zone_id != enquiry.zone_id
                                           or not enquiry.contact.active
                                           or not enquiry.contact.receives_enquiries):
        raise InputError(_("Choose a contact of the zone from the list."), field="contact")
    if enquiry.plot_id is not None and enquiry.plot.zone_id != enquiry.zone_id:
        raise InputError(_("The plot is not in this zone."), field="plot")
    if enquiry.match_request is not None and (
            not isinstance(enquiry.match_request, dict)
            or len(repr(enquiry.match_request)) > MAX_SEARCH_CHARS):
        raise InputError(_("The search is not valid."), field="match_request")
    validated(enquiry, exclude=["zone", "contact", "plot", "user", "handled_by"])


def _rate_check(enquiry: Enquiry, now: dt.datetime) -> None:
    """Refuse when the address or the email already sent its allowance within a window."""
    waits = []
    for key, value in (("address", enquiry.address), ("email", enquiry.email.lower())):
        if not value:
            continue
        for allowed, window in LIMITS[key]:
            lookup = {"address": value} if key == "address" else {"email__iexact": value}
            recent = list(Enquiry.objects.filter(created_at__gt=now - window, **lookup)
                          .order_by("-created_at").values_list("created_at", flat=True)[:allowed])
            if len(recent) >= allowed:
                waits.append(recent[-1] + window - now)
    if waits:
        seconds = max(1, int(max(waits).total_seconds()))
        minutes = -(-seconds // 60)
        raise RateLimited(ngettext(
            "You have sent several enquiries already; please wait %(minutes)s minute or call "
            "the zone office.",
            "You have sent several enquiries already; please wait %(minutes)s minutes or call "
            "the zone office.", minutes) % {"minutes": minutes}, retry_after=seconds)


def _recipients(enquiry: Enquiry) -> list[str]:
    """The contact and the zone office's address; failing both, the zone office staff."""
    to = [a for a in (enquiry.contact.email if enquiry.contact_id else "",
                      enquiry.zone.contact_email) if a]
    if not to:
        to = list(User.objects.filter(role=Role.STAFF, is_active=True).exclude(email="")
                  .values_list("email", flat=True))
    return to


def _mail(enquiry: Enquiry, link: Callable[[Enquiry], str] | None, now: dt.datetime) -> None:
    """Mail ``enquiry`` to the zone office in the site's language, its link to that language's
    page included."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Enquiry #%(id)s from %(name)s") % {"id": enquiry.pk, "name": enquiry.name}
        if enquiry.plot_id:
            subject += " · " + enquiry.plot.code
        body = render_to_string("enquiries/email.txt",
                                {"e": enquiry, "link": link(enquiry) if link else ""})
    mail_enqueue(to=_recipients(enquiry), subject=subject, body=body, now=now)


@transaction.atomic
def enquiry_submit(*, actor: Actor, enquiry: Enquiry, token: str, honeypot: str,
                   now: dt.datetime, link: Callable[[Enquiry], str] | None = None) -> Enquiry:
    """Store ``enquiry`` (unsaved; its sender's ``address`` set by the caller) and mail it to
    its contact, or refuse it with the reason and store nothing.

    Refused: a filled honeypot, a form sent within seconds of being shown (or forged, or a
    day old), text that is empty, too long or carries more than two links, a contact or plot
    of another zone, and the address's or email's allowance spent (:class:`RateLimited`).
    """
    antispam.honeypot_check(honeypot)
    antispam.form_token_check(token, purpose=PURPOSE, now=now)
    enquiry.user = actor if getattr(actor, "is_authenticated", False) else None
    enquiry.status, enquiry.created_at = Enquiry.Status.NEW, now
    _clean(enquiry)
    _rate_check(enquiry, now)
    enquiry.save()
    audit_record(actor=actor, action="enquiry.received", obj=enquiry, now=now, after={
        "zone": enquiry.zone_id, "contact": enquiry.contact_id, "plot": enquiry.plot_id,
        "address": enquiry.address})
    _mail(enquiry, link, now)
    return enquiry


@transaction.atomic
def enquiry_mark(*, actor: Actor, enquiry: Enquiry, status: str, note: str = "",
                 now: dt.datetime) -> Enquiry:
    """The zone office marks an enquiry answered or spam (or new again), with a note."""
    if not getattr(actor, "is_zone_staff", False):
        raise Forbidden(_("Only zone office staff may do this."))
    if status not in Enquiry.Status.values:
        raise InputError(_("Unknown status."), field="status")
    note = richtext.plain_block(note if isinstance(note, str) else "")
    if len(note) > 2000:
        raise InputError(_("A note is text of at most 2,000 characters."), field="note")
    current = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    before = {"status": current.status}
    Enquiry.objects.filter(pk=enquiry.pk).update(
        status=status, note=note or current.note, handled_at=now, handled_by=actor)
    enquiry.refresh_from_db()
    action = "enquiry.reopened" if status == Enquiry.Status.NEW else f"enquiry.{status}"
    audit_record(actor=actor, action=action, obj=enquiry, now=now, before=before,
                 after={"status": status, "note": note} if note else {"status": status})
    return enquiry
