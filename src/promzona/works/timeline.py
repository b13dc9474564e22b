"""The timeline page's picture: works (current plan, baseline, share done) and investor projects'
milestones, drawn by :mod:`promzona.core.gantt` from our own data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from promzona.core import gantt
from promzona.core.deadlines import overdue
from promzona.projects.models import Project
from promzona.projects.selectors import projects_visible_to

from .models import Work
from .selectors import work_figures, works_visible_to


def timeline_rows(user: Any, *, today: dt.date, zone_slug: str | None = None) -> list[gantt.Row]:
    works = works_visible_to(user).exclude(status=Work.Status.CANCELLED)
    projects = projects_visible_to(user).filter(status=Project.Status.ACTIVE)
    if zone_slug:
        works = works.filter(zone__slug=zone_slug)
        projects = projects.filter(allocation__plot__zone__slug=zone_slug)
    rows = []
    for w in works:
        f = work_figures(w, as_of=today)
        rows.append(gantt.Row(
            label=w.name, start=w.planned_start, finish=w.planned_finish,
            baseline=(f.baseline.planned_start, f.baseline.planned_finish),
            done_share=f.percent / 100, late=f.late and f.status != Work.Status.ACCEPTED,
            href=reverse("works:detail", args=[w.pk])))
    for p in projects:
        rows.append(gantt.Row(
            label=f"{p.allocation.plot.code} · {p.name}",
            href=reverse("projects:detail", args=[p.pk]),
            markers=tuple(
                gantt.Marker(on=m.done_on or m.due_on, label=str(m.get_kind_display()),
                             done=m.done_on is not None,
                             overdue=m.obligation and overdue(due=m.due_on, done=m.done_on,
                                                              as_of=today))
                for m in p.milestones.all() if m.done_on or m.due_on)))
    return rows


def timeline_svg(user: Any, *, today: dt.date, zone_slug: str | None = None) -> str:
    return gantt.render(timeline_rows(user, today=today, zone_slug=zone_slug), today=today,
                        title=_("Works and investor projects"), today_label=_("today"))
