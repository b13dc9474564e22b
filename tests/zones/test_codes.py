"""Codes of plots, utility sources and lines follow one character set on every input path
(admin, import by CLI, staff page and service, demo); rows saved before the rule are listed
by the system check."""

from __future__ import annotations

import io

import pytest
import shapely
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from promzona.core.codes import is_code
from promzona.geodata.rows import ImportRefused
from promzona.geodata.services import layer_import
from promzona.zones.models import Plot, UtilityLine, UtilitySource, Zone

from ..geodata.test_import_export import _boxes, _write
from .test_admin import _plot_form

pytestmark = pytest.mark.django_db
BAD = ["SLASH/1", "a b", "..", "x?y#z", "<img src=x onerror=alert(7)>", "50%", "a\u202eb"]


def _plots_file(tmp_path, demo, code):
    return _write(tmp_path / "p.geojson", _boxes(demo, 1), {"code": [code]}, driver="GeoJSON")


@pytest.mark.parametrize("code", BAD)
def test_import_refuses_a_plot_code_outside_the_character_set(code, demo, tmp_path):
    path = _plots_file(tmp_path, demo, code)
    report = layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    assert report.rows[0].action == "refuse" and "Latin or Cyrillic" in report.rows[0].reason
    with pytest.raises(ImportRefused):
        layer_import(actor=None, path=path, layer="plots", zone=demo)
    assert not Plot.objects.filter(code=code).exists()


@pytest.mark.parametrize("code", BAD[:3])
def test_cli_and_staff_page_refuse_the_code(code, demo, tmp_path, staff_client):
    path = _plots_file(tmp_path, demo, code)
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(path), "--zone", "balkhash", stdout=out)
    assert "refuse" in out.getvalue() and "Latin or Cyrillic" in out.getvalue()
    r = staff_client.post("/staff/import/", {
        "file": SimpleUploadedFile("p.geojson", path.read_bytes()), "layer": "plots",
        "zone": "balkhash"})
    assert r.status_code == 200 and r.context["report"].counts["refuse"] == 1
    assert "confirm" not in r.context and not Plot.objects.filter(code=code).exists()


@pytest.mark.parametrize("code", BAD[:3])
def test_sources_and_lines_import_refuse_the_code(code, demo, tmp_path):
    x0, y0, x1, _ = demo.shape().bounds
    src = _write(tmp_path / "s.geojson", [shapely.Point(x0 + 0.001, y0 + 0.001)],
                 {"code": [code], "kind": ["power"], "capacity": ["10"], "name": ["x"]},
                 driver="GeoJSON", gtype="Point")
    line = _write(tmp_path / "l.geojson",
                  [shapely.LineString([(x0 + 0.001, y0 + 0.0001), (x1 - 0.001, y0 + 0.0001)])],
                  {"code": [code], "kind": ["power"], "status": ["existing"]},
                  driver="GeoJSON", gtype="LineString")
    for path, layer in ((src, "utility-sources"), (line, "utility-lines")):
        report = layer_import(actor=None, path=path, layer=layer, zone=demo, dry_run=True)
        assert report.rows[0].action == "refuse" and "Latin or Cyrillic" in report.rows[0].reason
    assert not UtilitySource.objects.filter(code=code).exists()
    assert not UtilityLine.objects.filter(code=code).exists()


@pytest.mark.parametrize("code", BAD[:3])
def test_admin_refuses_the_code(code, staff_client):
    plot = Plot.objects.get(code="BLK-04")
    r = staff_client.post(reverse("admin:zones_plot_change", args=[plot.pk]),
                          _plot_form(plot, code=code))
    assert r.status_code == 200
    assert "Latin or Cyrillic" in r.context["adminform"].form.errors["code"][0]
    assert Plot.objects.get(pk=plot.pk).code == "BLK-04"


def test_the_demo_uses_only_valid_codes_and_the_check_finds_nothing(demo):
    assert all(map(is_code, Plot.objects.values_list("code", flat=True)))
    assert all(map(is_code, UtilitySource.objects.values_list("code", flat=True)))
    assert all(map(is_code, UtilityLine.objects.values_list("code", flat=True)))
    assert [m for m in run_checks(databases=["default"]) if m.id == "zones.W001"] == []


def test_the_check_lists_rows_saved_before_the_rule(demo):
    Plot.objects.filter(code="BLK-11").update(code="SLASH/1")
    UtilityLine.objects.filter(pk=UtilityLine.objects.first().pk).update(code="a b")
    Zone.objects.filter(pk=demo.pk).update(slug="зона")
    found = [m for m in run_checks(databases=["default"]) if m.id == "zones.W001"]
    text = " ".join(m.msg for m in found)
    assert len(found) == 3 and "'SLASH/1'" in text and "'a b'" in text and "'зона'" in text
    assert [m for m in run_checks() if m.id == "zones.W001"] == []  # only with the database
    out = io.StringIO()
    call_command("check", "--database", "default", stderr=out, stdout=out)
    assert "zones.W001" in out.getvalue()
