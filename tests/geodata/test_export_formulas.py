"""Geodata CSV downloads (public and staff): text a spreadsheet would run as a formula is written
as text with a leading ``'``; numbers are written as they were."""

from __future__ import annotations

import csv
import io

import pytest

from promzona.zones.models import Plot
from tests.payloads import FORMULAS

pytestmark = pytest.mark.django_db
FIELDS = ["name_ru", "name_kk", "name_en", "existing_buildings", "source_document", "verified_by"]


@pytest.fixture
def hostile(demo):
    plot = Plot.objects.get(code="BLK-01")
    Plot.objects.filter(pk=plot.pk).update(**dict(zip(FIELDS, FORMULAS, strict=True)))
    return Plot.objects.get(pk=plot.pk)


def _row(body: bytes, code: str) -> dict[str, str]:
    rows = [r for r in csv.DictReader(io.StringIO(body.decode("utf-8"))) if r["code"] == code]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize("who, url", [("anon", "/download/plots.csv"),
                                      ("staff", "/staff/export/plots.csv")])
def test_csv_download_writes_formulas_as_text(client, staff_client, hostile, who, url):
    r = (staff_client if who == "staff" else client).get(url)
    assert r.status_code == 200
    row = _row(r.content, "BLK-01")
    assert [row[f] for f in FIELDS] == ["'" + v for v in FORMULAS]
    assert row["declared_area_ha"] == str(hostile.declared_area_ha)
    assert row["hazard_class_max"] == str(hostile.hazard_class_max)


def test_negative_numbers_written_as_text_stay_numbers(tmp_path, demo):
    from promzona.geodata.export import layer_export
    from promzona.zones.models import UtilitySource

    source = UtilitySource.objects.order_by("pk").first()
    UtilitySource.objects.filter(pk=source.pk).update(operator="-12.5")
    path = layer_export(objects=UtilitySource.objects.filter(pk=source.pk), layer="utility-sources",
                        fmt="csv", path=tmp_path / "s.csv")
    assert _row(path.read_bytes(), source.code)["operator"] == "-12.5"
