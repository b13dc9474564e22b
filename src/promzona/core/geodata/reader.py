"""What runs in the child process that reads an upload (started by :mod:`.sandbox` only).

The child starts with an environment in which GDAL has only the declared format's driver and
no network or side files, and gets a JSON request on stdin. :func:`main` makes it die with its
parent, leaves the network when the kernel lets it, limits its own CPU time, memory and file
sizes, then :func:`read` reads one layer, refuses it beyond the size limits, transforms the
geometries to WGS 84, and the answer (the table, or why it is refused) is written as JSON to
the file the request names. The child never sees Django, the settings or the server's
environment.
"""

from __future__ import annotations

import base64
import ctypes
import json
import os
import resource
import signal
import sys
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely

from .files import MIB, FileRefused, gettext_noop, parse_crs, to_wgs84

MAX_REQUEST_BYTES = 1_000_000
WKT_NAMES = ("wkt", "geometry", "geom", "the_geom", "геометрия")
LON_NAMES = ("lon", "long", "lng", "longitude", "x", "долгота")
LAT_NAMES = ("lat", "latitude", "y", "широта")
TABULAR = ("CSV", "XLSX")
PR_SET_PDEATHSIG = 1
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def _column(names: list[str], wanted: tuple[str, ...]) -> str | None:
    lowered = {n.lower().strip(): n for n in names}
    return next((lowered[w] for w in wanted if w in lowered), None)


def _geometry_columns(names: list[str]) -> set[str]:
    return {c for c in (_column(names, WKT_NAMES), _column(names, LON_NAMES),
                        _column(names, LAT_NAMES)) if c}


def _geometries_from_columns(columns: dict[str, np.ndarray], names: list[str]) -> np.ndarray:
    wkt = _column(names, WKT_NAMES)
    if wkt:
        text = np.array([str(v) if v not in (None, "") else None for v in columns[wkt]],
                        dtype=object)
        return shapely.from_wkt(text, on_invalid="ignore")
    lon, lat = _column(names, LON_NAMES), _column(names, LAT_NAMES)
    if lon and lat:
        try:
            x = np.asarray(columns[lon], dtype=float)
            y = np.asarray(columns[lat], dtype=float)
        except (TypeError, ValueError) as exc:
            raise FileRefused(gettext_noop("The longitude/latitude columns hold values that "
                                           "are not numbers.")) from exc
        return shapely.points(x, y)
    raise FileRefused(gettext_noop(
        "The table has neither a WKT column (wkt, geometry) nor longitude/latitude columns "
        "(lon/lat, x/y, долгота/широта)."))


def _layer_to_read(path: str, layer: str | None) -> str | None:
    """``layer``, or the file's only one; a file with several layers and none named is refused
    with their names."""
    names = [str(x) for x in pyogrio.list_layers(path)[:, 0]]
    shown = ", ".join(names[:20]) + (" …" if len(names) > 20 else "")
    if layer is None and len(names) > 1:
        raise FileRefused(gettext_noop("The file has %(n)s layers (%(layers)s); name the one "
                                       "to import."),
                          n=len(names), layers=shown, details={"layers": names[:200]})
    if layer is not None and layer not in names:
        raise FileRefused(gettext_noop("The file has no layer %(layer)s; its layers: "
                                       "%(layers)s."),
                          layer=repr(layer)[:60], layers=shown, details={"layers": names[:200]})
    return layer if layer is not None else (names[0] if names else None)


def _check_size(geoms: np.ndarray, limits: dict[str, int]) -> None:
    vertices = shapely.get_num_coordinates(geoms)
    big = np.flatnonzero(vertices > limits["max_vertices"])
    if big.size:
        raise FileRefused(gettext_noop("Feature %(row)s has %(n)s vertices; at most %(max)s are "
                                       "accepted per geometry."),
                          row=int(big[0]) + 1, n=int(vertices[big[0]]), max=limits["max_vertices"])
    total = int(vertices.sum())
    if total > limits["max_total_vertices"]:
        raise FileRefused(gettext_noop("The layer has %(n)s vertices in all; at most %(max)s are "
                                       "accepted per file."),
                          n=total, max=limits["max_total_vertices"])


