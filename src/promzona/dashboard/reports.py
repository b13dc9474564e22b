"""The monthly report for the akimat's meeting (PDF and XLSX, in ru, kk or en) and the
printable registers of plots and of applications.

The report's figures are those of the dashboard on the month's last day (today for the current
month), computed from the records as the page and ``/api/kpi`` compute them, with the month's
change against the end of the month before and the trend over twelve months. Text from data
reaches the PDF only through ``core.sinks.paragraph`` and the XLSX only through
``core.sinks.xlsx_book``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babel.dates import format_date
from django.utils import translation
from django.utils.translation import gettext as _

from promzona.applications.models import Application
from promzona.core import charts as c
from promzona.core import formats, kpi, pdf_layout
from promzona.core import instructions as rules
from promzona.core.deadlines import month_bounds, month_ends
from promzona.core.errors import InputError
from promzona.core.pdf_fonts import FONT, FONT_BOLD, register_fonts
from promzona.core.sinks import Sheet, paragraph, xlsx_book
from promzona.instructions.models import Instruction
from promzona.works.models import Work, WorkPlan
from promzona.zones.models import Plot, Zone

from . import charts, selectors
from . import records as dated
from .charts import funnel_labels
from .contract import kpi_json

FORMATS = {"count": "#,##0", "money": "#,##0", "ha": "#,##0.00", "share": "0.0%",
           "index": "0.00", "text": "@", "days": "#,##0.0", "qty": "#,##0.00"}


def number(value: Any, kind: str, lang: str) -> str:
    """``value`` as the report prints it in ``lang``: :func:`promzona.core.formats.figure`, as
    the page writes it."""
    return formats.figure(value, kind, lang)


@dataclass
class Monthly:
    zone: Zone | None
    lang: str
    month: dt.date  # its first day
    day: dt.date  # the figures' day: the month's last, or today
    before: dt.date  # the last day of the month before
    figures: kpi.Figures
    previous: kpi.Figures
    bodies: dict[int, str]
    points: list[tuple[dt.date, dict]]
    zones: list[tuple[Zone, kpi.Figures]] = field(default_factory=list)
    late_works: list[list[Any]] = field(default_factory=list)
    overdue: list[list[Any]] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return (self.zone.is_illustrative if self.zone else
                Zone.objects.filter(is_illustrative=True).exists())

    @property
    def scope(self) -> str:
        return self.zone.name if self.zone else _("All zones")

    @property
    def title(self) -> str:
        return _("Monthly report: %(scope)s, %(month)s") % {
            "scope": self.scope, "month": format_date(self.month, "LLLL y", locale=self.lang)}


def month_check(year: int, month: int, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of a month that has a report (begun, not before 2000);
    :class:`InputError` for another."""
    if not (2000 <= year <= today.year and 1 <= month <= 12):
        raise InputError(_("No report for that month."), field="month")
    first, last = month_bounds(year, month)
    if first > today:
        raise InputError(_("No report for that month."), field="month")
    return first, last


def monthly(*, zone: Zone | None, year: int, month: int, lang: str, today: dt.date) -> Monthly:
    """The figures of the report for ``year``-``month`` in ``lang``; :class:`InputError` for a
    month that has not begun or lies before 2000."""
    first, last = month_check(year, month, today=today)
    day = min(last, today)
    before = first - dt.timedelta(days=1)
    with translation.override(lang):
        days = month_ends(day, 12)
        records = dated.gather(days=days + [before], zone=zone)
        zone_id = zone.pk if zone else None
        report = Monthly(
            zone=zone, lang=lang, month=first, day=day, before=before,
            figures=selectors.figures(records, day, zone_id),
            previous=selectors.figures(records, before, zone_id), bodies=records.bodies,
            points=[(d, kpi_json(selectors.figures(records, d, zone_id), zone=None,
                                 bodies=records.bodies)) for d in days])
        if zone is None:
            parts = dated.split(records, day)
            report.zones = [(records.zones[pk], selectors.figures(p, day, pk))
                            for pk, p in sorted(parts.items(),
                                                key=lambda i: records.zones[i[0]].slug)]
        report.late_works = _late_works(records, day)
        report.overdue = _overdue(records, day)
    return report


