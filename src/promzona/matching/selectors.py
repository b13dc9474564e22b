"""Reads for matching: the core dataset built from the database, cached per process.

The index is rebuilt when the zones' data changes, and only then: its key is the version
counter in the database (:func:`promzona.zones.selectors.data_version`), which every app
server sharing the database reads.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from promzona.core import geometry as geo
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
    line_link,
)


def build_index() -> MatchIndex:
    """The core dataset of every zone (each projected to its own UTM zone)."""
    zones, plots, sources, upgrades = [], [], [], []
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
    lines = [line_link(ln, epsg=epsg_of[ln.zone_id]) for ln in UtilityLine.objects.all()]
    return MatchIndex(zones=zones, plots=plots, sources=sources, upgrades=upgrades, lines=lines)


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
                 start_by: dt.date | None = None) -> dict[str, UtilityOption]:
    """Per utility kind in ``needs`` (kind → amount), the option that serves ``plot``: what a
    match quotes and a reservation commits (see :func:`promzona.core.matching.serving`)."""
    return serving(match_index(), plot_id=plot.pk, needs=needs, today=today, start_by=start_by)


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


def sources_serving_plot(plot: Plot, needs: dict[str, float], *, today: dt.date
                         ) -> dict[str, UtilitySource]:
    """The utility source that serves ``plot`` per kind in ``needs`` (see :func:`plot_serving`)."""
    chosen = plot_serving(plot, needs, today=today)
    sources = UtilitySource.objects.in_bulk({o.source_id for o in chosen.values()})
    return {kind: sources[o.source_id] for kind, o in chosen.items()}


def lines_serving_plot(plot: Plot, needs: dict[str, float], *, today: dt.date
                       ) -> dict[str, UtilityLine]:
    """The utility line that serves ``plot`` per kind in ``needs`` (its source serves it)."""
    chosen = plot_serving(plot, needs, today=today)
    lines = UtilityLine.objects.select_related("source").in_bulk(
        {o.line_id for o in chosen.values()})
    return {kind: lines[o.line_id] for kind, o in chosen.items()}
