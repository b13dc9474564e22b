"""Import and export of real files written with pyogrio, and every hostile-file case."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pyogrio
import pyogrio.raw
import pytest
import shapely
from django.core.management import CommandError, call_command
from pyproj import Transformer

from promzona.audit.models import AuditEntry
from promzona.core.geodata import files, sandbox
from promzona.geodata.export import EXPORT_FORMATS, layer_export
from promzona.geodata.rows import ImportRefused
from promzona.geodata.services import layer_import
from promzona.zones.models import Plot

NAMES = ["Участок «Север»", "Участок Южный"]


def _boxes(zone, n=2):
    """Small squares in the zone's internal roads: inside the boundary, touching no demo plot."""
    x0, y0, _x1, _y1 = zone.shape().bounds
    inner = zone.shape().buffer(-1e-6)
    taken = shapely.union_all([p.shape() for p in Plot.objects.filter(zone=zone)])
    out = []
    for i in range(200):
        b = shapely.box(x0 + 0.0002 + i * 0.0003, y0 + 0.00004, x0 + 0.0003 + i * 0.0003,
                        y0 + 0.00013)
        if inner.covers(b) and not b.intersects(taken):
            out.append(b)
            if len(out) == n:
                return out
    raise AssertionError("no free space in the demo zone")


def _write(path: Path, geoms, fields: dict, *, driver: str, crs: str | None = "EPSG:4326",
           gtype="Polygon"):
    names = list(fields)
    pyogrio.raw.write(
        str(path), shapely.to_wkb(np.array(geoms, dtype=object)),
        [np.array(fields[n], dtype=object) for n in names], names,
        driver=driver, geometry_type=gtype, crs=crs,
        **({"encoding": "UTF-8"} if driver == "ESRI Shapefile" else {}),
    )
    return path


def _fields(prefix="IMP"):
    return {
        "Код": [f"{prefix}-1", f"{prefix}-2"],
        "Наименование": NAMES,
        "Кадастровый номер": [f"99-{prefix}-1", f"99-{prefix}-2"],
        "Площадь_га": ["0.6", "0.6"],
        "status": ["published", "draft"],
    }


def _zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w") as zf:
        for p in sorted(folder.iterdir()):
            zf.write(p, p.name)
    return out


def make_file(kind: str, tmp_path: Path, zone, prefix="IMP") -> tuple[Path, str | None]:
    """A two-plot file of ``kind``; returns it and the CRS to name (for CSV/XLSX)."""
    geoms = _boxes(zone)
    f = _fields(prefix)
    if kind == "gpkg":
        return _write(tmp_path / "p.gpkg", geoms, f, driver="GPKG"), None
    if kind == "geojson":
        return _write(tmp_path / "p.geojson", geoms, f, driver="GeoJSON"), None
    if kind == "fgb":
        return _write(tmp_path / "p.fgb", geoms, f, driver="FlatGeobuf"), None
    if kind == "kml":
        return _write(tmp_path / "p.kml", geoms, f, driver="KML"), None
    if kind == "kmz":
        d = tmp_path / "kmz"
        d.mkdir()
        _write(d / "doc.kml", geoms, f, driver="KML")
        return _zip(d, tmp_path / "p.kmz"), None
    if kind == "shp-32643":
        t = Transformer.from_crs(4326, 32643, always_xy=True)
        projected = [shapely.transform(g, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))
                     for g in geoms]
        d = tmp_path / "shp"
        d.mkdir()
        short = {"code": f["Код"], "name": f["Наименование"], "cadastral": f["Кадастровый номер"],
                 "area_ha": f["Площадь_га"], "status": f["status"]}
        _write(d / "plots.shp", projected, short, driver="ESRI Shapefile", crs="EPSG:32643")
        return _zip(d, tmp_path / "p.zip"), None
    if kind == "csv":
        path = tmp_path / "p.csv"
        rows = ["wkt,код,название,кадастровый_номер,площадь_га,status"]
        for g, c, n, k, a, s in zip(geoms, *f.values(), strict=True):
            rows.append(f'"{g.wkt}",{c},{n},{k},{a},{s}')
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        return path, "EPSG:4326"
    if kind == "xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["WKT", "code", "name", "cadastral_number", "area_ha", "status"])
        for g, *vals in zip(geoms, *f.values(), strict=True):
            ws.append([g.wkt, *vals])
        path = tmp_path / "p.xlsx"
        wb.save(path)
        return path, "EPSG:4326"
    raise AssertionError(kind)


