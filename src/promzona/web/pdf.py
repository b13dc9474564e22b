"""The printable plot passport: reportlab with DejaVu Sans (matplotlib's copy) for Cyrillic."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from promzona.core.pdf_fonts import FONT, FONT_BOLD, register_fonts
from promzona.core.sinks import paragraph
from promzona.zones.models import Plot

from .passport import passport_facts, provenance_facts
from .templatetags.portal import money, qty


def passport_pdf(plot: Plot, utilities, *, today: dt.date) -> bytes:
    """The passport of ``plot`` as PDF bytes, in the active language."""
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12)
    h1 = ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=8,
                        spaceAfter=3)
    warn = ParagraphStyle("warn", parent=body, backColor=colors.HexColor("#fff4d6"),
                          borderPadding=4, textColor=colors.HexColor("#7a4b00"))

    def p(text):
        return paragraph(text, body)

    def table(rows, widths) -> Table:
        t = Table([[p(c) for c in r] for r in rows], colWidths=widths, repeatRows=0)
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#d9dee4")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        return t

    zone = plot.zone
    story = [paragraph(f"{_('Plot passport')} {plot.code}", h1), p(f"{plot.name} · {zone.name}")]
    if zone.is_illustrative:
        story.append(paragraph(_("Demo: the figures are illustrative, not real data."), warn))
    if plot.is_stale(today):
        story += [Spacer(1, 4), paragraph(_("Needs re-verification: some facts of this passport "
                                            "may be out of date."), warn)]
    facts = [(_("Status"), plot.get_status_display())] + [
        (f.label, f.text) for f in passport_facts(plot)]
    story += [paragraph(_("Passport"), h2), table(facts, [60 * mm, 110 * mm])]
    if plot.description:
        story += [Spacer(1, 4), p(plot.description)]
    story.append(paragraph(_("Utilities"), h2))
    rows = [(_("Utility"), _("Line"), _("Distance, m"), _("Connection cost, KZT"), _("Ready on"),
             _("Source"), _("Free at source"))]
    for u in utilities:
        serves = f" · {_('serves the plot')}" if u.serves else ""
        rows.append((u.kind_label, f"{u.line_code} ({u.status_label}){serves}", f"{u.distance_m:.0f}",
                     money(u.cost_kzt), u.ready_on.isoformat(), u.source.name if u.source else "—",
                     f"{qty(u.source.free)} {u.unit}" if u.source else "—"))
    story.append(table(rows, [22 * mm, 30 * mm, 18 * mm, 26 * mm, 20 * mm, 32 * mm, 22 * mm]))
    story.append(paragraph(_("Conditions and incentives"), h2))
    story.append(p(zone.incentives or "—"))
    story.append(paragraph(_("Provenance"), h2))
    story.append(table([(f.label, f.text) for f in provenance_facts(plot, today=today)],
                       [60 * mm, 110 * mm]))
    story += [Spacer(1, 8), p(_("Printed on %(date)s.") % {"date": today.isoformat()})]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm,
                            title=f"{plot.code} {plot.name_ru}", author="promzona")
    doc.build(story)
    return buf.getvalue()
