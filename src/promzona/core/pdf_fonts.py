"""The PDF fonts: DejaVu Sans (matplotlib's copy, so no system fonts are needed) prints Cyrillic
and the Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ, і)."""

from __future__ import annotations

from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"


def register_fonts() -> str:
    """Register the regular and bold faces with reportlab once; return the regular name."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        ttf = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        pdfmetrics.registerFont(TTFont(FONT, str(ttf / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(ttf / "DejaVuSans-Bold.ttf")))
    return FONT