FORMATS = ["gpkg", "geojson", "fgb", "kml", "kmz", "shp-32643", "csv", "xlsx"]


@pytest.mark.parametrize("kind", FORMATS)
def test_each_format_imports_plots_with_cyrillic_names_and_geometry(kind, demo, tmp_path):
    expected_shapes = _boxes(demo)
    path, crs = make_file(kind, tmp_path, demo)
    report = layer_import(actor=None, path=path, layer="plots", zone=demo, crs=crs)
    assert report.written and report.counts == {"create": 2, "update": 0, "refuse": 0}
    plots = list(Plot.objects.filter(zone=demo, code__startswith="IMP-").order_by("code"))
    assert [p.name_ru for p in plots] == NAMES
    assert [p.cadastral_number for p in plots] == ["99-IMP-1", "99-IMP-2"]
    assert plots[1].status == "draft"
    for p, expected in zip(plots, expected_shapes, strict=True):
        got = p.shape()
        assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(expected), 1e-7)
        assert p.computed_area_ha is not None and p.dist_rail_m is not None
    assert AuditEntry.objects.filter(action="plot.created", object_id=str(plots[0].pk)).exists()
    assert AuditEntry.objects.filter(action="plot.imported").exists()


def test_dry_run_reports_each_row_and_writes_nothing(demo, tmp_path):
    bow = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    x0, y0, _, _ = demo.shape().bounds
    bowtie = shapely.affinity.translate(shapely.affinity.scale(bow, 0.001, 0.001, origin=(0, 0)),
                                        x0 + 0.0003, y0 + 0.0003)
    existing = Plot.objects.filter(zone=demo).order_by("code").first()
    geoms = [_boxes(demo)[0], bowtie, existing.shape()]
    fields = {"code": ["NEW-1", "BAD-1", existing.code], "name": ["a", "b", "c"]}
    path = _write(tmp_path / "mixed.gpkg", geoms, fields, driver="GPKG")
    before_plots, before_audit = Plot.objects.count(), AuditEntry.objects.count()
    report = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    actions = [(r.key, r.action) for r in report.rows]
    assert actions == [("NEW-1", "create"), ("BAD-1", "refuse"), (existing.code, "update")]
    assert "self-intersection at" in report.rows[1].reason
    assert (Plot.objects.count(), AuditEntry.objects.count()) == (before_plots, before_audit)
    with pytest.raises(ImportRefused) as exc:
        layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert exc.value.details["counts"]["refuse"] == 1
    assert (Plot.objects.count(), AuditEntry.objects.count()) == (before_plots, before_audit)
    assert existing.name_ru == Plot.objects.get(pk=existing.pk).name_ru
    repaired = layer_import(actor=None, path=path, layer="plots", zone=demo, repair=True)
    assert repaired.written and Plot.objects.get(code="BAD-1").shape().is_valid


def test_projected_coordinates_labelled_wgs84_are_refused(demo, tmp_path):
    geoms = [shapely.box(500000, 5180000, 500100, 5180100)]
    path = _write(tmp_path / "lying.geojson", geoms, {"code": ["X-1"]}, driver="GeoJSON")
    report = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    assert report.rows[0].action == "refuse" and "look projected" in report.rows[0].reason


def test_duplicate_cadastral_numbers_and_overlaps_are_reported(demo, tmp_path):
    a, b = _boxes(demo)
    other = Plot.objects.exclude(cadastral_number=None).first()
    fields = {"code": ["D-1", "D-2", "D-3", "D-4"],
              "cadastral": ["77-1", "77-2", "77-1", other.cadastral_number]}
    path = _write(tmp_path / "dup.gpkg", [a, a.buffer(-0.00001), b, b], fields, driver="GPKG")
    rows = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True).rows
    assert rows[0].action == "create" and rows[0].warnings == ["overlaps plot D-2"]
    assert rows[2].action == "refuse" and "repeats row 1" in rows[2].reason
    assert rows[3].action == "refuse" and f"already belongs to plot {other.code}" in rows[3].reason
    assert rows[1].warnings == []  # each overlap is reported once


