"""The admin shows works and projects read-only; the zone's obligation rules are edited there
through the audited service."""

from __future__ import annotations

from promzona.audit.models import AuditEntry
from promzona.projects.models import ObligationRule

from .conftest import make_work


def test_works_are_read_only_in_the_admin(staff_client, users, demo, today):
    work = make_work(users["staff"], demo, today=today)
    assert staff_client.get("/admin/works/work/").status_code == 200
    assert staff_client.get(f"/admin/works/work/{work.pk}/change/").status_code == 200
    assert staff_client.get("/admin/works/work/add/").status_code == 403
    r = staff_client.post(f"/admin/works/work/{work.pk}/change/", {"name": "Renamed"})
    assert r.status_code == 403
    work.refresh_from_db()
    assert work.name == "Test work"


def test_obligation_rules_are_edited_and_audited(staff_client, demo):
    r = staff_client.post("/admin/projects/obligationrule/add/",
                          {"zone": demo.pk, "milestone": "construction_start", "months": "12"})
    assert r.status_code == 302
    rule = ObligationRule.objects.get()
    assert AuditEntry.objects.filter(action="obligationrule.created",
                                     object_id=str(rule.pk)).exists()
    r = staff_client.post("/admin/projects/obligationrule/add/",
                          {"zone": demo.pk, "milestone": "design", "months": "0"})
    assert r.status_code == 200 and ObligationRule.objects.count() == 1
    assert staff_client.get("/admin/projects/project/").status_code == 200
    assert staff_client.get("/admin/projects/project/add/").status_code == 403
