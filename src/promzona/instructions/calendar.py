"""The iCalendar feed of a user's deadlines (RFC 5545, written with the icalendar library) at
a secret, revocable address."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

import icalendar
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record
from promzona.core.errors import Forbidden

from .models import CalendarFeed, Instruction
from .selectors import annotate, executing, may_use


def feed_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def feed_create(*, actor: Actor, now: dt.datetime | None = None) -> str:
    """A new secret calendar key for ``actor`` (shown once); any earlier one is revoked."""
    if not may_use(actor):
        raise Forbidden(_("Only users who execute or control instructions have a calendar."))
    now = now or timezone.now()
    feed_revoke(actor=actor, now=now)
    key = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, key_hash=feed_hash(key), created_at=now)
    audit_record(actor=actor, action="instruction.calendar_created", obj=feed, now=now)
    return key


@transaction.atomic
def feed_revoke(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Revoke the actor's calendar URLs; the number revoked."""
    now = now or timezone.now()
    feeds = list(CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True))
    for feed in feeds:
        feed.revoked_at = now
        feed.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="instruction.calendar_revoked", obj=feed, now=now)
    return len(feeds)


def feed_user(key: str) -> Any | None:
    """The user whose live feed ``key`` opens, or ``None`` (unknown, revoked, user inactive or
    no longer allowed)."""
    if not key or len(key) > 100:
        return None
    feed = (CalendarFeed.objects.select_related("user")
            .filter(key_hash=feed_hash(key), revoked_at__isnull=True).first())
    if feed is None or not may_use(feed.user):
        return None
    return feed.user


def feed_ical(user: Any, *, today: dt.date, now: dt.datetime) -> bytes:
    """One all-day event on the deadline of each open instruction on control that ``user``
    executes or controls."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//promzona//instructions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("promzona: deadlines of instructions"))
    qs = (Instruction.objects.filter(executing(user) | Q(controller=user), on_control=True)
          .exclude(status=Instruction.Status.ACCEPTED).distinct()
          .select_related("issuer", "executor").order_by("deadline", "id"))
    for instr in qs:
        annotate(instr, today)
        event = icalendar.Event()
        event.add("uid", f"instruction-{instr.pk}@promzona")
        event.add("dtstamp", now)
        event.add("dtstart", instr.deadline)
        event.add("dtend", instr.deadline + dt.timedelta(days=1))
        prefix = _("OVERDUE") + ": " if instr.is_overdue else ""
        event.add("summary", f"{prefix}№ {instr.number} {instr.title}")
        event.add("description", "\n".join([
            _("Issuer: %(body)s") % {"body": instr.issuer.name},
            _("Executor: %(body)s") % {"body": instr.executor.name},
            _("Status: %(status)s") % {"status": instr.get_status_display()},
        ]))
        event.add("url", settings.PROMZONA_BASE_URL + reverse("instructions:detail", args=[instr.pk]))
        cal.add_component(event)
    return cal.to_ical()
