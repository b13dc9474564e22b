"""The API, the OGC API, import, export, the CLI and the staff pages name the layers alike;
the names the CLI and the staff export published before still work."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from promzona.core.geodata.layers import LAYERS
from promzona.geodata import export, features, services, staff
from promzona.zones.models import UtilityLine, UtilitySource


def test_every_interface_knows_the_same_layers():
    assert set(features.LAYERS) == set(LAYERS)
    assert set(export.LAYER_EXPORT_FIELDS) == set(LAYERS)
    assert set(staff.LAYER_LABELS) == set(LAYERS)
    assert set(services.MODELS) | {"plots"} == set(LAYERS)


def test_staff_export_under_an_earlier_name_redirects_permanently(staff_client, demo):
    r = staff_client.get("/staff/export/sources.geojson")
    assert r.status_code == 301 and r["Location"].endswith("/staff/export/utility-sources.geojson")
    r = staff_client.get(r["Location"])
    assert r.status_code == 200
    assert len(json.loads(r.content)["features"]) == UtilitySource.objects.count()


def test_staff_export_of_no_layer_is_not_found(staff_client, demo):
    assert staff_client.get("/staff/export/utility_sources.geojson").status_code == 404


def test_cli_export_reads_an_earlier_name_as_todays(demo, tmp_path):
    old, new = tmp_path / "old.geojson", tmp_path / "new.geojson"
    call_command("export", "--layer", "lines", "--format", "geojson", "-o", str(old),
                 stdout=io.StringIO())
    call_command("export", "--layer", "utility-lines", "--format", "geojson", "-o", str(new),
                 stdout=io.StringIO())
    assert json.loads(old.read_text()) == json.loads(new.read_text())
    assert len(json.loads(new.read_text())["features"]) == UtilityLine.objects.count()
