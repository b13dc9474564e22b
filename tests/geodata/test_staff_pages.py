"""Staff upload page (dry run, then confirm), export downloads, public download of plots."""

from __future__ import annotations

import json
import re

import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from promzona.core import geometry as geo
from promzona.geodata import staff, uploads
from promzona.zones.models import Plot
from promzona.zones.selectors import PUBLIC_PLOT_STATUSES

from .test_import_export import _boxes, _two_layer_gpkg, _write, make_file


def _upload(client, path, name=None, **extra):
    data = {"file": SimpleUploadedFile(name or path.name, path.read_bytes()), "layer": "plots",
            "zone": "balkhash", **extra}
    return client.post("/staff/import/", data)


def _confirm(client, token, capture):
    """Confirm a preview: the import is queued, run by the worker (here, at commit), and its
    page shows the outcome."""
    with capture(execute=True):
        r = client.post("/staff/import/", {"confirm": token})
    assert r.status_code == 302, r.status_code
    return client.get(r["Location"])


def test_import_page_is_for_staff_only(investor_client, manager_client, demo):
    assert Client().get("/staff/import/").status_code == 302
    assert investor_client.get("/staff/import/").status_code == 403
    assert manager_client.get("/staff/import/").status_code == 403
    assert manager_client.get("/staff/export/plots.csv").status_code == 200


def test_staff_dry_run_then_confirm_imports(staff_client, demo, tmp_path,
                                           django_capture_on_commit_callbacks):
    path, _ = make_file("gpkg", tmp_path, demo, prefix="WEB")
    r = _upload(staff_client, path)
    assert r.status_code == 200 and "2 to create, 0 to update, 0 refused" in r.content.decode()
    assert not Plot.objects.filter(code="WEB-1").exists()
    token = r.context["confirm"]
    r = _confirm(staff_client, token, django_capture_on_commit_callbacks)
    assert r.status_code == 200 and r.context["report"]["written"]
    assert r.context["job"].status == "done" and "Imported" in r.content.decode()
    assert 'http-equiv="refresh"' not in r.content.decode()
    assert Plot.objects.get(code="WEB-1").name_ru == "Участок «Север»"
    again = staff_client.post("/staff/import/", {"confirm": token})  # a preview is used once
    assert again.status_code == 400
    assert not (staff.UPLOADS / token).exists()


def test_unconfirmed_previews_are_removed_after_an_hour(staff_client, demo, tmp_path):
    import os
    import time

    path, _ = make_file("gpkg", tmp_path, demo, prefix="OLD")
    token = _upload(staff_client, path).context["confirm"]
    stale = staff.UPLOADS / token
    old = time.time() - uploads.PREVIEW_SECONDS - 10
    os.utime(stale, (old, old))
    fresh = _upload(staff_client, path).context["confirm"]
    assert not stale.exists() and (staff.UPLOADS / fresh).exists()
    (staff.UPLOADS / fresh).unlink()


def test_hostile_or_refused_uploads_change_nothing(staff_client, demo, tmp_path):
    before = Plot.objects.count()
    fake = tmp_path / "fake.gpkg"
    fake.write_bytes(b"<html>not a geopackage</html>")
    r = _upload(staff_client, fake)
    assert r.status_code == 400 and "does not look like" in r.context["error"]
    r = _upload(staff_client, fake, name="virus.exe")
    assert r.status_code == 400
    csv, _ = make_file("csv", tmp_path, demo)
    r = _upload(staff_client, csv)  # no CRS named
    assert r.status_code == 400 and "coordinate reference system" in r.context["error"]
    r = staff_client.post("/staff/import/", {"confirm": "../../etc/passwd"})
    assert r.status_code == 400
    assert Plot.objects.count() == before


def test_staff_export_includes_drafts_and_public_download_does_not(staff_client, demo):
    drafts = set(Plot.objects.exclude(status__in=PUBLIC_PLOT_STATUSES)
                 .values_list("code", flat=True))
    r = staff_client.get("/staff/export/plots.geojson")
    staff_codes = {f["properties"]["code"] for f in json.loads(r.content)["features"]}
    assert drafts <= staff_codes
    for fmt in ("gpkg", "shp", "kml", "csv"):
        r = staff_client.get(f"/staff/export/plots.{fmt}")
        assert r.status_code == 200 and len(r.content) > 100
    public = Client().get("/download/plots.geojson")
    public_codes = {f["properties"]["code"] for f in json.loads(public.content)["features"]}
    assert public_codes and not drafts & public_codes
    csv = Client().get("/download/plots.csv").content.decode()
    assert "Участок" in csv and not any(d in csv for d in drafts)
    assert Client().get("/download/plots.exe").status_code == 404
    assert Client().get("/staff/export/plots.geojson").status_code == 302


