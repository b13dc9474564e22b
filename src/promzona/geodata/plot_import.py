"""Importing plots: many rows, checked together (overlaps, the zone boundary), derived in
vectorised passes, written in bulk and audited in bulk."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from promzona.accounts.types import Actor
from promzona.audit.services import (
    audit_bulk_record,
    audit_record,
    changed,
    snapshot,
    snapshot_texts,
)
from promzona.bulk import JSONText, analyse, insert_columns, object_columns
from promzona.columns import paused_collector
from promzona.core import geometry as geo
from promzona.core.errors import Conflict, GeometryError, InputError
from promzona.core.geodata import files
from promzona.core.geodata.mapping import LAYER_FIELDS, guess_mapping
from promzona.validation import field_errors
from promzona.zones import services as zone_services
from promzona.zones.models import Plot, Sector, Zone
from promzona.zones.models.version import data_changed

from .preview import area_warnings, drawable
from .rows import (
    BATCH,
    ImportRefused,
    ImportReport,
    Progress,
    RowResult,
    assign,
    mapped_values,
)


def plots_import(
    *, actor: Actor, zone: Zone, table: files.Table, mapping: dict[str, str] | None = None,
    dry_run: bool = False, repair: bool = False, progress: Progress = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Check every row of ``table`` as a plot of ``zone``; write them all or none."""
    with paused_collector():
        return _plots_import(actor=actor, zone=zone, table=table, mapping=mapping,
                             dry_run=dry_run, repair=repair, progress=progress, now=now)


def _plots_import(
    *, actor: Actor, zone: Zone, table: files.Table, mapping: dict[str, str] | None,
    dry_run: bool, repair: bool, progress: Progress, now: dt.datetime | None,
) -> ImportReport:
    spec = LAYER_FIELDS["plots"]
    mapping = guess_mapping(table.fields, "plots", mapping, table.filled_fields())
    if "code" not in mapping:
        raise InputError("No column for the plot code was found; give a mapping for 'code'.",
                         field="mapping", details={"fields": table.fields})
    report = ImportReport(layer="plots", crs=table.crs, mapping=mapping, dry_run=dry_run)
    check = _PlotRows(zone=zone, repair=repair, geometries=table.geometries)
    existing = check.existing
    plots: list[Plot | None] = []
    sectors: list[list[str] | None] = []
    for i in range(len(table)):
        n = i + 1
        values: dict[str, Any] = {}
        try:
            values = mapped_values(table, i, mapping, spec)
            plot, codes, action = check.row(n, values, i)
        except (ValueError, GeometryError, ValidationError) as exc:
            reason = ("; ".join(field_errors(exc, Plot))
                      if isinstance(exc, ValidationError) else str(exc))
            report.rows.append(RowResult(n, str(values.get("code") or ""), "refuse", reason,
                                         shape=drawable(table.geometries[i])))
            plot, codes = None, None
        else:
            report.rows.append(RowResult(n, plot.code, action, shape=check.shapes[i]))
        plots.append(plot)
        sectors.append(codes)
        if progress and n % 500 == 0:
            progress(500)
    if progress:
        progress(len(table) % 500)
    shapes = check.shapes
    ok = [i for i, p in enumerate(plots) if p is not None]
    warnings = area_warnings([plots[i].declared_area_ha for i in ok], check.areas[ok])
    for i, w in zip(ok, warnings, strict=True):
        report.rows[i].warnings = w
    _report_overlaps(zone, report, ok, shapes, plots, existing)
    if dry_run or report.counts["refuse"]:
        if not dry_run:
            raise ImportRefused(report)
        return report
    zone_services.plots_derive(zone, [plots[i] for i in ok], [shapes[i] for i in ok],
                               computed_ha=check.areas[ok])
    try:
        _write_plots(actor=actor, zone=zone, report=report,
                     items=[(plots[i], sectors[i], report.rows[i].action) for i in ok], now=now)
    except IntegrityError as exc:  # a concurrent change took a code or cadastral number
        raise Conflict(f"The plots changed meanwhile; run the import again ({exc}).") from exc
    report.written = True
    return report


