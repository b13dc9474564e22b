"""The printed map of a plot (passport and offer PDFs): our data for
:func:`promzona.core.plotmap.plot_map_png`, with the legend in the active language."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from promzona import l10n
from promzona.core import plotmap
from promzona.zones import selectors as zsel
from promzona.zones.models import Plot

from . import maps


def plot_map_png(plot: Plot, *, size_mm: tuple[float, float] = (180, 100)) -> bytes:
    """``plot`` among its zone's published, reserved, allocated and occupied plots (a
    document goes to investors: never drafts), the reference geography, lines and sources."""
    zone = plot.zone
    neighbours = zsel.plots_visible_to(None).filter(zone=zone).exclude(pk=plot.pk)
    labels = {
        "plot": _("This plot"), "plots": _("Other plots"), "zone": _("Zone boundary"),
        "existing": _("existing line"), "planned": _("line under construction or planned"),
        "m": pgettext("unit", "m"), "km": pgettext("unit", "km"), "north": pgettext("compass", "N"),
        "power": _("Power"), "water": _("Water"), "sewage": _("Sewage"), "heat": _("Heat"),
        "gas": _("Gas"),
    }
    sources = [{"type": "Feature", "geometry": s.geometry,
                "properties": {"kind": s.kind, "code": s.code}} for s in zsel.sources_of_zone(zone)]
    return plotmap.plot_map_png(
        maps.plot_feature(plot), plots=[maps.plot_feature(p) for p in neighbours],
        base=maps.outlined_base([zone])["features"],
        lines=maps.utility_lines([zone])["features"], sources=sources, labels=labels,
        lang=l10n.lang(), size_mm=size_mm)