def test_mapping_on_the_upload_page(staff_client, demo, tmp_path,
                                    django_capture_on_commit_callbacks):
    path, _ = make_file("gpkg", tmp_path, demo, prefix="MAP")
    r = _upload(staff_client, path, mapping='{"name_en": "Наименование"}')
    html = r.content.decode()
    assert r.status_code == 200 and "Наименование → name (English)" in html
    assert "Layer: Plots." in html and ">to create<" in html  # labels, never codes
    _confirm(staff_client, r.context["confirm"], django_capture_on_commit_callbacks)
    assert Plot.objects.get(code="MAP-1").name_en == "Участок «Север»"
    for bad in ("{not json", "[1, 2]", '{"code": 5}'):
        r = _upload(staff_client, path, mapping=bad)
        assert r.status_code == 400 and "mapping" in r.context["form"].errors
    r = _upload(staff_client, path, mapping='{"code": "no such column"}')
    assert r.status_code == 400 and "not in the file: no such column." in r.context["error"]
    r = _upload(staff_client, path, mapping='{"no_such_field": "code"}')
    assert r.status_code == 400 and "unknown fields: no_such_field." in r.context["error"]
    r = staff_client.post("/staff/import/", {
        "file": SimpleUploadedFile(path.name, path.read_bytes()), "layer": "plots",
        "zone": "balkhash", "mapping": '{"no_such_field": "code"}'}, HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 400 and "неизвестные поля: no_such_field." in r.context["error"]


def test_upload_of_a_several_layer_file_names_the_layer(staff_client, demo, tmp_path,
                                                       django_capture_on_commit_callbacks):
    path = _two_layer_gpkg(tmp_path, demo)
    r = _upload(staff_client, path)
    assert r.status_code == 400 and "cadastre, buildings" in r.content.decode()
    r = _upload(staff_client, path, source_layer="buildings")
    assert r.status_code == 200 and "1 to create" in r.content.decode()
    r = _confirm(staff_client, r.context["confirm"], django_capture_on_commit_callbacks)
    assert r.status_code == 200 and Plot.objects.filter(code="L-BLDG").exists()
    assert not Plot.objects.filter(code="L-PLOT").exists()


def test_a_deeply_nested_mapping_is_a_form_error(staff_client, demo, tmp_path):
    path, _ = make_file("gpkg", tmp_path, demo, prefix="NEST")
    r = _upload(staff_client, path, mapping="[" * 4999)
    assert r.status_code == 400 and "not valid JSON" in r.content.decode()
    assert not Plot.objects.filter(code="NEST-1").exists()


def _preview(page: str) -> dict:
    return json.loads(re.search(r'<script id="preview-data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))


def test_the_dry_run_draws_each_row_on_a_map_and_warns_of_a_declared_area_off_by_over_5pc(
        staff_client, demo, tmp_path):
    inside = _boxes(demo)
    computed = geo.area_ha(inside[1])
    outside = shapely.box(10.0, 10.0, 10.001, 10.001)  # far from the zone: refused, still drawn
    path = _write(tmp_path / "w.gpkg", [inside[0], inside[1], outside], {
        "code": ["W-1", "W-2", "W-3"], "declared_area_ha": ["5", f"{computed:.4f}", "1"]},
        driver="GPKG")
    r = _upload(staff_client, path)
    page = r.content.decode()
    assert r.status_code == 200 and 'id="preview-map"' in page
    rows = {f["properties"]["code"]: f["properties"] for f in _preview(page)["rows"]["features"]}
    assert {k: (v["action"], v["warn"]) for k, v in rows.items()} == {
        "W-1": ("create", True), "W-2": ("create", False), "W-3": ("refuse", False)}
    plots = _preview(page)["plots"]["features"]
    assert {p["properties"]["code"] for p in plots} >= {"BLK-01", "BLK-11"}
    warning = re.search(r'<span class="warn">([^<]*)</span>', page).group(1)
    assert warning == (f"the declared area 5.00 ha differs from the computed {computed:.4f} ha "
                       "by 100%")
    assert page.count('<span class="warn">the declared area') == 1
    assert "preview.js" in page and "leaflet.js" in page


def test_code_from_the_file_reaches_the_map_data_as_inert_text(staff_client, demo, tmp_path):
    box = _boxes(demo)[0]
    path = _write(tmp_path / "h.gpkg", [box], {"code": ["<img src=x onerror=alert(1)>"]},
                  driver="GPKG")
    page = _upload(staff_client, path).content.decode()
    data = page[page.index('<script id="preview-data"'):]
    data = data[:data.index("</script>")]
    assert "<img" not in data and "\\u003Cimg src=x onerror=alert(1)\\u003E" in data
    assert "<img src=x" not in page


def test_a_refused_import_report_is_still_plain_data(demo, tmp_path, staff_user):
    from promzona.geodata.services import ImportRefused, layer_import

    outside = shapely.box(10.0, 10.0, 10.001, 10.001)
    path = _write(tmp_path / "r.gpkg", [outside], {"code": ["R-1"]}, driver="GPKG")
    try:
        layer_import(actor=staff_user, path=path, layer="plots", zone=demo)
    except ImportRefused as exc:
        assert json.loads(json.dumps(exc.as_dict()))["error"]["details"]["rows"][0]["key"] == "R-1"
    else:
        raise AssertionError("refused rows must refuse the import")
