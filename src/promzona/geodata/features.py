"""GeoJSON features of each layer, for the OGC API and the JSON API (one shape, two APIs).

Built from ``.values()`` rows rather than model instances: a page of 1000 plots is one query
for the plots and one for their sectors.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.models import Max, Min, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from promzona.columns import as_float
from promzona.core.numbers import whole_number
from promzona.zones.models import Plot
from promzona.zones.selectors import data_version

from .selectors import layer_objects


def _iso(v) -> str | None:
    return None if v is None else v.isoformat()


@dataclass(frozen=True)
class Layer:
    """One collection: its name, title, how to list it for a caller, and its properties."""

    name: str
    title: Any
    description: Any
    filters: tuple[str, ...]  # property filters accepted (query name -> ORM lookup below)

    def queryset(self, user: Any) -> QuerySet:
        return layer_objects(self.name, user=user).order_by("pk")


#: The collections of the JSON API and the OGC API, one per name of
#: :data:`promzona.core.geodata.layers.LAYERS`.
LAYERS: dict[str, Layer] = {
    "zones": Layer(
        "zones", _("Zones"), _("Industrial zones and their boundaries."),
        ("slug", "kind", "status"),
    ),
    "plots": Layer(
        "plots", _("Plots"), _("Land plots with their passports (published ones for the public)."),
        ("code", "zone", "status", "cadastral_number", "hazard_class_max", "rail_spur",
         "land_category", "ownership"),
    ),
    "utility-lines": Layer(
        "utility-lines", _("Utility lines"),
        _("Power lines, water mains, heat pipes, sewers and gas pipes."),
        ("code", "zone", "kind", "status"),
    ),
    "utility-sources": Layer(
        "utility-sources", _("Utility sources"),
        _("Substations, water intakes, heat plants, gas stations and treatment plants with "
          "capacity."),
        ("code", "zone", "kind"),
    ),
}

#: Query parameter -> ORM lookup, per layer (``zone`` is the zone's slug).
FILTER_LOOKUPS = {"zone": "zone__slug"}
BOOLEAN_FILTERS = {"rail_spur"}
INTEGER_FILTERS = {"hazard_class_max"}

#: The JSON text of one value, as compact as the documents the views send.
encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

#: The plots' columns read for their features: the geometry as the JSON text the database
#: keeps (validated when saved) and decimals as floats, so no value is converted twice.
PLOT_COLUMNS = {
    "geometry_text": Cast("geometry", TextField()),
    "declared": as_float("declared_area_ha"), "computed": as_float("computed_area_ha"),
    "lease_price": as_float("lease_price_kzt_ha_year"), "sale_price": as_float("sale_price_kzt"),
}
PLOT_VALUES = (
    "id", "geometry_text", "code", "zone__slug", "status", "name_ru", "name_kk", "name_en",
    "cadastral_number", "declared", "computed", "area_mismatch", "land_category",
    "hazard_class_max", "ownership", "rail_spur", "deal_lease", "lease_price", "deal_sale",
    "sale_price", "deal_free_use", "existing_buildings", "available_from", "dist_rail_m",
    "dist_road_m", "dist_airport_m", "dist_town_centre_m", "source_document", "verified_by",
    "verified_at", "needs_reverification",
)


def _compact(geometry_text: str) -> str:
    """Stored GeoJSON without the spaces after its separators: every save writes it as
    ``geo.to_geojson`` makes it (``type`` and ``coordinates``), so no string holds ", "."""
    return geometry_text.replace(", ", ",").replace(": ", ":")


def plot_features(qs: QuerySet) -> list[tuple[int, str, dict[str, Any]]]:
    rows = list(qs.annotate(**PLOT_COLUMNS).values_list(*PLOT_VALUES))
    sectors: dict[int, list[str]] = defaultdict(list)
    through = Plot.permitted_sectors.through
    for pid, code in (through.objects.filter(plot_id__in=[r[0] for r in rows])
                      .order_by("sector_id").values_list("plot_id", "sector_id")):
        sectors[pid].append(code)
    out = []
    for (pk, geometry, code, zone, status, name_ru, name_kk, name_en, cadastral, declared,
         computed, mismatch, category, hazard, ownership, rail, lease, lease_price, sale,
         sale_price, free_use, buildings, available, rail_m, road_m, airport_m, town_m, document,
         verified_by, verified_at, reverify) in rows:
        out.append((pk, _compact(geometry), {
            "code": code, "zone": zone, "status": status,
            "name_ru": name_ru, "name_kk": name_kk, "name_en": name_en,
            "cadastral_number": cadastral, "area_ha": declared if computed is None else computed,
            "declared_area_ha": declared,
            "computed_area_ha": computed, "area_mismatch": mismatch, "land_category": category,
            "hazard_class_max": hazard, "ownership": ownership,
            "permitted_sectors": sectors.get(pk, []), "rail_spur": rail, "deal_lease": lease,
            "lease_price_kzt_ha_year": lease_price, "deal_sale": sale,
            "sale_price_kzt": sale_price, "deal_free_use": free_use,
            "existing_buildings": buildings, "available_from": _iso(available),
            "dist_rail_m": rail_m, "dist_road_m": road_m, "dist_airport_m": airport_m,
            "dist_town_centre_m": town_m, "source_document": document,
            "verified_by": verified_by, "verified_at": _iso(verified_at),
            "needs_reverification": reverify,
        }))
    return out


def zone_features(qs: QuerySet) -> list[tuple[int, str, dict[str, Any]]]:
    return [(z.pk, encode(z.geometry), {
        "slug": z.slug, "name_ru": z.name_ru, "name_kk": z.name_kk, "name_en": z.name_en,
        "kind": z.kind, "status": z.status, "municipality": z.municipality,
        "management_company": z.management_company, "is_illustrative": z.is_illustrative,
        "website": z.website, "contact_email": z.contact_email,
    }) for z in qs]


def source_features(qs: QuerySet) -> list[tuple[int, str, dict[str, Any]]]:
    return [(s.pk, encode(s.geometry), {
        "code": s.code, "zone": s.zone.slug, "kind": s.kind, "unit": s.unit,
        "name_ru": s.name_ru, "name_kk": s.name_kk, "name_en": s.name_en,
        "capacity": float(s.capacity), "committed": float(s.committed),
        "free": float(s.free), "tariff_kzt": float(s.tariff_kzt), "operator": s.operator,
    }) for s in qs.select_related("zone")]


def line_features(qs: QuerySet) -> list[tuple[int, str, dict[str, Any]]]:
    return [(ln.pk, encode(ln.geometry), {
        "code": ln.code, "zone": ln.zone.slug, "name": ln.name, "kind": ln.kind,
        "status": ln.status, "source": ln.source.code if ln.source_id else None,
        "planned_completion": _iso(ln.planned_completion),
        "connection_fixed_cost_kzt": float(ln.connection_fixed_cost_kzt),
        "connection_cost_per_km_kzt": float(ln.connection_cost_per_km_kzt),
        "connection_lead_days": ln.connection_lead_days,
    }) for ln in qs.select_related("zone", "source")]


SERIALISERS = {
    "plots": plot_features, "zones": zone_features,
    "utility-sources": source_features, "utility-lines": line_features,
}


def feature_texts(layer: str, qs: QuerySet) -> list[str]:
    """The GeoJSON text of each feature: the one encoder of both APIs' features. The stored
    geometry is spliced in as it is kept, never parsed and written again."""
    return [f'{{"type":"Feature","id":{pk},"geometry":{geometry},"properties":{encode(props)}}}'
            for pk, geometry, props in SERIALISERS[layer](qs)]


def features(layer: str, qs: QuerySet) -> list[dict[str, Any]]:
    """The features as dicts (HTML pages, single items): :func:`feature_texts` parsed."""
    return [json.loads(text) for text in feature_texts(layer, qs)]


def collection_text(doc: dict[str, Any], texts: list[str]) -> str:
    """``doc``, a FeatureCollection document, as JSON text with ``texts`` as its features."""
    rest = encode({k: v for k, v in doc.items() if k not in ("type", "features")})
    tail = "}" if rest == "{}" else "," + rest[1:]
    return f'{{"type":"FeatureCollection","features":[{",".join(texts)}]{tail}'


#: Counts of the items' queries by (zones' data version, SQL, parameters): a client paging
#: through a layer asks the same count on every page, and counting 100,000 plots was most of a
#: page's time. The version changes with every write of the zones' models (in the writer's
#: transaction), so a count is never stale; the key holds the caller's visibility (its SQL).
_COUNTS: dict[tuple[str, str, tuple], int] = {}
_COUNTS_KEPT = 1000


def count(qs: QuerySet) -> int:
    """``qs.count()``, counted once per version of the zones' data."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # ``qs.none()``: a filter's value that matches nothing
        return 0
    key = (data_version(), sql, tuple(params))
    found = _COUNTS.get(key)
    if found is None:
        if len(_COUNTS) >= _COUNTS_KEPT:
            _COUNTS.clear()
        found = _COUNTS[key] = qs.count()
    return found


