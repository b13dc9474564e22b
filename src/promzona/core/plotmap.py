"""A printed map of a plot in its surroundings (matplotlib, from our own vector data): the zone
outline, the town, shoreline, roads, rail and airport, the neighbouring plots, utility lines by
kind (solid existing, dashed under construction or planned) and sources, the plot highlighted,
a legend, a scale bar and a north arrow. Plain data in, PNG bytes out.

The same colours as the portal's map (``web/static/web/map.js``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from shapely.geometry import box, shape

from . import formats

KIND_COLOURS = {"power": "#d4a000", "water": "#1f78b4", "sewage": "#8c564b", "heat": "#e31a1c",
                "gas": "#6a3d9a"}
BASE_STYLES: dict[str, dict[str, Any]] = {
    "zone": {"color": "#0b5cad", "lw": 1.4, "ls": (0, (6, 4)), "fill": None},
    "town": {"color": "#b08d57", "lw": 0.8, "fill": "#efe6d4"},
    "shoreline": {"color": "#3a8dde", "lw": 2.2, "fill": None},
    "road": {"color": "#c0392b", "lw": 1.6, "fill": None},
    "rail": {"color": "#222222", "lw": 1.8, "ls": (0, (6, 3)), "fill": None},
    "airport": {"color": "#555555", "lw": 0.8, "fill": "#d5d5d5"},
}
#: The least the map shows around the plot, metres each side (a 1 ha plot alone says little).
MIN_CONTEXT_M = 700
NICE_LENGTHS_M = (50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000)


def _parts(geom):
    return getattr(geom, "geoms", [geom])


def _draw(ax, geom, *, color, lw=1.0, ls="-", fill=None, alpha=1.0, zorder=1):
    for part in _parts(geom):
        if part.geom_type == "Polygon":
            x, y = part.exterior.xy
            if fill:
                ax.fill(x, y, color=fill, alpha=alpha, lw=0, zorder=zorder)
            ax.plot(x, y, color=color, lw=lw, ls=ls, zorder=zorder + 0.1)
        elif part.geom_type == "LineString":
            ax.plot(*part.xy, color=color, lw=lw, ls=ls, zorder=zorder)
        elif part.geom_type == "Point":
            ax.plot(part.x, part.y, marker="o", ms=4, color=color, zorder=zorder)


def scale_length_m(span_m: float) -> int:
    """A round length for a scale bar about a fifth of ``span_m`` wide.

    >>> scale_length_m(3000), scale_length_m(800), scale_length_m(60000)
    (500, 100, 10000)
    """
    target = span_m / 5
    return max((n for n in NICE_LENGTHS_M if n <= target), default=NICE_LENGTHS_M[0])


def plot_map_png(plot: Mapping[str, Any], *, plots: list[Mapping[str, Any]] = (),
                 base: list[Mapping[str, Any]] = (), lines: list[Mapping[str, Any]] = (),
                 sources: list[Mapping[str, Any]] = (), labels: Mapping[str, str],
                 lang: str = "en", size_mm: tuple[float, float] = (180, 100),
                 dpi: int = 160) -> bytes:
    """PNG bytes of ``plot`` (a GeoJSON feature with ``properties.code``) among the other
    GeoJSON features: ``plots`` (neighbours), ``base`` (``properties.kind`` zone, town,
    shoreline, road, rail, airport), ``lines`` (``kind``, ``status``) and ``sources``
    (``kind``, ``code``). ``labels`` names the legend entries in the reader's language: the
    keys ``plot``, ``plots``, ``zone``, ``existing``, ``planned``, ``m``, ``km``, ``north`` and
    each utility kind."""
    focus = shape(plot["geometry"])
    lat = focus.centroid.y
    m_per_deg_lat = 111_320.0
    m_per_deg_lon = m_per_deg_lat * max(0.2, math.cos(math.radians(lat)))
    width_in, height_in = size_mm[0] / 25.4, size_mm[1] / 25.4
    # The view: the plot with at least MIN_CONTEXT_M around it, shaped like the picture.
    x0, y0, x1, y1 = focus.bounds
    half_w = max((x1 - x0) * m_per_deg_lon * 1.5, MIN_CONTEXT_M * 2) / 2
    half_h = max((y1 - y0) * m_per_deg_lat * 1.5, MIN_CONTEXT_M * 2) / 2
    if half_w / half_h < width_in / height_in:
        half_w = half_h * width_in / height_in
    else:
        half_h = half_w * height_in / width_in
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    view = box(cx - half_w / m_per_deg_lon, cy - half_h / m_per_deg_lat,
               cx + half_w / m_per_deg_lon, cy + half_h / m_per_deg_lat)

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_facecolor("#fbfbf8")
    for f in base:
        g = shape(f["geometry"])
        if g.intersects(view):
            style = dict(BASE_STYLES.get(f["properties"].get("kind"), {"color": "#999", "lw": 0.8}))
            _draw(ax, g, color=style["color"], lw=style["lw"], ls=style.get("ls", "-"),
                  fill=style.get("fill"), alpha=0.8, zorder=1)
    for f in plots:
        g = shape(f["geometry"])
        if g.intersects(view) and not g.equals(focus):
            _draw(ax, g, color="#7a7a7a", lw=0.6, fill="#dcdcdc", alpha=0.9, zorder=2)
            c = g.representative_point()
            if view.contains(c):
                ax.text(c.x, c.y, str(f["properties"].get("code", "")), fontsize=5.5,
                        ha="center", va="center", color="#444", zorder=6, parse_math=False)
    for f in lines:
        g = shape(f["geometry"])
        if g.intersects(view):
            p = f["properties"]
            _draw(ax, g, color=KIND_COLOURS.get(p.get("kind"), "#555"), lw=1.6,
                  ls="-" if p.get("status") == "existing" else (0, (4, 2.5)), zorder=4)
    for f in sources:
        g = shape(f["geometry"])
        if view.contains(g):
            p = f["properties"]
            ax.plot(g.x, g.y, marker="s", ms=6, mec="#222", mew=0.6, zorder=5,
                    color=KIND_COLOURS.get(p.get("kind"), "#555"))
            ax.annotate(str(p.get("code", "")), (g.x, g.y), xytext=(4, 3),
                        textcoords="offset points", fontsize=6, zorder=6, parse_math=False)
    _draw(ax, focus, color="#7f0000", lw=1.6, fill="#e41a1c", alpha=0.85, zorder=7)
    c = focus.representative_point()
    ax.text(c.x, c.y, str(plot["properties"].get("code", "")), fontsize=8, ha="center",
            va="center", color="white", weight="bold", zorder=8, parse_math=False)  # "$": text

    vx0, vy0, vx1, vy1 = view.bounds
    ax.set_xlim(vx0, vx1)
    ax.set_ylim(vy0, vy1)
    ax.set_aspect(m_per_deg_lat / m_per_deg_lon)
    ax.set_xticks([])
    ax.set_yticks([])
    _scale_bar(ax, view, m_per_deg_lon, labels, lang)
    _north_arrow(ax, labels["north"])
    kinds = sorted({f["properties"].get("kind") for f in lines if shape(f["geometry"]).intersects(view)}
                   & set(KIND_COLOURS), key=list(KIND_COLOURS).index)
    handles = [Patch(facecolor="#e41a1c", edgecolor="#7f0000", label=labels["plot"]),
               Patch(facecolor="#dcdcdc", edgecolor="#7a7a7a", label=labels["plots"]),
               Line2D([], [], color=BASE_STYLES["zone"]["color"], ls=(0, (6, 4)), label=labels["zone"])]
    handles += [Line2D([], [], color=KIND_COLOURS[k], lw=1.6, label=labels[k]) for k in kinds]
    if kinds:
        handles += [Line2D([], [], color="#444", lw=1.4, label=labels["existing"]),
                    Line2D([], [], color="#444", lw=1.4, ls=(0, (4, 2.5)), label=labels["planned"])]
    ax.legend(handles=handles, loc="upper left", fontsize=6, frameon=True, framealpha=0.9)
    for spine in ax.spines.values():
        spine.set_color("#9aa5b1")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def _scale_bar(ax, view, m_per_deg_lon: float, labels: Mapping[str, str], lang: str) -> None:
    vx0, vy0, vx1, vy1 = view.bounds
    span_m = (vx1 - vx0) * m_per_deg_lon
    length = scale_length_m(span_m)
    x_end = vx1 - (vx1 - vx0) * 0.04
    x_start = x_end - length / m_per_deg_lon
    y = vy0 + (vy1 - vy0) * 0.06
    ax.plot([x_start, x_end], [y, y], color="#111", lw=3, solid_capstyle="butt", zorder=9)
    ax.plot([x_start, (x_start + x_end) / 2], [y, y], color="white", lw=1.4,
            solid_capstyle="butt", zorder=10)
    text = (f"{formats.number(length / 1000, lang, digits=1, trim=True)}{formats.NBSP}{labels['km']}"
            if length >= 1000 else f"{length}{formats.NBSP}{labels['m']}")
    ax.text((x_start + x_end) / 2, y + (vy1 - vy0) * 0.025, text, fontsize=6.5, ha="center",
            va="bottom", zorder=10, parse_math=False,
            bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 1})


def _north_arrow(ax, north: str) -> None:
    ax.annotate(north, xy=(0.965, 0.93), xytext=(0.965, 0.80), xycoords="axes fraction",
                ha="center", va="center", fontsize=7, weight="bold", zorder=10, parse_math=False,
                arrowprops={"arrowstyle": "-|>", "color": "#111", "lw": 1.2})
