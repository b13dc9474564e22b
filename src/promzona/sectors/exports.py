"""CSV, XLSX (openpyxl) and PDF (reportlab, DejaVu Sans for Cyrillic) renderings of a table."""

from __future__ import annotations

import io

import pandas as pd

from promzona.core.pdf_fonts import register_fonts
from promzona.core.sinks import frame_csv, paragraph, single_line, xlsx_bytes


def csv_bytes(df: pd.DataFrame, *, note: str = "") -> bytes:
    head = f"# {single_line(note, max_length=1000)}\n" if note else ""
    return (head + frame_csv(df)).encode("utf-8")


def xlsx_file(df: pd.DataFrame, *, title: str, note: str = "") -> bytes:
    top = [[title]] + ([[note]] if note else []) + [[]]
    rows = top + [list(df.columns)] + [[v.item() if hasattr(v, "item") else v for v in row]
                                        for row in df.itertuples(index=False)]
    return xlsx_bytes(rows, bold_rows=(0, len(top)))


def _fmt(v) -> str:
    if isinstance(v, float):
        if abs(v) >= 1e6:
            return f"{v:,.0f}".replace(",", " ")
        return f"{v:.3f}"
    return str(v)


def pdf_file(
    df: pd.DataFrame,
    *,
    title: str,
    note: str = "",
    columns: list[str] | None = None,
    images: list[bytes] = (),
) -> bytes:
    """A landscape A4 PDF with the title, the note, the table (text stays selectable) and then
    the given PNG pictures, one per page, scaled to fit."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

    font = register_fonts()
    styles = getSampleStyleSheet()
    for s in ("Title", "Normal"):
        styles[s].fontName = font
    cols = columns or list(df.columns)
    data = [cols] + [[_fmt(v) for v in row] for row in df[cols].itertuples(index=False)]
    table = Table(data, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 7),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=title, leftMargin=24, rightMargin=24,
                            topMargin=24, bottomMargin=24)
    story = [paragraph(title, styles["Title"])]
    if note:
        story += [paragraph(note, styles["Normal"]), Spacer(1, 8)]
    story.append(table)
    if images:
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image, PageBreak

        width, height = doc.width, doc.height
        for png in images:
            iw, ih = ImageReader(io.BytesIO(png)).getSize()
            scale = min(width / iw, height / ih)
            story += [PageBreak(), Image(io.BytesIO(png), width=iw * scale, height=ih * scale)]
    doc.build(story)
    return buf.getvalue()
