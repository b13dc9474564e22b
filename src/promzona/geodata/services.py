"""Import and export of zone layers. The import is one function for the dry run and the real
run: every row is checked and reported (create / update / refuse with the reason); the real run
writes only when no row is refused, all in one transaction, with one audit entry per row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from promzona.audit.models import AuditEntry
from promzona.audit.services import _jsonable, audit_record, snapshot
from promzona.core import geometry as geo
from promzona.core.errors import Conflict, GeometryError, InputError
from promzona.core.geodata import files
from promzona.core.geodata.mapping import LAYER_FIELDS, coerce, guess_mapping
from promzona.geodata.uploads import read_upload
from promzona.zones import services as zone_services
from promzona.zones.models import MapFeature, Plot, Sector, UtilityLine, UtilitySource, Zone

BATCH = 2000
LAYERS = ("plots", "sources", "lines", "zones")


class ImportRefused(InputError):
    """The real run found refused rows: nothing was written. ``report`` says which and why."""

    code = "import_refused"

    def __init__(self, report: ImportReport):
        super().__init__(
            f"{report.counts['refuse']} of {len(report.rows)} rows are refused; nothing imported.",
            details=report.as_dict(),
        )
        self.report = report


@dataclass
class RowResult:
    row: int
    key: str
    action: str  # create | update | refuse
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    layer: str
    crs: str
    mapping: dict[str, str]
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        c = {"create": 0, "update": 0, "refuse": 0}
        for r in self.rows:
            c[r.action] += 1
        return c

    def as_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer, "crs": self.crs, "mapping": self.mapping,
            "dry_run": self.dry_run, "written": self.written, "counts": self.counts,
            "rows": [r.__dict__ for r in self.rows],
        }


Progress = Callable[[int], None] | None


def import_file(
    *, actor: Any, path: Path, layer: str, zone: Zone | None, name: str | None = None,
    dry_run: bool = False, crs: str | None = None, repair: bool = False,
    mapping: dict[str, str] | None = None, progress: Progress = None,
    on_total: Callable[[int], None] | None = None, source_layer: str | None = None,
) -> ImportReport:
    """Read ``path`` safely and import the rows of its ``source_layer`` (needed when it has
    several) into ``layer`` of ``zone``."""
    if layer not in LAYERS:
        raise InputError(f"Unknown layer {layer!s:.20}; use one of {', '.join(LAYERS)}.",
                         field="layer")
    if layer != "zones" and zone is None:
        raise InputError("Name the zone to import into.", field="zone")
    table = read_upload(Path(path), name=name, layer=source_layer, crs=crs)
    if on_total:
        on_total(len(table))
    if layer == "plots":
        return plots_import(actor=actor, zone=zone, table=table, mapping=mapping,
                            dry_run=dry_run, repair=repair, progress=progress)
    return features_import(actor=actor, zone=zone, table=table, layer=layer, mapping=mapping,
                           dry_run=dry_run, progress=progress)


def _mapped_values(table: files.Table, i: int, mapping: dict[str, str], spec) -> dict[str, Any]:
    """Our field -> coerced value for row ``i``; raises ValueError naming the field."""
    out: dict[str, Any] = {}
    for ours, theirs in mapping.items():
        try:
            out[ours] = coerce(files._plain(table.columns[theirs][i]), spec[ours][0])
        except ValueError as exc:
            raise ValueError(f"{ours}: {exc}") from exc
    return out


def _assign(obj, name: str, value: Any) -> None:
    """Set a field; an empty cell clears a text field and leaves other non-null fields alone."""
    f = obj._meta.get_field(name)
    if value is None and not f.null:
        if f.get_internal_type() in ("CharField", "TextField", "SlugField"):
            setattr(obj, name, "")
        return
    setattr(obj, name, value)


def plots_import(
    *, actor: Any, zone: Zone, table: files.Table, mapping: dict[str, str] | None = None,
    dry_run: bool = False, repair: bool = False, progress: Progress = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Check every row of ``table`` as a plot of ``zone``; write them all or none."""
    spec = LAYER_FIELDS["plots"]
    mapping = guess_mapping(table.fields, "plots", mapping, table.filled_fields())
    if "code" not in mapping:
        raise InputError("No column for the plot code was found; give a mapping for 'code'.",
                         field="mapping", details={"fields": table.fields})
    report = ImportReport(layer="plots", crs=table.crs, mapping=mapping, dry_run=dry_run)
    existing = {p.code: p for p in Plot.objects.filter(zone=zone)}
    taken_cadastral = dict(
        Plot.objects.exclude(cadastral_number=None).values_list("cadastral_number", "code")
    )
    known_sectors = set(Sector.objects.values_list("code", flat=True))
    zone_cover = zone.shape().buffer(1e-5) if zone.geometry else None
    seen_codes: dict[str, int] = {}
    seen_cadastral: dict[str, int] = {}
    plots: list[Plot | None] = []
    shapes: list[Any] = []
    sectors: list[list[str] | None] = []
    for i in range(len(table)):
        n = i + 1
        values: dict[str, Any] = {}
        try:
            values = _mapped_values(table, i, mapping, spec)
            code = values.get("code") or ""
            if not code:
                raise ValueError("code: empty")
            if code in seen_codes:
                raise ValueError(f"code {code} repeats row {seen_codes[code]}")
            seen_codes[code] = n
            cad = values.get("cadastral_number") or None
            values["cadastral_number"] = cad
            if cad:
                if cad in seen_cadastral:
                    raise ValueError(f"cadastral number {cad} repeats row {seen_cadastral[cad]}")
                seen_cadastral[cad] = n
                holder = taken_cadastral.get(cad)
                if holder is not None and holder != code:
                    raise ValueError(f"cadastral number {cad} already belongs to plot {holder}")
            shape = geo.prepare_polygon(table.geometries[i], repair=repair)
            if zone_cover is not None and not zone_cover.covers(shape):
                raise ValueError("the plot lies (partly) outside the zone's boundary")
            codes = values.pop("permitted_sectors", None)
            if codes is not None:
                unknown = [c for c in codes if c not in known_sectors]
                if unknown:
                    raise ValueError(f"unknown OKED codes: {', '.join(unknown)[:80]}")
            plot = existing.get(code)
            action = "update" if plot is not None else "create"
            if plot is None:
                plot = Plot(zone=zone)
                if "declared_area_ha" not in values or values["declared_area_ha"] is None:
                    values["declared_area_ha"] = Decimal(f"{max(geo.area_ha(shape), 0.0001):.4f}")
                if "ownership" not in values:
                    values["ownership"] = Plot.Ownership.STATE
                if "lease_price_kzt_ha_year" not in values and not values.get("deal_lease"):
                    values.setdefault("deal_lease", False)
            for k, v in values.items():
                _assign(plot, k, v)
            plot.geometry = geo.to_geojson(shape)
            plot.min_lon, plot.min_lat, plot.max_lon, plot.max_lat = shape.bounds
            plot.full_clean(exclude=["zone", "geometry"], validate_unique=False,
                            validate_constraints=False)
        except (ValueError, GeometryError) as exc:
            report.rows.append(RowResult(n, str(values.get("code") or ""), "refuse", str(exc)))
            plots.append(None)
            shapes.append(None)
            sectors.append(None)
        except ValidationError as exc:
            report.rows.append(RowResult(n, str(values.get("code") or ""), "refuse",
                                         "; ".join(zone_services.field_errors(exc, Plot))))
            plots.append(None)
            shapes.append(None)
            sectors.append(None)
        else:
            report.rows.append(RowResult(n, code, action))
            plots.append(plot)
            shapes.append(shape)
            sectors.append(codes)
        if progress and n % 500 == 0:
            progress(500)
    if progress:
        progress(len(table) % 500)
    ok = [i for i, p in enumerate(plots) if p is not None]
    _report_overlaps(zone, report, ok, shapes, plots, existing)
    if dry_run or report.counts["refuse"]:
        if not dry_run:
            raise ImportRefused(report)
        return report
    _derive(zone, [plots[i] for i in ok], np.array([shapes[i] for i in ok], dtype=object))
    try:
        _write_plots(actor=actor, zone=zone, report=report,
                     items=[(plots[i], sectors[i], report.rows[i].action) for i in ok], now=now)
    except IntegrityError as exc:  # a concurrent change took a code or cadastral number
        raise Conflict(f"The plots changed meanwhile; run the import again ({exc}).") from exc
    report.written = True
    return report