class _PlotRows:
    """Checks one row after another as a plot of ``zone``: codes and cadastral numbers unique in
    the file and the database, the shape inside the zone, the sectors known, the fields valid.
    The geometries are checked and derived for all rows at once, beforehand."""

    def __init__(self, *, zone: Zone, repair: bool, geometries: np.ndarray) -> None:
        self.zone, self.repair = zone, repair
        self.existing = {p.code: p for p in Plot.objects.filter(zone=zone)}
        self.stored_status = {code: p.status for code, p in self.existing.items()}
        self.taken_cadastral = dict(
            Plot.objects.exclude(cadastral_number=None).values_list("cadastral_number", "code")
        )
        self.known_sectors = set(Sector.objects.values_list("code", flat=True))
        self.seen_codes: dict[str, int] = {}
        self.seen_cadastral: dict[str, int] = {}
        self.valid: set[tuple[str, type, str]] = set()  # (field, value) pairs that passed
        self.blank = Plot(zone=zone)
        self.always_checked = _fields_failing_defaults(self.blank)
        self.checked_fields: dict[frozenset[str], list[Any]] = {}  # by the names a row sets
        self._derive_shapes(geometries)

    def _derive_shapes(self, geometries: np.ndarray) -> None:
        """Each row's checked shape (or the GeometryError refusing it), whether the zone covers
        it, its area, GeoJSON and bounds: vectorised over the rows."""
        n = len(geometries)
        self.shapes = geo.prepare_polygons(geometries, repair=self.repair)
        good = [i for i, s in enumerate(self.shapes) if not isinstance(s, GeometryError)]
        shapes = np.array([self.shapes[i] for i in good], dtype=object)
        self.covered = np.ones(n, dtype=bool)
        if self.zone.geometry and good:
            self.covered[good] = shapely.covers(geo.zone_cover(self.zone.shape()), shapes)
        self.areas = np.full(n, np.nan)
        self.areas[good] = geo.area_ha(shapes)
        self.bounds = np.full((n, 4), np.nan)
        self.bounds[good] = shapely.bounds(shapes) if good else np.empty((0, 4))
        self.geojson: list[Any] = [None] * n
        for i, g in zip(good, geo.geojson_many(shapes), strict=True):
            self.geojson[i] = g

    def row(self, n: int, values: dict[str, Any], i: int) -> tuple[Plot, Any, str]:
        """The plot row ``n`` (index ``i``) makes, its sector codes and "create" or "update";
        raise ValueError, GeometryError or ValidationError with the reason it is refused."""
        code = self._code(n, values)
        if isinstance(self.shapes[i], GeometryError):
            raise self.shapes[i]
        if not self.covered[i]:
            raise ValueError("the plot lies (partly) outside the zone's boundary")
        codes = values.pop("permitted_sectors", None)
        if codes is not None:
            unknown = [c for c in codes if c not in self.known_sectors]
            if unknown:
                raise ValueError(f"unknown OKED codes: {', '.join(unknown)[:80]}")
        plot = self.existing.get(code)
        action = "update" if plot is not None else "create"
        if plot is None:
            plot = self._new_plot()
            _new_plot_defaults(values, float(self.areas[i]))
        for k, v in values.items():
            assign(plot, k, v)
        plot.geometry = self.geojson[i]
        plot.min_lon, plot.min_lat, plot.max_lon, plot.max_lat = self.bounds[i].tolist()
        self._clean(plot, values, self.stored_status.get(code))
        return plot, codes, action

    def _new_plot(self) -> Plot:
        """A copy of the blank plot with a state of its own: its field values (shallow, as
        ``copy.copy``) and its cached zone. ``copy.copy`` goes through pickling's
        ``__reduce__``, which cost as much as the rest of building a row."""
        plot = Plot.__new__(Plot)
        plot.__dict__.update(self.blank.__dict__)
        plot._state = ModelState()
        plot._state.fields_cache = dict(self.blank._state.fields_cache)
        return plot

    def _clean(self, plot: Plot, values: dict[str, Any], stored: str | None) -> None:
        """``full_clean`` without a query per row: the fields the row set (and those a new
        plot's defaults fail) as ``clean_fields`` checks them, each distinct value once, then
        the status and deal rules of ``Plot.clean`` (its geometry rules were checked above)."""
        errors: dict[str, Any] = {}
        names = frozenset(values)
        if names not in self.checked_fields:
            self.checked_fields[names] = [f for f in _FIELDS
                                          if f.name in names or f.name in self.always_checked]
        for f in self.checked_fields[names]:
            raw = getattr(plot, f.attname)
            key = (f.name, type(raw), str(raw))  # Decimal("0.6") and Decimal("0.60") differ
            if (f.blank and raw in f.empty_values) or key in self.valid:
                continue
            try:
                clean = f.clean(raw, plot)
            except ValidationError as exc:
                errors[f.name] = _untraced(exc).error_list
                continue
            setattr(plot, f.attname, clean)
            if clean == raw:
                self.valid.add(key)
        try:
            plot.clean_status(stored)
            plot.clean_deals()
        except ValidationError as exc:
            errors = _untraced(exc).update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def _code(self, n: int, values: dict[str, Any]) -> str:
        code = values.get("code") or ""
        if not code:
            raise ValueError("code: empty")
        if code in self.seen_codes:
            raise ValueError(f"code {code} repeats row {self.seen_codes[code]}")
        self.seen_codes[code] = n
        cad = values.get("cadastral_number") or None
        if "cadastral_number" in values:  # a file without the column leaves the numbers alone
            values["cadastral_number"] = cad
        if cad:
            if cad in self.seen_cadastral:
                raise ValueError(f"cadastral number {cad} repeats row {self.seen_cadastral[cad]}")
            self.seen_cadastral[cad] = n
            holder = self.taken_cadastral.get(cad)
            if holder is not None and holder != code:
                raise ValueError(f"cadastral number {cad} already belongs to plot {holder}")
        return code


