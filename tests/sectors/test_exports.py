"""Sector exports and the growth-points files as sinks: text from the user's files or the data
is written so a spreadsheet never runs it and a PDF prints it; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from django.core.management import call_command

from promzona.sectors import exports
from tests.payloads import FORMULAS, PDF_MARKUP

pytestmark = pytest.mark.nodb


@pytest.fixture
def own_files(tmp_path):
    """Purchases, densities and hosting of three sectors whose codes are formulas."""
    sectors = FORMULAS[:3]
    columns = {"p.csv": ["value_kzt", "share_outside"], "d.csv": ["density"],
               "h.csv": ["hosting"]}
    for name, cols in columns.items():
        with (tmp_path / name).open("w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["sector", *cols])
            for n, sector in enumerate(sectors):
                writer.writerow([sector, *([100 * (n + 1), 1] if name == "p.csv" else [0.5])])
    return tmp_path, sectors


def _growth_points(tmp_path, output):
    call_command("sectors", "growth-points", "--purchases", str(tmp_path / "p.csv"),
                 "--density", str(tmp_path / "d.csv"), "--hosting", str(tmp_path / "h.csv"),
                 "--output", str(tmp_path / output), stdout=io.StringIO(), stderr=io.StringIO())


def test_growth_points_csv_from_hostile_sector_codes(own_files):
    tmp_path, sectors = own_files
    _growth_points(tmp_path, "o.csv")
    rows = list(csv.DictReader((tmp_path / "o.csv").open(encoding="utf-8")))
    assert sorted(r["sector"] for r in rows) == sorted("'" + s for s in sectors)
    assert all(float(r["score"]) >= 0 for r in rows)
    df = pd.read_csv(tmp_path / "o.csv")
    assert df["score"].dtype.kind == "f" and df["value_kzt"].dtype.kind in "if"


def test_growth_points_xlsx_from_hostile_sector_codes(own_files):
    from openpyxl import load_workbook

    tmp_path, sectors = own_files
    _growth_points(tmp_path, "o.xlsx")
    ws = load_workbook(tmp_path / "o.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    header = [c.value for c in ws[3]]
    column = header.index("sector") + 1
    assert sorted(ws.cell(r, column).value for r in range(4, 7)) == sorted("'" + s for s in sectors)
    assert ws.cell(4, header.index("score") + 1).data_type == "n"


def test_table_exports_neutralise_text_and_keep_numbers():
    from openpyxl import load_workbook

    df = pd.DataFrame({"name": FORMULAS, "value": [-1.5] * len(FORMULAS)})
    lines = exports.csv_bytes(df, note="note\r\n=1+1").decode("utf-8-sig").splitlines()
    assert lines[0] == "# note =1+1"  # one comment line, whatever the note holds
    back = list(csv.DictReader(lines[1:]))
    assert [r["name"] for r in back] == ["'" + v for v in FORMULAS]
    assert {r["value"] for r in back} == {"-1.5"}
    ws = load_workbook(io.BytesIO(exports.xlsx_file(df, title="=1+1", note="@x"))).active
    assert [ws["A1"].value, ws["A2"].value] == ["'=1+1", "'@x"]
    assert [ws.cell(r, 1).value for r in range(5, 5 + len(FORMULAS))] == \
        ["'" + v for v in FORMULAS]
    assert {ws.cell(r, 2).value for r in range(5, 5 + len(FORMULAS))} == {-1.5}


def test_table_pdf_prints_markup_in_title_note_and_cells():
    from pypdf import PdfReader

    df = pd.DataFrame({"name": PDF_MARKUP, "value": range(len(PDF_MARKUP))})
    pdf = exports.pdf_file(df, title=PDF_MARKUP[0], note=PDF_MARKUP[1])
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    for payload in PDF_MARKUP:
        assert " ".join(payload.split()) in text, payload
