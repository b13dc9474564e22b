"""Reads: the zone's contacts, and who sees which enquiries."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Contact, Enquiry


def contacts_of(zone: Any) -> QuerySet[Contact]:
    """The zone's active named contacts, in their order (zone page, passports)."""
    return Contact.objects.filter(zone=zone, active=True)


def enquiry_contacts() -> QuerySet[Contact]:
    """Everyone an enquiry may be addressed to, zone by zone."""
    return Contact.objects.filter(active=True, receives_enquiries=True).select_related("zone") \
        .order_by("zone__slug", "position", "id")


def reads_enquiries(user: Any) -> bool:
    """Zone office staff and managers read the enquiries; staff answer them."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "oversees_zones", False))


def enquiries_visible_to(user: Any) -> QuerySet[Enquiry]:
    qs = Enquiry.objects.select_related("zone", "contact", "plot", "handled_by")
    return qs if reads_enquiries(user) else qs.none()
