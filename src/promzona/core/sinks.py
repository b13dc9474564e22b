"""The one place where text from data is made safe for each output sink that would otherwise
read it as code: reportlab's paragraph markup, spreadsheet formulas, email header lines.

Every PDF paragraph, CSV and XLSX file promzona writes goes through these functions (a test
scans the sources for writers that bypass them); HTML is Django's autoescaping, JavaScript uses
``textContent``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

# --- PDF (reportlab) -----------------------------------------------------------------------


def pdf_text(value: Any) -> str:
    """``value`` as reportlab paragraph text that shows literally: ``&``, ``<``, ``>`` become
    entities, so ``<img src=…>``, ``<font>`` or a stray ``&`` are printed, never parsed.
    Control characters (which reportlab cannot set) become spaces."""
    text = "".join(" " if unicodedata.category(c) == "Cc" and c not in "\n\t" else c
                   for c in str(value))
    return escape(text)


def paragraph(value: Any, style) -> Any:
    """A reportlab ``Paragraph`` showing ``value`` literally (see :func:`pdf_text`)."""
    from reportlab.platypus import Paragraph

    return Paragraph(pdf_text(value), style)


# --- spreadsheets (CSV, XLSX) --------------------------------------------------------------

#: A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or
#: Google Sheets (OWASP, "CSV Injection"; ASVS 5.0 1.2.10).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value: Any) -> Any:
    """``value`` safe for a spreadsheet cell: text that a spreadsheet would take for a formula
    gets a leading ``'``; numbers (and text that is just a number, like ``-12.5``) stay as
    they are."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START) \
            or _NUMBER.fullmatch(value):
        return value
    return "'" + value


def spreadsheet_row(values: Iterable[Any]) -> list[Any]:
    return [spreadsheet_cell(v) for v in values]


def spreadsheet_frame(df):
    """A copy of the pandas ``df`` with every cell and column name made safe."""
    return df.map(spreadsheet_cell).rename(columns=spreadsheet_cell)


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """Rows as CSV text; every text field is quoted (so a ``;`` inside one cannot start a new
    cell where ``;`` is the separator) and made safe; numbers are written unquoted."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for row in rows:
        writer.writerow(spreadsheet_row("" if v is None else v for v in row))
    return buf.getvalue()


def frame_csv(df) -> str:
    """A pandas frame as CSV text with pandas' number format: the header line as it is (column
    names are ours), the rows as :func:`csv_text` writes them."""
    safe = spreadsheet_frame(df)
    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(safe.columns)
    return head.getvalue() + safe.to_csv(index=False, header=False, quoting=csv.QUOTE_NONNUMERIC,
                                         lineterminator="\n")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet: str = "data",
               bold_rows: Iterable[int] = (), fill_rows: Iterable[int] = (),
               widths: dict[str, float] | None = None) -> bytes:
    """An XLSX workbook of one sheet. Text is made safe and stored as text (never a formula);
    numbers are numeric cells. ``bold_rows``/``fill_rows`` are 0-based row indexes to set in
    bold or highlight; ``widths`` maps column letters to widths."""
    return xlsx_sheets([(sheet, rows, bold_rows, fill_rows)], widths=widths)


def xlsx_sheets(sheets: Iterable[tuple[str, Iterable[Sequence[Any]], Iterable[int], Iterable[int]]],
                *, widths: dict[str, float] | None = None) -> bytes:
    """An XLSX workbook of several sheets, each ``(name, rows, bold_rows, fill_rows)`` written as
    :func:`xlsx_bytes` writes its one sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF4D6")
    for sheet, rows, bold_rows, fill_rows in sheets:
        ws = wb.create_sheet(
            single_line(sheet, max_length=31).translate(str.maketrans("[]:*?/\\", "_______")))
        for row in rows:
            ws.append(spreadsheet_row(row))
        for rows_to_style, attr, style in ((bold_rows, "font", bold), (fill_rows, "fill", fill)):
            for index in rows_to_style:
                for cell in ws[index + 1]:
                    setattr(cell, attr, style)
        for column, width in (widths or {}).items():
            ws.column_dimensions[column].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- email headers -------------------------------------------------------------------------


def single_line(value: Any, *, max_length: int = 150) -> str:
    """``value`` as one header line: line breaks and other control characters (``\\r\\nBcc:``
    included) become spaces, runs of space collapse, and it is cut to ``max_length``."""
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in str(value))
    text = " ".join(text.split())
    return text if len(text) <= max_length else text[:max_length - 1].rstrip() + "…"
