"""Reads for matching: the core dataset built from the database, cached per process.

The index is rebuilt when the zones' data changes, and only then: its key is the version
counter in the database (:func:`promzona.zones.selectors.data_version`), which every app
server sharing the database reads.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely
from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast

from promzona.columns import as_float, paused_collector
from promzona.core import geometry as geo
from promzona.core.connections import LineLink
from promzona.core.matching import (
    MatchIndex,
    MatchOutcome,
    MatchRequest,
    PlotColumns,
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


def _rows(queryset) -> list[tuple]:
    """The rows of ``queryset.values_list(...)`` as the database driver gives them: Django's
    per-value converters cost seconds at 100,000 rows, so the callers convert columns."""
    return [row for chunk in _chunks(queryset) for row in chunk]


CHUNK_ROWS = 10_000


def _chunks(queryset) -> Iterator[list[tuple]]:
    """:func:`_rows` :data:`CHUNK_ROWS` rows at a time, so a caller turning them into columns holds one
    chunk's Python objects at once, not every row's."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK_ROWS):
            yield chunk


def _day(value: Any) -> int:
    """A date column as a day ordinal (0: none); SQLite gives ISO text, PostgreSQL dates."""
    if value is None:
        return 0
    return (value if isinstance(value, dt.date) else dt.date.fromisoformat(value)).toordinal()


def _metric(zone_ids: list[int], texts: list[str], epsg_of: dict[int, int]) -> np.ndarray:
    """The stored GeoJSON (validated when saved) parsed and projected to each row's zone's UTM
    zone, an array per zone, not a row at a time."""
    out = np.empty(len(texts), dtype=object)
    zone = np.array(zone_ids, dtype=np.int64)
    parsed = shapely.from_geojson(np.array(texts, dtype=object))
    for zone_id in np.unique(zone).tolist():
        rows = np.flatnonzero(zone == zone_id)
        out[rows] = geo.project(parsed[rows], epsg_of[zone_id])
    return out


#: Each plot's projected shape as a build last made it, by plot: (hash of its stored text, EPSG,
#: shape). A rebuild parses and projects only the plots whose geometry or zone's projection
#: changed (shapes are immutable; the index itself keeps none).
_SHAPES: dict[int, tuple[int, int, Any]] = {}


def _plot_shapes(pks: tuple, zone_ids: tuple, texts: tuple, epsg_of: dict[int, int]
                 ) -> np.ndarray:
    """:func:`_metric` of some plots' rows, reusing the shapes a build made before where a
    plot's stored text and projection are the same."""
    out = np.empty(len(texts), dtype=object)
    todo, keys = [], []
    for i, (pk, zone_id, text) in enumerate(zip(pks, zone_ids, texts, strict=True)):
        key = (hash(text), epsg_of[zone_id])
        kept = _SHAPES.get(pk)
        if kept is not None and kept[:2] == key:
            out[i] = kept[2]
        else:
            todo.append(i)
            keys.append(key)
    if todo:
        out[todo] = _metric([zone_ids[i] for i in todo], [texts[i] for i in todo], epsg_of)
        _SHAPES.update((pks[i], (*key, out[i])) for i, key in zip(todo, keys, strict=True))
    return out


@paused_collector()
def build_index() -> MatchIndex:
    """The index of every zone's data (see :func:`index_data`), the collector paused while the
    columns are read and built (:func:`~promzona.columns.paused_collector`), and the heap the
    build's temporaries left free given back afterwards."""
    data = index_data()
    for pk in _SHAPES.keys() - set(data["plots"].id.tolist()):  # deleted plots
        _SHAPES.pop(pk, None)
    index = MatchIndex(**data)
    del data
    _release_free_memory()
    return index


def _release_free_memory() -> None:
    """Give the heap the build's temporaries leave free back to the system (glibc's
    ``malloc_trim``; elsewhere nothing): an app server keeps only the index, not the build's
    peak (about 110 MiB less at 100,000 plots)."""
    trim = getattr(_LIBC, "malloc_trim", None)
    if trim is not None:
        trim(0)


try:
    _LIBC = ctypes.CDLL(None)
except (OSError, TypeError):  # no C library to open by that name (Windows)
    _LIBC = None


