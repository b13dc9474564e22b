"""Fuzz test of the import with hostile files of every class (``hostile.py``), through the
service, the CLI and the staff page, dry run included.

Whatever the file: no secret reaches the answer, no request reaches the canary, nothing is
written, no temporary file, child process or thread is left, and a class's own defence answers
(a foreign format is never opened, a runaway reading stops at a limit, an oversized layer or a
lying archive is a clear refusal). The limits are lowered so that the files stay small.
"""

from __future__ import annotations

import io
import json
import re
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from promzona.audit.models import AuditEntry
from promzona.core.errors import InputError
from promzona.core.geodata import sandbox
from promzona.geodata import uploads
from promzona.geodata.services import layer_import
from promzona.zones.models import Plot

from . import hostile

LIMIT_HIT = "took longer than|processor time|MiB of memory|more than 500 features"
#: What each class must answer, beyond the properties every file shares.
EXPECTED = {
    **dict.fromkeys(hostile.FOREIGN_FORMATS, "refused"),
    **dict.fromkeys(hostile.NETWORK, "harmless"),
    **dict.fromkeys(hostile.RUNAWAY, LIMIT_HIT),
    **dict.fromkeys(hostile.OVERSIZED, "at most"),
    **dict.fromkeys(hostile.LYING_ARCHIVES, "refused"),
    **dict.fromkeys(hostile.GARBAGE, "refused"),
}
EXPECTED["zip-size-overstated"] = "harmless"  # the data itself is sound
EXPECTED["xlsx-size-understated"] = "harmless"  # GDAL reads the central directory's size
#: One payload per class, for the CLI and the staff page.
SAMPLE = ["vrt-as-csv", "gdalg-as-json", "vrt-vsicurl", "geojson-crs-link",
          "gpkg-endless-aggregate", "polygon-over-vertex-limit", "zip-size-understated",
          "geojson-deep-nesting"]


@pytest.fixture(scope="module")
def canary():
    with hostile.canary_server() as server:
        yield server


@pytest.fixture
def payload(request, tmp_path, canary):
    canary.hits.clear()
    folder = tmp_path / "in"
    folder.mkdir()
    return hostile.ALL[request.param](folder, hostile.bait(tmp_path, canary.url))


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(sandbox, "LIMITS", sandbox.Limits(
        wall_seconds=6, cpu_seconds=2, memory_mib=600, max_features=500, max_vertices=1_000,
        max_total_vertices=5_000))


def _state():
    return Plot.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("payload", sorted(hostile.ALL), indirect=True)
def test_hostile_file_changes_nothing_and_leaves_nothing(payload, request, demo, canary,
                                                         private_tmp, small_limits):
    expected = EXPECTED[request.node.callspec.params["payload"]]
    before, threads = _state(), threading.active_count()
    try:
        report = layer_import(actor=None, path=payload.path, layer="plots", zone=demo,
                             dry_run=True, crs=payload.crs, source_layer=payload.layer)
    except InputError as exc:
        answer, refused = exc.message + json.dumps(exc.details, default=str), exc.message
    else:
        answer, refused = json.dumps(report.as_dict(), default=str), None
    assert hostile.SECRET not in answer
    assert canary.hits == []
    assert _state() == before
    assert list(private_tmp.iterdir()) == []
    assert hostile.child_processes() == [] and threading.active_count() == threads
    if expected == "refused":
        assert refused is not None
    elif expected != "harmless":
        assert refused is not None and re.search(expected, refused), refused


@pytest.mark.parametrize("payload", SAMPLE, indirect=True)
def test_hostile_file_through_the_cli_is_a_clean_error_or_a_dry_run(payload, demo, canary,
                                                                    private_tmp, small_limits):
    before, out = _state(), io.StringIO()
    args = ["import", str(payload.path), "--zone", "balkhash", "--dry-run"]
    args += ["--crs", payload.crs] if payload.crs else []
    args += ["--source-layer", payload.layer] if payload.layer else []
    try:
        call_command(*args, stdout=out)
    except CommandError as exc:
        out.write(str(exc))
    assert hostile.SECRET not in out.getvalue() and canary.hits == []
    assert _state() == before and list(private_tmp.iterdir()) == [] and hostile.child_processes() == []


@pytest.mark.parametrize("payload", SAMPLE, indirect=True)
def test_hostile_upload_on_the_staff_page_is_a_clean_page_and_leaves_nothing(
        payload, staff_client, canary, private_tmp, small_limits):
    before = _state()
    stored_before = set(uploads.UPLOADS.iterdir()) if uploads.UPLOADS.is_dir() else set()
    data = {"file": SimpleUploadedFile(payload.path.name, payload.path.read_bytes()),
            "layer": "plots", "zone": "balkhash", "crs": payload.crs or "",
            "source_layer": payload.layer or ""}
    r = staff_client.post("/staff/import/", data)
    assert r.status_code in (200, 400)
    assert hostile.SECRET not in r.content.decode() and canary.hits == []
    assert _state() == before and list(private_tmp.iterdir()) == [] and hostile.child_processes() == []
    kept = set(uploads.UPLOADS.iterdir()) - stored_before
    if r.context.get("confirm"):  # a harmless file can be confirmed: only its upload is kept
        assert kept == {uploads.UPLOADS / r.context["confirm"]}
        (uploads.UPLOADS / r.context["confirm"]).unlink()
    else:
        assert kept == set()
