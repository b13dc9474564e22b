"""Reads for zones, plots and utilities, with the visibility rules in one place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Max, Min, QuerySet

from .models import DataVersion, Plot, UtilityLine, UtilitySource, Zone

PUBLIC_PLOT_STATUSES = (
    Plot.Status.PUBLISHED,
    Plot.Status.RESERVED,
    Plot.Status.ALLOCATED,
    Plot.Status.OCCUPIED,
)


def can_see_unpublished(user: Any) -> bool:
    """Zone office staff and managers see drafts and withdrawn plots; others do not."""
    return bool(getattr(user, "is_authenticated", False) and user.oversees_zones)


def plots_visible_to(user: Any) -> QuerySet[Plot]:
    """Plots ``user`` may see: all for staff and managers; published ones for everybody else.

    "Published" covers the plots shown on the portal: free, and also reserved, allocated or
    occupied ones (so the map is truthful); drafts and withdrawn plots are internal.
    """
    qs = Plot.objects.select_related("zone").prefetch_related("permitted_sectors")
    if can_see_unpublished(user):
        return qs
    return qs.filter(status__in=PUBLIC_PLOT_STATUSES)


def zones_visible_to(user: Any) -> QuerySet[Zone]:
    return Zone.objects.all()


def sources_of_zone(zone: Zone) -> QuerySet[UtilitySource]:
    return UtilitySource.objects.filter(zone=zone)


def lines_of_zone(zone: Zone) -> QuerySet[UtilityLine]:
    return UtilityLine.objects.filter(zone=zone).select_related("source")


def zones_extent(zones: list[Zone] | None = None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around ``zones`` (every zone by default), where a map
    with nothing else to show opens; the country-wide ``PROMZONA_MAP_DEFAULT_BOUNDS`` when none
    has a geometry."""
    qs = Zone.objects.all() if zones is None else Zone.objects.filter(pk__in=[z.pk for z in zones])
    b = qs.aggregate(s=Min("min_lat"), w=Min("min_lon"), n=Max("max_lat"), e=Max("max_lon"))
    s, w, n, e = settings.PROMZONA_MAP_DEFAULT_BOUNDS if None in b.values() else b.values()
    return [[s, w], [n, e]]


def data_version(*apps: str) -> str:
    """The version of the data of ``apps`` (the zones' by default; see
    :mod:`promzona.zones.signals`): it changes with every write of what the matching index and
    the cached pages show, and with nothing else (a token, a saved search leave the zones' alone;
    a comment, the newsroom's). One primary-key read."""
    rows = [DataVersion.ROWS[app] for app in apps or ("zones",)]
    tokens = dict(DataVersion.objects.filter(pk__in=rows).values_list("pk", "token"))
    return ":".join(tokens.get(pk, "") for pk in rows)
