"""The commercial offer: a PDF for the top plots of a match, in ru, kk or en.

Each plot gets a map drawn with matplotlib from our own vector data (zone boundary, map
features, utility lines, neighbouring plots, the plot highlighted), its conditions, the cost
breakdown, the timeline, the gaps, the zone's contacts and a validity date. Text is set in
DejaVu Sans (matplotlib ships it), which covers Cyrillic and Kazakh letters.
"""

from __future__ import annotations

import datetime as dt
import io
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from django.utils import translation  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from reportlab.lib import colors  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    Image,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from shapely.geometry import shape  # noqa: E402

from promzona.core.matching import MatchOutcome  # noqa: E402
from promzona.core.pdf_fonts import FONT, FONT_BOLD, register_fonts  # noqa: E402
from promzona.core.sinks import paragraph  # noqa: E402
from promzona.zones.models import MapFeature, Plot, UtilityLine, Zone  # noqa: E402

from .answer import answer_json  # noqa: E402

TOP = 5
VALID_DAYS = 30
LINE_COLOURS = {"power": "#d62728", "water": "#1f77b4", "sewage": "#8c564b", "heat": "#ff7f0e",
                "gas": "#bcbd22"}
def _kzt(x: float) -> str:
    return f"{x + 0.0:,.0f}".replace(",", " ").replace("-0", "0") if round(x) == 0 else \
        f"{x:,.0f}".replace(",", " ")


def plot_map_png(plot: Plot, *, width_in: float = 6.5) -> bytes:
    """A map of the plot's zone with the plot highlighted, as PNG bytes."""
    zone = plot.zone
    fig, ax = plt.subplots(figsize=(width_in, width_in * 0.62), dpi=110)
    zg = shape(zone.geometry)
    ax.plot(*zg.exterior.xy, color="#555", lw=1, ls="--")
    for f in MapFeature.objects.filter(zone=zone):
        g = shape(f.geometry)
        style = {"rail": dict(color="#333", lw=2), "road": dict(color="#999", lw=2),
                 "shoreline": dict(color="#4aa3df", lw=1.5)}.get(f.kind, dict(color="#aaa", lw=1))
        if g.geom_type in ("LineString", "MultiLineString"):
            for part in getattr(g, "geoms", [g]):
                ax.plot(*part.xy, **style)
    for ln in UtilityLine.objects.filter(zone=zone):
        g = shape(ln.geometry)
        for part in getattr(g, "geoms", [g]):
            ax.plot(*part.xy, color=LINE_COLOURS.get(ln.kind, "k"), lw=1.2,
                    ls="-" if ln.status == "existing" else (0, (4, 2)))
    for p in Plot.objects.filter(zone=zone).exclude(status__in=["draft", "withdrawn"]):
        g = shape(p.geometry)
        ax.fill(*g.exterior.xy, color="#ddd" if p.pk != plot.pk else "#e41a1c",
                alpha=0.6 if p.pk != plot.pk else 0.9, lw=0.5, ec="#666")
    pg = shape(plot.geometry)
    ax.annotate(plot.code, (pg.centroid.x, pg.centroid.y), fontsize=8, ha="center",
                va="center", color="white", weight="bold", parse_math=False)  # "$" is no TeX
    x0, y0, x1, y1 = zg.buffer(0.004).bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / max(0.2, math.cos(math.radians(abs(pg.centroid.y)))))
    ax.set_xticks([])
    ax.set_yticks([])
    for kind, colour in LINE_COLOURS.items():
        ax.plot([], [], color=colour, label=_(kind))
    ax.legend(loc="lower right", fontsize=6, frameon=True)
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def offer_pdf_bytes(outcome: MatchOutcome, *, today: dt.date, lang: str | None = None,
                    top: int = TOP) -> bytes:
    """The offer for the first ``top`` results, in ``lang`` (default: the active language)."""
    register_fonts()
    with translation.override(lang or translation.get_language() or "ru"):
        return _build(outcome, today=today, top=top)


