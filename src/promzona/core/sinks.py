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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

# --- PDF (reportlab) -----------------------------------------------------------------------


def pdf_text(value: Any) -> str:
    """``value`` as reportlab paragraph text that shows literally: ``&``, ``<``, ``>`` become
    entities, so ``<img src=…>``, ``<font>`` or a stray ``&`` are printed, never parsed.
    Control characters (which reportlab cannot set) become spaces; a narrow no-break space
    (CLDR's, in "2027 г.") becomes a no-break space, since reportlab breaks lines at it."""
    text = "".join(" " if unicodedata.category(c) == "Cc" and c not in "\n\t" else c
                   for c in str(value))
    return escape(text.replace("\u202f", "\u00a0"))


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


def _csv_number(value: Any, decimal: str) -> Any:
    """A number as the reader's spreadsheet parses it (``3,5`` where the decimal mark is a
    comma); anything else unchanged."""
    if decimal == "." or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return str(value).replace(".", decimal)


def csv_text(rows: Iterable[Sequence[Any]], *, sep: str = ",", decimal: str = ".") -> str:
    """Rows as CSV text; every text field is quoted (so a ``;`` inside one cannot start a new
    cell where ``;`` is the separator) and made safe; numbers are written with the ``decimal``
    mark (bare with a point, quoted with a comma: spreadsheets read both as numbers), dates as
    ISO 8601."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    for row in rows:
        writer.writerow(_csv_number(v, decimal) for v in
                        spreadsheet_row("" if v is None else v for v in row))
    return buf.getvalue()


def frame_csv(df, *, sep: str = ",", decimal: str = ".") -> str:
    """A pandas frame as CSV text with pandas' number format: the header line made safe, the
    rows as :func:`csv_text` writes them."""
    safe = spreadsheet_frame(df)
    head = io.StringIO()
    csv.writer(head, delimiter=sep, lineterminator="\n").writerow(safe.columns)
    return head.getvalue() + safe.to_csv(index=False, header=False, quoting=csv.QUOTE_NONNUMERIC,
                                         lineterminator="\n", sep=sep, decimal=decimal)


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet: str = "data",
               bold_rows: Iterable[int] = (), fill_rows: Iterable[int] = (),
               widths: dict[str, float] | None = None,
               row_formats: dict[int, str] | None = None,
               column_formats: dict[int, str] | None = None) -> bytes:
    """An XLSX workbook of one sheet. Text is made safe and stored as text (never a formula);
    numbers are numeric cells, dates date cells. ``bold_rows``/``fill_rows`` are 0-based row
    indexes to set in bold or highlight; ``widths`` maps column letters to widths;
    ``row_formats``/``column_formats`` map 0-based row or column indexes to the Excel number
    format of their numeric cells (``"#,##0.00"``: the reader's spreadsheet shows its own
    separators)."""
    from openpyxl.utils import get_column_letter

    formats = {get_column_letter(c + 1): f for c, f in (column_formats or {}).items()}
    return xlsx_book([Sheet(sheet, list(rows), bold_rows=tuple(bold_rows),
                            fill_rows=tuple(fill_rows), widths=widths or {}, formats=formats,
                            row_formats=row_formats or {})])


@dataclass(frozen=True)
class Sheet:
    """One sheet of :func:`xlsx_book`. ``formats`` maps a column letter to the number format of
    its numeric cells (``"#,##0"``, ``"0.0%"``), ``row_formats`` a 0-based row index to that of
    the row's numeric cells (it wins over the column's)."""

    name: str
    rows: Sequence[Sequence[Any]]
    bold_rows: Sequence[int] = ()
    fill_rows: Sequence[int] = ()
    widths: dict[str, float] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    row_formats: dict[int, str] = field(default_factory=dict)


def xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook of several sheets, each written as :func:`xlsx_bytes` writes one: each
    numeric cell of a formatted row or column given its number format, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF4D6")
    for n, spec in enumerate(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = single_line(spec.name, max_length=31).translate(
            str.maketrans("[]:*?/\\", "_______"))
        for row in spec.rows:
            ws.append(spreadsheet_row(row))
        for r, row in enumerate(ws.iter_rows()):
            for cell in row:
                fmt = spec.row_formats.get(r) or spec.formats.get(cell.column_letter)
                if fmt and cell.data_type == "n" and cell.value is not None \
                        and not isinstance(cell.value, bool):
                    cell.number_format = fmt
                elif cell.is_date:
                    cell.number_format = "yyyy-mm-dd"
        for rows_to_style, attr, style in ((spec.bold_rows, "font", bold),
                                           (spec.fill_rows, "fill", fill)):
            for index in rows_to_style:
                for cell in ws[index + 1]:
                    setattr(cell, attr, style)
        for column, width in spec.widths.items():
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
