"""The child process that reads uploads: one driver, no network, no secrets, hard limits, and a
parent that trusts none of its answer."""

from __future__ import annotations

import subprocess
import sys
import threading

import pyogrio
import pytest

from promzona.core.geodata import files, sandbox

from ..geodata import hostile

pytestmark = pytest.mark.nodb


@pytest.fixture
def canary():
    with hostile.canary_server() as server:
        yield server


def _payload(name, tmp_path, canary_url="http://127.0.0.1:9"):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    return hostile.ALL[name](folder, hostile.bait(tmp_path, canary_url))


def _read(payload, **kw):
    with files.opened(payload.path) as dataset:
        return sandbox.read_table(dataset, layer=payload.layer, crs=payload.crs, **kw)


@pytest.mark.parametrize("driver", sorted(set(files.DRIVERS.values())))
def test_the_reader_has_only_the_declared_driver(driver, tmp_path):
    code = "import pyogrio; print(','.join(sorted(pyogrio.list_drivers())))"
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                         env=sandbox.child_environment(driver, tmp_path), check=True)
    assert out.stdout.strip() == driver
    assert {"OGR_VRT", "GDALG", "HTTP", "OAPIF", "WFS"} <= set(
        sandbox.child_environment(driver, tmp_path)["OGR_SKIP"].split(","))


def test_the_reader_gets_none_of_the_servers_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMZONA_SECRET_KEY", "s3cret")
    monkeypatch.setenv("PROMZONA_DATABASE_URL", "postgres://u:pw@db/x")
    monkeypatch.setenv("SPATIALITE_SECURITY", "relaxed")
    env = sandbox.child_environment("GPKG", tmp_path)
    assert not any(k.startswith(("PROMZONA", "SPATIALITE", "PYTHON", "DJANGO")) for k in env)
    assert env["GDAL_DISABLE_READDIR_ON_OPEN"] == "EMPTY_DIR"
    assert env["GDAL_HTTP_PROXY"] == env["https_proxy"].removeprefix("http://") == "127.0.0.1:9"


@pytest.mark.parametrize("name", ["geojson-crs-link", "vrt-vsicurl", "gdalg-vsicurl",
                                  "kml-network-link"])
@pytest.mark.parametrize("isolate", [True, False], ids=["namespace", "gdal-switches-only"])
def test_no_request_leaves_the_reader_even_without_a_network_namespace(name, isolate, tmp_path,
                                                                       canary):
    payload = _payload(name, tmp_path, canary.url)
    try:
        _read(payload, isolate_network=isolate)
    except files.FileRefused:
        pass
    assert canary.hits == []


@pytest.mark.parametrize("prefix", ["/vsicurl/", "/vsicurl_streaming/", "/vsizip//vsicurl/", ""])
def test_gdal_in_the_readers_environment_makes_no_request(prefix, tmp_path, canary):
    code = ("import sys, pyogrio\n"
            "try:\n    pyogrio.read_info(sys.argv[1])\nexcept Exception:\n    pass")
    subprocess.run([sys.executable, "-I", "-c", code, f"{prefix}{canary.url}/x.geojson"],
                   env=sandbox.child_environment("GeoJSON", tmp_path), capture_output=True,
                   check=True, timeout=60)
    assert canary.hits == []


def test_the_web_process_never_opens_an_upload_with_gdal(tmp_path, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("GDAL opened an upload in the server process")

    for name in ("list_layers", "read_info", "read_bounds", "read_dataframe"):
        monkeypatch.setattr(pyogrio, name, forbidden)
    monkeypatch.setattr(pyogrio.raw, "read", forbidden)
    payload = _payload("geojson-crs-link", tmp_path)
    table = _read(payload)
    assert len(table) == 1 and table.row(0)["code"] == "NET-1" and table.crs == "EPSG:4326"


@pytest.mark.parametrize("limits,message", [
    (sandbox.Limits(wall_seconds=2, cpu_seconds=600), "took longer than 2 seconds"),
    (sandbox.Limits(wall_seconds=600, cpu_seconds=1), "more than 1 seconds of processor time"),
], ids=["wall-time", "cpu-time"])
def test_an_endless_view_is_stopped_at_a_limit_leaving_no_process_or_thread(
        limits, message, tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "LIMITS", limits)
    payload = _payload("gpkg-endless-aggregate", tmp_path)
    threads = threading.active_count()
    with pytest.raises(files.FileRefused, match=message):
        _read(payload)
    assert hostile.child_processes() == [] and threading.active_count() == threads


def test_a_reading_that_eats_memory_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "LIMITS", sandbox.Limits(memory_mib=500))
    with pytest.raises(files.FileRefused, match="more than 500 MiB of memory"):
        _read(_payload("gpkg-doubling-string", tmp_path))


@pytest.mark.parametrize("child", [
    "import os; os.abort()",
    "import sys; sys.exit(3)",
    "import json, sys; r = json.load(sys.stdin); open(r['answer'], 'w').write('not json')",
    "import json, sys; r = json.load(sys.stdin); json.dump({'table': {'wkb': [None], "
    "'columns': {'code': [['nested']]}, 'crs': 'EPSG:4326', 'layer': 'x', 'fields': []}}, "
    "open(r['answer'], 'w'))",
], ids=["abort", "exit", "garbage", "nested-values"])
def test_a_crashed_or_misbehaving_reader_is_a_refusal(child, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(sandbox, "CHILD", child)
    with pytest.raises(files.FileRefused, match="the reader stopped"):
        _read(_payload("geojson-crs-link", tmp_path))
    assert "geodata reader failed" in caplog.text


def test_a_refusal_with_a_broken_template_still_reads(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "CHILD", (
        "import json, sys; r = json.load(sys.stdin); json.dump({'refused': {'template': "
        "'bad %(missing)s', 'params': {'x': 1}, 'field': None, 'details': None}}, "
        "open(r['answer'], 'w'))"))
    with pytest.raises(files.FileRefused, match="bad %\\(missing\\)s"):
        _read(_payload("geojson-crs-link", tmp_path))


def test_refusals_name_the_file_not_the_servers_folders(tmp_path):
    with pytest.raises(files.FileRefused) as exc:
        _read(_payload("geojson-noise", tmp_path))
    assert "upload.geojson" in exc.value.message and "promzona-import-" not in exc.value.message