def test_csv_without_crs_is_refused_unless_named(demo, tmp_path):
    path, _crs = make_file("csv", tmp_path, demo)
    with pytest.raises(files.InputError, match="coordinate reference system"):
        layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    with pytest.raises(files.InputError, match="Unknown CRS"):
        layer_import(actor=None, path=path, layer="plots", zone=demo, crs="EPSG:nonsense")


def test_saved_mapping_overrides_guesses_and_unknown_columns_are_refused(demo, tmp_path):
    path = _write(tmp_path / "m.gpkg", _boxes(demo, 1), {"fid_x": ["M-1"], "label": ["Имя"]},
                  driver="GPKG")
    with pytest.raises(files.InputError, match="plot code"):
        layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    report = layer_import(actor=None, path=path, layer="plots", zone=demo,
                         mapping={"code": "fid_x", "name_ru": "label"})
    assert Plot.objects.get(code="M-1").name_ru == "Имя" and report.written
    with pytest.raises(files.InputError, match="not in the file"):
        layer_import(actor=None, path=path, layer="plots", zone=demo, mapping={"code": "nope"})


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))  # every format the docs advertise
def test_export_then_import_round_trip_loses_nothing(fmt, demo, tmp_path):
    target = tmp_path / f"plots.{'zip' if fmt == 'shp' else fmt}"
    call_command("export", "--layer", "plots", "--format", fmt, "-o", str(target),
                 stdout=io.StringIO())
    db = {p.code: p for p in Plot.objects.filter(zone=demo)}
    # GDAL itself (not only our sandboxed reader below) reads every plot in the named driver.
    info = pyogrio.read_info(f"/vsizip/{target}" if fmt == "shp" else target)
    driver = info["driver"].removeprefix("LIB")  # GDAL reads KML with LIBKML when it has it
    assert (info["features"], driver) == (len(db), EXPORT_FORMATS[fmt][0])
    with files.opened(target) as ds:
        table = sandbox.read_table(ds, crs="EPSG:4326" if fmt == "csv" else None)
    assert len(table) == len(db)
    code_col = "code"
    for i in range(len(table)):
        row = table.row(i)
        plot = db[row[code_col]]
        assert row["name_ru"] == plot.name_ru
        got = table.geometries[i]
        got = got.geoms[0] if got.geom_type == "MultiPolygon" else got
        assert shapely.equals_exact(shapely.normalize(got), shapely.normalize(plot.shape()), 1e-7)
    audit_before = AuditEntry.objects.filter(action="plot.updated").count()
    report = layer_import(actor=None, path=target, layer="plots", zone=demo,
                         crs="EPSG:4326" if fmt == "csv" else None)
    assert report.counts == {"create": 0, "update": len(db), "refuse": 0}
    for p in Plot.objects.filter(zone=demo):
        old = db[p.code]
        assert (p.name_ru, p.status, p.declared_area_ha, p.cadastral_number, p.rail_spur,
                p.hazard_class_max, p.lease_price_kzt_ha_year, p.verified_at) == (
            old.name_ru, old.status, old.declared_area_ha, old.cadastral_number, old.rail_spur,
            old.hazard_class_max, old.lease_price_kzt_ha_year, old.verified_at)
        assert set(p.permitted_sectors.values_list("code", flat=True)) == set(
            old.permitted_sectors.values_list("code", flat=True))
        assert shapely.equals_exact(p.shape(), old.shape(), 1e-7)
    # Nothing changed, so nothing to audit per plot.
    assert AuditEntry.objects.filter(action="plot.updated").count() == audit_before


def test_export_of_sources_and_lines_and_unknown_format(demo, tmp_path):
    from promzona.zones.models import UtilitySource

    out = layer_export(objects=UtilitySource.objects.all(), layer="utility-sources", fmt="geojson",
                       path=tmp_path / "s.geojson")
    with files.opened(out) as ds:
        assert len(sandbox.read_table(ds)) == UtilitySource.objects.count()
    with pytest.raises(files.InputError):
        layer_export(objects=[], layer="plots", fmt="dwg", path=tmp_path / "x.dwg")


