"""/api/projects: who sees which project, the investor's report, strict bodies, pages."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from promzona.api.services import token_create
from promzona.projects import services
from promzona.projects.models import Report


@pytest.fixture
def tokens(users):
    return {k: token_create(actor=None, user=u) for k, u in users.items()}


def call(client, method, url, token=None, body=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def test_each_caller_sees_what_it_may(client, tokens, project):
    for role in ("staff", "manager", "a"):
        body = call(client, "get", "/api/projects", tokens[role]).json()
        assert body["count"] == 1 and body["items"][0]["id"] == project.pk
    assert call(client, "get", "/api/projects", tokens["b"]).json() == {
        "count": 0, "limit": 50, "offset": 0, "items": []}
    assert call(client, "get", f"/api/projects/{project.pk}", tokens["b"]).status_code == 404
    assert call(client, "get", "/api/projects").status_code == 401


def test_an_item_carries_plan_actuals_and_milestones(client, tokens, users, project, agreement,
                                                     today):
    r = services.project_report(actor=users["a"], project=project, year=agreement.year,
                                investment_kzt=700_000_000, jobs=12)
    services.report_confirm(actor=users["staff"], report=r)
    item = call(client, "get", f"/api/projects/{project.pk}", tokens["a"]).json()
    assert (item["plot_code"], item["zone"], item["sector"], item["status"]) == (
        project.plot.code, "balkhash", "C25", "active")
    assert item["planned_investment_kzt"] == 3_000_000_000.0
    assert item["actual_investment_kzt"] == 700_000_000.0
    # Jobs planned for this year: the agreement was 13 months ago, so this is its second year
    # (or, in January, its third).
    expected = {agreement.year + 1: 80, agreement.year + 2: 120}[today.year]
    assert (item["planned_jobs"], item["actual_jobs"]) == (expected, 12)
    assert item["years"][0] == {"year": agreement.year, "planned_investment_kzt": 1e9,
                                "actual_investment_kzt": 7e8, "planned_jobs": 20,
                                "actual_jobs": 12}
    kinds = {m["kind"]: m for m in item["milestones"]}
    assert kinds["construction_start"]["obligation"] and kinds["construction_start"]["overdue"]
    assert kinds["agreement"]["done_on"] == agreement.isoformat()
    assert item["behind"] is True and item["phase"] == "agreement"


def test_the_investor_reports_through_the_api(client, tokens, project, today):
    r = call(client, "post", f"/api/projects/{project.pk}/report", tokens["a"],
             {"year": today.year, "investment_kzt": 250_000_000, "jobs": 30,
              "comment": "Q3 figures"})
    assert r.status_code == 201, r.content
    assert r.json()["status"] == "submitted" and r.json()["investment_kzt"] == 2.5e8
    assert Report.objects.get(pk=r.json()["id"]).project_id == project.pk


def test_only_the_investors_own_users_report(client, tokens, project, today):
    body = {"year": today.year, "investment_kzt": 1, "jobs": 1}
    assert call(client, "post", f"/api/projects/{project.pk}/report", tokens["b"],
                body).status_code == 404
    for role in ("staff", "manager"):
        r = call(client, "post", f"/api/projects/{project.pk}/report", tokens[role], body)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert call(client, "post", f"/api/projects/{project.pk}/report", None, body).status_code == 401
    assert not Report.objects.exists()


@pytest.mark.parametrize("body", [
    {"year": "2026", "investment_kzt": 1, "jobs": 1},
    {"year": 2026.0, "investment_kzt": 1, "jobs": 1},
    {"year": 2026, "investment_kzt": "1", "jobs": 1},
    {"year": 2026, "investment_kzt": True, "jobs": 1},
    {"year": 2026, "investment_kzt": -1, "jobs": 1},
    {"year": 2026, "investment_kzt": 1, "jobs": 1.5},
    {"year": 2026, "investment_kzt": 1, "jobs": -1},
    {"year": 2026, "investment_kzt": 1, "jobs": 10**7},
    {"year": 1999, "investment_kzt": 1, "jobs": 1},
    {"year": 2026, "investment_kzt": 1, "jobs": 1, "milestones": []},
    {"year": 2026, "investment_kzt": 1},
    {"year": 2026, "investment_kzt": 1, "jobs": 1, "comment": "x" * 5001},
])
def test_strict_report_bodies_are_422_and_change_nothing(client, tokens, project, body):
    r = call(client, "post", f"/api/projects/{project.pk}/report", tokens["a"], body)
    assert r.status_code == 422, r.content
    assert r.json()["error"]["code"] == "invalid"
    assert not Report.objects.exists()


@pytest.mark.parametrize("raw", ["[]", '"x"', "null", "7", "{", ""])
def test_non_object_reports_are_refused(client, tokens, project, raw):
    r = call(client, "post", f"/api/projects/{project.pk}/report", tokens["a"], raw=raw)
    assert r.status_code in (400, 422) and "error" in r.json()
    assert not Report.objects.exists()


def test_a_future_year_is_a_400(client, tokens, project, today):
    r = call(client, "post", f"/api/projects/{project.pk}/report", tokens["a"],
             {"year": today.year + 1, "investment_kzt": 1, "jobs": 1})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "year"


def test_pages_status_and_as_of(client, tokens, project, agreement):
    before = (agreement - dt.timedelta(days=400)).isoformat()
    body = call(client, "get", f"/api/projects?as_of={before}", tokens["staff"]).json()
    assert body["count"] == 0  # recorded today
    assert call(client, "get", "/api/projects?status=terminated",
                tokens["staff"]).json()["count"] == 0
    assert call(client, "get", "/api/projects?limit=1&offset=1",
                tokens["staff"]).json()["items"] == []
    for bad in ("limit=0", "limit=500", "offset=-3", "as_of=yesterday"):
        assert call(client, "get", f"/api/projects?{bad}", tokens["staff"]).status_code == 422
    assert call(client, "get", "/api/projects?as_of=2200-01-01",
                tokens["staff"]).status_code == 400