_FIELDS = [f for f in Plot._meta.concrete_fields if f.name not in ("zone", "geometry")]


def _fields_failing_defaults(blank: Plot) -> set[str]:
    """The fields whose default the new plot ``blank`` fails: checked on every row."""
    try:
        blank.clean_fields(exclude=["zone", "geometry"])
    except ValidationError as exc:
        return set(_untraced(exc).message_dict)
    return set()


def _untraced(exc: ValidationError) -> ValidationError:
    """``exc`` and the errors it holds without their tracebacks. A ValidationError lists itself
    among its errors, so kept (in a row's errors, or by Django's ``clean_fields``) it is a
    reference cycle through the frames that raised it, and those frames reach back to the
    import's: with the cyclic collector paused, every plot of the import stayed alive until
    the collector's first pass afterwards (half a second at 100,000 plots)."""
    inner = [e for errors in exc.error_dict.values() for e in errors] \
        if hasattr(exc, "error_dict") else exc.error_list
    for e in [exc, *inner]:
        e.__traceback__ = None
    return exc


def _new_plot_defaults(values: dict[str, Any], area_ha: float) -> None:
    """A new plot's declared area is its drawn area, its ownership the state's, unless given."""
    if "declared_area_ha" not in values or values["declared_area_ha"] is None:
        values["declared_area_ha"] = Decimal(f"{max(area_ha, 0.0001):.4f}")
    if "ownership" not in values:
        values["ownership"] = Plot.Ownership.STATE
    if "lease_price_kzt_ha_year" not in values and not values.get("deal_lease"):
        values.setdefault("deal_lease", False)


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


UPDATE_FIELDS = [
    f.name for f in Plot._meta.concrete_fields
    if f.name not in ("id", "zone", "code", "updated_at")
]


def _sectors_change(held: list[str], codes: list[str] | None) -> tuple[dict, dict] | None:
    """The permitted sectors before and after, as an entry records them, when the row's
    ``codes`` (``None``: the file has no such column) change them."""
    if codes is None or sorted(held) == sorted(set(codes)):
        return None
    return {"permitted_sectors": sorted(held)}, {"permitted_sectors": sorted(set(codes))}


@transaction.atomic
def _write_plots(*, actor: Actor, zone, report, items, now) -> None:
    now = now or timezone.now()
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
    columns = object_columns(Plot, created)
    # Each geometry encoded once: the same text goes into the plot and its audit entry.
    columns["geometry"] = [JSONText(json.dumps(g)) for g in columns["geometry"]]
    insert_columns(Plot, columns, batch_size=BATCH)
    analyse(Plot)
    ids = dict(Plot.objects.filter(zone=zone).values_list("code", "pk"))
    for p in created:
        p.pk = ids[p.code]
        p._state.adding = False
    columns[Plot._meta.pk.attname] = [p.pk for p in created]
    Plot.objects.bulk_update(updated, UPDATE_FIELDS + ["updated_at"], batch_size=BATCH)
    if created and not updated:
        data_changed(Plot._meta.app_label)  # insert_columns sends no signal; bulk_update did
    through = Plot.permitted_sectors.through
    with_sectors = [(p, s) for p, s, _a in items if s is not None]
    links = through.objects.filter(plot_id__in=[p.pk for p, _s in with_sectors])
    held: dict[int, list[str]] = {}
    for plot_id, code in links.values_list("plot_id", "sector_id"):
        held.setdefault(plot_id, []).append(code)
    links.delete()
    through.objects.bulk_create(
        [through(plot_id=p.pk, sector_id=c) for p, s in with_sectors for c in s], batch_size=BATCH
    )
    afters = _created_snapshots(columns, len(created))
    for start in range(0, len(items), BATCH):  # in batches: snapshots of 100k plots are big
        entries = []
        for p, codes, action in items[start:start + BATCH]:
            sectors = _sectors_change(held.get(p.pk, []), codes)
            if action == "create":
                entries.append(("plot.created", p, None, next(afters)))
                if sectors:  # as the admin records a new row's links: a change after it
                    entries.append(("plot.updated", p, *sectors))
                continue
            before, after = changed(befores.pop(p.pk), snapshot(p))
            after.pop("updated_at", None)
            before.pop("updated_at", None)
            if sectors:
                before, after = before | sectors[0], after | sectors[1]
            if after:
                entries.append(("plot.updated", p, before, after))
        audit_bulk_record(actor=actor, entries=entries, now=now, batch_size=BATCH)
    audit_record(actor=actor, action="plot.imported", obj=zone, now=now,
                 after={"counts": report.counts, "crs": report.crs})


def _created_snapshots(columns: dict[str, list[Any]], count: int) -> Iterator[JSONText]:
    """The audit snapshots of the created plots, from the columns they were inserted from,
    made a batch at a time (all at once, they would take a hundred megabytes at 100,000)."""
    for start in range(0, count, BATCH):
        yield from snapshot_texts(Plot, {k: v[start:start + BATCH] for k, v in columns.items()})
