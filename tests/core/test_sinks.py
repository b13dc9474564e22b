"""The output sinks' escaping, and that every PDF paragraph, CSV and XLSX writer in the sources
goes through it (and every string our JavaScript shows goes in as text)."""

from __future__ import annotations

import ast
import csv
import datetime as dt
import io
import pathlib
import re
from decimal import Decimal

import pytest

from promzona.core.sinks import (
    csv_text,
    frame_csv,
    paragraph,
    pdf_text,
    single_line,
    spreadsheet_cell,
    xlsx_bytes,
)
from tests import payloads

pytestmark = pytest.mark.nodb

SRC = pathlib.Path(__file__).parents[2] / "src" / "promzona"

FORMULAS = [*payloads.FORMULAS, "\r=1+1", "\n=1+1"]
PLAIN = ["BLK-01", "Участок №11", "", " =not a formula", "a=b", "—", "'quoted"]


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_text_gets_a_leading_quote(value):
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize("value", PLAIN + [12, 12.5, -3, Decimal("-1.500"), True, None,
                                           dt.date(2026, 1, 2), "-12.5", "+7", "-1e3"])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert spreadsheet_cell(value) == value
    assert type(spreadsheet_cell(value)) is type(value)


def test_csv_reads_back_literally_with_text_quoted_and_numbers_bare():
    rows = [["name", "n"], *[[v, -2] for v in FORMULAS], ["x;=1+1", 3.5]]
    text = csv_text(rows)
    back = list(csv.reader(io.StringIO(text)))
    assert [r[0] for r in back[1:-1]] == ["'" + v for v in FORMULAS]
    assert back[-1] == ["x;=1+1", "3.5"]
    assert '"x;=1+1",3.5' in text  # a ";" separator cannot split a quoted cell


def test_frame_csv_keeps_the_header_and_pandas_numbers():
    import pandas as pd

    df = pd.DataFrame({"sector": ["=1+1", "C25"], "score": [0.25, -1.0]})
    lines = frame_csv(df).splitlines()
    assert lines[0] == "sector,score"
    assert lines[1:] == ['"\'=1+1",0.25', '"C25",-1.0']


def test_xlsx_stores_formula_text_as_text_and_numbers_as_numbers():
    from openpyxl import load_workbook

    body = xlsx_bytes([["name", "n"], *[[v, 7] for v in FORMULAS]], sheet="a/b[c]")
    ws = load_workbook(io.BytesIO(body)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert [ws.cell(r, 1).value for r in range(2, len(FORMULAS) + 2)] == \
        ["'" + v for v in FORMULAS]
    assert {ws.cell(r, 2).data_type for r in range(2, len(FORMULAS) + 2)} == {"n"}
    assert ws.title == "a_b_c_"


@pytest.mark.parametrize("value, shown", [
    ('<img src="/etc/passwd"/>', '&lt;img src="/etc/passwd"/&gt;'),
    ("<b>unclosed", "&lt;b&gt;unclosed"),
    ("R&D &amp; &nbsp;", "R&amp;D &amp;amp; &amp;nbsp;"),
    ("a\x00b\x1bc", "a b c"),
])
def test_pdf_text_escapes_markup(value, shown):
    assert pdf_text(value) == shown


def test_paragraph_shows_markup_literally():
    from reportlab.lib.styles import ParagraphStyle

    para = paragraph('<font size="40">big</font> & <img src="x"/>', ParagraphStyle("p"))
    text = "".join(getattr(f, "text", "") for f in para.frags)
    assert text == '<font size="40">big</font> & <img src="x"/>'


@pytest.mark.parametrize("value, line", [
    ("Project\r\nBcc: victim@example.org", "Project Bcc: victim@example.org"),
    ("a\nb\rc\x85d\u2028e\u2029f\x0bg", "a b c d e f g"),
    ("  many   spaces\t", "many spaces"),
])
def test_single_line_removes_every_line_break(value, line):
    assert single_line(value) == line


def test_single_line_cuts_long_text():
    assert single_line("x" * 500, max_length=20) == "x" * 19 + "…"


# --- nothing bypasses the sinks ------------------------------------------------------------

#: Calls that write markup, CSV or XLSX without the escaping; only core/sinks.py makes them.
RAW_WRITERS = {"Paragraph", "writer", "DictWriter", "to_csv", "to_excel", "Workbook"}


def _raw_writer_calls(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Call):
            f = node.func
            called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            if called in RAW_WRITERS:
                found.append(f"{name}:{node.lineno} {called}")
    return found


def test_no_module_writes_pdf_text_csv_or_xlsx_around_the_sinks():
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name != "sinks.py" and "migrations" not in path.parts:
            offenders += _raw_writer_calls(path.read_text(), str(path.relative_to(SRC)))
    assert offenders == []


def test_the_scan_notices_a_raw_writer():
    assert _raw_writer_calls("import csv\ncsv.writer(f)\nParagraph(t, s)\n", "x.py") == \
        ["x.py:2 writer", "x.py:3 Paragraph"]


#: Ways JavaScript turns a string into HTML. Leaflet's bindTooltip/bindPopup/setContent take a
#: string as HTML, so they must be given a text node; the names of the layer switcher and the
#: credits of tile layers it writes as markup too, so they must be escaped with html().
JS_HTML_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|`"
    r"|\.(bindTooltip|bindPopup|setContent|setTooltipContent|setPopupContent)\((?!text\()"
    r"|\.(addBaseLayer|addOverlay)\([^,]+,\s*(?!\s|html\()|attribution:\s*(?!\s|[^,}]*html\()"
    r"|control\.layers\((?!null, null)")
#: The one reviewed exception: the plot list replaced by the server's own autoescaped template.
JS_ALLOWED = {("web/map.js", "list.innerHTML = r.text;")}


def _js_html_sinks(path: pathlib.Path, name: str) -> list[tuple[str, str]]:
    return [(name, line.strip().split("  //")[0]) for line in path.read_text().splitlines()
            if JS_HTML_SINKS.search(line)]


def test_our_javascript_never_inserts_a_string_as_html():
    found = set()
    for path in SRC.glob("*/static/*/*.js"):
        found |= set(_js_html_sinks(path, f"{path.parent.name}/{path.name}"))
    assert found == JS_ALLOWED


def test_the_javascript_scan_notices_html_sinks(tmp_path):
    js = tmp_path / "x.js"
    js.write_text("a.bindTooltip(f.properties.code);\nb.bindTooltip(text(x));\n"
                  "el.insertAdjacentHTML('beforeend', s);\nel.title = `${s}`;\n"
                  "c.addOverlay(layer, p.name);\nc.addOverlay(layer, html(p.name));\n"
                  "L.tileLayer(u, {attribution: t.credit});\nL.tileLayer(u, {attribution: html(t)});\n"
                  "L.control.layers({a: b});\nL.control.layers(null, null, {});\n")
    assert [line for _name, line in _js_html_sinks(js, "x.js")] == [
        "a.bindTooltip(f.properties.code);", "el.insertAdjacentHTML('beforeend', s);",
        "el.title = `${s}`;", "c.addOverlay(layer, p.name);",
        "L.tileLayer(u, {attribution: t.credit});", "L.control.layers({a: b});"]
