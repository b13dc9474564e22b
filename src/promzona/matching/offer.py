"""The commercial offer: a PDF for the top plots of a match, in ru, kk or en.

Each plot gets the printed map of its surroundings (:mod:`promzona.web.plotmap`), its
conditions, the cost breakdown, the timeline, the gaps, the zone's contacts and a validity
date, laid out by :mod:`promzona.core.pdf_layout` (no word split) in DejaVu Sans, which covers
Cyrillic and Kazakh letters.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, PageBreak, SimpleDocTemplate, Spacer

from promzona import l10n
from promzona.core import pdf_layout
from promzona.core.matching import MatchOutcome
from promzona.core.sinks import paragraph
from promzona.web.passport import contact_rows, key_facts
from promzona.web.plotmap import plot_map_png
from promzona.zones.models import Plot, UtilityKindChoices, Zone

from .answer import answer_json

TOP = 5
VALID_DAYS = 30
WIDTH = 174 * mm  # A4 less 18 mm margins


def offer_pdf_bytes(outcome: MatchOutcome, *, today: dt.date, lang: str | None = None,
                    top: int = TOP) -> bytes:
    """The offer for the first ``top`` results, in ``lang`` (default: the active language)."""
    with translation.override(lang or translation.get_language() or "ru"):
        return _build(outcome, today=today, top=top)


def _build(outcome: MatchOutcome, *, today: dt.date, top: int) -> bytes:
    st = pdf_layout.styles()
    answer = answer_json(outcome, limit=top)
    valid_until = today + dt.timedelta(days=VALID_DAYS)
    req = outcome.request
    story = [
        paragraph(_("Commercial offer: plots for your project"), st.h1),
        paragraph(_("Prepared on %(today)s; valid until %(until)s.") % {
            "today": l10n.day(today), "until": l10n.day(valid_until)}, st.body),
        paragraph(_("Request: sector %(sector)s, hazard class %(hazard)s, horizon %(years)s "
                    "years.") % {"sector": req.sector, "hazard": req.hazard_class,
                                 "years": req.horizon_years}, st.body),
        Spacer(1, 4 * mm),
    ]
    if not answer["results"]:
        story.append(paragraph(_("No plot can serve this request at present."), st.body))
    plots = Plot.objects.select_related("zone").in_bulk([r["plot_id"] for r in answer["results"]])
    zones: dict[int, Zone] = {}
    kinds = dict(UtilityKindChoices.choices)
    for n, r in enumerate(answer["results"]):
        p = plots[r["plot_id"]]
        zones[p.zone_id] = p.zone
        if n:
            story.append(PageBreak())
        story.append(paragraph(f"{r['rank']}. {p.code} — {p.name} · {p.zone.name}", st.h2))
        story.append(Image(io.BytesIO(plot_map_png(p, size_mm=(174, 92))), width=WIDTH,
                           height=92 * mm))
        b = r["cost_breakdown"]
        deal = _("lease") if b["land_deal"] == "lease" else _("purchase")
        story += pdf_layout.heading(_("Conditions"), st)
        story.append(pdf_layout.table([
            *([f.label, f.text] for f in key_facts(p)),
            [_("Deal"), deal],
            [_("Score"), f"{l10n.num(r['score'], 1)} / 100"],
        ], WIDTH, header=False))
        story += pdf_layout.heading(_("Cost of location over %(years)s years, KZT") % {
            "years": b["horizon_years"]}, st)
        story.append(pdf_layout.table([
            [_("Land") + f" ({deal})", l10n.money(b["land_kzt"])],
            [_("Connections to the networks"), l10n.money(b["connections_kzt"])],
            [_("Utility bill") + f" ({l10n.money(b['utilities_per_year_kzt'])} / " + _("year")
             + ")", l10n.money(b["utilities_kzt"])],
            [_("Incentives"), l10n.money(b["incentives_kzt"])],
            [_("Total"), l10n.money(r["cost_of_location_kzt"])],
        ], WIDTH, header=False, numeric=(1,)))
        story += pdf_layout.heading(_("Timeline"), st)
        rows = [[_("Today"), l10n.day(today)]]
        rows += [[f"{kinds[u['kind']]}: {u['line_code']} ({u['source_code']})",
                  l10n.day(u["ready_on"])] for u in r["utilities"]]
        rows.append([_("Start possible"), l10n.day(r["start_on"])])
        story.append(pdf_layout.table(rows, WIDTH, header=False))
        if r["gaps"]:
            story += pdf_layout.heading(_("Gaps"), st)
            for g in r["gaps"]:
                when = (" — " + _("feasible from %(date)s") % {"date": l10n.day(g["resolved_on"])}
                        if g["resolved_on"] else "")
                story.append(paragraph(f"• {g['text']}{when}", st.body))
        story += pdf_layout.heading(_("Explanation"), st)
        for line in r["explanation"]:
            story.append(paragraph(f"• {line}", st.body))
    for z in zones.values():
        story += pdf_layout.heading(_("Contacts: %(zone)s") % {"zone": z.name}, st)
        contacts = contact_rows(z)
        if contacts:
            story.append(pdf_layout.table(contacts, WIDTH, header=False))
        if z.incentives:
            story += [Spacer(1, 3), paragraph(_("Incentives") + ": " + z.incentives, st.body)]
        if z.is_illustrative:
            story += [Spacer(1, 3), pdf_layout.banner(
                _("Illustrative demo data: the figures are not real."), WIDTH)]
    buf = io.BytesIO()
    label = _("Commercial offer")
    footer = pdf_layout.footer(f"promzona · {label} · {l10n.day(today)}",
                               page_label=lambda n: _("page %(n)s") % {"n": n})
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=15 * mm, bottomMargin=16 * mm, title="promzona offer",
                      ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