def _late_works(records: dated.Records, day: dt.date) -> list[list[Any]]:
    late = [pk for _z, pk, w in records.works.get(day, ()) if w.late]
    finish = dict(WorkPlan.objects.filter(work__in=late, version=1)
                  .values_list("work_id", "planned_finish"))
    return [[w.name, w.zone.name, finish.get(w.pk)]
            for w in Work.objects.filter(pk__in=late).select_related("zone").order_by("pk")]


def _overdue(records: dated.Records, day: dt.date) -> list[list[Any]]:
    states = {pk: i for _z, pk, i in records.instructions.get(day, ())
              if rules.is_overdue(deadline=i.deadline, status=i.status, on_control=i.on_control,
                                  today=day)}
    return [[ins.number, ins.title, records.bodies.get(states[ins.pk].executor, ""),
             states[ins.pk].deadline, (day - states[ins.pk].deadline).days]
            for ins in Instruction.objects.filter(pk__in=list(states)).order_by("deadline", "pk")]


def headline(r: Monthly) -> list[tuple[str, str, Any, Any]]:
    """``(figure, kind, at the end of the month before, now)``."""
    def rows(f: kpi.Figures) -> list[tuple[str, str, Any]]:
        return [
            (_("Plots"), "count", f.land.count),
            (_("Land, ha"), "ha", f.land.area_ha),
            (_("Occupancy (allocated and occupied area / area on offer)"), "share",
             f.land.occupancy_share),
            (_("Free plots, ha"), "ha", f.land.area_ha_by_status["published"]),
            (_("Sources near exhaustion"), "count", sum(s.near_exhaustion for s in f.sources)),
            (_("Applications submitted (to date)"), "count",
             f.funnel.counts["applications_submitted"]),
            (_("Applications approved (to date)"), "count", f.funnel.counts["approved"]),
            (_("Projects in operation"), "count", f.funnel.counts["projects_in_operation"]),
            (_("Investment planned, KZT"), "money", f.investment.total.planned),
            (_("Investment actual (confirmed), KZT"), "money", f.investment.total.actual),
            (_("Jobs planned"), "count", f.investment.total.planned_jobs),
            (_("Jobs actual"), "count", f.investment.total.actual_jobs),
            (_("Works"), "count", f.works.total),
            (_("Works late"), "count", f.works.late),
            (_("SPI (works)"), "index", f.works.spi),
            (_("CPI (works)"), "index", f.works.cpi),
            (_("Instructions open"), "count", f.instructions.open),
            (_("Instructions overdue"), "count", f.instructions.overdue),
            (_("Instructions closed on time"), "count", f.instructions.closed_on_time),
            (_("Instructions closed late"), "count", f.instructions.closed_late),
        ]
    return [(label, kind, b, a) for (label, kind, b), (_l, _k, a)
            in zip(rows(r.previous), rows(r.figures), strict=True)]


