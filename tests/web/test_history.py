"""The audit trail in words: every action of the objects whose history pages show has a
phrase, values read as elsewhere on the site (labels, local time), never a dict or a code."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone, translation

from promzona.applications.models import Application, Reservation
from promzona.audit.models import AuditEntry
from promzona.instructions.models import Event
from promzona.projects.models import Report
from promzona.web.history import action_label, readable
from promzona.zones.models import Plot

SRC = Path(__file__).resolve().parents[2] / "src" / "promzona"
#: The objects whose history a page shows, and what their entries' actions start with.
SHOWN = ("application.", "attachment.", "reservation.", "plot.", "project.", "instruction.",
         "work.")
FALLBACK = "Change recorded"


def _literal_actions() -> set[str]:
    codes = set()
    for path in SRC.rglob("*.py"):
        codes |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text()))
    return {c for c in codes if c.startswith(SHOWN) and c != "plot.imported"}


def _dynamic_actions() -> set[str]:
    return ({f"application.{s}" for s in Application.Status.values if s != "draft"}
            | {f"reservation.{s}" for s in Reservation.Status.values if s != "active"}
            | {f"plot.status.{s}" for s in Plot.Status.values}
            | {f"project.report_{s}" for s in Report.Status.values if s != "submitted"}
            | {f"instruction.{k}" for k in Event.Kind.values}
            | {f"plot.{v}" for v in ("created", "updated", "deleted")})


@pytest.mark.nodb
def test_every_action_shown_in_a_history_has_its_own_words():
    codes = _literal_actions() | _dynamic_actions()
    assert len(codes) > 50
    missing = sorted(c for c in codes if action_label(c) == FALLBACK)
    assert not missing, f"actions without words in web/history.py: {missing}"


@pytest.mark.nodb
def test_an_unknown_action_is_said_generically_not_as_its_code():
    assert action_label("frobnicator.wobbled") == FALLBACK
    assert action_label("sector.updated") == "Edited"


def _entry(**kw):
    base = {"at": timezone.now(), "actor_label": "system", "action": "application.created",
            "object_type": "applications.application", "object_id": "1", "object_repr": "#1"}
    return AuditEntry(**(base | kw))


@pytest.mark.nodb
def test_values_read_as_on_the_site_with_labels_and_local_time():
    at = dt.datetime(2027, 3, 1, 20, 30, tzinfo=dt.UTC)  # 2027-03-02 01:30 in Almaty
    row = readable(_entry(
        action="reservation.created", object_type="applications.reservation",
        after={"status": "active", "expires_at": at.isoformat(), "plot": 7, "application": 3}))
    changes = {c.label: c.after for c in row.changes}
    assert changes["Status"] == "Active" and changes["Expires at"] == "2027-03-02 01:30"
    assert changes["Plot"] == "#7" and row.actor == "system"
    row = readable(_entry(before={"status": "submitted"}, after={"status": "under_review"},
                          action="application.under_review"))
    [c] = row.changes
    assert (c.label, c.before, c.after, row.action) == ("Status", "Submitted", "Under review",
                                                         "Review started")
    row = readable(_entry(after={"needs": {"power_kw": 500.0, "water_m3_day": 0},
                                 "description": "x" * 500, "rail_spur": True}))
    text = " ".join(f"{c.label}: {c.after}" for c in row.changes)
    assert "Power, kW: 500" in text and "{" not in text and "power_kw" not in text
    assert "…" in text


@pytest.mark.nodb
def test_geometry_and_the_bounding_box_are_not_spelt_out():
    row = readable(_entry(action="plot.updated", object_type="zones.plot",
                          before={"geometry": {"type": "Polygon", "coordinates": [[[0, 0]]]},
                                  "min_lon": 1.0},
                          after={"geometry": {"type": "Polygon", "coordinates": [[[1, 1]]]},
                                 "min_lon": 2.0, "status": "published"}))
    assert [(c.label, c.after) for c in row.changes] == [
        ("Geometry (GeoJSON, WGS 84)", "changed"), ("Status", str(Plot.Status.PUBLISHED.label))]
    assert "coordinates" not in repr(row) and "min_lon" not in repr(row)


@pytest.mark.nodb
def test_the_history_speaks_russian_on_a_russian_page():
    with translation.override("ru"):
        row = readable(_entry(before={"status": "submitted"}, after={"status": "approved"},
                              action="application.approved"))
        assert row.action != "Application approved" and row.actor == "система"
        [c] = row.changes
        assert c.label == "Статус" and c.before != "Submitted"


@pytest.mark.nodb
def test_a_project_s_plan_by_year_reads_as_amounts_in_the_page_s_language():
    plan = [[2026, "300000000.00", 30], [2027, "1250000.50", 1200]]
    row = readable(_entry(action="project.created", object_type="projects.project",
                          after={"plan": plan}))
    [c] = row.changes
    assert c.label == "Plan by year" and not c.typed
    assert c.after == "2026: 300,000,000 KZT, 30 jobs; 2027: 1,250,000 KZT, 1,200 jobs"
    with translation.override("ru"):
        [c] = readable(_entry(action="project.created", object_type="projects.project",
                              after={"plan": plan})).changes
        assert "300\xa0000\xa0000" in c.after and "300000000.00" not in c.after


@pytest.mark.nodb
@pytest.mark.parametrize("plan", ["x" * 300, [[2026, "lots", 3]], [[2026]], [None], [], 7])
def test_a_plan_not_of_the_expected_shape_is_still_written_without_failing(plan):
    [c] = readable(_entry(action="project.created", object_type="projects.project",
                          after={"plan": plan})).changes
    assert c.after and "{" not in c.after and len(c.after) < 400


@pytest.mark.nodb
def test_need_labels_of_the_history_are_the_forms_labels():
    from promzona.web.history import KEYS
    from promzona.zones.models import NEED_LABELS

    assert all(KEYS[key] is label for key, label in NEED_LABELS.items())
