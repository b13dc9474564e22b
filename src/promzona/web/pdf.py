"""The printable plot passport: A4, DejaVu Sans (matplotlib's copy) for Cyrillic, laid out by
:mod:`promzona.core.pdf_layout` so no word is split; a map of the plot in its surroundings, the
zone's contacts, the date and a QR code linking to the live passport."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from promzona import l10n
from promzona.core import pdf_layout
from promzona.core.sinks import paragraph, single_line
from promzona.zones.models import Plot

from .passport import contact_rows, passport_facts, provenance_facts
from .plotmap import plot_map_png

WIDTH = 180 * mm  # A4 less 15 mm margins
QR = 26 * mm


def passport_pdf(plot: Plot, utilities, *, today: dt.date, url: str) -> bytes:
    """The passport of ``plot`` as PDF bytes, in the active language; ``url`` is the live
    passport the QR code leads to."""
    st = pdf_layout.styles()
    zone = plot.zone
    title = f"{_('Plot passport')} {plot.code}"
    head = [paragraph(title, st.h1), paragraph(f"{plot.name} · {zone.name}", st.subtitle),
            Spacer(1, 3),
            paragraph(" · ".join((_("Status: %(status)s") % {"status": plot.get_status_display()},
                                  _("printed on %(date)s") % {"date": l10n.day(today)})),
                      st.body),
            paragraph(_("The live passport, always current: %(url)s") % {"url": url}, st.small)]
    story = [Table([[head, [pdf_layout.qr_code(url, QR)]]], colWidths=[WIDTH - QR - 4 * mm,
                                                                       QR + 4 * mm],
                   style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                     ("RIGHTPADDING", (0, 0), (-1, -1), 0)])),
             Spacer(1, 4)]
    if zone.is_illustrative:
        story += [pdf_layout.banner(_("Demo: the figures are illustrative, not real data."),
                                    WIDTH), Spacer(1, 3)]
    if plot.is_stale(today):
        story += [pdf_layout.banner(_("Needs re-verification: some facts of this passport may be "
                                      "out of date; check them with the zone office."), WIDTH),
                  Spacer(1, 3)]
    story += [Spacer(1, 2), Image(io.BytesIO(plot_map_png(plot, size_mm=(180, 92))),
                                  width=WIDTH, height=92 * mm)]

    story += [*pdf_layout.heading(_("Passport"), st),
              pdf_layout.table([[f.label, f.text] for f in passport_facts(plot)], WIDTH,
                               header=False)]
    if plot.description:
        story += [Spacer(1, 4), paragraph(plot.description, st.body)]

    story += pdf_layout.heading(_("Utilities"), st)
    rows = [[_("Utility"), _("Line"), _("Distance, m"), _("Connection cost, KZT"), _("Ready on"),
             _("Source"), _("Free at source"), _("Planned upgrades")]]
    for u in utilities:
        rows.append([
            u.kind_label, f"{u.line_code} · {u.status_label}" + (
                f" · {_('serves the plot')}" if u.serves else ""), l10n.num(u.distance_m),
            l10n.money(u.cost_kzt), l10n.day(u.ready_on), u.source.name if u.source else "—",
            l10n.qty(u.source.free, u.unit) if u.source else "—",
            "; ".join(f"{up.name}: {l10n.signed(up.capacity_added, u.unit)}, "
                      f"{l10n.day(up.planned_completion)}" for up in u.upgrades) or "—"])
    if utilities:
        story.append(pdf_layout.table(rows, WIDTH, numeric=(2, 3)))
    else:
        story.append(paragraph(_("No utility lines recorded in this zone."), st.body))

    story += pdf_layout.heading(_("Conditions and incentives"), st)
    story += [paragraph(zone.incentives or "—", st.body), Spacer(1, 3),
              paragraph(_("Administrative procedure to the right to build: about %(days)s days.")
                        % {"days": zone.admin_procedure_days}, st.body)]
    story += [*pdf_layout.heading(_("Provenance"), st), pdf_layout.table(
        [[f.label, f.text] for f in provenance_facts(plot, today=today)], WIDTH, header=False)]
    contacts = contact_rows(zone)
    if contacts:
        story += [*pdf_layout.heading(_("Contacts: %(zone)s") % {"zone": zone.name}, st),
                  pdf_layout.table(contacts, WIDTH, header=False)]

    buf = io.BytesIO()
    footer = pdf_layout.footer(single_line(f"promzona · {title} · {l10n.day(today)}"),
                               page_label=lambda n: _("page %(n)s") % {"n": n})
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                      topMargin=14 * mm, bottomMargin=16 * mm, title=single_line(title),
                      author="promzona").build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()

