"""The dashboard's charts, from the figures: the same charts on the page (SVG, each bar a link
to the list behind it) and in the monthly report (reportlab drawings, no links)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from promzona import l10n
from promzona.core import charts as c
from promzona.core import formats, kpi
from promzona.zones.models import Plot

#: The portal's colours of plot statuses (web/site.css).
STATUS_COLOURS = {"published": "#1a9850", "reserved": "#f0a500", "allocated": "#3f6fb5",
                  "occupied": "#6b6b6b", "draft": "#b9b9b9", "withdrawn": "#a40000"}
#: Link to the list behind a figure: ``link(name, **params)`` ('' in the PDF).
Link = Callable[..., str]


def no_link(*_args: Any, **_kwargs: Any) -> str:
    return ""


def funnel_labels() -> dict[str, str]:
    return {"enquiries": _("Enquiries"), "applications_submitted": _("Applications submitted"),
            "under_review": _("Under review"), "reserved": _("Plot reserved"),
            "approved": _("Approved"), "projects_in_construction": _("Construction started"),
            "projects_in_operation": _("In operation")}


def land(f: kpi.Figures, link: Link = no_link) -> c.Chart:
    labels, lang = dict(Plot.Status.choices), l10n.lang()
    return c.bars(_("Land by plot status, hectares"), [
        c.Bar(str(labels[s]), f.land.area_ha_by_status.get(s, 0.0), link("plots", status=s),
              STATUS_COLOURS[s], note=_("%(n)s plots") % {
                  "n": formats.figure(f.land.count_by_status.get(s, 0), "count", lang)})
        for s in kpi.PLOT_STATUSES], unit=_("ha"), lang=lang)


def capacity(f: kpi.Figures, link: Link = no_link, *, alerts_only: bool = False,
             zone_names: Mapping[str, str] | None = None) -> c.Chart:
    """Each source's committed share; ``alerts_only``: the sources near exhaustion (the
    whole region has hundreds of sources; each zone's page shows all of its own), each named
    with its zone (``zone_names``: slug → name)."""
    names = zone_names or {}
    return c.meters(_("Committed share of each utility source"), [
        c.Meter(f"{names.get(s.zone, s.zone)} {s.code}" if alerts_only else s.code, s.capacity,
                s.committed, link("source", source=s.id), alert=s.near_exhaustion,
                note=_("%(free)s %(unit)s free") % {"free": formats.figure(s.free, "qty",
                                                                           l10n.lang()),
                                                    "unit": l10n.unit(s.unit)})
        for s in f.sources if s.near_exhaustion or not alerts_only], label_w=170 if alerts_only
        else 120, lang=l10n.lang())


def funnel(f: kpi.Figures, link: Link = no_link) -> c.Chart:
    labels = funnel_labels()
    bars = []
    for stage in kpi.FUNNEL:
        n = f.funnel.counts.get(stage)
        if n is None:
            continue
        share = f.funnel.conversion.get(stage)
        note = "" if share is None else _("%(p)s%% of the stage before") % {
            "p": f"{share * 100:.0f}"}
        bars.append(c.Bar(labels[stage], n, link("funnel", stage=stage), note=note))
    return c.bars(_("Investor funnel"), bars, label_w=190, lang=l10n.lang())


def investment(f: kpi.Figures, link: Link = no_link) -> c.Chart:
    years = list(f.investment.by_year)
    return c.columns(_("Investment by year, KZT"), [str(y) for y in years], [
        (_("planned"), [f.investment.by_year[y].planned for y in years]),
        (_("actual (confirmed)"), [f.investment.by_year[y].actual for y in years]),
    ], hrefs=[link("projects")] * len(years), lang=l10n.lang())


def jobs(f: kpi.Figures, link: Link = no_link) -> c.Chart:
    years = list(f.investment.by_year)
    return c.columns(_("Jobs by year"), [str(y) for y in years], [
        (_("planned"), [f.investment.by_year[y].planned_jobs for y in years]),
        (_("actual (confirmed)"), [f.investment.by_year[y].actual_jobs for y in years]),
    ], hrefs=[link("projects")] * len(years), lang=l10n.lang())


def works(f: kpi.Figures, link: Link = no_link) -> c.Chart:
    w = f.works
    return c.bars(_("Works"), [
        c.Bar(_("on schedule"), w.on_schedule, link("works"), "#1a9850"),
        c.Bar(_("late"), w.late, link("works", late="on"), c.ALERT),
        c.Bar(_("cancelled"), w.by_status.get("cancelled", 0), link("works", status="cancelled"),
              "#7f8c8d"),
    ], lang=l10n.lang())


def instructions(f: kpi.Figures, bodies: dict[int, str], link: Link = no_link,
                 top: int = 10) -> c.Chart:
    i = f.instructions
    bars = [c.Bar(_("open"), i.open, link("instructions", kind="open")),
            c.Bar(_("overdue"), i.overdue, link("instructions", kind="overdue"), c.ALERT),
            c.Bar(_("closed on time"), i.closed_on_time, link("instructions", kind="on_time"),
                  "#1a9850"),
            c.Bar(_("closed late"), i.closed_late, link("instructions", kind="late"), "#e67e22")]
    bars += [c.Bar(_("overdue: %(body)s") % {"body": bodies.get(pk, "?")}, n,
                   link("instructions", kind="overdue", executor=pk), c.ALERT)
             for pk, n in list(i.overdue_by_executor.items())[:top]]
    return c.bars(_("Instructions; overdue by executor"), bars, label_w=230, lang=l10n.lang())


def trend_series(points: Sequence[tuple[dt.date, dict]]) -> dict[str, list[float]]:
    """Series of the trend charts from ``/api/kpi`` answers (snapshots and today's)."""
    return {
        "occupancy": [p["occupancy_share"] for _d, p in points],
        "investment": [p["investment_kzt"]["actual"] for _d, p in points],
        "planned": [p["investment_kzt"]["planned"] for _d, p in points],
        "jobs": [p["jobs"]["actual"] for _d, p in points],
        "submitted": [p["funnel"]["applications_submitted"] for _d, p in points],
        "overdue": [p["instructions"]["overdue"] for _d, p in points],
        "late": [p["works"]["late"] for _d, p in points],
    }


def trends(points: Sequence[tuple[dt.date, dict]]) -> list[c.Chart]:
    """Month by month: occupancy; investment; applications, overdue instructions, late works."""
    if len(points) < 2:
        return []
    months = [d.strftime("%Y-%m") for d, _p in points]
    s, lang = trend_series(points), l10n.lang()
    return [
        c.lines(_("Occupancy of the zone's land"), months, [(_("occupancy"), s["occupancy"])],
                percent=True, lang=lang),
        c.lines(_("Investment, KZT"), months, [(_("planned"), s["planned"]),
                                               (_("actual (confirmed)"), s["investment"])], lang=lang),
        c.lines(_("Applications, overdue instructions, late works"), months, [
            (_("applications submitted"), s["submitted"]), (_("overdue instructions"), s["overdue"]),
            (_("late works"), s["late"])], lang=lang),
    ]
