"""Reads for matching: the core dataset built from the database, cached per process.

The index is rebuilt when the zones' data changes, and only then: its key is the version
counter in the database (:func:`promzona.zones.selectors.data_version`), which every app
server sharing the database reads.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from typing import Any

import numpy as np
import shapely
from django.db.models import TextField
from django.db.models.functions import Cast

from promzona.core import geometry as geo
from promzona.core.connections import LineLink
from promzona.core.matching import (
    MatchIndex,
    MatchOutcome,
    MatchRequest,
    PlotIn,
    SourceIn,
    UpgradeIn,
    UtilityOption,
    ZoneIn,
    match,
    plot_options,
    serving,
)
from promzona.core.utilities import UTILITY_KINDS
from promzona.zones.models import (
    InfrastructureProject,
    Plot,
    Sector,
    UtilityLine,
    UtilitySource,
    Zone,
)
from promzona.zones.selectors import (
    PUBLIC_PLOT_STATUSES,
    can_see_unpublished,
    data_version,
)


def _metric_shapes(model, epsg_of: dict[int, int]) -> dict[int, Any]:
    """Each row's geometry of ``model`` by primary key, projected to its zone's UTM zone: the
    stored GeoJSON (validated when saved) parsed and projected an array per zone, not a row at
    a time."""
    by_zone: dict[int, tuple[list[int], list[str]]] = defaultdict(lambda: ([], []))
    rows = model.objects.annotate(text=Cast("geometry", TextField())).values_list(
        "pk", "zone_id", "text")
    for pk, zone_id, text in rows.iterator(chunk_size=5000):
        ids, texts = by_zone[zone_id]
        ids.append(pk)
        texts.append(text)
    out: dict[int, Any] = {}
    for zone_id, (ids, texts) in by_zone.items():
        shapes = geo.project(shapely.from_geojson(np.array(texts, dtype=object)), epsg_of[zone_id])
        out.update(zip(ids, shapes.tolist(), strict=True))
    return out


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def build_index() -> MatchIndex:
    """The index of every zone's data (see :func:`index_data`)."""
    return MatchIndex(**index_data())


def index_data() -> dict[str, list]:
    """The core dataset of every zone (each projected to its own UTM zone), read as plain rows:
    model instances of 100,000 plots cost seconds."""
    zones, sources, upgrades = [], [], []
    epsg_of: dict[int, int] = {}
    for z in Zone.objects.prefetch_related("priority_sectors", "anchors"):
        epsg_of[z.pk] = geo.metric_epsg_for(z.shape())
        zones.append(ZoneIn(
            id=z.pk, name=z.name, priority_sectors=tuple(s.pk for s in z.priority_sectors.all()),
            anchor_sectors=tuple(a.sector_id for a in z.anchors.all()),
            admin_procedure_days=z.admin_procedure_days,
        ))
    sectors: dict[int, list[str]] = defaultdict(list)
    for plot_id, code in Plot.permitted_sectors.through.objects.values_list(
            "plot_id", "sector_id").order_by("sector_id").iterator(chunk_size=5000):
        sectors[plot_id].append(code)
    shapes = _metric_shapes(Plot, epsg_of)
    plots = [PlotIn(
        id=pk, code=code, zone_id=zone_id, status=status, area_ha=float(area),
        geometry=shapes[pk], permitted_sectors=tuple(sectors.get(pk, ())), hazard_class_max=hazard,
        lease_price_kzt_ha_year=_number(lease_price) if lease else None,
        sale_price_kzt=_number(sale_price) if sale else None, free_use=free_use,
        rail_spur=rail_spur, dist_rail_m=rail, dist_road_m=road, dist_airport_m=airport,
        available_from=available_from,
    ) for (pk, code, zone_id, status, area, hazard, lease, lease_price, sale, sale_price, free_use,
           rail_spur, rail, road, airport, available_from) in Plot.objects.values_list(
        "pk", "code", "zone_id", "status", "declared_area_ha", "hazard_class_max", "deal_lease",
        "lease_price_kzt_ha_year", "deal_sale", "sale_price_kzt", "deal_free_use", "rail_spur",
        "dist_rail_m", "dist_road_m", "dist_airport_m", "available_from").iterator(chunk_size=5000)]
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
    line_shapes = _metric_shapes(UtilityLine, epsg_of)
    existing = UtilityLine.Status.EXISTING
    lines = [LineLink(
        id=pk, code=code, kind=kind, status=status,
        completion=completion if status != existing else None, fixed_cost_kzt=float(fixed),
        cost_per_km_kzt=float(per_km), lead_days=lead, source_id=source_id,
        geometry=line_shapes[pk],
    ) for pk, code, kind, status, completion, fixed, per_km, lead, source_id
        in UtilityLine.objects.values_list(
            "pk", "code", "kind", "status", "planned_completion", "connection_fixed_cost_kzt",
            "connection_cost_per_km_kzt", "connection_lead_days", "source_id")]
    return {"zones": zones, "plots": plots, "sources": sources, "upgrades": upgrades,
            "lines": lines}


