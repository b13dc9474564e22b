"""The nearest line of every group to every plot of the group's zone, in bulk.

For each plot and each group of lines (one source, one status) of its zone, the line at the
least distance (GEOS ``distance``, metres) within ``max_distance``; equidistant lines: the lowest
line index. The same answer as an STRtree nearest query per group, found with arrays:

1. bounds — a plot lies within ``R`` (half its bounding box's diagonal) of its box's centre
   ``m``, so ``d(m, line) − R ≤ d(plot, line) ≤ d(m, line) + R``; ``d(m, ·)`` is computed for
   every segment of the zone's lines at once (numpy, a block of plots at a time);
2. candidates — the lines whose lower bound is within reach of the group's best upper bound
   (and of ``max_distance``): usually one or two per plot and group;
3. exact distances of the candidates only (``shapely.distance``, the distance GEOS gives).

A line with a part that is not linear (a polygon drawn as a line) has no segments to bound:
it is a candidate of every plot of its zone.
"""

from __future__ import annotations

import numpy as np
import shapely

SLACK_M = 1e-3  # metres of rounding in the bounds, plus a share of the coordinates (see below)
BLOCK = 1 << 18  # plot × segment distances computed at once (1 MiB of float32)
LINEAR = (shapely.GeometryType.POINT, shapely.GeometryType.LINESTRING,
          shapely.GeometryType.LINEARRING)


