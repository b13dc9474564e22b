"""Exporting a layer to a GIS file: GeoPackage, GeoJSON, zipped Shapefile, KML or CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from promzona.core.errors import InputError
from promzona.core.geodata import files
from promzona.core.geodata.layers import GEOMETRY

EXPORT_FORMATS = {
    "gpkg": ("GPKG", ".gpkg"),
    "geojson": ("GeoJSON", ".geojson"),
    "shp": ("ESRI Shapefile", ".zip"),
    "kml": ("KML", ".kml"),
    "csv": ("CSV", ".csv"),
}

PLOT_EXPORT_FIELDS = [
    "code", "cadastral_number", "name_ru", "name_kk", "name_en", "status", "declared_area_ha",
    "computed_area_ha", "land_category", "hazard_class_max", "ownership", "deal_lease",
    "lease_price_kzt_ha_year", "deal_sale", "sale_price_kzt", "deal_free_use",
    "existing_buildings", "rail_spur", "available_from", "source_document", "verified_by",
    "verified_at",
]
LAYER_EXPORT_FIELDS = {
    "plots": PLOT_EXPORT_FIELDS,
    "utility-sources": ["code", "name_ru", "name_kk", "name_en", "kind", "capacity", "committed",
                "tariff_kzt", "operator"],
    "utility-lines": ["code", "name", "kind", "status", "planned_completion",
              "connection_fixed_cost_kzt", "connection_cost_per_km_kzt", "connection_lead_days"],
    "zones": ["slug", "name_ru", "name_kk", "name_en", "kind", "status", "municipality"],
}
#: Shapefile field names are at most 10 characters.
SHP_NAMES = {
    "cadastral_number": "cadastral", "declared_area_ha": "decl_ha", "computed_area_ha": "comp_ha",
    "land_category": "land_cat", "hazard_class_max": "hazard",
    "lease_price_kzt_ha_year": "lease_kzt",
    "sale_price_kzt": "sale_kzt", "deal_free_use": "free_use", "existing_buildings": "buildings",
    "available_from": "avail_from", "source_document": "source_doc", "verified_by": "verif_by",
    "verified_at": "verif_at", "permitted_sectors": "sectors", "planned_completion": "completion",
    "connection_fixed_cost_kzt": "fixed_kzt", "connection_cost_per_km_kzt": "km_kzt",
    "connection_lead_days": "lead_days", "municipality": "municipal",
}


def _export_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (Decimal, dt.date)):
        return str(v)
    return v


def layer_export(*, objects, layer: str, fmt: str, path: Path) -> Path:
    """Write ``objects`` (already filtered for the caller) to ``path`` in ``fmt``.

    Values are written as text so nothing is rounded or retyped (Cyrillic included); the
    Shapefile is zipped with its .prj and .cpg and uses short field names.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"Unknown format {fmt!s:.20}; use one of {', '.join(EXPORT_FORMATS)}.",
                         field="format")
    driver, _suffix = EXPORT_FORMATS[fmt]
    names = list(LAYER_EXPORT_FIELDS[layer])
    objs = list(objects)
    if layer == "plots":
        names.append("permitted_sectors")
    columns: dict[str, np.ndarray] = {}
    for n in names:
        if n == "permitted_sectors":
            vals = [";".join(s.code for s in o.permitted_sectors.all()) for o in objs]
        else:
            vals = [_export_value(getattr(o, n)) for o in objs]
        out_name = SHP_NAMES.get(n, n) if fmt == "shp" else n
        columns[out_name] = np.array(vals, dtype=object)
    geoms = np.array([o.shape() for o in objs], dtype=object)
    gtype = GEOMETRY[layer][-1]
    if gtype == "MultiPolygon" and len(geoms):
        geoms = np.array([g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])
                          for g in geoms], dtype=object)
    if gtype == "MultiLineString" and len(geoms):
        geoms = np.array([g if g.geom_type == "MultiLineString" else shapely.MultiLineString([g])
                          for g in geoms], dtype=object)
    path = Path(path)
    if fmt == "shp":
        import tempfile
        import zipfile

        with tempfile.TemporaryDirectory() as tmp:
            shp = Path(tmp) / f"{layer}.shp"
            files.write_table(shp, driver=driver, geometries=geoms, columns=columns, layer=layer,
                              geometry_type=gtype)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
                for part in sorted(Path(tmp).iterdir()):
                    zf.write(part, part.name)
        return path
    if path.exists():
        path.unlink()
    files.write_table(path, driver=driver, geometries=geoms, columns=columns, layer=layer,
                      geometry_type=gtype)
    return path
