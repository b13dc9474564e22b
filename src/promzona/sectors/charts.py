"""Server-side pictures (matplotlib, no pyplot state): the product space and density vs PCI.

Each picture is rendered once per language and cached on disk under
``PROMZONA_VAR_DIR/cache/sectors`` (file names carry ``VERSION``: bump it when a picture
changes) and in memory per process.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import networkx as nx
import numpy as np
from django.utils import translation
from django.utils.translation import gettext as _
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from promzona.core.sector_data import localised_name, sitc_names, world_indicators

VERSION = "3"
STRONG_EDGE = 0.55  # proximity above which edges are drawn besides the spanning tree (Hidalgo 2007)
SEED = 7
LOCATION = "kaz"
SECTION_COLOURS = ["#f2c14e", "#b5651d", "#8c8c3c", "#3c3c3c", "#d9a441", "#a05195", "#2f7ebc",
                   "#3a9d5d", "#e07a5f", "#999999"]


def section_names() -> list[str]:
    return [
        _("Food and live animals"), _("Beverages and tobacco"), _("Crude materials"),
        _("Mineral fuels"), _("Animal and vegetable oils"), _("Chemicals"),
        _("Manufactured goods by material"), _("Machinery and transport equipment"),
        _("Miscellaneous manufactured articles"), _("Other commodities"),
    ]


@functools.cache
def product_space_graph() -> tuple[nx.Graph, dict]:
    """Maximum spanning tree of the product proximity plus every edge >= STRONG_EDGE, and a
    deterministic spring layout (``seed`` fixed)."""
    ind = world_indicators()
    phi = ind.proximity
    n = phi.shape[0]
    iu = np.triu_indices(n, 1)
    w = phi[iu]
    keep = w > 0
    full = nx.Graph()
    full.add_nodes_from(range(n))
    full.add_weighted_edges_from(zip(iu[0][keep].tolist(), iu[1][keep].tolist(), w[keep].tolist(),
                                     strict=True))
    g = nx.maximum_spanning_tree(full)
    strong = w >= STRONG_EDGE
    g.add_weighted_edges_from(zip(iu[0][strong].tolist(), iu[1][strong].tolist(), w[strong].tolist(),
                                  strict=True))
    pos = nx.spring_layout(g, seed=SEED, iterations=60)
    return g, pos


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def _top_box(ax, top) -> None:
    """The ranked products, named in the active language (the source's English name where we
    ship no translation)."""
    names, lang = sitc_names(), translation.get_language() or "en"
    lines = [f"{r}. {p} {localised_name('sitc', p, names.get(p, ''), lang[:2])[0][:34]}"
             for r, p in zip(top["rank"], top["product"], strict=True)]
    ax.text(1.01, 1.0, _("Top opportunities") + "\n" + "\n".join(lines), transform=ax.transAxes,
            va="top", ha="left", fontsize=8, color="#8b0000")


def render_product_space(top) -> bytes:
    ind = world_indicators()
    g, pos = product_space_graph()
    c = list(ind.locations.astype(str)).index(LOCATION)
    prods = list(ind.products.astype(str))
    xy = np.array([pos[i] for i in range(len(prods))])
    colours = np.array([SECTION_COLOURS[int(p[0])] for p in prods])
    present = ind.mcp[c] > 0
    fig = Figure(figsize=(12, 8))
    ax = fig.add_subplot()
    segs = np.array([[pos[a], pos[b]] for a, b in g.edges()])
    ax.add_collection(LineCollection(segs, colors="#c5ccd4", linewidths=0.5, zorder=1))
    ax.scatter(xy[~present, 0], xy[~present, 1], s=10, c=colours[~present], alpha=0.45, linewidths=0,
               zorder=2)
    ax.scatter(xy[present, 0], xy[present, 1], s=42, c=colours[present], edgecolors="#111111",
               linewidths=0.9, zorder=3)
    idx = [prods.index(p) for p in top["product"]]
    ax.scatter(xy[idx, 0], xy[idx, 1], s=170, facecolors="none", edgecolors="#d62828", linewidths=2,
               zorder=4)
    for rank, i in zip(top["rank"], idx, strict=True):
        ax.annotate(str(rank), xy[i], xytext=(6, 4), textcoords="offset points", fontsize=9,
                    fontweight="bold", color="#8b0000", zorder=5)
    handles = [Line2D([], [], marker="o", linestyle="", color=col, label=name, markersize=6)
               for col, name in zip(SECTION_COLOURS, section_names(), strict=True)]
    handles += [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="#dddddd", markeredgecolor="#111111",
               markersize=8, label=_("Kazakhstan exports with RCA >= 1")),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="none", markeredgecolor="#d62828",
               markeredgewidth=2, markersize=11, label=_("Recommended (ranked)")),
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False, ncol=2)
    _top_box(ax, top)
    ax.set_axis_off()
    ax.set_title(_("Product space: maximum spanning tree of proximity plus edges with proximity >= "
                   "0.55 (SITC rev. 2, 1998-2000)"), fontsize=10)
    return _png(fig)


def render_density_pci(top) -> bytes:
    ind = world_indicators()
    c = list(ind.locations.astype(str)).index(LOCATION)
    absent = ind.mcp[c] == 0
    d, pci, cog = ind.density[c, absent], ind.pci[absent], ind.cog[c, absent]
    size = 8 + 120 * (cog - cog.min()) / (np.ptp(cog) or 1.0)
    fig = Figure(figsize=(11, 6))
    ax = fig.add_subplot()
    ax.scatter(d, pci, s=size, c="#2f7ebc", alpha=0.35, linewidths=0)
    prods = list(ind.products.astype(str))
    idx = [prods.index(p) for p in top["product"]]
    ax.scatter(ind.density[c, idx], ind.pci[idx], s=size.max() * 0.9, facecolors="none",
               edgecolors="#d62828", linewidths=1.8)
    for rank, i in zip(top["rank"], idx, strict=True):
        ax.annotate(str(rank), (ind.density[c, i], ind.pci[i]), xytext=(4, 4),
                    textcoords="offset points", fontsize=8, color="#8b0000")
    ax.axhline(ind.eci[c], color="#888888", linestyle="--", linewidth=0.8)
    ax.text(d.min(), ind.eci[c], " " + _("ECI of Kazakhstan"), va="bottom", fontsize=8, color="#555555")
    ax.set_xlabel(_("Density (relatedness to current exports)"))
    ax.set_ylabel(_("PCI (product complexity)"))
    ax.set_title(_("Kazakhstan: products not yet exported with RCA >= 1; bubble size = COG"), fontsize=10)
    _top_box(ax, top)
    return _png(fig)


RENDERERS = {"product-space": render_product_space, "density-pci": render_density_pci}


@functools.cache
def figure_png(name: str, language: str = "en", cache_dir: Path | None = None) -> bytes:
    """PNG bytes of the named figure in ``language``, from the disk cache when present."""
    from promzona.sectors.selectors import kazakhstan_top

    if name not in RENDERERS:
        raise KeyError(name)
    path = None if cache_dir is None else Path(cache_dir) / f"{name}-{language}-v{VERSION}.png"
    if path is not None and path.exists():
        return path.read_bytes()
    with translation.override(language):
        png = RENDERERS[name](kazakhstan_top())
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{id(png)}.tmp")
        tmp.write_bytes(png)
        tmp.replace(path)
    return png
