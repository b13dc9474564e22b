"""Laying documents out on their page (reportlab): tables whose columns are at least as wide as
their longest word, so text wraps between words and never inside one; banners that take their
own room; a footer with the page number; a QR code.

Every text goes through :func:`promzona.core.sinks.paragraph` (shown literally, never parsed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Table, TableStyle

from .pdf_fonts import FONT, FONT_BOLD, register_fonts
from .sinks import paragraph

#: Font sizes a table tries, largest first, until every column fits its longest word.
TABLE_SIZES = (9, 8.5, 8, 7.5, 7, 6.5)
PAD = 4  # cell padding left and right, points
GRID = colors.HexColor("#c9d1da")
HEAD_BG = colors.HexColor("#eef2f6")
WARN_BG, WARN_FG = colors.HexColor("#fff4d6"), colors.HexColor("#6b4200")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    h1: ParagraphStyle
    subtitle: ParagraphStyle
    h2: ParagraphStyle


def styles(size: float = 9) -> Styles:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=size * 1.35,
                          splitLongWords=0)
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=size - 1.5, leading=(size - 1.5) * 1.3,
                             textColor=colors.HexColor("#4a5561")),
        h1=ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=size + 7,
                          leading=(size + 7) * 1.2, spaceAfter=2),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=size + 1.5,
                                leading=(size + 1.5) * 1.3, textColor=colors.HexColor("#33404d")),
        h2=ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=size + 2.5,
                          leading=(size + 2.5) * 1.25, spaceBefore=9, spaceAfter=4),
    )


def heading(text: str, st: Styles) -> list:
    """A section heading that starts a new page rather than stand alone at the foot of one."""
    return [CondPageBreak(30 * mm), paragraph(text, st.h2)]


#: Where a line may break: ordinary spaces only (no-break spaces hold "1 234 567" together).
BREAKS = re.compile(r"[ \t\r\n]+")


def longest_word(text: str, font: str, size: float) -> float:
    """The width of the widest word of ``text`` (what a column must hold not to split it)."""
    return max((stringWidth(w, font, size) for w in BREAKS.split(str(text))), default=0.0)


def column_widths(rows: Sequence[Sequence[Any]], total: float, *, size: float,
                  bold_rows: int = 0) -> list[float] | None:
    """Widths summing to ``total`` in which each column holds its longest word. The room left
    goes first to the columns that need least to fit their longest cell on one line, then
    evenly to the rest (water filling), so short columns never wrap to feed a long one.
    None when the longest words alone do not fit."""
    register_fonts()
    n = max(len(r) for r in rows)
    mins, wants = [0.0] * n, [0.0] * n
    for i, row in enumerate(rows):
        font = FONT_BOLD if i < bold_rows else FONT
        for c, value in enumerate(row):
            text = str(value)
            mins[c] = max(mins[c], longest_word(text, font, size) + 2 * PAD + 0.5)
            wants[c] = max(wants[c], stringWidth(text, font, size) + 2 * PAD + 0.5)
    room = total - sum(mins)
    if room < 0:
        return None
    widths = list(mins)
    hungry = sorted(range(n), key=lambda c: wants[c] - mins[c])
    while hungry and room > 1e-6:
        share = room / len(hungry)
        c = hungry[0]
        need = wants[c] - widths[c]
        if need <= share:
            widths[c] = wants[c]
            room -= need
            hungry.pop(0)
        else:
            for c in hungry:
                widths[c] += share
            room = 0.0
    if room > 1e-6:  # everything fits on one line: widen every column alike
        widths = [w + room / n for w in widths]
    return widths


def table(rows: Sequence[Sequence[Any]], total: float, *, header: bool = True,
          numeric: Sequence[int] = (), sizes: Sequence[float] = TABLE_SIZES,
          fill_rows: Sequence[int] = ()) -> Table:
    """A table of text cells ``total`` points wide, in the largest of ``sizes`` at which every
    word fits its column. ``numeric`` columns are right-aligned; ``fill_rows`` highlighted.

    Raises ValueError when even the smallest size does not fit: lay the table out with fewer
    columns or on a landscape page."""
    for size in sizes:
        widths = column_widths(rows, total, size=size, bold_rows=int(header))
        if widths is not None:
            break
    else:
        raise ValueError("The table does not fit its page; use fewer columns or landscape.")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.25,
                          splitLongWords=0)
    head = ParagraphStyle("head", parent=cell, fontName=FONT_BOLD)
    right = {c: ParagraphStyle(f"right{c}", parent=cell, alignment=TA_RIGHT) for c in numeric}
    data = [[paragraph(v, head if header and i == 0 else right.get(c, cell))
             for c, v in enumerate(row)] for i, row in enumerate(rows)]
    style = [("GRID", (0, 0), (-1, -1), 0.4, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    style += [("BACKGROUND", (0, r), (-1, r), WARN_BG) for r in fill_rows]
    return Table(data, colWidths=widths, repeatRows=int(header), style=TableStyle(style))


def banner(text: str, total: float, *, size: float = 9) -> Table:
    """A notice in a coloured box of its own (a table cell: it takes its room in the flow, so
    it never overlaps the lines around it)."""
    style = ParagraphStyle("banner", fontName=FONT, fontSize=size, leading=size * 1.35,
                           textColor=WARN_FG, splitLongWords=0)
    return Table([[paragraph(text, style)]], colWidths=[total], style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), WARN_BG), ("BOX", (0, 0), (-1, -1), 0.6, WARN_FG),
        ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))


def qr_code(url: str, size: float) -> Drawing:
    """A QR code of ``url``, ``size`` points square, drawn as vectors (reportlab's encoder)."""
    widget = QrCodeWidget(url, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def footer(text: str, *, page_label: Callable[[int], str]) -> Callable:
    """An ``onPage`` callback writing ``text`` and ``page_label(n)`` at the foot of each page.

    ``drawString`` sets plain text (no markup is parsed), so data may appear in ``text``."""

    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#5a6570"))
        y = doc.bottomMargin - 14
        canvas.drawString(doc.leftMargin, y, text)
        canvas.drawRightString(doc.leftMargin + doc.width, y, page_label(canvas.getPageNumber()))
        canvas.restoreState()

    return draw
