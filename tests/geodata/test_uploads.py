"""Import files on disk are removed on every path, and what a crash left behind is removed at
start-up and by ``promzona imports clean``; refusals speak the caller's language."""

from __future__ import annotations

import io
import os
import time

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from promzona.core.geodata import files
from promzona.geodata import services, uploads
from promzona.geodata.services import layer_import
from promzona.zones.models import Plot

from . import hostile
from .test_import_export import make_file


@pytest.fixture
def imports_dir(tmp_path, monkeypatch):
    folder = tmp_path / "imports"
    monkeypatch.setattr(uploads, "UPLOADS", folder)
    monkeypatch.setattr(uploads, "WORK", folder / "work")
    monkeypatch.setattr("promzona.geodata.staff.UPLOADS", folder)
    return folder


def _aged(path, seconds):
    old = time.time() - seconds
    os.utime(path, (old, old))
    return path


def _leftovers(folder):
    """A crashed preview and a crashed reading's folder (old), and the same but recent."""
    (folder / "work" / "promzona-import-old").mkdir(parents=True)
    (folder / "work" / "promzona-import-old" / "upload.gpkg").write_bytes(b"x")
    (folder / "work" / "promzona-import-new").mkdir()
    (folder / "0ld").write_bytes(b"x")
    (folder / "n3w").write_bytes(b"x")
    _aged(folder / "work" / "promzona-import-old", uploads.WORK_SECONDS + 5)
    _aged(folder / "0ld", uploads.PREVIEW_SECONDS + 5)
    return {folder / "work" / "promzona-import-old", folder / "0ld"}


def test_the_clean_job_removes_only_what_is_older_than_its_use(imports_dir):
    old = _leftovers(imports_dir)
    out = io.StringIO()
    call_command("imports", "clean", stdout=out)
    assert "2 left-over import file(s) removed." in out.getvalue()
    assert not any(p.exists() for p in old)
    assert (imports_dir / "n3w").exists() and (imports_dir / "work" / "promzona-import-new").exists()
    call_command("imports", "clean", stdout=io.StringIO())  # nothing left to do: no error


def test_the_clean_job_removes_a_planted_link_not_what_it_points_to(imports_dir, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("x")
    (imports_dir / "work").mkdir(parents=True)
    for link in (imports_dir / "evil", imports_dir / "work" / "evil"):
        link.symlink_to(outside, target_is_directory=True)
        old = time.time() - uploads.PREVIEW_SECONDS - 5
        os.utime(link, (old, old), follow_symlinks=False)
    call_command("imports", "clean", stdout=io.StringIO())
    assert not (imports_dir / "evil").is_symlink() and not (imports_dir / "work" / "evil").exists()
    assert (outside / "keep.txt").exists()


def test_the_clean_job_refuses_an_unknown_action(imports_dir):
    with pytest.raises(CommandError):
        call_command("imports", "wipe", stdout=io.StringIO())


def test_start_up_removes_left_overs(imports_dir):
    old = _leftovers(imports_dir)
    apps.get_app_config("geodata").ready()
    assert not any(p.exists() for p in old) and (imports_dir / "n3w").exists()


def test_an_unexpected_error_during_the_preview_leaves_no_upload(staff_client, demo, tmp_path,
                                                                  imports_dir, private_tmp,
                                                                  monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(services, "plots_import", broken)
    path, _ = make_file("gpkg", tmp_path, demo)
    with pytest.raises(RuntimeError):
        staff_client.post("/staff/import/", {
            "file": SimpleUploadedFile("p.gpkg", path.read_bytes()), "layer": "plots",
            "zone": "balkhash"})
    assert list(imports_dir.iterdir()) == [] and list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("name", ["zip-size-understated", "zip-wrong-crc", "zip-truncated",
                                  "kmz-size-understated"])
def test_a_lying_archive_is_a_clear_400_and_leaves_no_upload(name, staff_client, demo, tmp_path,
                                                             imports_dir, private_tmp):
    payload = hostile.ALL[name](tmp_path, hostile.bait(tmp_path, "http://127.0.0.1:9"))
    r = staff_client.post("/staff/import/", {
        "file": SimpleUploadedFile(payload.path.name, payload.path.read_bytes()),
        "layer": "plots", "zone": "balkhash"})
    assert r.status_code == 400 and "damaged" in r.context["error"]
    assert list(imports_dir.iterdir()) == [] and list(private_tmp.iterdir()) == []


def test_confirming_a_preview_removed_meanwhile_is_a_clear_error(staff_client, demo, tmp_path,
                                                                 imports_dir):
    path, _ = make_file("gpkg", tmp_path, demo, prefix="GONE")
    r = staff_client.post("/staff/import/", {
        "file": SimpleUploadedFile("p.gpkg", path.read_bytes()), "layer": "plots",
        "zone": "balkhash"})
    (imports_dir / r.context["confirm"]).unlink()  # as the clean job does after an hour
    r = staff_client.post("/staff/import/", {"confirm": r.context["confirm"]})
    assert r.status_code == 400 and "expired" in r.context["error"]
    assert not Plot.objects.filter(code="GONE-1").exists()


def test_a_polygon_of_a_million_vertices_is_refused_with_the_default_limits(demo, tmp_path,
                                                                            private_tmp):
    path = tmp_path / "huge.geojson"
    path.write_text(hostile._geojson_polygon(1_000_000))
    assert path.stat().st_size > 20 * 1024 * 1024
    before = Plot.objects.count()
    with pytest.raises(files.FileRefused, match="1,000,001 vertices; at most 10,000"):
        layer_import(actor=None, path=path, layer="plots", zone=demo, dry_run=True)
    assert Plot.objects.count() == before and list(private_tmp.iterdir()) == []


@pytest.mark.parametrize("lang,text", [
    ("ru", "Файл пуст."), ("kk", "Файл бос."), ("en", "The file is empty."),
])
def test_a_refusal_speaks_the_callers_language(lang, text, demo, tmp_path):
    """Core says it in English; the edge (pages, API) translates it with ``message_of``."""
    from promzona.web.feedback import message_of

    empty = tmp_path / "e.geojson"
    empty.write_bytes(b"")
    with pytest.raises(files.FileRefused) as exc:
        layer_import(actor=None, path=empty, layer="plots", zone=demo)
    with translation.override(lang):
        assert message_of(exc.value) == text
