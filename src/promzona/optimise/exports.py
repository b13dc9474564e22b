"""The plan and the allocation proposal as XLSX (numbers in numeric cells, one sheet per table)
and PDF (reportlab with DejaVu Sans: Cyrillic and Kazakh letters print)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from promzona import l10n
from promzona.core import pdf_layout
from promzona.core.sinks import Sheet, paragraph, single_line, xlsx_book

Table = tuple[str, list[str], list[list]]  # sheet title, header, rows


def xlsx(title: str, note: str, tables: list[Table]) -> bytes:
    return xlsx_book([Sheet(sheet, [[title], [note], [], header, *rows], bold_rows=(0, 3))
                      for sheet, header, rows in tables])


def _text(v) -> str:
    if isinstance(v, float):
        return l10n.num(v, 2)
    return l10n.cell(v)


def pdf(title: str, note: str, summary: list[str], tables: list[Table],
        images: list[bytes] = ()) -> bytes:
    """A landscape A4 report: title, note, summary lines, pictures, then the tables, laid out
    by :mod:`promzona.core.pdf_layout` (no word split, numbers right-aligned)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image, SimpleDocTemplate, Spacer

    st = pdf_layout.styles(8)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=single_line(title),
                            author="promzona", leftMargin=24, rightMargin=24, topMargin=24,
                            bottomMargin=30)
    story = [paragraph(title, st.h1)]
    if note:
        story += [pdf_layout.banner(note, doc.width, size=8), Spacer(1, 6)]
    story += [paragraph(line, st.body) for line in summary]
    for png in images:
        iw, ih = ImageReader(io.BytesIO(png)).getSize()
        scale = min(doc.width / iw, doc.height * 0.6 / ih)
        story += [Spacer(1, 6), Image(io.BytesIO(png), width=iw * scale, height=ih * scale)]
    for sheet, header, rows in tables:
        story += pdf_layout.heading(sheet, st)
        numeric = [c for c in range(len(header))
                   if rows and all(isinstance(r[c], int | float) for r in rows if r[c] is not None)]
        story.append(pdf_layout.table([header] + [[_text(v) for v in row] for row in rows],
                                      doc.width, numeric=numeric))
    footer = pdf_layout.footer(single_line(f"promzona · {title}", max_length=120), page_label=str)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
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
         [[s["period"], period_starts[s["period"] - 1]
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