def _build(outcome: MatchOutcome, *, today: dt.date, top: int) -> bytes:
    base = ParagraphStyle("b", fontName=FONT, fontSize=9, leading=12)
    h1 = ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=15, leading=19)
    h2 = ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=12, leading=16,
                        spaceBefore=6)
    answer = answer_json(outcome, limit=top)
    valid_until = today + dt.timedelta(days=VALID_DAYS)
    req = outcome.request
    story = [
        paragraph(_("Commercial offer: plots for your project"), h1),
        paragraph(_("Prepared on %(today)s; valid until %(until)s.") % {
            "today": today.isoformat(), "until": valid_until.isoformat()}, base),
        paragraph(_("Request: sector %(sector)s, hazard class %(hazard)s, horizon %(years)s "
                    "years.") % {"sector": req.sector, "hazard": req.hazard_class,
                                 "years": req.horizon_years}, base),
        Spacer(1, 4 * mm),
    ]
    if not answer["results"]:
        story.append(paragraph(_("No plot can serve this request at present."), base))
    plots = Plot.objects.select_related("zone").in_bulk([r["plot_id"] for r in answer["results"]])
    zones: dict[int, Zone] = {}
    table_style = TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8.5), ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, -1), "RIGHT"),
    ])
    for n, r in enumerate(answer["results"]):
        p = plots[r["plot_id"]]
        zones[p.zone_id] = p.zone
        if n:
            story.append(PageBreak())
        story.append(paragraph(f"{r['rank']}. {p.code} — {p.name} · {p.zone.name}", h2))
        story.append(Image(io.BytesIO(plot_map_png(p)), width=170 * mm, height=105 * mm))
        b = r["cost_breakdown"]
        deal = _("lease") if b["land_deal"] == "lease" else _("purchase")
        story.append(paragraph(_("Conditions"), h2))
        story.append(Table([
            [_("Area"), f"{p.declared_area_ha} {_('ha')}"],
            [_("Deal"), deal],
            [_("Most hazardous class allowed"), str(p.hazard_class_max)],
            [_("Rail spur"), _("yes") if p.rail_spur else _("no")],
            [_("Score"), f"{r['score']:.1f} / 100"],
        ], colWidths=[80 * mm, 90 * mm], style=table_style))
        story.append(paragraph(_("Cost of location over %(years)s years, KZT") % {
            "years": b["horizon_years"]}, h2))
        story.append(Table([
            [_("Land") + f" ({deal})", _kzt(b["land_kzt"])],
            [_("Connections to the networks"), _kzt(b["connections_kzt"])],
            [_("Utility bill") + f" ({_kzt(b['utilities_per_year_kzt'])} / " + _("year") + ")",
             _kzt(b["utilities_kzt"])],
            [_("Incentives"), _kzt(b["incentives_kzt"])],
            [_("Total"), _kzt(r["cost_of_location_kzt"])],
        ], colWidths=[120 * mm, 50 * mm], style=table_style))
        story.append(paragraph(_("Timeline"), h2))
        rows = [[_("Today"), today.isoformat()]]
        rows += [[f"{_(u['kind'])}: {u['line_code']} ({u['source_code']})", u["ready_on"]]
                 for u in r["utilities"]]
        rows.append([_("Start possible"), r["start_on"]])
        story.append(Table(rows, colWidths=[120 * mm, 50 * mm], style=table_style))
        if r["gaps"]:
            story.append(paragraph(_("Gaps"), h2))
            for g in r["gaps"]:
                when = (" — " + _("feasible from %(date)s") % {"date": g["resolved_on"]}
                        if g["resolved_on"] else "")
                story.append(paragraph(f"• {g['text']}{when}", base))
        story.append(paragraph(_("Explanation"), h2))
        for line in r["explanation"]:
            story.append(paragraph(f"• {line}", base))
    for z in zones.values():
        story.append(paragraph(_("Contacts: %(zone)s") % {"zone": z.name}, h2))
        for v in (z.management_company, z.contact_name, z.contact_phone, z.contact_email,
                  z.contact_address, z.website):
            if v:
                story.append(paragraph(v, base))
        if z.incentives:
            story.append(paragraph(_("Incentives") + ": " + z.incentives, base))
        if z.is_illustrative:
            story.append(paragraph(_("Illustrative demo data: the figures are not real."), base))
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                      topMargin=15 * mm, bottomMargin=15 * mm, title="promzona offer",
                      ).build(story)
    return buf.getvalue()
