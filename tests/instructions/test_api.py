"""``/api/instructions``: shapes, filters, pagination, transitions, roles, strict bodies."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from promzona.api.services import token_create
from promzona.instructions.models import Instruction

from .conftest import issue
from .test_services import rows

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def api(people):
    tokens = {k: token_create(actor=None, user=u) for k, u in people.items()}

    def call(who, method, path, body=None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"} if who else {}
        client = Client()
        if method == "GET":
            r = client.get(path, params, **headers)
        else:
            r = client.generic(method, path, json.dumps(body if body is not None else {}),
                               content_type="application/json", **headers)
        return r.status_code, r.json()
    return call


def new_body(bodies, today, **kw):
    body = {"number": "API-1", "issued_on": today.isoformat(), "issuer_id": bodies["city"].pk,
            "title": "Roads", "executor_id": bodies["dept"].pk, "executor_person": "demo-executor",
            "controller": "demo-staff", "deadline": (today + 5 * DAY).isoformat(),
            "links": [{"type": "zone", "id": bodies["city"].pk and 1}]}
    body.update(kw)
    return body


def test_create_returns_the_documented_item(api, bodies, today, demo):
    status, item = api("staff", "POST", "/api/instructions",
                       new_body(bodies, today, links=[{"type": "zone", "id": demo.pk}]))
    assert status == 201, item
    for key in ("id", "number", "title", "issuer", "executor", "controller", "deadline", "status",
                "overdue", "parent_id", "links"):
        assert key in item
    assert item["status"] == "issued" and item["overdue"] is False
    assert item["links"] == [{"type": "zone", "id": demo.pk, "label": demo.name}]
    assert item["events"][0]["kind"] == "issued"


@pytest.mark.parametrize("change", [
    {"extra": 1},
    {"deadline": "next week"},
    {"deadline": 20260101},
    {"issuer_id": "1"},
    {"on_control": "true"},
    {"title": "x" * 256},
    {"co_executor_ids": list(range(1, 30))},
    {"links": [{"type": "plot", "id": 1, "note": "x"}]},
])
def test_create_with_a_malformed_body_is_422_and_changes_nothing(api, bodies, today, change):
    before = rows()
    status, answer = api("staff", "POST", "/api/instructions", new_body(bodies, today, **change))
    assert status == 422 and answer["error"]["code"] == "invalid"
    assert rows() == before


@pytest.mark.parametrize("change", [
    {"issuer_id": 999999}, {"controller": "nobody"}, {"links": [{"type": "plot", "id": 999999}]},
    {"deadline": "2000-01-01"},
])
def test_create_with_unknown_references_is_400_and_changes_nothing(api, bodies, today, change):
    before = rows()
    status, answer = api("staff", "POST", "/api/instructions", new_body(bodies, today, **change))
    assert status == 400 and answer["error"]["code"] == "invalid", answer
    assert rows() == before


@pytest.mark.parametrize("who, expected", [("executor", 403), ("investor", 403), (None, 401)])
def test_create_by_others_is_refused(api, bodies, today, who, expected):
    status, _ = api(who, "POST", "/api/instructions", new_body(bodies, today))
    assert status == expected


def test_list_filters_overdue_and_paginates(api, people, bodies, today):
    late = issue(people, bodies, issued_on=today - 9 * DAY, deadline=today - DAY)
    due = issue(people, bodies, deadline=today)
    status, page = api("executor", "GET", "/api/instructions", box="execute", overdue="true")
    assert status == 200
    ids = {i["id"] for i in page["items"]}
    assert late.pk in ids and due.pk not in ids
    assert all(i["overdue"] for i in page["items"])
    _, page = api("executor", "GET", "/api/instructions", box="execute", due_within=0)
    assert due.pk in {i["id"] for i in page["items"]} and late.pk not in {i["id"] for i in page["items"]}
    _, first = api("staff", "GET", "/api/instructions", page_size=2)
    _, second = api("staff", "GET", "/api/instructions", page_size=2, page=2)
    assert first["count"] == Instruction.objects.count() and len(first["items"]) == 2
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


@pytest.mark.parametrize("params", [{"page_size": 1000}, {"due_within": -1}, {"box": "mine"},
                                    {"overdue": "maybe"}, {"status": "lost"}])
def test_list_with_bad_parameters_is_422(api, params):
    status, answer = api("staff", "GET", "/api/instructions", **params)
    assert status == 422 and "error" in answer


def test_list_for_investors_is_403(api):
    assert api("investor", "GET", "/api/instructions")[0] == 403


def test_the_day_through_the_api(api, instruction):
    path = f"/api/instructions/{instruction.pk}"
    assert api("executor", "POST", path + "/accept", {})[0] == 403
    status, item = api("executor", "POST", path + "/report", {"text": "Done"})
    assert status == 200 and item["status"] == "reported"
    status, item = api("staff", "POST", path + "/return", {"comment": "Photos?"})
    assert status == 200 and item["status"] == "in_progress"
    assert api("executor", "POST", path + "/report", {"text": "Photos"})[1]["status"] == "reported"
    status, item = api("staff", "POST", path + "/accept", {"comment": "OK"})
    assert item["status"] == "accepted"
    assert [r["decision"] for r in item["reports"]] == ["returned", "accepted"]


def test_extend_request_and_decision_through_the_api(api, instruction):
    path = f"/api/instructions/{instruction.pk}/extend"
    new = (instruction.deadline + 3 * DAY).isoformat()
    status, item = api("executor", "POST", path, {"new_deadline": new, "reason": "Snow"})
    assert status == 200 and item["extensions"][0]["status"] == "pending"
    assert api("executor", "POST", path, {"decision": "grant"})[0] == 403
    status, item = api("staff", "POST", path, {"decision": "grant"})
    assert item["deadline"] == new
    assert item["extensions"][0]["old_deadline"] == instruction.deadline.isoformat()


@pytest.mark.parametrize("body", [{}, {"new_deadline": "2030-01-01"}, {"reason": "x"},
                                  {"decision": "maybe"}, {"decision": "grant", "reason": "x"}])
def test_extend_with_an_incomplete_body_changes_nothing(api, instruction, body):
    before = rows()
    status, _ = api("executor", "POST", f"/api/instructions/{instruction.pk}/extend", body)
    assert status in (400, 422)
    assert rows() == before


def test_patch_edits_wording_not_the_deadline(api, instruction):
    path = f"/api/instructions/{instruction.pk}"
    status, item = api("manager", "PATCH", path, {"title": "Renamed"})
    assert status == 200 and item["title"] == "Renamed"
    assert api("manager", "PATCH", path, {"deadline": "2030-01-01"})[0] == 422
    assert api("executor", "PATCH", path, {"title": "x"})[0] == 403


def test_unknown_or_hidden_instruction_is_404(api, instruction):
    assert api("staff", "GET", "/api/instructions/999999")[0] == 404
    assert api("investor", "GET", f"/api/instructions/{instruction.pk}")[0] == 404
