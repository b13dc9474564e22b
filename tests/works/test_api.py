"""/api/works: the documented fields, roles, strict bodies, pages and "as of" figures."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from promzona.api.services import token_create
from promzona.audit.models import AuditEntry
from promzona.works.models import Work, WorkProgress
from promzona.zones.models import UtilityLine

from .conftest import make_work

ITEM_FIELDS = {"id", "name", "kind", "contractor", "contract_value_kzt", "funding_source",
               "planned_start", "planned_finish", "progress_pct", "status", "line_id",
               "upgrade_id"}


@pytest.fixture
def tokens(users):
    return {k: token_create(actor=None, user=u) for k, u in users.items()}


def call(client, method, url, token=None, body=None, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body) if body is not None else None
    return getattr(client, method)(url, data=data, content_type="application/json", **headers)


def body_for(demo, line, today, **change):
    return {"zone": demo.slug, "name": "Power line PO-3", "kind": "line",
            "contractor": "TOO Energostroy (demo)", "contract_number": "42/2026",
            "contract_value_kzt": 1_500_000_000, "funding_source": "local",
            "planned_start": (today - dt.timedelta(days=30)).isoformat(),
            "planned_finish": (today + dt.timedelta(days=150)).isoformat(),
            "line_id": line.pk} | change


def _state():
    return Work.objects.count(), WorkProgress.objects.count(), AuditEntry.objects.count()


def test_create_progress_accept_through_the_api(client, tokens, demo, uc_line, today):
    r = call(client, "post", "/api/works", tokens["staff"], body_for(demo, uc_line, today))
    assert r.status_code == 201, r.content
    work = r.json()
    assert ITEM_FIELDS <= set(work)
    assert (work["kind"], work["status"], work["line_id"], work["upgrade_id"]) == (
        "line", "planned", uc_line.pk, None)
    assert work["contract_value_kzt"] == 1_500_000_000.0 and work["progress_pct"] == 0.0
    assert work["baseline_finish"] == work["planned_finish"]
    url = f"/api/works/{work['id']}"
    r = call(client, "post", f"{url}/progress", tokens["manager"],
             {"reported_on": today.isoformat(), "percent": 100, "spent_kzt": 1_400_000_000,
              "remarks": "Energised on test"})
    assert r.status_code == 201, r.content
    assert (r.json()["progress_pct"], r.json()["status"]) == (100.0, "in_progress")
    r = call(client, "post", f"{url}/accept", tokens["staff"],
             {"accepted_on": today.isoformat(), "remarks": "Act №1"})
    assert r.status_code == 200, r.content
    assert (r.json()["status"], r.json()["accepted_on"]) == ("accepted", today.isoformat())
    assert UtilityLine.objects.get(pk=uc_line.pk).status == "existing"
    detail = call(client, "get", url, tokens["manager"]).json()
    assert [p["version"] for p in detail["plans"]] == [1]
    assert detail["progress"][0]["percent"] == 100.0 and detail["progress"][0]["photos"] == 0


def test_roles(client, tokens, users, demo, uc_line, today):
    work = make_work(users["staff"], demo, line=uc_line, today=today)
    for role in ("a", "b"):
        for method, url, body in (
                ("get", "/api/works", None), ("get", f"/api/works/{work.pk}", None),
                ("post", "/api/works", body_for(demo, uc_line, today)),
                ("post", f"/api/works/{work.pk}/progress",
                 {"reported_on": today.isoformat(), "percent": 5}),
                ("post", f"/api/works/{work.pk}/accept", {"accepted_on": today.isoformat()})):
            r = call(client, method, url, tokens[role], body)
            assert r.status_code == 403, (role, url)
            assert r.json()["error"]["code"] == "forbidden"
    assert call(client, "get", "/api/works").status_code == 401
    assert call(client, "get", "/api/works", "pz_forged").status_code == 401
    assert call(client, "get", f"/api/works/{work.pk + 1000}", tokens["staff"]).status_code == 404
    work.refresh_from_db()
    assert work.status == "planned" and not work.progress.exists()


@pytest.mark.parametrize("change", [
    {"surprise": 1},
    {"contract_value_kzt": "1500000000"},
    {"contract_value_kzt": True},
    {"contract_value_kzt": -1},
    {"planned_start": 20260101},
    {"planned_start": "2026-02-30"},
    {"planned_start": "26-01-01"},
    {"planned_start": "２０２６-01-01"},
    {"line_id": "5"},
    {"line_id": 0},
    {"name": 5},
    {"name": "x" * 256},
    {"name": None},
])
def test_strict_bodies_are_422_and_change_nothing(client, tokens, demo, uc_line, today, change):
    before = _state()
    r = call(client, "post", "/api/works", tokens["staff"], body_for(demo, uc_line, today, **change))
    assert r.status_code == 422, r.content
    assert r.json()["error"]["code"] == "invalid"
    assert _state() == before


@pytest.mark.parametrize("raw", ["[]", '"x"', "null", "5", "{", "{}", "x" * 10000])
def test_non_objects_are_refused(client, tokens, raw):
    before = _state()
    r = call(client, "post", "/api/works", tokens["staff"], raw=raw)
    assert r.status_code in (400, 422) and "error" in r.json()
    assert _state() == before


@pytest.mark.parametrize("change, field", [
    ({"zone": "atlantis"}, "zone"),
    ({"line_id": 10**12}, "line_id"),
    ({"upgrade_id": 10**12, "kind": "upgrade", "line_id": None}, "upgrade_id"),
    ({"kind": "upgrade"}, "upgrade_id"),
    ({"funding_source": "lottery"}, "funding_source"),
    ({"planned_finish": "1999-01-01"}, "planned_finish"),
    ({"contract_value_kzt": 0.001}, "contract_value_kzt"),
])
def test_business_refusals_are_400_naming_the_field(client, tokens, demo, uc_line, today, change,
                                                    field):
    before = _state()
    r = call(client, "post", "/api/works", tokens["staff"], body_for(demo, uc_line, today, **change))
    assert r.status_code == 400, r.content
    details = r.json()["error"]["details"]
    assert details.get("field", field if field in details else None) == field
    assert _state() == before


def test_progress_and_accept_bodies_are_strict(client, tokens, users, demo, uc_line, today):
    work = make_work(users["staff"], demo, line=uc_line, today=today)
    url = f"/api/works/{work.pk}"
    for body in ({"reported_on": today.isoformat(), "percent": "50"},
                 {"reported_on": today.isoformat(), "percent": 101},
                 {"reported_on": today.isoformat()},
                 {"reported_on": today.isoformat(), "percent": 5, "photos": []}):
        assert call(client, "post", f"{url}/progress", tokens["staff"], body).status_code == 422
    r = call(client, "post", f"{url}/progress", tokens["staff"],
             {"reported_on": (today + dt.timedelta(days=1)).isoformat(), "percent": 5})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "reported_on"
    r = call(client, "post", f"{url}/accept", tokens["staff"], {"accepted_on": today.isoformat()})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    assert call(client, "post", f"{url}/accept", tokens["staff"],
                {"accepted_on": today.isoformat(), "by": "me"}).status_code == 422
    work.refresh_from_db()
    assert work.status == "planned" and not work.progress.exists()


def test_pages_and_filters(client, tokens, users, demo, uc_line, today):
    ids = [make_work(users["staff"], demo, today=today, name=f"W{i}").pk for i in range(3)]
    body = call(client, "get", "/api/works?limit=2&offset=1", tokens["staff"]).json()
    assert (body["count"], body["limit"], body["offset"]) == (3, 2, 1)
    assert [w["id"] for w in body["items"]] == ids[1:]
    assert call(client, "get", "/api/works?kind=line", tokens["staff"]).json()["count"] == 0
    assert call(client, "get", "/api/works?status=planned", tokens["staff"]).json()["count"] == 3
    for bad in ("limit=0", "limit=201", "offset=-1", "limit=x", "as_of=2026-13-01"):
        r = call(client, "get", f"/api/works?{bad}", tokens["staff"])
        assert r.status_code == 422, bad
    r = call(client, "get", "/api/works?as_of=1999-12-31", tokens["staff"])
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "as_of"


def test_as_of_gives_what_the_data_said_then(client, tokens, users, demo, today):
    work = make_work(users["staff"], demo, today=today, start=today - dt.timedelta(days=100),
                     finish=today + dt.timedelta(days=100), value=2_000_000)
    from promzona.works.services import work_report_progress

    work_report_progress(actor=users["staff"], work=work, percent=30, spent_kzt=500_000,
                         reported_on=today)
    now = call(client, "get", f"/api/works/{work.pk}", tokens["staff"]).json()
    assert (now["progress_pct"], now["status"], now["spi"]) == (30.0, "in_progress", 0.6)
    assert now["planned_value_kzt"] == 1_000_000 and now["cpi"] == 1.2
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    then = call(client, "get", f"/api/works/{work.pk}?as_of={yesterday}", tokens["staff"]).json()
    assert (then["progress_pct"], then["status"], then["progress"]) == (0.0, "planned", [])
    listed = call(client, "get", f"/api/works?as_of={yesterday}", tokens["staff"]).json()
    assert listed["count"] == 0  # the work was recorded today