def _report_overlaps(zone, report, ok, shapes, plots, existing) -> None:
    """Warn (not refuse) where a plot overlaps another of the file or of the zone."""
    if not ok:
        return
    imported_codes = {plots[i].code for i in ok}
    others = [p for code, p in existing.items() if code not in imported_codes]
    geoms = np.array([shapes[i] for i in ok] + [p.shape() for p in others], dtype=object)
    labels = [plots[i].code for i in ok] + [p.code for p in others]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms[: len(ok)], predicate="intersects")
    for a, b in zip(left, right, strict=True):
        if a == b or (b < len(ok) and b < a):
            continue
        inter = shapely.intersection(geoms[a], geoms[b])
        if shapely.area(inter) <= 1e-12:  # touching edges are not overlaps
            continue
        report.rows[ok[a]].warnings.append(f"overlaps plot {labels[b]}")


def _derive(zone: Zone, plots: list[Plot], shapes: np.ndarray) -> None:
    """Computed areas, mismatch flags and distances, vectorised over all plots."""
    if not plots:
        return
    computed = geo.areas_ha(shapes)
    epsg = geo.metric_epsg_for(zone.shape()) if zone.geometry else geo.metric_epsg_for(shapes[0])
    by_kind: dict[str, list] = {}
    for f in MapFeature.objects.filter(zone=zone):
        by_kind.setdefault(f.kind, []).append(f.shape())
    dists = {
        attr: geo.nearest_distances_m(shapes, by_kind.get(kind, []), epsg)
        for attr, kind in (("dist_rail_m", MapFeature.Kind.RAIL),
                           ("dist_road_m", MapFeature.Kind.ROAD),
                           ("dist_airport_m", MapFeature.Kind.AIRPORT),
                           ("dist_town_centre_m", MapFeature.Kind.TOWN_CENTRE))
    }
    for i, plot in enumerate(plots):
        plot.computed_area_ha = Decimal(f"{computed[i]:.4f}")
        declared = float(plot.declared_area_ha) if plot.declared_area_ha is not None else None
        plot.area_mismatch = geo.area_mismatch(declared, float(computed[i]))
        for attr, values in dists.items():
            v = float(values[i])
            setattr(plot, attr, None if np.isnan(v) else v)


