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


def test_xlsx_numbers_are_numbers_with_number_formats(client, demo):
    """Areas, prices and distances read back as numbers (they were text); dates as dates."""
    import datetime as dt

    from openpyxl import load_workbook

    a, b = Plot.objects.get(code="BLK-01"), Plot.objects.get(code="BLK-04")
    r = client.get(f"/compare/?plots={a.pk},{b.pk}&format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = {row[0].value: row[1:] for row in ws.iter_rows()}
    area = rows["Declared area, ha"]
    assert [c.value for c in area] == [float(a.declared_area_ha), float(b.declared_area_ha)]
    assert all(c.data_type == "n" and c.number_format == "#,##0.0000" for c in area)
    lease = rows["Lease, KZT/ha/year"]
    assert lease[0].value == float(a.lease_price_kzt_ha_year) and lease[0].number_format == "#,##0"
    assert rows["To rail, km"][0].data_type == "n" and rows["To rail, km"][0].number_format == "#,##0.0"
    assert isinstance(rows["Verified on"][0].value, dt.datetime)
    assert rows["Most hazardous class allowed"][0].value == a.hazard_class_max


@pytest.mark.parametrize("lang,sep,area", [("ru", ";", "20,0000"), ("kk", ";", "20,0000"),
                                           ("en", ",", "20.0000")])
def test_csv_opens_in_columns_in_the_readers_spreadsheet(client, demo, lang, sep, area):
    ids = ",".join(str(Plot.objects.get(code=c).pk) for c in ("BLK-01", "BLK-02"))
    r = client.get(f"/compare/?plots={ids}&format=csv", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8, not cp1251
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=sep))
    assert all(len(row) == 3 for row in table)
    assert table[5][1] == area


@pytest.mark.parametrize("sep,delimiter", [("comma", ","), ("semicolon", ";")])
def test_the_reader_may_choose_the_separator(client, demo, sep, delimiter):
    ids = ",".join(str(Plot.objects.get(code=c).pk) for c in ("BLK-01", "BLK-02"))
    r = client.get(f"/compare/?plots={ids}&format=csv&sep={sep}", HTTP_ACCEPT_LANGUAGE="ru")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=delimiter))
    assert all(len(row) == 3 for row in table) and table[0][1:] == ["BLK-01", "BLK-02"]


@pytest.mark.parametrize("sep", ["tab", ";", "x" * 5000, "comma\r\nX-Evil: 1"])
def test_an_unknown_separator_is_a_clear_400(client, demo, sep):
    from urllib.parse import quote

    ids = ",".join(str(Plot.objects.get(code=c).pk) for c in ("BLK-01", "BLK-02"))
    r = client.get(f"/compare/?plots={ids}&format=csv&sep={quote(sep)}")
    assert r.status_code == 400 and b"comma or semicolon" in r.content
    assert not r.has_header("X-Evil")
