"""Reads for the zone office's registrations queue."""

from __future__ import annotations

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