def sections(r: Monthly) -> list[tuple[str, list[tuple[str, str]], list[list[Any]]]]:
    """The report's tables: ``(title, [(column, kind)], rows)``, the same in PDF and XLSX."""
    f, labels = r.figures, dict(Plot.Status.choices)
    out = [
        (_("Land by plot status"), [(_("Status"), "text"), (_("Plots"), "count"),
                                    (_("Area, ha"), "ha")],
         [[str(labels[s]), f.land.count_by_status[s], f.land.area_ha_by_status[s]]
          for s in kpi.PLOT_STATUSES]),
        (_("Utility capacity"), [(_("Source"), "text"), (_("Unit"), "text"),
                                 (_("Capacity"), "qty"), (_("Committed"), "qty"), (_("Free"), "qty"),
                                 (_("Near exhaustion"), "text"), (_("Planned upgrades"), "text")],
         [[s.code, s.unit, s.capacity, s.committed, s.free, _("yes") if s.near_exhaustion else "",
           "; ".join(f"+{number(u.capacity_added, 'qty', r.lang)} {u.planned_completion or ''}"
                     for u in s.upgrades)] for s in f.sources]),
        (_("Investor funnel"), [(_("Stage"), "text"), (_("Count"), "count"),
                                (_("Conversion from the stage before"), "share"),
                                (_("Median days from the stage before"), "days")],
         [[funnel_labels()[s], f.funnel.counts[s], f.funnel.conversion.get(s),
           f.funnel.median_days.get(s)] for s in kpi.FUNNEL if f.funnel.counts[s] is not None]),
        (_("Investment and jobs by year"), [
            (_("Year"), "text"), (_("Planned, KZT"), "money"), (_("Actual, KZT"), "money"),
            (_("Jobs planned"), "count"), (_("Jobs actual"), "count")],
         [[str(y), p.planned, p.actual, p.planned_jobs, p.actual_jobs]
          for y, p in f.investment.by_year.items()]),
        (_("Investment and jobs by priority direction"), [
            (_("Direction"), "text"), (_("Projects"), "count"), (_("Planned, KZT"), "money"),
            (_("Actual, KZT"), "money"), (_("Jobs planned"), "count"), (_("Jobs actual"), "count")],
         [[d or _("other sectors"), p.projects, p.planned, p.actual, p.planned_jobs,
           p.actual_jobs] for d, p in f.investment.by_direction.items()]),
        (_("Late works"), [(_("Work"), "text"), (_("Zone"), "text"),
                           (_("Baseline finish"), "text")], r.late_works),
        (_("Overdue instructions by executor"), [(_("Executor"), "text"), (_("Overdue"), "count")],
         [[r.bodies.get(pk, ""), n] for pk, n in f.instructions.overdue_by_executor.items()]),
        (_("Overdue instructions"), [(_("Number"), "text"), (_("Title"), "text"),
                                     (_("Executor"), "text"), (_("Deadline"), "text"),
                                     (_("Days overdue"), "days")], r.overdue),
    ]
    if r.zones:
        out.append((_("Zones"), [
            (_("Zone"), "text"), (_("Plots"), "count"), (_("Occupancy"), "share"),
            (_("Investment actual, KZT"), "money"), (_("Works late"), "count"),
            (_("Instructions overdue"), "count")],
            [[z.name, zf.land.count, zf.land.occupancy_share, zf.investment.total.actual,
              zf.works.late, zf.instructions.overdue] for z, zf in r.zones]))
    return out


def _cell(value: Any, kind: str, lang: str) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):  # already written as the report prints it
        return value
    return number(value, kind, lang) if kind != "text" else ("" if value is None else str(value))


def _pdf(title: str, build: Callable[[Any, Any], list], *, landscape: bool = False) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turn
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=turn(A4) if landscape else A4, title=title,
                            leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm)
    doc.build(build(doc, _styles()))
    return buf.getvalue()


def _styles() -> dict[str, Any]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10, splitLongWords=0)
    return {"body": body,
            "h1": ParagraphStyle("h1", fontName=FONT_BOLD, fontSize=14, leading=18, spaceAfter=4),
            "h2": ParagraphStyle("h2", fontName=FONT_BOLD, fontSize=10.5, leading=13,
                                 spaceBefore=8, spaceAfter=3),
            "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD),
            "warn": ParagraphStyle("warn", parent=body, backColor=colors.HexColor("#fff4d6"),
                                   borderPadding=3, textColor=colors.HexColor("#7a4b00"))}


def _table(columns: list[tuple[str, str]], rows: list[list[Any]], width: float, lang: str):
    """A table that fits ``width`` with no word split (:func:`promzona.core.pdf_layout.table`),
    numbers right-aligned, the header repeated on each page."""
    return pdf_layout.table(
        [[name for name, _k in columns]] + [[_cell(v, k, lang) for v, (_c, k) in
                                             zip(row, columns, strict=True)] for row in rows],
        width, numeric=[i for i, (_c, k) in enumerate(columns) if k != "text"])