UPDATE_FIELDS = [
    f.name for f in Plot._meta.concrete_fields
    if f.name not in ("id", "zone", "code", "updated_at")
]


@transaction.atomic
def _write_plots(*, actor, zone, report, items, now) -> None:
    now = now or timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else "system"
    befores = {
        p.pk: snapshot(p) for p in Plot.objects.select_for_update()
        .filter(pk__in=[p.pk for p, _s, a in items if a == "update"])
    }
    for p, _s, a in items:  # the checks ran unlocked: a reservation made since is not undone
        if a == "update" and Plot.is_ledger_change(befores[p.pk]["status"], p.status):
            raise Conflict(f"Plot {p.code} was reserved or released meanwhile; run the import "
                           "again.")
    created = [p for p, _s, a in items if a == "create"]
    updated = [p for p, _s, a in items if a == "update"]
    for p in updated:
        p.updated_at = now
    Plot.objects.bulk_create(created, batch_size=BATCH)
    Plot.objects.bulk_update(updated, UPDATE_FIELDS + ["updated_at"], batch_size=BATCH)
    through = Plot.permitted_sectors.through
    with_sectors = [(p, s) for p, s, _a in items if s is not None]
    through.objects.filter(plot_id__in=[p.pk for p, _s in with_sectors]).delete()
    through.objects.bulk_create(
        [through(plot_id=p.pk, sector_id=c) for p, s in with_sectors for c in s], batch_size=BATCH
    )
    for start in range(0, len(items), BATCH):  # in batches: snapshots of 100k plots are big
        entries = []
        for p, _s, action in items[start:start + BATCH]:
            after = snapshot(p)
            before = befores.pop(p.pk, None)
            if before is not None:
                keys = [k for k in after if before.get(k) != after.get(k) and k != "updated_at"]
                if not keys:
                    continue
                before, after = {k: before[k] for k in keys}, {k: after[k] for k in keys}
            entries.append(AuditEntry(
                at=now, actor=user, actor_label=label,
                action=f"plot.{'created' if action == 'create' else 'updated'}",
                object_type=Plot._meta.label_lower, object_id=str(p.pk),
                object_repr=str(p)[:255],
                before=_jsonable(before) if before is not None else None, after=_jsonable(after),
            ))
        AuditEntry.objects.bulk_create(entries)
    audit_record(actor=actor, action="plot.imported", obj=zone, now=now,
                 after={"counts": report.counts, "crs": report.crs})