def test_sources_import_creates_points_through_feature_save(demo, tmp_path):
    x0, y0, _, _ = demo.shape().bounds
    path = _write(tmp_path / "s.geojson", [shapely.Point(x0 + 0.001, y0 + 0.001)],
                  {"code": ["SRC-NEW"], "name": ["Подстанция"], "kind": ["power"],
                   "capacity": ["1000"]}, driver="GeoJSON", gtype="Point")
    report = layer_import(actor=None, path=path, layer="utility-sources", zone=demo)
    assert report.written
    from promzona.zones.models import UtilitySource

    assert UtilitySource.objects.get(code="SRC-NEW").name_ru == "Подстанция"
    bad = _write(tmp_path / "b.geojson", [shapely.Point(x0, y0)],
                 {"code": ["SRC-BAD"], "kind": ["plasma"], "capacity": ["1"]},
                 driver="GeoJSON", gtype="Point")
    with pytest.raises(ImportRefused):
        layer_import(actor=None, path=bad, layer="utility-sources", zone=demo)
    assert not UtilitySource.objects.filter(code="SRC-BAD").exists()


# --- hostile files ---------------------------------------------------------------------------


def _zip_with(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def _assert_refused(path, demo, private_tmp, match, name=None):
    before = Plot.objects.count()
    with pytest.raises(files.FileRefused, match=match):
        layer_import(actor=None, path=path, layer="plots", zone=demo, name=name)
    assert Plot.objects.count() == before
    assert list(private_tmp.iterdir()) == []


def test_oversized_file_is_refused(demo, tmp_path, private_tmp, monkeypatch):
    path, _ = make_file("gpkg", tmp_path, demo)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    _assert_refused(path, demo, private_tmp, "at most")


def test_zip_bomb_by_total_size_is_refused_before_extraction(demo, tmp_path, private_tmp,
                                                            monkeypatch):
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    bomb = _zip_with(tmp_path / "bomb.zip", [("big.geojson", b" " * (2 * 1024 * 1024))])
    assert bomb.stat().st_size < 10_000  # small on disk, large unpacked
    _assert_refused(bomb, demo, private_tmp, "would unpack to")


def test_zip_with_too_many_entries_is_refused(demo, tmp_path, private_tmp):
    entries = [(f"f{i}.txt", b"x") for i in range(files.MAX_ZIP_ENTRIES + 1)]
    _assert_refused(_zip_with(tmp_path / "many.zip", entries), demo, private_tmp, "entries")


@pytest.mark.parametrize("name", ["../evil.geojson", "/tmp/evil.geojson", "a/../../evil.geojson",
                                  "C:/evil.geojson"])
def test_zip_with_traversal_or_absolute_path_is_refused(name, demo, tmp_path, private_tmp):
    path = _zip_with(tmp_path / "trav.zip", [(name, b'{"type":"FeatureCollection"}')])
    _assert_refused(path, demo, private_tmp, "unsafe path")
    assert not (tmp_path / "evil.geojson").exists()
    assert not (private_tmp.parent / "evil.geojson").exists()


def test_zip_with_symlink_is_refused(demo, tmp_path, private_tmp):
    info = zipfile.ZipInfo("link.shp")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = _zip_with(tmp_path / "link.zip", [(info, b"/etc/passwd")])
    _assert_refused(path, demo, private_tmp, "symbolic link")


@pytest.mark.parametrize("suffix,content", [
    (".gpkg", b"just some text, not SQLite"),
    (".zip", b"SQLite format 3\x00" + b"\0" * 100),
    (".kml", b'{"type": "FeatureCollection"}'),
    (".geojson", b"<kml></kml>"),
    (".csv", b"\x00\x01\x02binary"),
    (".exe", b"MZ..."),
])
def test_content_not_matching_extension_is_refused(suffix, content, demo, tmp_path, private_tmp):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(content)
    _assert_refused(path, demo, private_tmp, "look like|Unsupported|damaged")


def test_upload_name_decides_the_format_and_temp_folder_is_removed(demo, tmp_path, private_tmp):
    path, _ = make_file("gpkg", tmp_path, demo)
    stored = tmp_path / "upload-3f9a"  # uploads are stored under random names
    stored.write_bytes(path.read_bytes())
    report = layer_import(actor=None, path=stored, layer="plots", zone=demo, name="cad.gpkg",
                         dry_run=True)
    assert report.counts["create"] == 2
    assert list(private_tmp.iterdir()) == []
    _assert_refused(stored, demo, private_tmp, "look like", name="cad.fgb")


def test_xlsx_bomb_is_refused_before_gdal_opens_it(demo, tmp_path, private_tmp, monkeypatch):
    monkeypatch.setattr(files, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    path = _zip_with(tmp_path / "bomb.xlsx", [("xl/worksheets/sheet1.xml", b" " * (2 << 20))])
    _assert_refused(path, demo, private_tmp, "would unpack to")


def test_broken_zip_and_empty_file_are_refused(demo, tmp_path, private_tmp):
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    _assert_refused(bad, demo, private_tmp, "damaged")
    empty = tmp_path / "e.geojson"
    empty.write_bytes(b"")
    _assert_refused(empty, demo, private_tmp, "empty")


# --- CLI -------------------------------------------------------------------------------------


def test_cli_import_dry_run_then_real_run(demo, tmp_path):
    path, _ = make_file("gpkg", tmp_path, demo, prefix="CLI")
    out = io.StringIO()
    call_command("import", str(path), "--layer", "plots", "--zone", "balkhash", "--dry-run",
                 stdout=out)
    assert "2 to create, 0 to update, 0 refused" in out.getvalue()
    assert "Dry run: nothing was written." in out.getvalue()
    assert not Plot.objects.filter(code="CLI-1").exists()
    out = io.StringIO()
    call_command("import", str(path), "--zone", "balkhash", "--user", "demo-staff", stdout=out)
    assert "Imported." in out.getvalue() and Plot.objects.filter(code="CLI-1").exists()
    entry = AuditEntry.objects.get(action="plot.created",
                                   object_id=str(Plot.objects.get(code="CLI-1").pk))
    assert entry.actor_label == "demo-staff"
    with pytest.raises(CommandError, match="No user"):
        call_command("import", str(path), "--zone", "balkhash", "--user", "nobody")
    with pytest.raises(CommandError, match="not active zone office staff"):
        call_command("import", str(path), "--zone", "balkhash", "--user", "demo-investor")


def test_cli_import_errors(demo, tmp_path):
    path, _ = make_file("csv", tmp_path, demo)
    with pytest.raises(CommandError, match="No zone"):
        call_command("import", str(path), "--zone", "atlantis", stdout=io.StringIO())
    with pytest.raises(CommandError, match="coordinate reference system"):
        call_command("import", str(path), "--zone", "balkhash", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import", str(tmp_path / "none.gpkg"), "--zone", "balkhash")
    mapping = tmp_path / "m.json"
    mapping.write_text("[1, 2]")
    with pytest.raises(CommandError, match="JSON object"):
        call_command("import", str(path), "--zone", "balkhash", "--mapping", str(mapping))
    out = io.StringIO()
    bow = _write(tmp_path / "bow.geojson",
                 [shapely.Polygon([(75, 46), (76, 47), (76, 46), (75, 47), (75, 46)])],
                 {"code": ["Z"]}, driver="GeoJSON")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(bow), "--zone", "balkhash", stdout=out)
    assert "row 1 Z: refuse" in out.getvalue()


def test_lines_and_zones_import_and_refusals(demo, tmp_path):
    from promzona.zones.models import UtilityLine, Zone

    x0, y0, x1, y1 = demo.shape().bounds
    line = shapely.LineString([(x0 + 0.001, y0 + 0.0001), (x1 - 0.001, y0 + 0.0001)])
    path = _write(tmp_path / "l.geojson", [line, line],
                  {"code": ["PL-NEW", "PL-BAD"], "name": ["Новая ЛЭП", "x"],
                   "kind": ["power", "power"], "status": ["planned", "planned"],
                   "planned_completion": ["2027-05-01", "01.13.2027"], "source": ["", ""]},
                  driver="GeoJSON", gtype="LineString")
    report = layer_import(actor=None, path=path, layer="utility-lines", zone=demo, dry_run=True)
    assert [r.action for r in report.rows] == ["create", "refuse"]
    assert "not a date" in report.rows[1].reason
    assert not UtilityLine.objects.filter(code="PL-NEW").exists()
    zone_poly = shapely.box(76.0, 47.0, 76.05, 47.03)
    zpath = _write(tmp_path / "z.gpkg", [zone_poly],
                   {"slug": ["sary-shagan"], "name": ["Сары-Шаган"], "kind": ["industrial_zone"],
                    "status": ["planned"], "municipality": ["Балхаш"]}, driver="GPKG")
    assert layer_import(actor=None, path=zpath, layer="zones", zone=None).written
    assert Zone.objects.get(slug="sary-shagan").name_ru == "Сары-Шаган"
    with pytest.raises(files.InputError, match="Unknown layer"):
        layer_import(actor=None, path=zpath, layer="roads", zone=demo)


def test_google_earth_kml_with_only_placemark_names(demo, tmp_path):
    path = _write(tmp_path / "ge.kml", _boxes(demo), {"Name": ["Участок «Север»", "Участок Южный"],
                                                      "code": ["GE-1", "GE-2"]}, driver="KML")
    assert "<name>Участок «Север»</name>" in path.read_text(encoding="utf-8")
    layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert Plot.objects.get(code="GE-1").name_ru == "Участок «Север»"


def test_a_concurrent_duplicate_is_a_conflict_and_nothing_is_written(demo, tmp_path, monkeypatch):
    from promzona.core.errors import Conflict
    from promzona.geodata import plot_import

    path, _ = make_file("gpkg", tmp_path, demo, prefix="RACE")
    real = plot_import._write_plots

    def racing(**kw):  # another import creates RACE-2 between the checks and the write
        Plot.objects.create(zone=demo, code="RACE-2", declared_area_ha=1, ownership="state",
                            geometry=_boxes(demo, 1)[0].__geo_interface__)
        return real(**kw)

    monkeypatch.setattr(plot_import, "_write_plots", racing)
    before = Plot.objects.count()
    with pytest.raises(Conflict):
        layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert Plot.objects.count() == before + 1  # only the racer's plot
    assert not Plot.objects.filter(code="RACE-1").exists()


@pytest.mark.parametrize("name,content", [
    ("x.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feat'),
    ("x.gpkg", b"SQLite format 3\x00" + b"\xff" * 2000),
    ("x.kml", b"<?xml version='1.0'?><kml><Document><Placemark>"),
    ("x.fgb", b"fgb\x03" + bytes(range(256)) * 8),
])
def test_truncated_or_corrupt_files_are_refused(name, content, demo, tmp_path, private_tmp):
    path = tmp_path / name
    path.write_bytes(content)
    before = Plot.objects.count()
    with pytest.raises(files.InputError):
        layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert Plot.objects.count() == before and list(private_tmp.iterdir()) == []


def test_csv_rows_with_unreadable_geometry_or_values_are_refused(demo, tmp_path):
    path = tmp_path / "bad.csv"
    good = _boxes(demo, 1)[0].wkt
    path.write_text(
        "wkt,code,area_ha,hazard_class_max,rail_spur\n"
        '"POLYGON ((1 2, 3",code-1,1,3,no\n'
        f'"{good}",C-2,abc,3,no\n'
        f'"{good}",C-3,1,2.5,no\n'
        f'"{good}",C-4,1,3,perhaps\n'
        f'"{good}",C-5,1,9,no\n'
        '"POINT (75.02 46.86)",C-6,1,3,no\n', encoding="utf-8")
    rows = layer_import(actor=None, path=path, layer="plots", zone=demo, crs="EPSG:4326",
                       dry_run=True).rows
    assert [r.action for r in rows] == ["refuse"] * 6
    reasons = [r.reason for r in rows]
    assert "no readable geometry" in reasons[0]
    assert "declared_area_ha: not a number" in reasons[1]
    assert "hazard_class_max: not a whole number" in reasons[2]
    assert "rail_spur: not yes/no" in reasons[3]
    assert "Most hazardous class allowed:" in reasons[4]  # the field's label, not its name
    assert "Expected a Polygon" in reasons[5]


def test_import_cannot_move_plots_into_or_out_of_a_reservation(demo, tmp_path):
    reserved = Plot.objects.filter(zone=demo, status="reserved").order_by("code").first()
    free = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    fields = {"code": [reserved.code, free.code], "status": ["published", "reserved"]}
    path = _write(tmp_path / "st.gpkg", [reserved.shape(), free.shape()], fields, driver="GPKG")
    rows = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True).rows
    assert [r.action for r in rows] == ["refuse", "refuse"]
    assert "applications review" in rows[0].reason and "status" in rows[0].reason
    with pytest.raises(ImportRefused):
        layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert Plot.objects.get(pk=reserved.pk).status == "reserved"
    assert Plot.objects.get(pk=free.pk).status == "published"


def test_a_reservation_made_after_the_checks_is_not_undone_by_the_import(demo, tmp_path,
                                                                         monkeypatch):
    from promzona.core.errors import Conflict
    from promzona.zones import services as zone_services
    from promzona.zones.services import plot_set_status

    free = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    path = _write(tmp_path / "n.gpkg", [free.shape()], {"code": [free.code], "name": ["new"]},
                  driver="GPKG")
    real = zone_services.plots_derive

    def reserve_meanwhile(*args, **kwargs):
        plot_set_status(actor=None, plot=Plot.objects.get(pk=free.pk), status="reserved")
        return real(*args, **kwargs)

    monkeypatch.setattr(zone_services, "plots_derive", reserve_meanwhile)
    with pytest.raises(Conflict, match="reserved or released meanwhile"):
        layer_import(actor=None, path=path, layer="plots", zone=demo)
    free.refresh_from_db()
    assert free.status == "reserved" and free.name_ru != "new"


def _two_layer_gpkg(tmp_path, demo):
    a, b = _boxes(demo)
    path = tmp_path / "cadastre.gpkg"
    _write(path, [a], {"code": ["L-PLOT"]}, driver="GPKG")
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array([b], dtype=object)),
                      [np.array(["L-BLDG"], dtype=object)], ["code"], driver="GPKG",
                      geometry_type="Polygon", crs="EPSG:4326", layer="buildings", append=True)
    return path