def apply_filters(layer: Layer, qs: QuerySet, params: dict[str, str]) -> QuerySet:
    """Simple property filters (``?status=published&zone=north``); bad values match nothing."""
    for name in layer.filters:
        if name not in params:
            continue
        value: Any = params[name]
        if name in BOOLEAN_FILTERS:
            value = {"true": True, "1": True, "false": False, "0": False}.get(value.lower())
            if value is None:
                return qs.none()
        elif name in INTEGER_FILTERS:
            value = whole_number(value, maximum=1000)
            if value is None:
                return qs.none()
        qs = qs.filter(**{FILTER_LOOKUPS.get(name, name): value})
    return qs


def apply_bbox(qs: QuerySet, bbox: tuple[float, float, float, float]) -> QuerySet:
    """Coarse bounding-box intersection on the stored bbox columns."""
    minx, miny, maxx, maxy = bbox
    return qs.filter(max_lon__gte=minx, min_lon__lte=maxx, max_lat__gte=miny, min_lat__lte=maxy)


def extent(qs: QuerySet) -> list[float] | None:
    agg = qs.aggregate(a=Min("min_lon"), b=Min("min_lat"), c=Max("max_lon"), d=Max("max_lat"))
    if agg["a"] is None:
        return None
    return [agg["a"], agg["b"], agg["c"], agg["d"]]