def _chart(chart: c.Chart, width: float):
    return c.drawing(chart, font=FONT, bold_font=FONT_BOLD, scale=min(1.0, width / chart.width))


def monthly_pdf(r: Monthly) -> bytes:
    """The report as PDF: headline figures with the month's change, charts, tables."""
    from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

    with translation.override(r.lang):
        title = r.title

        def build(doc, st):
            w = doc.width
            story = [paragraph(title, st["h1"]),
                     paragraph(_("Figures at the end of %(day)s, against the end of %(before)s; "
                                 "computed from promzona's dated records.") % {
                         "day": format_date(r.day, "long", locale=r.lang),
                         "before": format_date(r.before, "long", locale=r.lang)}, st["body"])]
            if r.illustrative:
                story += [Spacer(1, 4), paragraph(_("Demo: the figures are illustrative, not "
                                                    "real data."), st["warn"])]
            story += [paragraph(_("At a glance"), st["h2"]), _table(
                [(_("Figure"), "text"), (_("End of the month before"), "count"),
                 (_("End of the month"), "count"), (_("Change"), "count")],
                [[label, number(b, kind, r.lang), number(a, kind, r.lang),
                  "" if a is None or b is None else number(a - b, kind, r.lang)]
                 for label, kind, b, a in headline(r)], w, r.lang)]
            f = r.figures
            story += [CondPageBreak(200), paragraph(_("Charts"), st["h2"])]
            for chart in [charts.land(f), charts.capacity(f), charts.funnel(f),
                          charts.investment(f), charts.jobs(f), charts.works(f),
                          charts.instructions(f, r.bodies),
                          *charts.trends(r.points)]:
                story += [KeepTogether([paragraph(chart.title, st["head"]), _chart(chart, w),
                                        Spacer(1, 8)])]
            for name, columns, rows in sections(r):
                story += [CondPageBreak(90), paragraph(name, st["h2"])]
                story.append(_table(columns, rows, w, r.lang) if rows
                             else paragraph(_("None."), st["body"]))
            return story

        return _pdf(title, build)


def sheet_name(title: str) -> str:
    """A sheet's name (at most 31 characters): a longer title keeps its start and its end, so
    "Investment and jobs by year" and "… by priority direction" stay apart when cut."""
    return title if len(title) <= 31 else f"{title[:15].rstrip()}…{title[-15:].lstrip()}"


