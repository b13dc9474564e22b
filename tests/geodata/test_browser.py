"""The import's dry run in Chromium: the map draws the file's rows by what would happen."""

from __future__ import annotations

import pytest
import shapely

from tests.browser import chromium, login

from .test_import_export import _boxes, _write

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(transactional_db, tmp_path):
    """A file of two plots in the demo zone and one far outside it (made before Playwright)."""
    from django.utils import timezone

    from promzona.demo import balkhash
    from promzona.zones.models import Zone

    balkhash.load(today=timezone.localdate())
    inside = _boxes(Zone.objects.get(slug="balkhash"))
    outside = shapely.box(10.0, 10.0, 10.001, 10.001)
    return _write(tmp_path / "survey.gpkg", [inside[0], inside[1], outside],
                  {"code": ["S-1", "S-2", "S-3"], "declared_area_ha": ["5", "", ""]},
                  driver="GPKG")


def test_the_dry_run_map_shows_created_and_refused_rows(live_server, survey):
    with chromium() as browser:
        page = login(browser, live_server.url, "demo-staff")
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/staff/import/")
        page.set_input_files("input[name=file]", str(survey))
        page.select_option("select[name=zone]", "balkhash")
        page.click("form[enctype] button[type=submit]")
        page.wait_for_selector("#preview-map path.row-create", state="attached")
        assert page.locator("#preview-map path.row-create").count() == 2
        assert page.locator("#preview-map path.row-refuse").count() == 1
        assert page.locator("#preview-map path.leaflet-interactive").count() > 20  # the plots
        page.locator("#preview-map path.row-create").first.hover()
        assert "S-" in page.locator(".leaflet-tooltip").inner_text()
        assert errors == []
