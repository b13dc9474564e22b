"""Geometry in WGS 84 (lon, lat), validated with shapely and measured in a metric CRS.

Storage is portable GeoJSON plus a bounding box; measurement projects to the UTM zone of the
geometry (EPSG:326xx / 327xx), so areas and distances are in metres wherever the zone is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from .errors import GeometryError, gettext_noop

POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
POINT = ("Point",)
#: Most vertices one geometry may have, on every input path (admin, import, API): a cadastral
#: polygon has tens to hundreds; a million would weigh megabytes on every page that shows it.
MAX_VERTICES = 10_000
#: Survey noise tolerated on a zone's boundary, in degrees (about a metre).
BOUNDARY_TOLERANCE_DEG = 1e-5


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def of(cls, geom: BaseGeometry) -> BBox:
        return cls(*(float(v) for v in geom.bounds))

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.min_lon, self.min_lat, self.max_lon, self.max_lat)


def _fmt(x: float, y: float) -> str:
    return f"{x:.4f} {y:.4f}"


def _check_coordinates(geom: BaseGeometry) -> None:
    coords = shapely.get_coordinates(geom)
    if coords.size == 0:
        raise GeometryError(gettext_noop("The geometry is empty."))
    if not np.isfinite(coords).all():
        raise GeometryError(gettext_noop("The geometry has coordinates that are not numbers."))
    bad = (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    if bad.any():
        x, y = coords[bad][0]
        if np.abs(coords).max() > 1000:
            raise GeometryError(gettext_noop(
                "Coordinates look projected (metres), not WGS 84 degrees: %(where)s."),
                params={"where": _fmt(x, y)})
        raise GeometryError(gettext_noop("Coordinates out of range for WGS 84 (lon, lat): "
                                         "%(where)s."), params={"where": _fmt(x, y)})


def check_size(geom: BaseGeometry) -> BaseGeometry:
    """Refuse a geometry with more than :data:`MAX_VERTICES` vertices."""
    n = shapely.get_num_coordinates(geom)
    if n > MAX_VERTICES:
        raise GeometryError(gettext_noop("The geometry has %(n)s vertices; at most %(max)s are "
                                         "accepted."), params={"n": n, "max": MAX_VERTICES})
    return geom


def parse_geojson(data: Any, *, allowed: tuple[str, ...]) -> BaseGeometry:
    """Parse a GeoJSON geometry (dict or Feature) and check its type and coordinates."""
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or "type" not in data:
        raise GeometryError(gettext_noop("Expected a GeoJSON geometry object with a 'type'."))
    if data["type"] not in allowed:
        raise GeometryError(gettext_noop("Expected a geometry of type %(allowed)s, got %(got)s."),
                            params={"allowed": " | ".join(allowed), "got": f"{data['type']!s:.40}"})
    try:
        geom = shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise GeometryError(gettext_noop("Malformed GeoJSON coordinates: %(problem)s"),
                            params={"problem": str(exc)}) from exc
    if geom.is_empty:
        raise GeometryError(gettext_noop("The geometry is empty."))
    _check_coordinates(geom)
    return geom


def _open_ring_location(data: dict[str, Any]) -> str | None:
    polys = data["coordinates"] if data["type"] == "MultiPolygon" else [data["coordinates"]]
    for poly in polys:
        for ring in poly:
            if len(ring) < 4:
                return "a ring has fewer than 4 positions"
            if list(ring[0]) != list(ring[-1]):
                return f"ring not closed: starts at {_fmt(*ring[0][:2])}, ends at {_fmt(*ring[-1][:2])}"
    return None


def validate_polygon(data: Any) -> BaseGeometry:
    """A valid (Multi)Polygon with normalised orientation, or :class:`GeometryError` saying where.

    >>> validate_polygon({"type": "Polygon",
    ...     "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]})
    Traceback (most recent call last):
    ...
    promzona.core.errors.GeometryError: Invalid polygon: self-intersection at 0.5000 0.5000.
    """
    if isinstance(data, dict) and data.get("type") in POLYGONAL:
        try:
            problem = _open_ring_location(data)
        except (TypeError, IndexError, KeyError):
            problem = "malformed coordinates"
        if problem:
            raise GeometryError(gettext_noop("Invalid polygon: %(problem)s."),
                                params={"problem": problem})
    geom = check_size(parse_geojson(data, allowed=POLYGONAL))
    return normalise_polygon(geom)


def normalise_polygon(geom: BaseGeometry) -> BaseGeometry:
    """Check validity and orient exteriors counter-clockwise (RFC 7946)."""
    if not geom.is_valid:
        raise GeometryError(gettext_noop("Invalid polygon: %(problem)s."),
                            params={"problem": _explain(geom)})
    if geom.geom_type == "Polygon":
        return orient(geom, 1.0)
    return shapely.MultiPolygon([orient(p, 1.0) for p in geom.geoms])


def _explain(geom: BaseGeometry) -> str:
    text = explain_validity(geom)  # e.g. "Self-intersection[0.5 0.5]"
    if "[" in text and text.endswith("]"):
        reason, _, where = text[:-1].partition("[")
        try:
            x, y = (float(v) for v in where.split()[:2])
            return f"{reason.strip().lower()} at {_fmt(x, y)}"
        except ValueError:
            pass
    return text.lower()


def validate_line(data: Any) -> BaseGeometry:
    geom = check_size(parse_geojson(data, allowed=LINEAR))
    if not geom.is_valid or geom.length == 0:
        raise GeometryError(gettext_noop("Invalid line: it needs at least two distinct positions."))
    return geom


def validate_point(data: Any) -> BaseGeometry:
    return parse_geojson(data, allowed=POINT)


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON geometry dict with plain lists (JSON-serialisable)."""
    def listify(v: Any) -> Any:
        if isinstance(v, (tuple, list)):
            return [listify(x) for x in v]
        return float(v)

    m = mapping(geom)
    return {"type": m["type"], "coordinates": listify(m["coordinates"])}


def utm_epsg(lon: Any, lat: Any) -> Any:
    """EPSG code of the UTM zone containing (lon, lat): an int for numbers, an array of them for
    arrays. Karaganda (73.1 E, 49.8 N) is 32643.

    >>> utm_epsg(73.1, 49.8), utm_epsg(np.array([73.1, -70.0]), np.array([49.8, -33.4])).tolist()
    (32643, [32643, 32719])
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    zone = np.clip(np.floor((lon + 180) / 6) + 1, 1, 60).astype(np.int64)
    epsg = np.where(lat >= 0, 32600, 32700) + zone
    return int(epsg) if epsg.ndim == 0 else epsg


@lru_cache(maxsize=64)
def _to_metric(epsg: int) -> Transformer:
    return Transformer.from_crs(4326, epsg, always_xy=True)


def project(geom: Any, epsg: int) -> Any:
    """A geometry (or each of an array) from WGS 84 into ``epsg``'s metres."""
    transformer = _to_metric(epsg)

    def fn(coords: np.ndarray) -> np.ndarray:
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, fn)


def metric_epsg_for(geom: Any) -> Any:
    """The UTM zone (EPSG) of a geometry's centroid (an int), or of each of an array."""
    c = shapely.centroid(geom)
    return utm_epsg(shapely.get_x(c), shapely.get_y(c))


def area_ha(geoms: Any, *, epsg: int | None = None) -> Any:
    """Area in hectares of a geometry (a float) or of each of an array, measured in its UTM
    zone (or ``epsg``); an array is projected a zone at a time."""
    arr = np.asarray(geoms, dtype=object)
    flat = arr.reshape(-1)
    out = np.zeros(flat.size)
    if flat.size:
        zones = np.full(flat.size, epsg) if epsg else np.asarray(metric_epsg_for(flat))
        for zone in np.unique(zones).tolist():
            rows = zones == zone
            out[rows] = shapely.area(project(flat[rows], zone)) / 10_000.0
    return float(out[0]) if arr.ndim == 0 else out


def area_mismatch(declared_ha: float | None, computed_ha: float, *, tolerance: float = 0.05) -> bool:
    """True when the declared area differs from the computed one by more than ``tolerance``."""
    return bool(area_mismatches([declared_ha], [computed_ha], tolerance=tolerance)[0])


def area_mismatches(declared_ha: Sequence[float | None], computed_ha: Sequence[float], *,
                    tolerance: float = 0.05) -> np.ndarray:
    """:func:`area_mismatch` of many plots at once (no declared area, or none above zero, is no
    mismatch)."""
    declared = np.array([np.nan if d is None else d for d in declared_ha], dtype=float)
    computed = np.asarray(computed_ha, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (declared > 0) & (np.abs(declared - computed) / declared > tolerance)


def distance_m(a: BaseGeometry, b: BaseGeometry, *, epsg: int | None = None) -> float:
    """Shortest distance in metres between two geometries (0 when they touch)."""
    epsg = epsg or metric_epsg_for(a)
    return float(project(a, epsg).distance(project(b, epsg)))


def prepare_polygon(geom: BaseGeometry | None, *, repair: bool = False) -> BaseGeometry:
    """An imported shapely geometry checked like :func:`validate_polygon`, optionally repaired.

    Repair (``make_valid``, keeping the polygonal parts) happens only when asked; otherwise an
    invalid polygon is refused with the reason and its location.
    """
    if geom is None or geom.is_empty:
        raise GeometryError(gettext_noop("The row has no readable geometry."))
    if geom.geom_type not in POLYGONAL:
        raise GeometryError(gettext_noop("Expected a Polygon or MultiPolygon, got %(got)s."),
                            params={"got": geom.geom_type})
    if geom.has_z:
        geom = shapely.force_2d(geom)
    if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
        geom = geom.geoms[0]
    check_size(geom)
    _check_coordinates(geom)
    if not geom.is_valid and repair:
        fixed = shapely.make_valid(geom)
        parts = [g for g in getattr(fixed, "geoms", [fixed]) if g.geom_type in POLYGONAL]
        polys = [p for g in parts for p in getattr(g, "geoms", [g])]
        if not polys:
            raise GeometryError(gettext_noop("Invalid polygon that cannot be repaired: %(problem)s."),
                                params={"problem": _explain(geom)})
        geom = polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
    return normalise_polygon(geom)


def prepare_polygons(geoms: np.ndarray, *, repair: bool = False) -> list[Any]:
    """:func:`prepare_polygon` over many geometries: each item is the prepared polygon or the
    :class:`GeometryError` refusing it. Plain valid 2D polygons in range are checked and oriented
    in vectorised passes; every other geometry goes through :func:`prepare_polygon` itself."""
    arr = np.asarray(geoms, dtype=object)
    arr = np.where([isinstance(g, BaseGeometry) for g in arr], arr, None) if len(arr) else arr
    fast = ((shapely.get_type_id(arr) == 3) & ~shapely.is_empty(arr) & ~shapely.has_z(arr)
            & (shapely.get_num_coordinates(arr) <= MAX_VERTICES))
    fast[fast] = shapely.is_valid(arr[fast])
    coords, row = shapely.get_coordinates(arr[fast], return_index=True)
    bad = ~np.isfinite(coords).all(axis=1) | (np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)
    fast[np.nonzero(fast)[0][np.unique(row[bad])]] = False
    out: list[Any] = list(arr)
    for i, g in zip(np.nonzero(fast)[0], shapely.orient_polygons(arr[fast]), strict=True):
        out[i] = g
    for i in np.nonzero(~fast)[0]:
        try:
            out[i] = prepare_polygon(arr[i], repair=repair)
        except GeometryError as exc:
            out[i] = exc
    return out


def geojson_many(geoms: np.ndarray) -> list[dict[str, Any]]:
    """:func:`to_geojson` of many geometries: simple polygons sliced from one coordinate array,
    the others one by one."""
    arr = np.asarray(geoms, dtype=object)
    simple = (shapely.get_type_id(arr) == 3) & (shapely.get_num_interior_rings(arr) == 0)
    coords, row = shapely.get_coordinates(arr[simple], return_index=True)
    flat = coords.tolist()
    ends = np.searchsorted(row, np.arange(int(simple.sum()) + 1)).tolist()
    out: list[dict[str, Any]] = []
    k = 0
    for g, s in zip(arr, simple.tolist(), strict=True):
        if s:
            out.append({"type": "Polygon", "coordinates": [flat[ends[k]:ends[k + 1]]]})
            k += 1
        else:
            out.append(to_geojson(g))
    return out


def nearest_distances_m(origins: np.ndarray, targets: list[BaseGeometry], epsg: int) -> np.ndarray:
    """For each origin, the distance in metres to the nearest target (NaN when none)."""
    if not targets or not len(origins):
        return np.full(len(origins), np.nan)
    o = project(origins, epsg)
    best = np.full(len(origins), np.inf)
    for t in targets:
        best = np.minimum(best, shapely.distance(o, project(t, epsg)))
    return best


def zone_cover(zone: BaseGeometry) -> BaseGeometry:
    """The zone widened by :data:`BOUNDARY_TOLERANCE_DEG`: a plot lies inside its zone when this
    covers it (build it once to check many plots)."""
    return zone.buffer(BOUNDARY_TOLERANCE_DEG)


@dataclass(frozen=True)
class PlotMeasures:
    """What a plot's shape gives: its area, whether the declared area is off by more than 5%,
    and the distance in metres to the nearest target of each kind (``None`` without one)."""

    computed_area_ha: float
    area_mismatch: bool
    distances_m: dict[str, float | None]


def plot_measures(shapes: np.ndarray, declared_ha: list[float | None],
                  targets: dict[str, list[BaseGeometry]], epsg: int,
                  computed_ha: np.ndarray | None = None) -> list[PlotMeasures]:
    """The :class:`PlotMeasures` of each shape (vectorised; distances measured in ``epsg``;
    ``computed_ha``: the areas when the caller has measured them already).

    >>> sq = shapely.box(10.0, 50.0, 10.001, 50.001)
    >>> m, = plot_measures(np.array([sq], dtype=object), [8.0], {"rail": []}, 32632)
    >>> round(m.computed_area_ha, 1), m.area_mismatch, m.distances_m
    (0.8, True, {'rail': None})
    """
    computed = area_ha(shapes) if computed_ha is None else computed_ha
    dists = {kind: [None if math.isnan(d) else d
                    for d in nearest_distances_m(shapes, found, epsg).tolist()]
             for kind, found in targets.items()}  # as Python lists: no numpy scalar per plot
    mismatch = area_mismatches(declared_ha, computed).tolist()
    return [
        PlotMeasures(area, mismatch[i], {k: d[i] for k, d in dists.items()})
        for i, area in enumerate(np.asarray(computed, dtype=float).tolist())
    ]
