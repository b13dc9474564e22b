"""The list behind each figure of the dashboard: exactly the items the figure counts on its day,
chosen by the same rules (``core.kpi``) from the same records (``dashboard.records``), each
with a link to its own page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from promzona.applications.models import Application
from promzona.audit.selectors import History
from promzona.core import instructions as rules
from promzona.core import kpi
from promzona.core.errors import NotFound
from promzona.instructions.models import Instruction
from promzona.projects.models import Project
from promzona.web.links import passport_url
from promzona.zones.models import CapacityCommitment, Plot, UtilitySource, Zone

from . import records as dated
from .charts import funnel_labels

#: What the instruction lists may show.
INSTRUCTION_KINDS = ("open", "overdue", "on_time", "late")


@dataclass
class Listing:
    title: str
    columns: list[str]
    rows: list[tuple[str, list[Any]]] = field(default_factory=list)  # (link, cells)


def plots(*, zone: Zone | None, day: dt.date, status: str) -> Listing:
    """The plots of a status (``taken``: allocated and occupied) at the end of ``day``."""
    labels = dict(Plot.Status.choices)
    if status == "taken":
        statuses, title = kpi.TAKEN, _("Allocated and occupied plots (the occupied land)")
    elif status in labels:
        statuses, title = (status,), _("Plots: %(status)s") % {"status": labels[status]}
    else:
        raise NotFound(_("No such list."))
    cutoff = dated.end_utc(day)
    fields = ["zone", "code", "status", "declared_area_ha", "computed_area_ha"]
    changed = History(Plot, cutoff, fields).then(cutoff)
    qs = Plot.objects.filter(status__in=statuses)
    if zone is not None:
        qs = qs.filter(zone=zone)
    found = {pk: dict(zip(fields, row, strict=True)) for pk, *row in
             qs.values_list("pk", *fields) if pk not in changed}
    for pk, (_now, then) in changed.items():
        if then and then["status"] in statuses and (zone is None or then["zone"] == zone.pk):
            found[pk] = then
    zones = Zone.objects.in_bulk({r["zone"] for r in found.values()})
    out = Listing(title, [_("Zone"), _("Plot"), _("Status"), _("Area, ha")])
    for r in sorted(found.values(), key=lambda r: (zones[r["zone"]].slug, r["code"])):
        z = zones[r["zone"]]
        area = r["computed_area_ha"] if r["computed_area_ha"] is not None else r["declared_area_ha"]
        out.rows.append((passport_url(Plot(code=r["code"]), z), [
            z.name, r["code"], labels.get(r["status"], r["status"]), f"{float(str(area)):.4f}"]))
    return out


def source(*, source_id: int, day: dt.date) -> Listing:
    """The commitments on a source's ledger that were active at the end of ``day``."""
    src = UtilitySource.objects.select_related("zone").filter(pk=source_id).first()
    if src is None:
        raise NotFound(_("No such source."))
    cutoff = dated.end_utc(day)
    out = Listing(_("Capacity committed on %(source)s (%(unit)s)") % {
        "source": src.code, "unit": src.unit}, [_("Held for"), _("Since"), _("Amount")])
    rows = CapacityCommitment.objects.filter(source=src, created_at__lt=cutoff).order_by(
        "created_at", "id").values_list("holder", "amount", "created_at", "released_at")
    for holder, amount, created, released in rows:
        if kpi.committed_at([kpi.Commitment(float(amount), created, released)], cutoff):
            out.rows.append(("", [holder, dated.local_days()(created), float(amount)]))
    return out


