"""Reads for matching: the core dataset built from the database, cached per process.

The index is rebuilt when the zones data changes: the version key is a handful of cheap
aggregates (last audit entry — every write of the zones app is audited —, plot count and last
update, committed capacity, line and project counts).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from promzona.core import geometry as geo
from promzona.core.connections import LineLink
from promzona.core.matching import (
    MatchIndex,
    MatchOutcome,
    MatchRequest,
    PlotIn,
    SourceIn,
    UpgradeIn,
    ZoneIn,
    match,
)
from promzona.zones.models import (
    InfrastructureProject,
    Plot,
    Sector,
    UtilityLine,
    UtilitySource,
    Zone,
)
from promzona.zones.selectors import PUBLIC_PLOT_STATUSES, can_see_unpublished, data_version

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "index": None}


def build_index() -> MatchIndex:
    """The core dataset of every zone (each projected to its own UTM zone)."""
    zones, plots, sources, upgrades, lines = [], [], [], [], []
    epsg_of: dict[int, int] = {}
    for z in Zone.objects.prefetch_related("priority_sectors", "anchors"):
        epsg_of[z.pk] = geo.metric_epsg_for(z.shape())
        zones.append(ZoneIn(
            id=z.pk, name=z.name, priority_sectors=tuple(s.pk for s in z.priority_sectors.all()),
            anchor_sectors=tuple(a.sector_id for a in z.anchors.all()),
            admin_procedure_days=z.admin_procedure_days,
        ))
    for p in Plot.objects.prefetch_related("permitted_sectors"):
        plots.append(PlotIn(
            id=p.pk, code=p.code, zone_id=p.zone_id, status=p.status,
            area_ha=float(p.declared_area_ha), geometry=geo.project(p.shape(), epsg_of[p.zone_id]),
            permitted_sectors=tuple(s.pk for s in p.permitted_sectors.all()),
            hazard_class_max=p.hazard_class_max,
            lease_price_kzt_ha_year=float(p.lease_price_kzt_ha_year)
            if p.deal_lease and p.lease_price_kzt_ha_year is not None else None,
            sale_price_kzt=float(p.sale_price_kzt)
            if p.deal_sale and p.sale_price_kzt is not None else None,
            free_use=p.deal_free_use, rail_spur=p.rail_spur, dist_rail_m=p.dist_rail_m,
            dist_road_m=p.dist_road_m, dist_airport_m=p.dist_airport_m,
            available_from=p.available_from,
        ))
    for s in UtilitySource.objects.all():
        sources.append(SourceIn(id=s.pk, code=s.code, zone_id=s.zone_id, kind=s.kind, name=s.name,
                                capacity=float(s.capacity), committed=float(s.committed),
                                tariff_kzt=float(s.tariff_kzt)))
    for u in InfrastructureProject.objects.filter(
        source__isnull=False, capacity_added__gt=0,
        status__in=[InfrastructureProject.Status.PLANNED, InfrastructureProject.Status.IN_PROGRESS],
    ):
        upgrades.append(UpgradeIn(id=u.pk, source_id=u.source_id,
                                  capacity_added=float(u.capacity_added),
                                  completion=u.planned_completion, name=u.name))
    for ln in UtilityLine.objects.all():
        lines.append(LineLink(
            id=ln.pk, code=ln.code, kind=ln.kind, status=ln.status,
            completion=ln.planned_completion if ln.status != UtilityLine.Status.EXISTING else None,
            fixed_cost_kzt=float(ln.connection_fixed_cost_kzt),
            cost_per_km_kzt=float(ln.connection_cost_per_km_kzt),
            lead_days=ln.connection_lead_days, source_id=ln.source_id,
            geometry=geo.project(ln.shape(), epsg_of[ln.zone_id]),
        ))
    return MatchIndex(zones=zones, plots=plots, sources=sources, upgrades=upgrades, lines=lines)


def match_index() -> MatchIndex:
    """The cached index, rebuilt when :func:`data_version` changes."""
    key = data_version()
    with _lock:
        if _cache["key"] != key:
            _cache["index"] = build_index()
            _cache["key"] = key
        return _cache["index"]


def match_for(user: Any, request: MatchRequest, *, today: dt.date,
              index: MatchIndex | None = None) -> MatchOutcome:
    """Match ``request`` over the plots ``user`` may see (the rule of ``plots_visible_to``)."""
    ix = index or match_index()
    visible = None if can_see_unpublished(user) else ix.status_mask(tuple(PUBLIC_PLOT_STATUSES))
    return match(ix, request, today=today, visible=visible)


def sector_known(code: str) -> bool:
    """Whether ``code`` or one of its parents (C25.11 → C25.1, C25, C2, C) is in the OKED table."""
    return Sector.objects.filter(code__in=[code[:i] for i in range(len(code), 0, -1)]).exists()
