"""Writes of the matching app: saved searches and the alerts they produce."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.audit.services import audit_bulk_record, audit_record
from promzona.core.errors import Forbidden, InputError
from promzona.core.matching import MatchRequest
from promzona.outbox.services import absolute_link, mail_enqueue
from promzona.zones.models import Plot

from .models import Alerted, Notice, SavedSearch
from .selectors import match_for

log = logging.getLogger(__name__)
#: Audit actions after which saved searches may gain matches.
ALERT_TRIGGERS = ("plot.status.published", "capacity.released")


@transaction.atomic
def saved_search_create(*, actor: Actor, name: str, request: dict[str, Any],
                        now: dt.datetime | None = None) -> SavedSearch:
    """Save a validated match request for a logged-in user. Plots matching it now are recorded
    as already seen, so alerts only announce new matches."""
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden("Log in to save a search.")
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InputError("The name must have 1 to 200 characters.", field="name")
    parsed = MatchRequest.parse(request)
    now = now or timezone.now()
    search = SavedSearch.objects.create(user=actor, name=name, request=parsed.to_json(),
                                        created_at=now)
    outcome = match_for(actor, parsed, today=timezone.localdate(now))
    Alerted.objects.bulk_create([Alerted(saved_search=search, plot_id=pid, created_at=now)
                                 for pid in outcome.result_ids])
    audit_record(actor=actor, action="saved_search.created", obj=search,
                 after={"name": name, "request": search.request}, now=now)
    return search


@transaction.atomic
def enquiry_record(*, actor: Actor, request: MatchRequest, now: dt.datetime | None = None) -> bool:
    """Record a match request by a logged-in investor: the first stage of the investor funnel
    (``match.requested`` in the audit trail). Other callers are not counted; False then."""
    if not (getattr(actor, "is_authenticated", False) and actor.role == "investor"):
        return False
    audit_record(actor=actor, action="match.requested", obj=actor, now=now,
                 after={"sector": request.sector})
    return True


@transaction.atomic
def saved_search_delete(*, actor: Actor, search: SavedSearch,
                        now: dt.datetime | None = None) -> None:
    if search.user_id != getattr(actor, "pk", None):
        raise Forbidden("This saved search belongs to someone else.")
    audit_record(actor=actor, action="saved_search.deleted", obj=search,
                 before={"name": search.name}, now=now or timezone.now())
    search.delete()


def alerts_run(*, now: dt.datetime | None = None) -> int:
    """Re-run every saved search; announce each new matching plot once (email and notice).

    Returns the number of alerts sent. Each search is handled in its own transaction; the
    unique (saved search, plot) pair makes a second announcement impossible.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    # A deactivated account gets no mail and no notice (its searches are kept).
    for search in SavedSearch.objects.filter(user__is_active=True).select_related("user") \
            .order_by("id"):
        try:
            req = MatchRequest.parse(search.request)
        except InputError:
            log.warning("saved search %s has an invalid request; skipped", search.pk)
            continue
        outcome = match_for(search.user, req, today=today)
        seen = set(Alerted.objects.filter(saved_search=search).values_list("plot_id", flat=True))
        new = [pid for pid in outcome.result_ids if pid not in seen]
        if not new:
            continue
        plots = {p.pk: p for p in Plot.objects.filter(pk__in=new)}
        with translation.override(settings.LANGUAGE_CODE):
            for pid in new:
                if pid not in plots:
                    continue
                sent += _announce(search, plots[pid], now)
    return sent


def _announce(search: SavedSearch, plot: Plot, now: dt.datetime) -> int:
    text = _("New plot for your search “%(search)s”: %(plot)s") % {
        "search": search.name, "plot": f"{plot.code} {plot.name}".strip()}
    url = reverse("matching:match") + f"?saved={search.pk}"
    try:
        with transaction.atomic():
            Alerted.objects.create(saved_search=search, plot=plot, created_at=now)
            Notice.objects.create(user=search.user, text=text[:500], url=url, created_at=now)
            audit_record(actor=None, action="saved_search.alerted", obj=search,
                         after={"plot": plot.pk}, now=now)
            if search.user.email:
                mail_enqueue(to=[search.user.email], subject=text,
                             body=f"{text}\n{absolute_link(url)}", now=now)
    except IntegrityError:  # announced meanwhile by a concurrent run
        return 0
    return 1


@transaction.atomic
def notices_mark_read(*, actor: Actor, url: str, now: dt.datetime | None = None) -> int:
    """Mark the actor's unread notices pointing at ``url`` as read, each audited as
    ``notice.read``; returns how many."""
    if not getattr(actor, "is_authenticated", False):
        return 0
    notices = list(Notice.objects.select_for_update().filter(user=actor, url=url, read=False)
                   .order_by("id"))
    if not notices:
        return 0
    Notice.objects.filter(pk__in=[n.pk for n in notices]).update(read=True)
    audit_bulk_record(actor=actor, now=now or timezone.now(),
                      entries=[("notice.read", n, {"read": False}, {"read": True})
                               for n in notices])
    return len(notices)


def triggers_alerts(action: str, object_type: str, after: dict | None) -> bool:
    """Whether an audited change may give saved searches new matches."""
    after = after or {}
    if action in ALERT_TRIGGERS:
        return True
    if action.endswith((".created", ".updated")):
        if object_type.endswith("plot") and after.get("status") == "published":
            return True
        if object_type.endswith("utilityline") and after.get("status") == "existing":
            return True
        if object_type.endswith("utilitysource") and "capacity" in after:
            return True
        if object_type.endswith("infrastructureproject") and after.get("status") == "completed":
            return True
    return False
