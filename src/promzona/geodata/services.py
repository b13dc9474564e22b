"""Import and export of zone layers. The import is one function for the dry run and the real
run: every row is checked and reported (create / update / refuse with the reason); the real run
writes only when no row is refused, all in one transaction, with one audit entry per row.
Plots are imported by :mod:`.plot_import`, other layers here; :mod:`.export` writes files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.db import transaction
from django.utils import timezone

from promzona.accounts.types import Actor
from promzona.core import geometry as geo
from promzona.core.errors import InputError
from promzona.core.geodata import files
from promzona.core.geodata.layers import GEOMETRY, layer_name
from promzona.core.geodata.mapping import LAYER_FIELDS, guess_mapping
from promzona.geodata.preview import drawable
from promzona.geodata.uploads import read_upload
from promzona.zones import services as zone_services
from promzona.zones.models import UtilityLine, UtilitySource, Zone

from .plot_import import plots_import
from .rows import ImportRefused, ImportReport, Progress, RowResult, assign, mapped_values


def layer_import(  # noqa: PLR0913 - keyword-only options of an import (the command's flags)
    *, actor: Actor, path: Path, layer: str, zone: Zone | None, name: str | None = None,
    dry_run: bool = False, crs: str | None = None, repair: bool = False,
    mapping: dict[str, str] | None = None, progress: Progress = None,
    on_total: Callable[[int], None] | None = None, source_layer: str | None = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Read ``path`` safely and import the rows of its ``source_layer`` (needed when it has
    several) into ``layer`` of ``zone``."""
    layer = layer_name(layer)
    if layer != "zones" and zone is None:
        raise InputError("Name the zone to import into.", field="zone")
    table = read_upload(Path(path), name=name, layer=source_layer, crs=crs)
    if on_total:
        on_total(len(table))
    now = now or timezone.now()
    if layer == "plots":
        return plots_import(actor=actor, zone=zone, table=table, mapping=mapping,
                            dry_run=dry_run, repair=repair, progress=progress, now=now)
    return features_import(actor=actor, zone=zone, table=table, layer=layer, mapping=mapping,
                           dry_run=dry_run, progress=progress, now=now)


MODELS = {"utility-sources": UtilitySource, "utility-lines": UtilityLine, "zones": Zone}


class _Rollback(Exception):
    pass


def features_import(
    *, actor: Actor, zone: Zone | None, table: files.Table, layer: str,
    mapping: dict[str, str] | None = None, dry_run: bool = False, progress: Progress = None,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Sources, lines or zones (small layers): each row through ``feature_save`` in one
    transaction, rolled back for a dry run or when any row is refused."""
    now = now or timezone.now()
    key = "slug" if layer == "zones" else "code"
    mapping = guess_mapping(table.fields, layer, mapping, table.filled_fields())
    if key not in mapping:
        raise InputError(f"No column for '{key}' was found; give a mapping for it.",
                         field="mapping", details={"fields": table.fields})
    report = ImportReport(layer=layer, crs=table.crs, mapping=mapping, dry_run=dry_run)
    rows = _FeatureRows(actor=actor, zone=zone, table=table, layer=layer, mapping=mapping,
                        key=key, now=now)
    try:
        with transaction.atomic():
            for i in range(len(table)):
                report.rows.append(rows.row(i))
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


@dataclass
class _FeatureRows:
    """One features import: what each of its rows is read and saved with."""

    actor: Actor
    zone: Zone | None
    table: files.Table
    layer: str
    mapping: dict[str, str]
    key: str
    now: dt.datetime
    seen: dict[str, int] = field(default_factory=dict)

    def row(self, i: int) -> RowResult:
        """Row ``i`` saved through ``feature_save``, or the reason it is refused."""
        layer, key, zone = self.layer, self.key, self.zone
        values: dict[str, Any] = {}
        try:
            values = mapped_values(self.table, i, self.mapping, LAYER_FIELDS[layer])
            ident = values.get(key) or ""
            if not ident:
                raise ValueError(f"{key}: empty")
            if ident in self.seen:
                raise ValueError(f"{key} {ident} repeats row {self.seen[ident]}")
            self.seen[ident] = i + 1
            g = self.table.geometries[i]
            if g is None or g.is_empty or g.geom_type not in GEOMETRY[layer]:
                raise ValueError(f"expected a {' or '.join(GEOMETRY[layer])} geometry")
            model = MODELS[layer]
            scope = model.objects.all() if layer == "zones" else model.objects.filter(zone=zone)
            obj = scope.filter(**{key: ident}).first()
            action = "update" if obj is not None else "create"
            if obj is None:
                obj = model(**({} if layer == "zones" else {"zone": zone}))
            if layer == "utility-lines" and "source" in values:
                code = values.pop("source")
                obj.source = (UtilitySource.objects.filter(zone=zone, code=code).first()
                              if code else None)
                if code and obj.source is None:
                    raise ValueError(f"source: no utility source {code} in the zone")
            for k, v in values.items():
                assign(obj, k, v)
            obj.geometry = geo.to_geojson(shapely.force_2d(g))
            with transaction.atomic():
                zone_services.feature_save(actor=self.actor, obj=obj, now=self.now)
        except (ValueError, InputError) as exc:
            return RowResult(i + 1, str(values.get(key) or ""), "refuse",
                             getattr(exc, "message", str(exc)),
                             shape=drawable(self.table.geometries[i]))
        return RowResult(i + 1, ident, action, shape=g)
