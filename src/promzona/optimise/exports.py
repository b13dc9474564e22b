"""The plan and the allocation proposal as XLSX (numbers in numeric cells, one sheet per table)
and PDF (reportlab with DejaVu Sans: Cyrillic and Kazakh letters print)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from promzona.core.pdf_fonts import FONT, FONT_BOLD, register_fonts
from promzona.core.sinks import paragraph, xlsx_sheets

Table = tuple[str, list[str], list[list]]  # sheet title, header, rows


def xlsx(title: str, note: str, tables: list[Table]) -> bytes:
    return xlsx_sheets([(sheet, [[title], [note], [], header, *rows], [0, 3], [])
                        for sheet, header, rows in tables])


def _text(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}".replace(",", " ")
    return "—" if v is None else str(v)


def pdf(title: str, note: str, summary: list[str], tables: list[Table],
        images: list[bytes] = ()) -> bytes:
    """A landscape A4 report: title, note, summary lines, pictures, then the tables."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=8,
                        spaceAfter=3)
    note_style = ParagraphStyle("note", parent=body, backColor=colors.HexColor("#fff4d6"),
                                borderPadding=3)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=title, author="promzona",
                            leftMargin=24, rightMargin=24, topMargin=24, bottomMargin=24)
    story = [paragraph(title, h1)]
    if note:
        story += [paragraph(note, note_style), Spacer(1, 6)]
    story += [paragraph(line, body) for line in summary]
    for png in images:
        iw, ih = ImageReader(io.BytesIO(png)).getSize()
        scale = min(doc.width / iw, doc.height * 0.6 / ih)
        story += [Spacer(1, 6), Image(io.BytesIO(png), width=iw * scale, height=ih * scale)]
    for sheet, header, rows in tables:
        story.append(paragraph(sheet, h2))
        data = [[paragraph(str(h), body) for h in header]]
        data += [[paragraph(_text(v), body) for v in row] for row in rows]
        table = PdfTable(data, repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c2")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(table)
    doc.build(story)
    return buf.getvalue()


def plan_tables(answer: dict, period_starts: list) -> list[Table]:
    """Schedule, plots, spending, baselines and marginal values of a (readable) plan."""
    tables: list[Table] = [
        (_("Schedule"), [_("Work"), _("Start"), _("Completion"), _("Cost, million KZT"),
                         _("Plots unlocked"), _("Explanation")],
         [[r["work"], r["start"], r["complete"], r["cost"], len(r["unlocks"]), r["explanation"]]
          for r in answer["schedule"]]),
        (_("Plots"), [_("Plot"), _("Unlocked in period"), _("Discounted value")],
         [[p["plot"], p["unlocked"], p["value"]] for p in answer["plots"]]),
        (_("Spending"), [_("Period"), _("From"), _("Budget"), _("Spent")],
         [[s["period"], period_starts[s["period"] - 1].isoformat()
           if s["period"] <= len(period_starts) else None, s["budget"], s["spent"]]
          for s in answer["spending"]]),
        (_("Baselines"), [_("Rule"), _("Objective"), _("Gain of the optimum"), _("Gain, %")],
         [[b["label"], b["objective"], b["gain"], b["gain_pct"]] for b in answer["baselines"]]),
    ]
    if answer.get("marginal_budget"):
        tables.append((_("Marginal value of budget"),
                       [_("Period"), _("Objective with more budget"), _("Gain per unit")],
                       [[m["period"], m["objective"], m["gain_per_unit"]]
                        for m in answer["marginal_budget"]]))
    return tables


def allocation_tables(answer: dict, names: dict[str, str], reasons: dict[str, str]) -> list[Table]:
    return [
        (_("Assignments"), [_("Application"), _("Project"), _("Plot"), _("Value")],
         [[a["application"], names.get(a["application"], ""), a["plot"], a["value"]]
          for a in answer["assignments"]]),
        (_("Without a plot"), [_("Application"), _("Project"), _("Why")],
         [[u["application"], names.get(u["application"], ""),
           reasons.get(u["application"], u["reason"])] for u in answer["unassigned"]]),
        (_("Baselines"), [_("Rule"), _("Objective"), _("Assigned"), _("Gain of the optimum"),
                          _("Gain, %")],
         [[b["label"], b["objective"], b["assigned"], b["gain"], b["gain_pct"]]
          for b in answer["baselines"]]),
    ]
