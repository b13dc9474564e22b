"""The build plan drawn from our own data (matplotlib, no pyplot state): a Gantt chart of the
works with the budget and spending per period, and a map of what each work unlocks.

Both render as SVG for the pages and PNG for the PDF.
"""

from __future__ import annotations

import base64
import io
import math

from django.utils.translation import gettext as _
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import PatchCollection
from matplotlib.colors import BoundaryNorm
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch

from promzona import l10n
from promzona.zones.models import Plot, Zone

from .selectors import PlanContext

KIND_COLOURS = {"line": "#2f7ebc", "project": "#2f7ebc", "upgrade": "#d9822b"}


def _render(fig: Figure, fmt: str) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=110, bbox_inches="tight")
    return buf.getvalue()


def data_uri(svg: bytes) -> str:
    """An ``<img src>`` for an SVG: scripts in it never run, whatever text it holds."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _period_labels(ctx: PlanContext, periods: int) -> list[str]:
    return [f"{t + 1}\n{ctx.period_starts[t]:%m.%Y}" if t < len(ctx.period_starts) else str(t + 1)
            for t in range(periods)]


def gantt(answer: dict, ctx: PlanContext, *, fmt: str = "svg") -> bytes:
    """Works as bars from start to completion (cost and plots unlocked beside), and below the
    budget available and the money spent in each period."""
    rows = answer["schedule"]
    periods = len(answer["spending"])
    fig = Figure(figsize=(10, 2.2 + 0.38 * max(len(rows), 1)))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[max(len(rows), 1), 3])
    for y, r in enumerate(rows):
        kind = ctx.works[r["work"]].kind if r["work"] in ctx.works else "line"
        top.barh(y, r["complete"] - r["start"] + 1, left=r["start"] - 0.45, height=0.6,
                 color=KIND_COLOURS[kind])
        note = l10n.num(r["cost"], 1)
        if r["unlocks"]:
            note += " · " + _("unlocks %(n)s") % {"n": len(r["unlocks"])}
        top.text(r["complete"] + 0.6, y, note, va="center", fontsize=8)
    top.set_yticks(range(len(rows)), [r["work"] for r in rows], fontsize=8)
    top.invert_yaxis()
    top.set_xlim(0.4, periods + 2.5)
    top.set_title(_("Build plan: works from start to completion (cost, million KZT)"), fontsize=10)
    top.grid(axis="x", color="#e3e7ec")
    spent = [s["spent"] for s in answer["spending"]]
    budget = [s["budget"] for s in answer["spending"]]
    xs = list(range(1, periods + 1))
    bottom.bar([x - 0.2 for x in xs], budget, width=0.4, color="#c9d3de", label=_("budget"))
    bottom.bar([x + 0.2 for x in xs], spent, width=0.4, color="#2f7ebc", label=_("spent"))
    bottom.legend(fontsize=7, loc="upper right", frameon=False)
    bottom.set_xticks(xs, _period_labels(ctx, periods), fontsize=7)
    bottom.set_xlabel(_("period (quarter) and its first month"), fontsize=8)
    bottom.tick_params(axis="y", labelsize=7)
    return _render(fig, fmt)


def _xy(geometry: dict) -> list[list[tuple[float, float]]]:
    """The rings or line strings of a GeoJSON geometry as lists of (lon, lat)."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return [[tuple(c) for c in coords[0]]]
    if kind == "MultiPolygon":
        return [[tuple(c) for c in poly[0]] for poly in coords]
    if kind == "LineString":
        return [[tuple(c) for c in coords]]
    if kind == "MultiLineString":
        return [[tuple(c) for c in line] for line in coords]
    return [[tuple(coords)]]


def unlock_map(answer: dict, ctx: PlanContext, zone: Zone, *, fmt: str = "svg") -> bytes:
    """The zone's plots coloured by the period they unlock in, the works' lines coloured by
    completion and labelled, sources upgraded marked."""
    periods = len(answer["spending"])
    cmap = colormaps["viridis"].resampled(max(periods, 1))
    norm = BoundaryNorm([t + 0.5 for t in range(periods + 1)], cmap.N)
    unlocked = {p["plot"]: p["unlocked"] for p in answer["plots"]}
    fig = Figure(figsize=(10, 6.5))
    ax = fig.add_subplot()
    lat = (zone.min_lat + zone.max_lat) / 2 if zone.min_lat is not None else 47.0
    ax.set_aspect(1 / math.cos(math.radians(lat)))
    patches, colours = [], []
    for plot in Plot.objects.filter(zone=zone).only("code", "geometry").order_by("code"):
        t = unlocked.get(plot.code, "absent")
        for ring in _xy(plot.geometry):
            patches.append(PolygonPatch(ring, closed=True))
            colours.append("#ffffff" if t == "absent" else "#d9dde2" if t is None else cmap(norm(t)))
        if t != "absent":
            x, y = zip(*_xy(plot.geometry)[0], strict=True)
            ax.text(sum(x) / len(x), sum(y) / len(y), plot.code[-2:], ha="center", va="center",
                    fontsize=6, color="#111111" if t is None else "#ffffff")
    ax.add_collection(PatchCollection(patches, facecolor=colours, edgecolor="#7a8490",
                                      linewidths=0.5))
    done = {r["work"]: r["complete"] for r in answer["schedule"]}
    labelled: dict[tuple, int] = {}  # works ending at the same point get stacked labels
    for key, info in ctx.works.items():
        t = done.get(key)
        colour = "#9aa4ae" if t is None else cmap(norm(t))
        if info.line is not None:
            for line in _xy(info.line.geometry):
                x, y = zip(*line, strict=True)
                ax.plot(x, y, color=colour, linewidth=3 if t else 1.2,
                        linestyle="-" if t else "--")
                spot = (round(x[-1], 4), round(y[-1], 4))
                labelled[spot] = labelled.get(spot, -1) + 1
                ax.annotate(key, (x[-1], y[-1]), fontsize=7, color="#333333",
                            xytext=(3, 2 - 9 * labelled[spot]), textcoords="offset points")
        elif info.project is not None and info.project.source is not None:
            lon, lat_ = info.project.source.geometry["coordinates"]
            ax.scatter([lon], [lat_], s=80, marker="^", color=colour, edgecolors="#333333")
            ax.annotate(key, (lon, lat_), fontsize=7, xytext=(4, 4), textcoords="offset points")
    ax.autoscale_view()
    ax.set_axis_off()
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.03, pad=0.01,
                       ticks=range(1, periods + 1))
    bar.set_label(_("period the plot unlocks in (grey: not by the horizon; white: not in "
                   "the plan)"), fontsize=8)
    ax.set_title(_("What the plan unlocks, and when"), fontsize=10)
    return _render(fig, fmt)

