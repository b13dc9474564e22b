"""The project pages: staff and managers see all, an investor its own; creation from an approved
application; milestones, status, reports and termination with its confirmation page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages

from promzona.projects import services
from promzona.projects.models import Milestone, Project, Report, StatusUpdate
from promzona.zones.models import Plot


def _flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_see_the_project_and_the_applications_waiting_for_one(staff_client, users, rules,
                                                                     approved, agreement):
    page = staff_client.get("/projects/").content.decode()
    assert f"/projects/new/{approved.pk}/" in page
    form = staff_client.get(f"/projects/new/{approved.pk}/").content.decode()
    assert 'value="1000000000.00"' in form  # the application's 3 bn spread over three years
    r = staff_client.post(f"/projects/new/{approved.pk}/", {
        "agreement_on": agreement.isoformat(),
        "year_0": agreement.year, "investment_0": "1000000000", "jobs_0": "20",
        "year_1": agreement.year + 1, "investment_1": "2000000000", "jobs_1": "120"})
    project = Project.objects.get(application=approved)
    assert r.status_code == 302 and r["Location"] == f"/en/projects/{project.pk}/"
    assert project.years.count() == 2
    page = staff_client.get("/projects/").content.decode()
    assert f"/projects/new/{approved.pk}/" not in page and "obligations overdue" in page


@pytest.mark.parametrize("data", [
    {"agreement_on": "2026-01-01"},                                        # no year planned
    {"agreement_on": "2026-01-01", "year_0": "2026", "investment_0": "5"},  # a row half-filled
    {"agreement_on": "2026-01-01", "year_0": "1999", "investment_0": "5", "jobs_0": "1"},
    {"agreement_on": "x", "year_0": "2026", "investment_0": "5", "jobs_0": "1"},
    {"agreement_on": "2026-01-01", "year_0": "2026", "investment_0": "-5", "jobs_0": "1"},
    {"agreement_on": "2026-01-01", "year_0": "2026", "investment_0": "5", "jobs_0": "1",
     "year_1": "2026", "investment_1": "5", "jobs_1": "1"},                 # a year twice
    {"agreement_on": "2026-01-01", "year_0": "2025", "investment_0": "5", "jobs_0": "1"},
])
def test_bad_project_forms_change_nothing(staff_client, approved, data):
    r = staff_client.post(f"/projects/new/{approved.pk}/", data)
    assert r.status_code == 200 and not Project.objects.exists()


def test_a_project_cannot_be_made_from_an_unapproved_application(staff_client, users):
    from promzona.applications import services as app_services

    app = app_services.application_create(actor=users["b"], project_name="X", sector="C25",
                                          investment_kzt=1, jobs_planned=1, needs={})
    r = staff_client.post(f"/projects/new/{app.pk}/", {
        "agreement_on": "2026-01-01", "year_0": "2026", "investment_0": "1", "jobs_0": "1"})
    assert r.status_code == 200 and "Only an approved application" in r.content.decode()
    assert staff_client.get("/projects/new/999999/").status_code == 404


def test_the_investor_sees_its_project_and_reports(investor_client, users, project, today):
    page = investor_client.get("/projects/").content.decode()
    assert "My projects" in page and f"/projects/{project.pk}/" in page
    card = investor_client.get(f"/projects/{project.pk}/").content.decode()
    assert "Report actual figures" in card and "Open termination" not in card
    assert "History" not in card  # the audit trail is for staff
    r = investor_client.post(f"/projects/{project.pk}/report/", {
        "year": today.year, "investment_kzt": "123.45", "jobs": "7", "comment": "Q1"})
    assert r.status_code == 302 and _flashed(r) == ["Report sent; staff will confirm it."]
    assert str(Report.objects.get().investment_kzt) == "123.45"
    for data in ({"year": "abc", "investment_kzt": "1", "jobs": "1"},
                 {"year": today.year + 1, "investment_kzt": "1", "jobs": "1"},
                 {"year": today.year, "investment_kzt": "1e20", "jobs": "1"}):
        investor_client.post(f"/projects/{project.pk}/report/", data)
    assert Report.objects.count() == 1


def test_another_investor_sees_nothing(client, users, project, today):
    client.force_login(users["b"])
    assert f"/projects/{project.pk}/" not in client.get("/projects/").content.decode()
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    r = client.post(f"/projects/{project.pk}/report/", {"year": today.year,
                                                        "investment_kzt": "1", "jobs": "1"})
    assert r.status_code == 404 and not Report.objects.exists()


def test_staff_confirm_reject_milestones_and_status(staff_client, users, project, today):
    r1 = services.project_report(actor=users["a"], project=project, year=today.year,
                                 investment_kzt=10, jobs=1)
    r2 = services.project_report(actor=users["a"], project=project, year=today.year,
                                 investment_kzt=20, jobs=2)
    staff_client.post(f"/projects/reports/{r1.pk}/confirm/", {})
    staff_client.post(f"/projects/reports/{r2.pk}/reject/", {"comment": ""})
    assert Report.objects.get(pk=r2.pk).status == "submitted"  # a rejection says why
    staff_client.post(f"/projects/reports/{r2.pk}/reject/", {"comment": "No invoices"})
    assert dict(Report.objects.values_list("pk", "status")) == {r1.pk: "confirmed",
                                                                r2.pk: "rejected"}
    assert staff_client.post(f"/projects/reports/{r2.pk}/approve/", {}).status_code == 404
    design = project.milestones.get(kind="design")
    staff_client.post(f"/projects/milestones/{design.pk}/done/", {"done_on": today.isoformat()})
    assert Milestone.objects.get(pk=design.pk).done_on == today
    start = project.milestones.get(kind="construction_start")
    staff_client.post(f"/projects/milestones/{start.pk}/reschedule/",
                      {"due_on": (today + dt.timedelta(30)).isoformat(), "reason": "Flood"})
    assert Milestone.objects.get(pk=start.pk).due_on == today + dt.timedelta(30)
    staff_client.post(f"/projects/{project.pk}/status/", {"on": today.isoformat(),
                                                          "health": "at_risk", "comment": "c"})
    staff_client.post(f"/projects/{project.pk}/status/", {"on": today.isoformat(),
                                                          "health": "great"})
    assert list(StatusUpdate.objects.values_list("health", flat=True)) == ["at_risk"]
    card = staff_client.get(f"/projects/{project.pk}/").content.decode()
    assert "At risk" in card and "<td>Milestone rescheduled</td>" in card


def test_termination_asks_for_confirmation_and_returns_the_plot(staff_client, project):
    page = staff_client.get(f"/projects/{project.pk}/").content.decode()
    assert f"/projects/{project.pk}/terminate/" in page
    confirm = staff_client.get(f"/projects/{project.pk}/terminate/").content.decode()
    assert "Construction start" in confirm and "PS-2: 100\xa0kW" in confirm
    staff_client.post(f"/projects/{project.pk}/terminate/", {"reason": "No construction"})
    assert Project.objects.get(pk=project.pk).status == "active"  # the box was not ticked
    r = staff_client.post(f"/projects/{project.pk}/terminate/",
                          {"reason": "No construction", "confirm": "on"})
    assert r.status_code == 302
    assert Project.objects.get(pk=project.pk).status == "terminated"
    assert Plot.objects.get(pk=project.plot.pk).status == "published"


def test_managers_and_investors_cannot_terminate(manager_client, investor_client, project):
    for c in (manager_client, investor_client):
        assert c.get(f"/projects/{project.pk}/terminate/").status_code == 403
        assert c.post(f"/projects/{project.pk}/terminate/",
                      {"reason": "x", "confirm": "on"}).status_code == 403
    assert Project.objects.get(pk=project.pk).status == "active"


def test_investors_cannot_manage(investor_client, approved, project, today):
    design = project.milestones.get(kind="design")
    assert investor_client.get(f"/projects/new/{approved.pk}/").status_code == 403
    assert investor_client.post(f"/projects/milestones/{design.pk}/done/",
                                {"done_on": today.isoformat()}).status_code == 403
    assert investor_client.post(f"/projects/{project.pk}/status/",
                                {"on": today.isoformat(), "health": "on_track"}).status_code == 403
    assert Milestone.objects.get(pk=design.pk).done_on is None


@pytest.mark.parametrize("query", ["as_of=9999-01-01", "as_of=bad", "status=x", "behind=on",
                                   "page=-1"])
def test_list_filters_never_fail(staff_client, project, query):
    assert staff_client.get(f"/projects/?{query}").status_code == 200


def test_the_public_is_sent_to_log_in(client, project):
    r = client.get("/projects/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


@pytest.mark.parametrize("target, data", [
    ("status", {"on": "2026-13-01", "health": "on_track"}),
    ("status", {"on": "2026-01-01", "health": "on_track", "comment": "c" * 5001}),
    ("done", {"done_on": "not a date"}),
    ("done", {"done_on": "2999-01-01"}),
    ("reschedule", {"due_on": "2027-01-01", "reason": ""}),
    ("reschedule", {"due_on": "1990-01-01", "reason": "x"}),
    ("review", {"comment": "c" * 5001}),
])
def test_broken_project_forms_change_nothing(staff_client, users, project, today, target, data):
    design = project.milestones.get(kind="design")
    report = services.project_report(actor=users["a"], project=project, year=today.year,
                                     investment_kzt=1, jobs=1)
    url = {"status": f"/projects/{project.pk}/status/",
           "done": f"/projects/milestones/{design.pk}/done/",
           "reschedule": f"/projects/milestones/{design.pk}/reschedule/",
           "review": f"/projects/reports/{report.pk}/confirm/"}[target]
    before = (list(StatusUpdate.objects.values()), list(Milestone.objects.values()),
              list(Report.objects.values()))
    r = staff_client.post(url, data)
    assert r.status_code == 302 and _flashed(r)
    assert (list(StatusUpdate.objects.values()), list(Milestone.objects.values()),
            list(Report.objects.values())) == before
