"""Connecting a plot to the utility networks: the nearest line of each kind and status, what
connecting costs and when it can be ready.

Plain data in, plain data out; geometries are shapely objects in one metric CRS (metres).

>>> import datetime as dt
>>> from shapely import LineString, box
>>> line = LineLink(id=1, code="PW-1", kind="power", status="existing", completion=None,
...                 fixed_cost_kzt=1_000_000, cost_per_km_kzt=10_000_000, lead_days=90,
...                 source_id=7, geometry=LineString([(0, 500), (1000, 500)]))
>>> [c] = connection_options(box(0, 0, 100, 100), [line], today=dt.date(2027, 1, 1))["power"]
>>> c.distance_m, c.cost_kzt, c.ready_on.isoformat()
(400.0, 5000000.0, '2027-04-01')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

STATUS_ORDER = ("existing", "under_construction", "planned")


@dataclass(frozen=True)
class LineLink:
    """What connecting needs to know of a utility line."""

    id: int
    code: str
    kind: str
    status: str  # existing | under_construction | planned
    completion: dt.date | None  # planned completion; None for existing lines
    fixed_cost_kzt: float
    cost_per_km_kzt: float
    lead_days: int
    source_id: int | None
    geometry: Any  # shapely geometry in metres


@dataclass(frozen=True)
class Connection:
    """Connecting one plot to one line."""

    line: LineLink
    distance_m: float
    cost_kzt: float
    ready_on: dt.date  # the line is there (completion or today) plus the connection lead time


def connection_cost(line: LineLink, distance_m: float) -> float:
    """Fixed cost plus cost per km times the distance from the plot boundary."""
    return float(line.fixed_cost_kzt) + float(line.cost_per_km_kzt) * distance_m / 1000.0


def ready_on(line: LineLink, today: dt.date) -> dt.date:
    base = today if line.completion is None or line.completion < today else line.completion
    return base + dt.timedelta(days=int(line.lead_days))


def connection_options(
    plot_geometry: Any, lines: list[LineLink], *, today: dt.date
) -> dict[str, list[Connection]]:
    """For each utility kind, the nearest line of each status, nearest first.

    An existing line a little farther away may still beat a nearer planned one on time; the
    caller (the passport, the matcher) decides which option serves.
    """
    if not lines:
        return {}
    distances = shapely.distance(plot_geometry, np.array([ln.geometry for ln in lines], dtype=object))
    best: dict[tuple[str, str], tuple[float, LineLink]] = {}
    for ln, d in zip(lines, distances, strict=True):
        key = (ln.kind, ln.status)
        if key not in best or (d, ln.id) < (best[key][0], best[key][1].id):
            best[key] = (float(d), ln)
    out: dict[str, list[Connection]] = {}
    for (kind, _status), (d, ln) in sorted(best.items(), key=lambda kv: (kv[0][0], kv[1][0])):
        out.setdefault(kind, []).append(
            Connection(line=ln, distance_m=d, cost_kzt=connection_cost(ln, d), ready_on=ready_on(ln, today))
        )
    return out