def read(request: dict[str, Any]) -> dict[str, Any]:
    """Read the requested layer into plain JSON: WKB (base64, WGS 84) and column values."""
    path, driver, limits = request["path"], request["driver"], request["limits"]
    if set(pyogrio.list_drivers()) != {driver}:  # fail closed if GDAL kept other drivers
        raise FileRefused(gettext_noop("This server cannot read %(driver)s files safely."),
                          driver=driver)
    tabular = driver in TABULAR
    try:
        layer = _layer_to_read(path, request.get("layer"))
        kwargs: dict[str, Any] = {"layer": layer, "max_features": limits["max_features"] + 1,
                                  "datetime_as_string": True}
        if tabular:
            kwargs["read_geometry"] = False
        if driver == "XLSX":
            kwargs.update(HEADERS="FORCE", FIELD_TYPES="STRING")
        meta, _fids, wkb, field_data = pyogrio.raw.read(path, **kwargs)
    except (FileRefused, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - GDAL fails in many ways on a hostile file
        if "memory" in str(exc).lower():
            raise MemoryError(str(exc)) from exc
        reason = str(exc).replace(os.path.dirname(path) + os.sep, "")  # no server paths
        raise FileRefused(gettext_noop("The file cannot be read as a GIS dataset: %(reason)s"),
                          reason=reason[:300]) from exc
    names = [str(n) for n in meta["fields"]]
    columns = dict(zip(names, field_data, strict=True))
    count = len(wkb) if wkb is not None else (len(field_data[0]) if field_data else 0)
    if count > limits["max_features"]:
        raise FileRefused(gettext_noop("The layer has more than %(max)s features; at most "
                                       "%(max)s are accepted per file."),
                          max=limits["max_features"])
    if tabular:
        geoms = _geometries_from_columns(columns, names)
    elif wkb is None:
        raise FileRefused(gettext_noop("The layer has no geometry."))
    else:
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    _check_size(geoms, limits)
    crs = request.get("crs") or meta.get("crs")
    if not crs:
        raise FileRefused(gettext_noop(
            "The file does not say which coordinate reference system it uses; name it (for "
            "example EPSG:4326 or EPSG:32643)."), field="crs")
    source = parse_crs(crs)
    geoms = to_wgs84(geoms, source)
    return {
        "layer": str(layer or ""), "crs": source.to_string(),
        "fields": [n for n in names if n not in _geometry_columns(names)] if tabular else names,
        "columns": {n: [_json_value(v) for v in col.tolist()] for n, col in columns.items()},
        "wkb": [None if w is None else base64.b64encode(w).decode("ascii")
                for w in shapely.to_wkb(geoms)],
    }


def _json_value(v: Any) -> Any:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() == 1:  # the parent is already gone
        sys.exit(1)


def _leave_network() -> bool:
    """Move into a new, empty network namespace; possible for root or where unprivileged user
    namespaces are allowed. Elsewhere GDAL's own switches (see :mod:`.sandbox`) remain."""
    return ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0


def _limit_self(limits: dict[str, Any]) -> None:
    memory = int(limits["memory_mib"]) * MIB
    cpu = int(limits["cpu_seconds"])
    for kind, soft, hard in ((resource.RLIMIT_AS, memory, memory),
                             (resource.RLIMIT_FSIZE, memory, memory),
                             (resource.RLIMIT_CPU, cpu, cpu + 1),
                             (resource.RLIMIT_CORE, 0, 0),
                             (resource.RLIMIT_NOFILE, 256, 256)):
        resource.setrlimit(kind, (soft, hard))


def main() -> int:
    request = json.loads(sys.stdin.buffer.read(MAX_REQUEST_BYTES))
    _die_with_parent()
    isolated = bool(request.get("isolate_network")) and _leave_network()
    _limit_self(request["limits"])
    try:
        answer: dict[str, Any] = {"table": read(request)}
    except FileRefused as exc:
        answer = {"refused": {"template": exc.template, "params": exc.params,
                              "field": exc.field, "details": exc.details}}
    except MemoryError:
        answer = {"limit": "memory"}
    answer["network_isolated"] = isolated
    with open(request["answer"], "x", encoding="utf-8") as out:
        json.dump(answer, out)
    return 0
