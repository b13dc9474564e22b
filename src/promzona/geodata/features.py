"""GeoJSON features of each layer, for the OGC API and the JSON API (one shape, two APIs).

Built from ``.values()`` rows rather than model instances: a page of 1000 plots is one query
for the plots and one for their sectors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min, QuerySet
from django.utils.translation import gettext_lazy as _

from promzona.core.numbers import whole_number
from promzona.zones.models import Plot

from .selectors import layer_objects


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


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

PLOT_VALUES = (
    "id", "geometry", "code", "zone__slug", "status", "name_ru", "name_kk", "name_en",
    "cadastral_number", "declared_area_ha", "computed_area_ha", "area_mismatch",
    "land_category", "hazard_class_max", "ownership", "deal_lease", "lease_price_kzt_ha_year",
    "deal_sale", "sale_price_kzt", "deal_free_use", "existing_buildings", "rail_spur",
    "available_from", "dist_rail_m", "dist_road_m", "dist_airport_m", "dist_town_centre_m",
    "source_document", "verified_by", "verified_at", "needs_reverification",
)


def plot_features(qs: QuerySet) -> list[dict[str, Any]]:
    rows = list(qs.values(*PLOT_VALUES))
    sectors: dict[int, list[str]] = defaultdict(list)
    through = Plot.permitted_sectors.through
    for pid, code in (through.objects.filter(plot_id__in=[r["id"] for r in rows])
                      .order_by("sector_id").values_list("plot_id", "sector_id")):
        sectors[pid].append(code)
    out = []
    for r in rows:
        area = r["computed_area_ha"] if r["computed_area_ha"] is not None else r["declared_area_ha"]
        out.append({
            "type": "Feature", "id": r["id"], "geometry": r["geometry"],
            "properties": {
                "code": r["code"], "zone": r["zone__slug"], "status": r["status"],
                "name_ru": r["name_ru"], "name_kk": r["name_kk"], "name_en": r["name_en"],
                "cadastral_number": r["cadastral_number"],
                "area_ha": _num(area), "declared_area_ha": _num(r["declared_area_ha"]),
                "computed_area_ha": _num(r["computed_area_ha"]),
                "area_mismatch": r["area_mismatch"], "land_category": r["land_category"],
                "hazard_class_max": r["hazard_class_max"], "ownership": r["ownership"],
                "permitted_sectors": sectors.get(r["id"], []), "rail_spur": r["rail_spur"],
                "deal_lease": r["deal_lease"],
                "lease_price_kzt_ha_year": _num(r["lease_price_kzt_ha_year"]),
                "deal_sale": r["deal_sale"], "sale_price_kzt": _num(r["sale_price_kzt"]),
                "deal_free_use": r["deal_free_use"], "existing_buildings": r["existing_buildings"],
                "available_from": _iso(r["available_from"]),
                "dist_rail_m": r["dist_rail_m"], "dist_road_m": r["dist_road_m"],
                "dist_airport_m": r["dist_airport_m"],
                "dist_town_centre_m": r["dist_town_centre_m"],
                "source_document": r["source_document"], "verified_by": r["verified_by"],
                "verified_at": _iso(r["verified_at"]),
                "needs_reverification": r["needs_reverification"],
            },
        })
    return out


def zone_features(qs: QuerySet) -> list[dict[str, Any]]:
    return [{
        "type": "Feature", "id": z.pk, "geometry": z.geometry,
        "properties": {
            "slug": z.slug, "name_ru": z.name_ru, "name_kk": z.name_kk, "name_en": z.name_en,
            "kind": z.kind, "status": z.status, "municipality": z.municipality,
            "management_company": z.management_company, "is_illustrative": z.is_illustrative,
            "website": z.website, "contact_email": z.contact_email,
        },
    } for z in qs]


def source_features(qs: QuerySet) -> list[dict[str, Any]]:
    return [{
        "type": "Feature", "id": s.pk, "geometry": s.geometry,
        "properties": {
            "code": s.code, "zone": s.zone.slug, "kind": s.kind, "unit": s.unit,
            "name_ru": s.name_ru, "name_kk": s.name_kk, "name_en": s.name_en,
            "capacity": float(s.capacity), "committed": float(s.committed),
            "free": float(s.free), "tariff_kzt": float(s.tariff_kzt), "operator": s.operator,
        },
    } for s in qs.select_related("zone")]


def line_features(qs: QuerySet) -> list[dict[str, Any]]:
    return [{
        "type": "Feature", "id": ln.pk, "geometry": ln.geometry,
        "properties": {
            "code": ln.code, "zone": ln.zone.slug, "name": ln.name, "kind": ln.kind,
            "status": ln.status, "source": ln.source.code if ln.source_id else None,
            "planned_completion": _iso(ln.planned_completion),
            "connection_fixed_cost_kzt": float(ln.connection_fixed_cost_kzt),
            "connection_cost_per_km_kzt": float(ln.connection_cost_per_km_kzt),
            "connection_lead_days": ln.connection_lead_days,
        },
    } for ln in qs.select_related("zone", "source")]


SERIALISERS = {
    "plots": plot_features, "zones": zone_features,
    "utility-sources": source_features, "utility-lines": line_features,
}


def features(layer: str, qs: QuerySet) -> list[dict[str, Any]]:
    return SERIALISERS[layer](qs)


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

