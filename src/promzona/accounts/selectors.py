"""Reads for the zone office's registrations queue."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from .models import JoinRequest, Organisation

S = JoinRequest.Status


def join_requests_waiting() -> list[JoinRequest]:
    """Pending requests of people who confirmed their email, oldest first, each with
    ``known`` (the organisation its identifier names, if any) and ``members`` (its users)."""
    requests = list(JoinRequest.objects.filter(status=S.PENDING, user__is_active=True)
                    .select_related("user"))
    kz = {r.number for r in requests if r.country == "KZ"}
    foreign = {r.number for r in requests if r.country != "KZ"}
    orgs = Organisation.objects.annotate(members=Count("users"))
    by_id = {("KZ", o.bin): o for o in orgs.filter(bin__in=kz)}
    by_id |= {(o.country, o.registration_number): o
              for o in orgs.filter(registration_number__in=foreign)}
    for r in requests:
        r.known = by_id.get((r.country, r.number))
    return requests


def join_requests_unverified_count() -> int:
    """Pending requests whose email is not confirmed yet (not shown in the queue)."""
    return JoinRequest.objects.filter(status=S.PENDING, user__is_active=False).count()


def join_requests_decided() -> QuerySet[JoinRequest]:
    return (JoinRequest.objects.exclude(status=S.PENDING)
            .select_related("user", "decided_by", "organisation").order_by("-decided_at"))


def organisations_unconfirmed() -> QuerySet[Organisation]:
    """Organisations with users but no confirmation (made before confirmation existed)."""
    return (Organisation.objects.filter(confirmed_at__isnull=True)
            .annotate(members=Count("users")).filter(members__gt=0).prefetch_related("users"))


# --- the investor of an organisation: one rule for every app ---------------------------------


def acts_for(user: Any, organisation_id: int | None) -> bool:
    """Whether ``user`` acts for the organisation ``organisation_id``: an active investor of
    it, once the zone office confirmed it (``User.acts_for_organisation``). Applies, comments,
    uploads, reports and invites for it."""
    return bool(organisation_id is not None and getattr(user, "acts_for_organisation", False)
                and user.organisation_id == organisation_id)


def reads_for(user: Any) -> int | None:
    """The organisation whose applications and projects ``user`` reads as an investor (also
    before the zone office confirms it), or None."""
    if getattr(user, "is_authenticated", False) and user.role == "investor":
        return user.organisation_id
    return None

