"""The bulk plot import's audit trail and data version (docs/geodata.md: every created or
changed plot gets its own entry, plus one ``plot.imported`` on the zone)."""

from __future__ import annotations

import gc
import json

from promzona.audit.models import AuditEntry
from promzona.audit.services import snapshot
from promzona.geodata.services import layer_import
from promzona.zones.models import DataVersion, Plot, Sector

from .test_import_export import _boxes, _write


def _file(tmp_path, zone, *, renamed: Plot, unchanged: Plot):
    """Two new plots, one existing plot with a new name, one existing plot as it is."""
    geoms = [*_boxes(zone, 2), renamed.shape(), unchanged.shape()]
    fields = {
        "code": ["AUD-1", "AUD-2", renamed.code, unchanged.code],
        "name_ru": ["Первый", "Второй", "Переименованный", unchanged.name_ru],
        "status": ["published", "draft", renamed.status, unchanged.status],
    }
    return _write(tmp_path / "audit.gpkg", geoms, fields, driver="GPKG")


def test_bulk_import_audits_each_created_and_changed_plot_and_only_those(demo, tmp_path):
    renamed, unchanged = Plot.objects.filter(zone=demo, status="published").order_by("code")[:2]
    path = _file(tmp_path, demo, renamed=renamed, unchanged=unchanged)
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    report = layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert report.written and report.counts == {"create": 2, "update": 2, "refuse": 0}
    entries = list(AuditEntry.objects.filter(id__gt=since).order_by("id"))
    created = {p.pk: p for p in Plot.objects.filter(code__in=["AUD-1", "AUD-2"])}
    by_action: dict[str, list[AuditEntry]] = {}
    for e in entries:
        by_action.setdefault(e.action, []).append(e)
    assert sorted(by_action) == ["plot.created", "plot.imported", "plot.updated"]
    # One entry per created plot, holding what was stored (as audit_record would).
    assert sorted(int(e.object_id) for e in by_action["plot.created"]) == sorted(created)
    for e in by_action["plot.created"]:
        stored = json.loads(json.dumps(snapshot(created[int(e.object_id)])))
        assert e.before is None and e.after == stored
        assert e.object_type == "zones.plot" and e.actor_label == "system"
    # One entry for the changed plot, with only the changed field; none for the unchanged one.
    [update] = by_action["plot.updated"]
    assert update.object_id == str(renamed.pk)
    assert (update.before, update.after) == ({"name_ru": renamed.name_ru},
                                             {"name_ru": "Переименованный"})
    [imported] = by_action["plot.imported"]
    assert imported.object_id == str(demo.pk) and imported.after["counts"] == report.counts
    # A file without the cadastral column leaves the stored numbers alone.
    assert Plot.objects.get(pk=unchanged.pk).cadastral_number == unchanged.cadastral_number


def test_bulk_import_of_new_plots_only_gives_the_data_a_new_version(demo, tmp_path):
    path = _write(tmp_path / "new.gpkg", _boxes(demo, 2), {"code": ["VER-1", "VER-2"]},
                  driver="GPKG")
    before = DataVersion.objects.get(pk=DataVersion.ROWS["zones"]).token
    report = layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert report.counts["create"] == 2
    assert DataVersion.objects.get(pk=DataVersion.ROWS["zones"]).token != before


def test_an_import_keeps_no_plot_alive_for_the_cyclic_collector_to_find(demo, tmp_path):
    """The import pauses the cyclic collector; a reference cycle through its frames (a caught
    ValidationError holds itself and its traceback) kept every plot alive until the
    collector's next pass. Reference counting alone must free them."""
    path = _write(tmp_path / "gc.gpkg", _boxes(demo, 2), {"code": ["GC-1", "GC-2"]},
                  driver="GPKG")
    gc.collect()
    gc.disable()
    try:
        report = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
        alive = [o for o in gc.get_objects() if isinstance(o, Plot) and o.code.startswith("GC-")]
    finally:
        gc.enable()
    assert report.counts["create"] == 2 and alive == []


def test_bulk_import_audits_a_change_of_permitted_sectors_alone(demo, tmp_path):
    """A row that changes only a plot's sectors is a change, audited like the admin's; a new
    plot's sectors follow its creation entry."""
    plot = Plot.objects.filter(zone=demo, status="published", permitted_sectors__isnull=False) \
        .order_by("code").first()
    held = sorted(plot.permitted_sectors.values_list("code", flat=True))
    other = sorted(set(Sector.objects.exclude(code__in=held).values_list("code", flat=True)[:2]))
    fields = {"code": [plot.code, "SEC-1"], "name_ru": [plot.name_ru, "Новый"],
              "status": [plot.status, "draft"], "sectors": [";".join(other), ";".join(other)]}
    path = _write(tmp_path / "sectors.gpkg", [plot.shape(), *_boxes(demo, 1)], fields,
                  driver="GPKG")
    since = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()
    report = layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert report.counts == {"create": 1, "update": 1, "refuse": 0}
    assert sorted(plot.permitted_sectors.values_list("code", flat=True)) == other
    new = Plot.objects.get(code="SEC-1")
    updates = {int(e.object_id): (e.before, e.after) for e in AuditEntry.objects.filter(
        id__gt=since, action="plot.updated")}
    assert updates == {plot.pk: ({"permitted_sectors": held}, {"permitted_sectors": other}),
                       new.pk: ({"permitted_sectors": []}, {"permitted_sectors": other})}
