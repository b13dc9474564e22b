"""Reads for zones, plots and utilities, with the visibility rules in one place."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Max, Min, QuerySet

from promzona.audit.models import AuditEntry
from promzona.core import geometry as geo
from promzona.core.connections import LineLink

from .models import InfrastructureProject, Plot, UtilityLine, UtilitySource, Zone

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


def line_link(line: UtilityLine, *, epsg: int) -> LineLink:
    """``line`` as a :class:`~promzona.core.connections.LineLink`, its geometry in ``epsg``."""
    return LineLink(
        id=line.pk, code=line.code, kind=line.kind, status=line.status,
        completion=line.planned_completion if line.status != UtilityLine.Status.EXISTING else None,
        fixed_cost_kzt=float(line.connection_fixed_cost_kzt),
        cost_per_km_kzt=float(line.connection_cost_per_km_kzt),
        lead_days=line.connection_lead_days, source_id=line.source_id,
        geometry=geo.project(line.shape(), epsg),
    )


def zones_extent(zones: list[Zone] | None = None) -> list[list[float]]:
    """``[[south, west], [north, east]]`` around ``zones`` (every zone by default), where a map
    with nothing else to show opens; the country-wide ``PROMZONA_MAP_DEFAULT_BOUNDS`` when none
    has a geometry."""
    qs = Zone.objects.all() if zones is None else Zone.objects.filter(pk__in=[z.pk for z in zones])
    b = qs.aggregate(s=Min("min_lat"), w=Min("min_lon"), n=Max("max_lat"), e=Max("max_lon"))
    s, w, n, e = settings.PROMZONA_MAP_DEFAULT_BOUNDS if None in b.values() else b.values()
    return [[s, w], [n, e]]


def data_version() -> str:
    """A key that changes whenever the zones' data changes: every service write leaves an audit
    entry; the counts and sums also catch queryset updates that bypass the audit. Keys the
    matching index and the portal's page cache, so it is one query (about 0.3 ms)."""
    t = {m.__name__: connection.ops.quote_name(m._meta.db_table) for m in (
        AuditEntry, Plot, UtilitySource, UtilityLine, InfrastructureProject)}
    sectors = connection.ops.quote_name(Plot.permitted_sectors.through._meta.db_table)
    sql = f"""
        SELECT 'audit', '', MAX(id), NULL FROM {t["AuditEntry"]}
        UNION ALL SELECT 'plot', status, COUNT(*), MAX(updated_at) FROM {t["Plot"]} GROUP BY status
        UNION ALL SELECT 'line', status, COUNT(*), NULL FROM {t["UtilityLine"]} GROUP BY status
        UNION ALL SELECT 'project', status, COUNT(*), NULL FROM {t["InfrastructureProject"]}
            GROUP BY status
        UNION ALL SELECT 'sources', '', COUNT(*), NULL FROM {t["UtilitySource"]}
        UNION ALL SELECT 'capacity', '', SUM(capacity), NULL FROM {t["UtilitySource"]}
        UNION ALL SELECT 'committed', '', SUM(committed), NULL FROM {t["UtilitySource"]}
        UNION ALL SELECT 'tariffs', '', SUM(tariff_kzt), NULL FROM {t["UtilitySource"]}
        UNION ALL SELECT 'sectors', '', COUNT(*), NULL FROM {sectors}
    """  # noqa: S608 - table names from our models, no user input
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return repr(sorted(cursor.fetchall(), key=lambda r: (r[0], r[1])))