def monthly_xlsx(r: Monthly) -> bytes:
    """The report as XLSX: one sheet per table, numbers as numeric cells with formats."""
    with translation.override(r.lang):
        def sheet(name: str, columns: list[tuple[str, str]], rows: list[list[Any]],
                  top: list[list[Any]] = ()) -> Sheet:
            head = len(top)
            return Sheet(sheet_name(name), list(top) + [[n for n, _k in columns]] + [
                [v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in rows],
                bold_rows=(head,), widths={"A": 48},
                formats={chr(65 + i): FORMATS[k] for i, (_n, k) in enumerate(columns)
                         if k != "text"})

        top = [[r.title], [_("Figures at the end of %(day)s") % {"day": r.day.isoformat()}]]
        if r.illustrative:
            top.append([_("Demo: the figures are illustrative, not real data.")])
        top.append([])
        rows = headline(r)
        summary = sheet(_("Summary"), [(_("Figure"), "text"), (_("End of the month before"),
                                                              "count"),
                                       (_("End of the month"), "count")],
                        [[label, b, a] for label, _k, b, a in rows], top)
        # Each row in its own format (money, shares, hectares).
        sheets = [Sheet(summary.name, summary.rows, bold_rows=summary.bold_rows,
                        widths=summary.widths,
                        row_formats={len(top) + 1 + i: FORMATS[kind]
                                     for i, (_l, kind, _b, _a) in enumerate(rows)})]
        for name, columns, rows in sections(r):
            sheets.append(sheet(name, columns, rows))
        months = [d.isoformat() for d, _p in r.points]
        series = charts.trend_series(r.points)
        sheets.append(Sheet(_("Trend"), [[_("Month end")] + months] + [
            [label] + series[key] for key, label in (
                ("occupancy", _("Occupancy")), ("planned", _("Investment planned, KZT")),
                ("investment", _("Investment actual, KZT")), ("jobs", _("Jobs actual")),
                ("submitted", _("Applications submitted")),
                ("overdue", _("Instructions overdue")), ("late", _("Works late")))],
            bold_rows=(0,), widths={"A": 36}, formats={
                chr(65 + i): FORMATS["money"] for i in range(1, len(months) + 1)},
            row_formats={1: FORMATS["share"]}))
        return xlsx_book(sheets)


# --- registers -----------------------------------------------------------------------------


@dataclass
class Register:
    title: str
    note: str
    columns: list[tuple[str, str]]
    rows: list[list[Any]]
    lang: str = "ru"


def plots_register(*, zone: Zone | None, today: dt.date) -> Register:
    """Every plot (of the zone) as it stands today, with its passport's key facts."""
    qs = Plot.objects.select_related("zone").order_by("zone__slug", "code")
    if zone is not None:
        qs = qs.filter(zone=zone)
    rows = [[p.zone.name, p.code, p.cadastral_number or "", p.get_status_display(),
             float(p.declared_area_ha),
             None if p.computed_area_ha is None else float(p.computed_area_ha),
             p.hazard_class_max, None if p.lease_price_kzt_ha_year is None
             else float(p.lease_price_kzt_ha_year),
             p.verified_at.isoformat() if p.verified_at else ""] for p in qs]
    return Register(
        _("Register of plots: %(scope)s") % {"scope": zone.name if zone else _("All zones")},
        _("As of %(day)s.") % {"day": today.isoformat()},
        [(_("Zone"), "text"), (_("Code"), "text"), (_("Cadastral number"), "text"),
         (_("Status"), "text"), (_("Declared area, ha"), "ha"), (_("Computed area, ha"), "ha"),
         (_("Hazard class"), "count"), (_("Lease, KZT/ha/year"), "money"),
         (_("Verified on"), "text")], rows, translation.get_language())


def applications_register(*, zone: Zone | None, today: dt.date) -> Register:
    """Every application (of the zone: by the plot it holds or prefers) as it stands today."""
    zones = dated.application_zones()
    names = {z.pk: z.name for z in Zone.objects.all()}
    qs = Application.objects.select_related("organisation").order_by("pk")
    if zone is not None:
        qs = qs.filter(pk__in=[a for a, z in zones.items() if z == zone.pk])
    rows = [[a.pk, a.project_name, a.organisation.name, a.sector_id, a.get_status_display(),
             float(a.investment_kzt), a.jobs_planned, names.get(zones.get(a.pk), ""),
             a.created_at.date().isoformat()] for a in qs]
    return Register(
        _("Register of applications: %(scope)s") % {"scope": zone.name if zone else _("All zones")},
        _("As of %(day)s.") % {"day": today.isoformat()},
        [(_("No."), "count"), (_("Project"), "text"), (_("Organisation"), "text"),
         (_("Sector"), "text"), (_("Status"), "text"), (_("Investment, KZT"), "money"),
         (_("Jobs"), "count"), (_("Zone"), "text"), (_("Created"), "text")],
        rows, translation.get_language())


REGISTERS: dict[str, Callable[..., Register]] = {"plots": plots_register,
                                                  "applications": applications_register}


def register_pdf(reg: Register) -> bytes:
    def build(doc, st):
        return [paragraph(reg.title, st["h1"]), paragraph(reg.note, st["body"]),
                _table(reg.columns, reg.rows, doc.width, reg.lang)]
    return _pdf(reg.title, build, landscape=True)


def register_xlsx(reg: Register) -> bytes:
    return xlsx_book([Sheet(reg.title[:31], [[reg.title], [reg.note], []] +
                            [[n for n, _k in reg.columns]] + reg.rows, bold_rows=(0, 3),
                            formats={chr(65 + i): FORMATS[k] for i, (_n, k)
                                     in enumerate(reg.columns) if k != "text"})])
