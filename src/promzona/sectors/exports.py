"""CSV, XLSX (openpyxl) and PDF (reportlab, DejaVu Sans for Cyrillic) renderings of a table."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from promzona import l10n
from promzona.core import pdf_layout
from promzona.core.sinks import frame_csv, paragraph, single_line, xlsx_bytes


def csv_bytes(df: pd.DataFrame, *, note: str = "", sep: str = ",", decimal: str = ".") -> bytes:
    """The table as CSV in UTF-8 with a byte order mark (Excel then reads Cyrillic right), the
    ``note`` as a first ``#`` line, fields separated by ``sep``, numbers with ``decimal``."""
    head = f"# {single_line(note, max_length=1000)}\n" if note else ""
    return (head + frame_csv(df, sep=sep, decimal=decimal)).encode("utf-8-sig")


def xlsx_file(df: pd.DataFrame, *, title: str, note: str = "",
              digits: Mapping[str, int | None] | None = None) -> bytes:
    """The table under its title and note; numbers are numeric cells, with ``digits[column]``
    decimals shown where given."""
    top = [[title]] + ([[note]] if note else []) + [[]]
    rows = top + [list(df.columns)] + [[v.item() if hasattr(v, "item") else v for v in row]
                                        for row in df.itertuples(index=False)]
    formats = {c: l10n.number_format(d) for c, name in enumerate(df.columns)
               if (d := (digits or {}).get(name)) is not None}
    return xlsx_bytes(rows, bold_rows=(0, len(top)), column_formats=formats)


def pdf_file(
    df: pd.DataFrame,
    *,
    title: str,
    note: str = "",
    columns: list[str] | None = None,
    images: list[bytes] = (),
    digits: Mapping[str, int | None] | None = None,
    headers: Mapping[str, str] | None = None,
) -> bytes:
    """A landscape A4 PDF with the title, the note, the table (text stays selectable; numbers
    written as the page's language writes them, ``digits[column]`` decimals; ``headers`` name
    the columns) and then the given PNG pictures, one per page, scaled to fit."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    st = pdf_layout.styles()
    cols = columns or list(df.columns)
    digits = digits or {}

    def cell(column: str, value) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return l10n.num(value, digits.get(column) or 0) if digits.get(column) is not None \
                else l10n.num(value, 3, trim=True)
        return "" if value is None else str(value)

    data = [[(headers or {}).get(c, c) for c in cols]] + [
        [cell(c, v.item() if hasattr(v, "item") else v) for c, v in zip(cols, row, strict=True)]
        for row in df[cols].itertuples(index=False)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=single_line(title),
                            leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
                            bottomMargin=14 * mm)
    numeric = [i for i, c in enumerate(cols) if digits.get(c) is not None]
    story = [paragraph(title, st.h1)]
    if note:
        story += [paragraph(note, st.body), Spacer(1, 8)]
    story.append(pdf_layout.table(data, doc.width, numeric=numeric))
    if images:
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image, PageBreak

        width, height = doc.width, doc.height
        for png in images:
            iw, ih = ImageReader(io.BytesIO(png)).getSize()
            scale = min(width / iw, height / ih)
            story += [PageBreak(), Image(io.BytesIO(png), width=iw * scale, height=ih * scale)]
    footer = pdf_layout.footer(single_line(f"promzona · {title}", max_length=120),
                               page_label=str)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