def index_data() -> dict[str, Any]:
    """The core dataset of every zone (each projected to its own UTM zone): the plots as
    columns (:class:`PlotColumns`), one query per table, no model instance per row."""
    zones, sources, upgrades = [], [], []
    epsg_of: dict[int, int] = {}
    for z in Zone.objects.prefetch_related("priority_sectors", "anchors"):
        epsg_of[z.pk] = geo.metric_epsg_for(z.shape())
        zones.append(ZoneIn(
            id=z.pk, name=z.name, priority_sectors=tuple(s.pk for s in z.priority_sectors.all()),
            anchor_sectors=tuple(a.sector_id for a in z.anchors.all()),
            admin_procedure_days=z.admin_procedure_days,
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
    return {"zones": zones, "plots": _plot_columns(epsg_of), "sources": sources,
            "upgrades": upgrades, "lines": _lines(epsg_of)}


PLOT_COLUMNS = ("pk", "code", "zone_id", "status", as_float("declared_area_ha"), "hazard_class_max",
                "deal_lease", as_float("lease_price_kzt_ha_year"), "deal_sale",
                as_float("sale_price_kzt"), "deal_free_use", "rail_spur", "dist_rail_m",
                "dist_road_m", "dist_airport_m", "available_from", Cast("geometry", TextField()))


def _plot_columns(epsg_of: dict[int, int]) -> PlotColumns:
    """The plots' columns, read a chunk of rows at a time (each chunk's rows are dropped once
    they are arrays: the build's peak memory stays low)."""
    parts = [_plot_chunk(rows, epsg_of)
             for rows in _chunks(Plot.objects.order_by("pk").values_list(*PLOT_COLUMNS))]
    cols = {name: (sum((p[name] for p in parts), []) if name in ("code", "status")
                   else np.concatenate([p[name] for p in parts]))
            for name in parts[0]} if parts else _plot_chunk([], epsg_of)
    sectorset, sectorsets = _sectorsets(cols["id"])
    return PlotColumns(**cols, sectorset=sectorset, sectorsets=sectorsets)


def _plot_chunk(rows: list[tuple], epsg_of: dict[int, int]) -> dict[str, Any]:
    """Some rows of :data:`PLOT_COLUMNS` as the columns of :class:`PlotColumns`."""
    (pk, code, zone_id, status, area, hazard, lease, lease_price, sale, sale_price, free_use,
     rail_spur, rail, road, airport, available_from, text) = (
        zip(*rows, strict=True) if rows else ((),) * len(PLOT_COLUMNS))

    def number(values: tuple, offered: tuple | None = None) -> np.ndarray:
        out = np.array([np.nan if v is None else v for v in values], dtype=float)
        if offered is not None:  # a price counts only when the deal is offered
            out[~np.array(offered, dtype=bool)] = np.nan
        return out

    return {
        "id": np.array(pk, dtype=np.int64), "code": list(code),
        "zone_id": np.array(zone_id, dtype=np.int64), "status": list(status),
        "area_ha": number(area), "geometry": _plot_shapes(pk, zone_id, text, epsg_of),
        "hazard_class_max": np.array(hazard, dtype=np.int64),
        "lease_price_kzt_ha_year": number(lease_price, lease),
        "sale_price_kzt": number(sale_price, sale), "free_use": np.array(free_use, dtype=bool),
        "rail_spur": np.array(rail_spur, dtype=bool), "dist_rail_m": number(rail),
        "dist_road_m": number(road), "dist_airport_m": number(airport),
        "available_from": np.array([0 if d is None else _day(d) for d in available_from],
                                   dtype=np.int64),
    }


def _sectorsets(ids: np.ndarray) -> tuple[np.ndarray, list[tuple[str, ...]]]:
    """Each plot's (``ids``, sorted) permitted sectors as a position in the list of distinct
    sector lists, whose first is the empty one (any sector)."""
    rows = _rows(Plot.permitted_sectors.through.objects.order_by("plot_id", "sector_id")
                 .values_list("plot_id", "sector_id"))
    sets: dict[tuple[str, ...], int] = {(): 0}
    sectorset = np.zeros(ids.size, dtype=np.int64)
    if rows:
        plot_ids, codes = zip(*rows, strict=True)
        owner = np.array(plot_ids, dtype=np.int64)
        start = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]).tolist()
        keys = [sets.setdefault(codes[lo:hi], len(sets))
                for lo, hi in zip(start, [*start[1:], owner.size], strict=True)]
        sectorset[np.searchsorted(ids, owner[start])] = keys
    return sectorset, list(sets)


def _lines(epsg_of: dict[int, int]) -> list[LineLink]:
    rows = _rows(UtilityLine.objects.values_list(
        "pk", "code", "kind", "status", "planned_completion", as_float("connection_fixed_cost_kzt"),
        as_float("connection_cost_per_km_kzt"), "connection_lead_days", "source_id", "zone_id",
        Cast("geometry", TextField())))
    shapes = _metric([r[9] for r in rows], [r[10] for r in rows], epsg_of)
    existing = UtilityLine.Status.EXISTING
    return [LineLink(
        id=pk, code=code, kind=kind, status=status,
        completion=dt.date.fromordinal(_day(completion))
        if status != existing and completion is not None else None,
        fixed_cost_kzt=fixed, cost_per_km_kzt=per_km, lead_days=lead, source_id=source_id,
        geometry=shape,
    ) for (pk, code, kind, status, completion, fixed, per_km, lead, source_id, _, _), shape
        in zip(rows, shapes.tolist(), strict=True)]


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