def test_a_file_with_several_layers_needs_the_layer_named(demo, tmp_path):
    path = _two_layer_gpkg(tmp_path, demo)
    with pytest.raises(files.FileRefused, match="2 layers \\(cadastre, buildings\\)") as exc:
        layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    assert exc.value.details == {"layers": ["cadastre", "buildings"]}
    with pytest.raises(files.FileRefused, match="no layer 'roads'"):
        layer_import(actor=None, path=path, layer="plots", zone=demo, source_layer="roads")
    report = layer_import(actor=None, path=path, layer="plots", zone=demo,
                         source_layer="buildings")
    assert report.written and [r.key for r in report.rows] == ["L-BLDG"]
    assert not Plot.objects.filter(code="L-PLOT").exists()


def test_cli_names_the_source_layer(demo, tmp_path):
    path = _two_layer_gpkg(tmp_path, demo)
    with pytest.raises(CommandError, match="name the one to import"):
        call_command("import", str(path), "--zone", "balkhash", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import", str(path), "--zone", "balkhash", "--source-layer", "cadastre",
                 stdout=out)
    assert "Imported." in out.getvalue() and Plot.objects.filter(code="L-PLOT").exists()


def test_import_cannot_create_a_plot_already_allocated(demo, tmp_path):
    a, = _boxes(demo, 1)
    path = _write(tmp_path / "alloc.gpkg", [a], {"code": ["NEW-A"], "status": ["allocated"]},
                  driver="GPKG")
    rows = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True).rows
    assert rows[0].action == "refuse" and "applications review" in rows[0].reason