class IndexCache:
    """One process's index and the data version it was built at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.version: str | None = None
        self.index: MatchIndex | None = None

    def get(self) -> MatchIndex:
        """The index, rebuilt first if :func:`data_version` moved since it was built. The
        version is read before the build, so a write committed meanwhile rebuilds it again."""
        version = data_version()
        with self._lock:
            if self.index is None or self.version != version:
                self.index, self.version = build_index(), version
            return self.index


_cache = IndexCache()


def match_index() -> MatchIndex:
    """This process's cached index (see :class:`IndexCache`)."""
    return _cache.get()


def match_for(user: Any, request: MatchRequest, *, today: dt.date,
              index: MatchIndex | None = None) -> MatchOutcome:
    """Match ``request`` over the plots ``user`` may see (the rule of ``plots_visible_to``)."""
    ix = index or match_index()
    visible = None if can_see_unpublished(user) else ix.status_mask(tuple(PUBLIC_PLOT_STATUSES))
    return match(ix, request, today=today, visible=visible)


def sector_known(code: str) -> bool:
    """Whether ``code`` or one of its parents (C25.11 → C25.1, C25, C2, C) is in the OKED table."""
    return Sector.objects.filter(code__in=[code[:i] for i in range(len(code), 0, -1)]).exists()


# --- which option serves a plot: one choice (core.connections.choose) for every caller -------


def plot_serving(plot: Plot, needs: dict[str, float], *, today: dt.date,
                 start_by: dt.date | None = None, horizon_years: int = 10
                 ) -> dict[str, UtilityOption]:
    """Per utility kind in ``needs`` (kind → amount), the option that serves ``plot`` for a
    project starting by ``start_by`` and weighed over ``horizon_years``: what a match quotes
    and a reservation commits (see :func:`promzona.core.matching.serving`)."""
    return serving(match_index(), plot_id=plot.pk, needs=needs, today=today, start_by=start_by,
                   horizon_years=horizon_years)


def plot_connection_options(plot: Plot, *, today: dt.date
                            ) -> dict[str, tuple[list[UtilityOption], int | None]]:
    """Per utility kind, the plot's connection options and the position of the one that
    serves (no need named: capacity aside), for the passport and the comparison."""
    ix = match_index()
    out = {}
    for kind in UTILITY_KINDS:
        options, k = plot_options(ix, plot_id=plot.pk, kind=kind, today=today)
        if options:
            out[kind] = (options, k)
    return out


def sources_serving_plot(plot: Plot, needs: dict[str, float], *, today: dt.date,
                         start_by: dt.date | None = None, horizon_years: int = 10
                         ) -> dict[str, UtilitySource]:
    """The utility source that serves ``plot`` per kind in ``needs`` (see :func:`plot_serving`)."""
    chosen = plot_serving(plot, needs, today=today, start_by=start_by,
                          horizon_years=horizon_years)
    sources = UtilitySource.objects.in_bulk({o.source_id for o in chosen.values()})
    return {kind: sources[o.source_id] for kind, o in chosen.items()}


def lines_serving_plot(plot: Plot, needs: dict[str, float], *, today: dt.date
                       ) -> dict[str, UtilityLine]:
    """The utility line that serves ``plot`` per kind in ``needs`` (its source serves it)."""
    chosen = plot_serving(plot, needs, today=today)
    lines = UtilityLine.objects.select_related("source").in_bulk(
        {o.line_id for o in chosen.values()})
    return {kind: lines[o.line_id] for kind, o in chosen.items()}
