"""What the portal's maps draw (``web/static/web/map.js``), as GeoJSON with the labels the map
shows: the offline base, the zone outlines, plots, utility lines and sources by kind and status.

Every text here reaches the map as text, never as HTML (see map.js)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from promzona.web.links import passport_url
from promzona.web.templatetags.portal import qty
from promzona.zones import selectors as zsel
from promzona.zones.models import (
    MapFeature,
    Plot,
    UtilityKindChoices,
    UtilityLine,
    UtilitySource,
    Zone,
)


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def plot_feature(plot: Plot, *, focus: bool = False) -> dict[str, Any]:
    """A plot as a GeoJSON feature with what the map and list need."""
    return {
        "type": "Feature", "id": plot.pk, "geometry": plot.geometry,
        "properties": {
            "code": plot.code, "name": plot.name, "status": plot.status,
            "status_label": str(plot.get_status_display()), "zone": plot.zone.slug,
            "area_ha": float(plot.declared_area_ha), "url": passport_url(plot),
            "focus": focus,
        },
    }


def base_layers(zones: list[Zone]) -> dict[str, Any]:
    """The offline base map: the reference geography (town, shoreline, roads, rail, airport)."""
    return _collection([
        {"type": "Feature", "geometry": f.geometry, "properties": {"kind": f.kind, "name": f.name}}
        for f in MapFeature.objects.filter(zone__in=zones)])


def zone_outlines(zones: list[Zone]) -> dict[str, Any]:
    return _collection([
        {"type": "Feature", "geometry": z.geometry, "properties": {"kind": "zone", "name": z.name}}
        for z in zones])


def outlined_base(zones: list[Zone]) -> dict[str, Any]:
    """The zones' outlines over the offline base map, as one layer (printed maps, the import
    preview)."""
    return _collection(zone_outlines(zones)["features"] + base_layers(zones)["features"])


def utility_lines(zones: list[Zone]) -> dict[str, Any]:
    """The zones' utility lines with kind, status and a label (code, name, kind, status)."""
    return _collection([
        {"type": "Feature", "geometry": ln.geometry,
         "properties": {"kind": ln.kind, "status": ln.status,
                        "label": " · ".join(x for x in (f"{ln.code} {ln.name}".strip(),
                                                        str(ln.get_kind_display()),
                                                        str(ln.get_status_display())))}}
        for zone in zones for ln in zsel.lines_of_zone(zone)])


def source_state(source: UtilitySource) -> str:
    """``planned`` (no capacity yet), ``full`` (all committed) or ``available``."""
    if source.capacity <= 0:
        return "planned"
    return "full" if source.free <= 0 else "available"


def utility_sources(zones: list[Zone]) -> dict[str, Any]:
    """The zones' utility sources (points) with kind, state and a label with the free capacity."""
    features = []
    for zone in zones:
        for s in zsel.sources_of_zone(zone):
            free = _("free %(free)s of %(capacity)s %(unit)s") % {
                "free": qty(max(s.free, Decimal(0))), "capacity": qty(s.capacity), "unit": s.unit}
            features.append({"type": "Feature", "geometry": s.geometry, "properties": {
                "kind": s.kind, "state": source_state(s),
                "label": " · ".join((f"{s.code} {s.name}", str(s.get_kind_display()), free))}})
    return _collection(features)


def labels() -> dict[str, str]:
    """The map's own words: layer names and control titles."""
    out = {"scheme": _("Scheme (offline)"), "plots": _("Plots"), "zone": _("Zone boundary"),
           "layers": _("Layers"), "zoom_in": _("Zoom in"), "zoom_out": _("Zoom out"),
           "m": pgettext("unit of length", "m"), "km": pgettext("unit of length", "km")}
    for kind, label in UtilityKindChoices.choices:
        out[f"kind_{kind}"] = _("%(kind)s: lines and sources") % {"kind": label}
    return out


def tile_layers() -> list[dict[str, str]]:
    """The raster base maps a deployment configured (street, satellite), with attributions."""
    out = []
    for name, url, attribution in (
        (_("Streets"), settings.PROMZONA_TILE_URL, settings.PROMZONA_TILE_ATTRIBUTION),
        (_("Satellite"), settings.PROMZONA_SATELLITE_URL, settings.PROMZONA_SATELLITE_ATTRIBUTION),
    ):
        if url:
            out.append({"name": name, "url": url, "attribution": attribution})
    return out


def home_map(zones: list[Zone], plots: list[Plot]) -> dict[str, Any]:
    """The home page's map: every plot the visitor may see over the zones and their utilities."""
    return {"plots": _collection([plot_feature(p) for p in plots]), "base": base_layers(zones),
            "zones": zone_outlines(zones), "lines": utility_lines(zones),
            "sources": utility_sources(zones), "labels": labels(), "tiles": tile_layers(),
            "extent": zsel.zones_extent(zones)}


def passport_map(plot: Plot, neighbours: list[Plot]) -> dict[str, Any]:
    """The passport's map: the plot among its neighbours, the zone's lines and sources."""
    zones = [plot.zone]
    features = [plot_feature(p) for p in neighbours if p.pk != plot.pk]
    features.append(plot_feature(plot, focus=True))
    return {"plots": _collection(features), "base": base_layers(zones),
            "zones": zone_outlines(zones), "lines": utility_lines(zones),
            "sources": utility_sources(zones), "labels": labels(), "tiles": tile_layers(),
            "extent": zsel.zones_extent(zones), "focus": plot.pk}


def legend(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(swatch classes, label) for what the map ``data`` draws, in the order of the layers."""
    present = {key: {f["properties"].get(prop) for f in data[key]["features"]}
               for key, prop in (("plots", "status"), ("lines", "kind"), ("sources", "kind"))}
    statuses = {f["properties"]["status"] for f in data["lines"]["features"]}
    states = {f["properties"]["state"] for f in data["sources"]["features"]}
    out: list[tuple[str, str]] = []
    if data.get("focus"):
        out += [("this-plot", _("This plot")), ("neighbour", _("Other plots"))]
    else:
        out += [(f"st-{s}", str(label)) for s, label in Plot.Status.choices if s in present["plots"]]
    out.append(("zone", _("Zone boundary")))
    out += [(f"swatch-{k}", str(label)) for k, label in UtilityKindChoices.choices
            if k in present["lines"] | present["sources"]]
    out += [(cls, label) for status, cls, label in (
        (UtilityLine.Status.EXISTING, "line", _("existing line")),
        (UtilityLine.Status.UNDER_CONSTRUCTION, "dashed", _("line under construction")),
        (UtilityLine.Status.PLANNED, "dotted", _("planned line"))) if status in statuses]
    for state, label in (("available", _("source with free capacity")),
                         ("full", _("source fully committed")),
                         ("planned", _("source planned, no capacity yet"))):
        if state in states:
            out.append((f"source {state}", label))
    base = {f["properties"]["kind"] for f in data["base"]["features"]}
    out += [(cls, label) for kind, cls, label in (
        (MapFeature.Kind.RAIL, "line-rail", _("Railway")), (MapFeature.Kind.ROAD, "line-road", _("Road")),
        (MapFeature.Kind.TOWN, "area-town", _("Town"))) if kind in base]
    return out