def _segments(lines: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every segment of ``lines`` as (start xy, end xy, line index), a one-point part being a
    segment of length 0; and the mask of lines with a part that is not linear."""
    parts, part_line = shapely.get_parts(lines, return_index=True)
    linear = np.isin(shapely.get_type_id(parts), LINEAR)
    wild = np.zeros(lines.size, dtype=bool)
    wild[part_line[~linear]] = True
    xy, part = shapely.get_coordinates(parts[linear], return_index=True)
    owner = part_line[linear]
    same = part[1:] == part[:-1]
    single = np.flatnonzero(np.bincount(part, minlength=owner.size) == 1)
    first = np.searchsorted(part, single)
    seg_line = owner[np.concatenate([part[:-1][same], part[first]])]
    order = np.argsort(seg_line, kind="stable")  # in line order
    a = np.concatenate([xy[:-1][same], xy[first]])[order]
    b = np.concatenate([xy[1:][same], xy[first]])[order]
    return a, b, seg_line[order], wild


def _candidates(centre: np.ndarray, radius: np.ndarray, a: np.ndarray, b: np.ndarray,
                group_start: np.ndarray, max_distance: float
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plot, segment, lower bound) of the pairs whose lower bound may reach the group's
    nearest line, in plot then segment order (the bound less the slack: safe). Segments are
    sorted by group; ``group_start``: where each group's run begins. Coordinates are local
    (near 0), so float32 is precise to a few centimetres per 100 km: the slack covers it."""
    f = np.float32
    slack = SLACK_M + 1e-6 * float(np.abs(np.concatenate([centre, a, b])).max(initial=0.0))
    u = (b - a).astype(f)
    length2 = np.einsum("ij,ij->i", u, u)
    inv = np.divide(1.0, length2, out=np.zeros_like(length2), where=length2 > 0)
    ax, ay, ux, uy = a[:, 0].astype(f), a[:, 1].astype(f), u[:, 0].copy(), u[:, 1].copy()
    cx, cy, rad = centre[:, 0].astype(f), centre[:, 1].astype(f), radius.astype(f)
    step = max(1, BLOCK // max(a.shape[0], 1))
    per_group = np.diff(np.r_[group_start, a.shape[0]])
    out_p, out_s, out_d = [], [], []
    for lo in range(0, centre.shape[0], step):
        dx = cx[lo:lo + step, None] - ax
        dy = cy[lo:lo + step, None] - ay
        t = dx * ux
        t += dy * uy
        t *= inv
        np.clip(t, 0.0, 1.0, out=t)
        dx -= t * ux
        dy -= t * uy
        dx *= dx
        dy *= dy
        d2 = np.add(dx, dy, out=dx)  # squared: a root only for each group's least and the pairs
        r = rad[lo:lo + step, None]
        # d − r ≤ min(least + r, max_distance) + slack, squared (both sides are not negative)
        reach = np.sqrt(np.minimum.reduceat(d2, group_start, axis=1))
        reach += 2 * r + slack
        np.minimum(reach, max_distance + r + slack, out=reach)
        reach *= reach
        p, s = np.nonzero(d2 <= np.repeat(reach, per_group, axis=1))
        out_p.append(p + lo)
        out_s.append(s)
        out_d.append(np.sqrt(d2[p, s]) - rad[p + lo])
    return (np.concatenate(out_p), np.concatenate(out_s),
            np.concatenate(out_d).astype(float) - slack)


def nearest_lines(plots: np.ndarray, plot_zone: np.ndarray, lines: np.ndarray,
                  line_group: np.ndarray, group_zone: np.ndarray, max_distance: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(plot, group, line, distance) of each plot's nearest line per group of its zone within
    ``max_distance``, sorted by plot then line. ``plots``/``lines``: shapely geometries in
    metres; ``plot_zone``/``group_zone``: zone positions (−1: none); ``line_group``: the group
    of each line."""
    a, b, seg_line, wild = _segments(lines)
    bounds = shapely.bounds(plots).reshape(-1, 4)
    centre = (bounds[:, :2] + bounds[:, 2:]) / 2.0
    radius = np.hypot(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1]) / 2.0
    placed = np.isfinite(radius)  # empty geometries have no bounds and no nearest line
    found = []
    for zone in np.unique(group_zone[group_zone >= 0]):
        members = np.flatnonzero((plot_zone == zone) & placed)
        zone_lines = np.isin(line_group, np.flatnonzero(group_zone == zone))
        if members.size == 0 or not zone_lines.any():
            continue
        p, ln, low = _zone_candidates(members, centre, radius, a, b, seg_line,
                                      line_group, zone_lines & ~wild, max_distance)
        if (zone_lines & wild).any():  # every plot with every wild line, then back in order
            w = np.flatnonzero(zone_lines & wild)
            p = np.concatenate([p, np.repeat(members, w.size)])
            ln = np.concatenate([ln, np.tile(w, members.size)])
            low = np.concatenate([low, np.full(members.size * w.size, -np.inf)])  # no bound
            order = np.lexsort((ln, line_group[ln], p))
            p, ln, low = p[order], ln[order], low[order]
        found.append(_nearest(plots, lines, line_group, p, ln, low, max_distance))
        del p, ln, low  # a zone's candidates at a time: the build's peak memory stays low
    plot_i, group, line, dist = (np.concatenate([np.zeros(0, dtype=c[0].dtype), *c])
                                 for c in zip(*found, strict=True)) if found else (
        np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64),
        np.zeros(0))
    order = np.argsort(plot_i * lines.size + line, kind="stable")
    return plot_i[order], group[order], line[order], dist[order]


def _nearest(plots: np.ndarray, lines: np.ndarray, line_group: np.ndarray, plot_i: np.ndarray,
             line: np.ndarray, low: np.ndarray, max_distance: float
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Of the (plot, line) candidates with a lower bound of their distance each, in plot,
    group, line order (a line once per segment), the nearest line per plot and group within
    ``max_distance``: (plot, group, line, distance). GEOS measures first the candidate of
    least bound per plot and group, then only those whose bound does not exceed that distance:
    the others are farther than a line already found."""
    once = np.flatnonzero(_starts(plot_i, line))
    low = np.minimum.reduceat(low, once) if once.size else low  # a line's nearest segment
    plot_i, line = plot_i[once], line[once]
    run = _runs(plot_i, line_group[line])
    first = _least(low, run)
    dist = np.full(plot_i.size, np.inf)
    dist[first] = shapely.distance(plots[plot_i[first]], lines[line[first]])
    found = np.fmin(dist[first], max_distance)  # NaN (an empty line): no distance found
    rest = low <= found[run]
    rest[first] = False
    dist[rest] = shapely.distance(plots[plot_i[rest]], lines[line[rest]])
    near = dist <= max_distance  # NaN (an empty line) and never measured (inf) never are
    plot_i, line, dist = plot_i[near], line[near], dist[near]
    group = line_group[line]
    pick = _least(dist, _runs(plot_i, group))  # equidistant lines: the lowest
    return plot_i[pick], group[pick], line[pick], dist[pick]


def _least(values: np.ndarray, run: np.ndarray) -> np.ndarray:
    """Per run (``run``: each row's run number, from 0, ascending), the row of the least
    value; of equal values the first."""
    if values.size == 0:
        return np.zeros(0, dtype=np.int64)
    least = np.minimum.reduceat(values, np.flatnonzero(_starts(run)))
    hit = np.flatnonzero(values == least[run])
    return hit[_starts(run[hit])]


def _runs(*keys: np.ndarray) -> np.ndarray:
    """The number of each row's run of equal ``keys`` (consecutive rows), from 0."""
    return np.cumsum(_starts(*keys)) - 1


def _starts(*keys: np.ndarray) -> np.ndarray:
    """Where a run of equal ``keys`` (consecutive rows) begins, as a mask."""
    out = np.zeros(keys[0].size, dtype=bool)
    out[:1] = True
    for key in keys:
        out[1:] |= key[1:] != key[:-1]
    return out


def _zone_candidates(members: np.ndarray, centre: np.ndarray, radius: np.ndarray, a: np.ndarray,
                     b: np.ndarray, seg_line: np.ndarray, line_group: np.ndarray,
                     usable: np.ndarray, max_distance: float
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(plot, line, lower bound) candidates of one zone's plots (``members``) among the
    ``usable`` lines' segments, in plot, group, line order (a line once per segment)."""
    segs = np.flatnonzero(usable[seg_line])
    if segs.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    segs = segs[np.argsort(line_group[seg_line[segs]], kind="stable")]  # then by line
    seg_group = line_group[seg_line[segs]]
    starts = np.flatnonzero(np.r_[True, seg_group[1:] != seg_group[:-1]])
    origin = centre[members].min(axis=0)  # local coordinates: small numbers, small errors
    p, s, low = _candidates(centre[members] - origin, radius[members], a[segs] - origin,
                            b[segs] - origin, starts, max_distance)
    return members[p], seg_line[segs[s]], low