def test_sources_import_refuses_repeated_codes_and_a_kind_change_in_use(demo, tmp_path):
    from promzona.zones.models import UtilitySource

    x0, y0, _, _ = demo.shape().bounds
    pts = [shapely.Point(x0 + 0.001, y0 + 0.001), shapely.Point(x0 + 0.002, y0 + 0.001)]
    twice = _write(tmp_path / "twice.geojson", pts,
                   {"code": ["ZZ-7", "ZZ-7"], "kind": ["power", "water"],
                    "capacity": ["10", "20"]}, driver="GeoJSON", gtype="Point")
    rows = layer_import(actor=None, path=twice, layer="utility-sources", zone=demo, dry_run=True).rows
    assert rows[1].action == "refuse" and "repeats row 1" in rows[1].reason
    fed = UtilitySource.objects.filter(zone=demo, lines__isnull=False).distinct().first()
    other = "water" if fed.kind != "water" else "power"
    change = _write(tmp_path / "kind.geojson", [fed.shape()],
                    {"code": [fed.code], "kind": [other], "capacity": [str(fed.capacity)]},
                    driver="GeoJSON", gtype="Point")
    rows = layer_import(actor=None, path=change, layer="utility-sources", zone=demo, dry_run=True).rows
    assert rows[0].action == "refuse" and "kind cannot change" in rows[0].reason
    assert UtilitySource.objects.get(pk=fed.pk).kind == fed.kind