MODELS = {"sources": UtilitySource, "lines": UtilityLine, "zones": Zone}
GEOMETRY_OK = {"sources": geo.POINT, "lines": geo.LINEAR, "zones": geo.POLYGONAL}


class _Rollback(Exception):
    pass


def features_import(
    *, actor: Any, zone: Zone | None, table: files.Table, layer: str,
    mapping: dict[str, str] | None = None, dry_run: bool = False, progress: Progress = None,
) -> ImportReport:
    """Sources, lines or zones (small layers): each row through ``feature_save`` in one
    transaction, rolled back for a dry run or when any row is refused."""
    spec = LAYER_FIELDS[layer]
    model = MODELS[layer]
    key = "slug" if layer == "zones" else "code"
    mapping = guess_mapping(table.fields, layer, mapping, table.filled_fields())
    if key not in mapping:
        raise InputError(f"No column for '{key}' was found; give a mapping for it.",
                         field="mapping", details={"fields": table.fields})
    report = ImportReport(layer=layer, crs=table.crs, mapping=mapping, dry_run=dry_run)
    seen: dict[str, int] = {}
    try:
        with transaction.atomic():
            for i in range(len(table)):
                report.rows.append(_feature_row(actor, zone, table, i, mapping, spec, model, key,
                                                layer, seen))
                if progress:
                    progress(1)
            if dry_run or report.counts["refuse"]:
                raise _Rollback
    except _Rollback:
        if not dry_run:
            raise ImportRefused(report) from None
        return report
    report.written = True
    return report


def _feature_row(actor, zone, table, i, mapping, spec, model, key, layer, seen) -> RowResult:
    n = i + 1
    values: dict[str, Any] = {}
    try:
        values = _mapped_values(table, i, mapping, spec)
        ident = values.get(key) or ""
        if not ident:
            raise ValueError(f"{key}: empty")
        if ident in seen:
            raise ValueError(f"{key} {ident} repeats row {seen[ident]}")
        seen[ident] = n
        g = table.geometries[i]
        if g is None or g.is_empty or g.geom_type not in GEOMETRY_OK[layer]:
            raise ValueError(f"expected a {' or '.join(GEOMETRY_OK[layer])} geometry")
        scope = model.objects.all() if layer == "zones" else model.objects.filter(zone=zone)
        obj = scope.filter(**{key: ident}).first()
        action = "update" if obj is not None else "create"
        if obj is None:
            obj = model(**({} if layer == "zones" else {"zone": zone}))
        if layer == "lines" and "source" in values:
            code = values.pop("source")
            obj.source = (UtilitySource.objects.filter(zone=zone, code=code).first()
                          if code else None)
            if code and obj.source is None:
                raise ValueError(f"source: no utility source {code} in the zone")
        for k, v in values.items():
            _assign(obj, k, v)
        obj.geometry = geo.to_geojson(shapely.force_2d(g))
        with transaction.atomic():
            zone_services.feature_save(actor=actor, obj=obj)
    except (ValueError, InputError) as exc:
        return RowResult(n, str(values.get(key) or ""), "refuse", getattr(exc, "message", str(exc)))
    return RowResult(n, ident, action)


# --- export ---------------------------------------------------------------------------------

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
    "sources": ["code", "name_ru", "name_kk", "name_en", "kind", "capacity", "committed",
                "tariff_kzt", "operator"],
    "lines": ["code", "name", "kind", "status", "planned_completion",
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


def export_layer(*, objects, layer: str, fmt: str, path: Path) -> Path:
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
    kinds = {"plots": "MultiPolygon", "zones": "MultiPolygon", "sources": "Point",
             "lines": "MultiLineString"}
    gtype = kinds[layer]
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