def funnel(*, zone: Zone | None, day: dt.date, stage: str) -> Listing:
    """The applications (or their projects) that reached ``stage`` by ``day``; the enquiries."""
    labels = funnel_labels()
    if stage not in labels:
        raise NotFound(_("No such list."))
    if stage == "enquiries":
        if zone is not None:
            raise NotFound(_("Enquiries are counted for all zones together."))
        out = Listing(labels[stage], [_("When"), _("Investor"), _("What")])
        entries = dated.enquiry_entries().filter(at__lt=dated.end_utc(day)).order_by("-at")
        names = {"match.requested": _("match request"), "saved_search.created": _("saved search")}
        for at, who, action in entries.values_list("at", "actor_label", "action"):
            out.rows.append(("", [dated.local_days()(at), who, names[action]]))
        return out
    records = dated.gather(days=[day], zone=zone, sections=["funnel"])
    journeys = {pk: j for _z, pk, j in records.journeys if j.reached(stage, day)}
    projects = stage.startswith("projects_")
    out = Listing(labels[stage], [_("Application"), _("Organisation"), _("Status"),
                                  _("Reached on")])
    apps = Application.objects.filter(pk__in=list(journeys)).select_related("organisation")
    project_of = dict(Project.objects.filter(application__in=list(journeys))
                      .values_list("application_id", "pk")) if projects else {}
    for app in apps.order_by("pk"):
        url = reverse("projects:detail", args=[project_of[app.pk]]) if app.pk in project_of \
            else reverse("applications:detail", args=[app.pk])
        out.rows.append((url, [f"#{app.pk} {app.project_name}", app.organisation.name,
                               app.get_status_display(), journeys[app.pk].reach[stage]]))
    return out


def projects(*, zone: Zone | None, day: dt.date) -> Listing:
    """The investor projects whose figures the investment and jobs count on ``day``."""
    records = dated.gather(days=[day], zone=zone, sections=["projects"])
    money = {pk: m for _z, pk, m in records.projects.get(day, ())}
    out = Listing(_("Investor projects counted"), [
        _("Project"), _("Direction"), _("Investment planned, KZT"), _("Investment actual, KZT"),
        _("Jobs planned"), _("Jobs actual")])
    for p in Project.objects.filter(pk__in=list(money)).select_related("application") \
            .order_by("pk"):
        m = money[p.pk]
        out.rows.append((reverse("projects:detail", args=[p.pk]), [
            p.name, m.direction or _("other sectors"), sum(y.planned_investment for y in m.years),
            sum(y.actual_investment or 0 for y in m.years), m.planned_jobs, m.actual_jobs]))
    return out


def instructions(*, zone: Zone | None, day: dt.date, kind: str, executor: int | None = None,
                 issuer: int | None = None) -> Listing:
    """The instructions open, overdue, closed on time or late on ``day`` (by executor or issuer),
    by the rules of :func:`promzona.core.kpi.instructions`."""
    titles = {"open": _("Open instructions"), "overdue": _("Overdue instructions"),
              "on_time": _("Instructions closed on time"),
              "late": _("Instructions closed late")}
    if kind not in titles:
        raise NotFound(_("No such list."))
    records = dated.gather(days=[day], zone=zone, sections=["instructions"])
    chosen = {}
    for zones, pk, i in records.instructions.get(day, ()):
        if zone is not None and zone.pk not in zones:
            continue
        if (executor and i.executor != executor) or (issuer and i.issuer != issuer):
            continue
        tally = kpi.instructions([i], today=day)
        if {"open": tally.open, "overdue": tally.overdue, "on_time": tally.closed_on_time,
                "late": tally.closed_late}[kind]:
            chosen[pk] = i
    out = Listing(titles[kind], [_("Number"), _("Title"), _("Executor"), _("Deadline"),
                                 _("Status")])
    labels = dict(Instruction.Status.choices)
    for ins in Instruction.objects.filter(pk__in=list(chosen)).order_by("deadline", "pk"):
        i = chosen[ins.pk]
        status = labels.get(i.status, i.status)
        if rules.is_overdue(deadline=i.deadline, status=i.status, on_control=i.on_control,
                            today=day):
            status = f"{status} · {_('overdue')}"
        out.rows.append((reverse("instructions:detail", args=[ins.pk]), [
            ins.number, ins.title, records.bodies.get(i.executor, ""), i.deadline, status]))
    return out
