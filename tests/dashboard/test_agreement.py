"""``/api/kpi`` agrees with ``/api/plots``, ``/api/utility-sources``, ``/api/instructions``,
``/api/works`` and ``/api/projects`` at the same moment: each figure recounted from their items."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.utils import timezone

from promzona.core.instructions import ACCEPTED
from promzona.demo import execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(demo, hand, today):
    """The demo with its works, projects and instructions, and the hand-computed zone."""
    execution.load(today=today)
    return hand


def pages(client, url, params, key="items"):
    """Every item of a paged list (either paging style)."""
    out, n = [], 0
    while True:
        p = dict(params, **({"page": n + 1, "page_size": 200} if "instructions" in url
                           else {"offset": n * 200, "limit": 200}))
        body = client.get(url, p).json()
        out += body[key]
        n += 1
        if len(out) >= body["count"]:
            return out


@pytest.mark.parametrize("zone", [None, "balkhash", "kpi-hand"])
def test_kpi_agrees_with_every_other_endpoint(manager_client, rich, zone):
    scope = {"zone": zone} if zone else {}
    kpi = manager_client.get("/api/kpi", scope).json()

    plots = [f["properties"] for f in manager_client.get("/api/plots").json()["features"]
             if zone is None or f["properties"]["zone"] == zone]
    assert kpi["plots"]["count_by_status"] == {
        s: sum(1 for p in plots if p["status"] == s) for s in kpi["plots"]["count_by_status"]}
    areas = defaultdict(float)
    for p in plots:
        areas[p["status"]] += p["area_ha"]
    for status, area in kpi["plots"]["area_ha_by_status"].items():
        assert area == pytest.approx(areas[status], abs=1e-6)

    sources = {(s["zone"], s["code"]): s for s in
               (f["properties"] for f in manager_client.get("/api/utility-sources").json()["features"])
               if zone is None or s["zone"] == zone}
    assert {(c["zone"], c["source"]) for c in kpi["capacity"]} == set(sources)
    for c in kpi["capacity"]:
        s = sources[c["zone"], c["source"]]
        assert (c["capacity"], c["committed"], c["free"]) == (s["capacity"], s["committed"], s["free"])

    items = pages(manager_client, "/api/instructions", scope)
    assert items, "the scope has instructions to compare"
    ins = kpi["instructions"]
    open_ = [i for i in items if i["status"] != ACCEPTED and i["on_control"]]
    assert ins["open"] == len(open_)
    assert ins["overdue"] == sum(i["overdue"] for i in items)
    closed = [i for i in items if i["status"] == ACCEPTED]
    on_time = [i for i in closed if timezone.localdate(dt.datetime.fromisoformat(
        i["accepted_at"].replace("Z", "+00:00"))).isoformat() <= i["deadline"]]
    assert (ins["closed_on_time"], ins["closed_late"]) == (len(on_time), len(closed) - len(on_time))
    by_executor = Counter(i["executor"]["id"] for i in items if i["overdue"])
    assert {e["id"]: e["overdue"] for e in ins["overdue_by_executor"]} == dict(by_executor)

    works = pages(manager_client, "/api/works", scope)
    assert (kpi["works"]["total"], kpi["works"]["late"]) == (len(works), sum(w["late"] for w in works))
    assert kpi["works"]["by_status"] == dict(Counter(w["status"] for w in works))
    money = [w for w in works if w["planned_value_kzt"] is not None]
    if sum(w["planned_value_kzt"] for w in money):
        assert kpi["works"]["spi"] == pytest.approx(
            sum(w["earned_value_kzt"] for w in money) / sum(w["planned_value_kzt"] for w in money),
            abs=1e-4)

    projects = [p for p in pages(manager_client, "/api/projects", {})
                if p["status"] == "active" and (zone is None or p["zone"] == zone)]
    assert kpi["investment_kzt"]["planned"] == pytest.approx(
        sum(p["planned_investment_kzt"] for p in projects))
    assert kpi["investment_kzt"]["actual"] == pytest.approx(
        sum(p["actual_investment_kzt"] for p in projects))
    assert kpi["jobs"] == {"planned": sum(p["planned_jobs"] for p in projects),
                           "actual": sum(p["actual_jobs"] for p in projects)}
    assert kpi["funnel"]["projects_in_operation"] == sum(
        1 for p in projects if p["phase"] == "operation")


def test_instructions_of_a_zone_are_those_linked_to_it_or_its_objects(manager_client, rich):
    linked = {i["number"] for i in pages(manager_client, "/api/instructions", {"zone": "kpi-hand"})}
    assert linked == {"H-1", "H-2", "H-3", "H-4"}
    r = manager_client.get("/api/instructions", {"zone": "nope"})
    assert r.status_code == 400 and r.json()["error"]["details"] == {"field": "zone"}
