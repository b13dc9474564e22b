"""The comparison's CSV and XLSX: text from plots that a spreadsheet would run as a formula is
written as text (with a leading ``'``, OWASP's advice); nothing is a live formula."""

from __future__ import annotations

import csv
import io

import pytest

from promzona.zones.models import Plot
from tests.payloads import FORMULAS

pytestmark = pytest.mark.django_db
FIELDS = ["name_en", "existing_buildings_en", "cadastral_number"]


@pytest.fixture
def hostile(demo):
    """BLK-01 and BLK-02 with formulas in their name, buildings and cadastral number."""
    a, b = Plot.objects.get(code="BLK-01"), Plot.objects.get(code="BLK-02")
    Plot.objects.filter(pk=a.pk).update(**dict(zip(FIELDS, FORMULAS[:3], strict=True)))
    Plot.objects.filter(pk=b.pk).update(**dict(zip(FIELDS, FORMULAS[3:], strict=True)))
    return f"{a.pk},{b.pk}"


def _rows(table):
    return {row[0]: row[1:] for row in table if row}


def test_csv_cells_with_formulas_are_text(client, hostile):
    r = client.get(f"/compare/?plots={hostile}&format=csv")
    assert r.status_code == 200
    rows = _rows(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows["Name"] == ["'" + FORMULAS[0], "'" + FORMULAS[3]]
    assert rows["Existing buildings"] == ["'" + FORMULAS[1], "'" + FORMULAS[4]]
    assert rows["Cadastral number"] == ["'" + FORMULAS[2], "'" + FORMULAS[5]]
    assert rows["Plot"] == ["BLK-01", "BLK-02"]  # ordinary text untouched


def test_xlsx_has_no_formula_and_shows_the_text(client, hostile):
    from openpyxl import load_workbook

    r = client.get(f"/compare/?plots={hostile}&format=xlsx")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    rows = _rows([[c.value for c in row] for row in ws.iter_rows()])
    assert rows["Name"] == ["'" + FORMULAS[0], "'" + FORMULAS[3]]
    assert rows["Existing buildings"] == ["'" + FORMULAS[1], "'" + FORMULAS[4]]
    assert rows["Cadastral number"] == ["'" + FORMULAS[2], "'" + FORMULAS[5]]
    assert ws["A1"].font.b and ws.column_dimensions["A"].width == 34
    fills = {row[0].value: row[1].fill.fgColor.rgb for row in ws.iter_rows(min_row=2)}
    assert fills["Name"].endswith("FFF4D6") and not fills["Ownership"].endswith("FFF4D6")
