"""The demo's illustrative works and projects: what they show, and that a second load adds
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from promzona.demo import execution
from promzona.projects.models import ObligationRule, Project
from promzona.projects.selectors import project_figures, projects_visible_to
from promzona.works.models import Work
from promzona.works.selectors import work_figures, works_visible_to
from promzona.zones.models import Plot


@pytest.fixture
def loaded(demo, today, staff_user):
    assert execution.load(today=today) is True
    return staff_user


def test_works_cover_the_lines_upgrades_and_the_airport(loaded, demo, today):
    works = {w.name: w for w in works_visible_to(loaded)}
    kinds = {w.kind for w in works.values()}
    assert kinds == {"line", "upgrade", "facility"}
    assert {w.line.code for w in works.values() if w.line} == {"PO-3", "WA-2", "HE-2", "SE-2"}
    airport = next(w for n, w in works.items() if "аэропорт" in n)
    assert airport.planned_finish == dt.date(today.year, 12, 31)  # the contractor's deadline
    assert airport.inspections.filter(fixed_on__isnull=True).exclude(findings="").exists()
    figures = [work_figures(w, as_of=today) for w in works.values()]
    assert any(f.late for f in figures)  # the heat pipe slipped past its baseline
    assert any(f.earned.spi is not None and f.earned.spi < 1 for f in figures)
    assert {w.status for w in works.values()} == {"in_progress", "planned"}
    assert all("(демо)" in w.contractor for w in works.values())


def test_projects_for_the_occupied_plots_and_one_overdue(loaded, demo, today):
    assert dict(ObligationRule.objects.filter(zone=demo).values_list("milestone", "months")) == {
        "design": 6, "construction_start": 12, "commissioning": 36}
    projects = list(projects_visible_to(loaded))
    codes = {p.plot.code for p in projects}
    assert {"BLK-03", "BLK-10", "BLK-16", "BLK-22", "BLK-19"} <= codes
    for p in projects:
        f = project_figures(p, as_of=today)
        assert f.years and f.planned_investment_kzt > 0
        if p.plot.code in {"BLK-03", "BLK-10", "BLK-16", "BLK-22"}:
            assert f.phase == "operation" and p.plot.status == Plot.Status.OCCUPIED
    overdue = project_figures(next(p for p in projects if p.plot.code == "BLK-19"), as_of=today)
    assert [m.kind for m in overdue.overdue] == ["construction_start"]
    assert any(project_figures(p, as_of=today).behind for p in projects if p.plot.code != "BLK-19")
    assert all("(демо)" in p.name for p in projects)
    # Every plot status of the demo survives: the occupied plots are occupied again.
    assert set(Plot.objects.filter(zone=demo).values_list("status", flat=True)) == set(
        Plot.Status.values)


def test_a_second_load_adds_nothing(loaded, today):
    counts = Work.objects.count(), Project.objects.count(), ObligationRule.objects.count()
    assert execution.load(today=today) is False
    assert (Work.objects.count(), Project.objects.count(), ObligationRule.objects.count()) == counts
