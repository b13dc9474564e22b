"""``GET /api/kpi``: the issue's shape, the hand-computed figures, any past day, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from promzona.api.services import token_create
from promzona.applications import services as apps
from promzona.instructions import services as ins
from promzona.works import services as works
from promzona.zones import services as zones

from .conftest import EXPECTED, by_year, jobs_planned

pytestmark = pytest.mark.django_db


def kpi(client, **params):
    r = client.get("/api/kpi", params)
    assert r.status_code == 200, r.content
    return r.json()


def test_the_answer_has_the_issues_shape(manager_client, hand):
    body = kpi(manager_client, zone="kpi-hand")
    assert body["zone"] == "kpi-hand" and body["as_of"] == hand.today.isoformat()
    assert set(body["plots"]["count_by_status"]) == {"published", "reserved", "allocated",
                                                     "occupied", "draft", "withdrawn"}
    assert set(body["plots"]["area_ha_by_status"]) == set(body["plots"]["count_by_status"])
    assert isinstance(body["occupancy_share"], float)
    assert {"source", "kind", "capacity", "committed", "free"} <= set(body["capacity"][0])
    assert set(body["investment_kzt"]) >= {"planned", "actual"}
    assert set(body["jobs"]) >= {"planned", "actual"}
    assert set(body["instructions"]) >= {"open", "overdue", "closed_on_time", "closed_late"}
    assert set(body["works"]) >= {"total", "late"}
    assert set(body["funnel"]) >= {"applications_submitted", "reserved", "approved",
                                   "projects_in_operation"}


def test_every_figure_is_what_the_hand_computation_says(manager_client, hand):
    body = kpi(manager_client, zone="kpi-hand")
    assert body["plots"]["count_by_status"] == EXPECTED["count_by_status"]
    assert body["plots"]["area_ha_by_status"] == pytest.approx(EXPECTED["area_ha_by_status"],
                                                               abs=2e-3)
    assert body["occupancy_share"] == pytest.approx(EXPECTED["occupancy_share"], abs=1e-4)
    (source,) = body["capacity"]
    assert (source["source"], source["kind"]) == ("S1", "power")
    assert (source["capacity"], source["committed"], source["free"]) == EXPECTED["capacity"]
    assert source["near_exhaustion"] is False
    assert source["upgrades"][0]["capacity_added"] == 500.0
    funnel = {k: body["funnel"][k] for k in EXPECTED["funnel"]}
    assert funnel == EXPECTED["funnel"]
    assert {k: body["funnel"]["median_days"][k] for k in EXPECTED["median_days"]} == \
        EXPECTED["median_days"]
    assert body["funnel"]["conversion"]["under_review"] == pytest.approx(2 / 3, abs=1e-4)
    assert (body["investment_kzt"]["planned"], body["investment_kzt"]["actual"]) == \
        EXPECTED["investment"]
    assert body["jobs"] == {"planned": jobs_planned(hand), "actual": 12}
    assert body["investment_kzt"]["by_year"] == by_year(hand)
    assert body["investment_kzt"]["by_direction"][0]["direction"] == "Metal"
    works_ = EXPECTED["works"]
    assert (body["works"]["total"], body["works"]["late"]) == (works_["total"], works_["late"])
    assert body["works"]["spi"] == pytest.approx(works_["spi"], abs=1e-4)
    assert body["works"]["cpi"] == pytest.approx(works_["cpi"], abs=1e-4)
    assert {k: body["instructions"][k] for k in EXPECTED["instructions"]} == \
        EXPECTED["instructions"]
    assert body["instructions"]["overdue_by_executor"] == [
        {"id": hand.bodies["dept"].pk, "name": hand.bodies["dept"].name, "overdue": 1}]


def test_a_past_day_gives_what_the_records_said_then(manager_client, hand):
    body = kpi(manager_client, zone="kpi-hand", as_of=(hand.today - dt.timedelta(days=55)).isoformat())
    # P5 reserved (T-60) but not yet allocated (T-50); no project, works or instructions yet
    # except W1 (recorded T-100).
    assert body["plots"]["count_by_status"]["reserved"] == 1
    assert body["plots"]["count_by_status"]["allocated"] == 0
    assert body["occupancy_share"] == pytest.approx(6 / 15, abs=1e-4)
    assert body["funnel"]["approved"] == 0 and body["funnel"]["reserved"] == 1
    assert body["funnel"]["applications_submitted"] == 3
    assert body["works"]["total"] == 1 and body["works"]["late"] == 0
    assert body["instructions"]["open"] == 0
    assert body["investment_kzt"]["planned"] == 0.0
    before = kpi(manager_client, zone="kpi-hand",
                 as_of=(hand.today - dt.timedelta(days=401)).isoformat())
    assert before["plots"]["count_by_status"] == dict.fromkeys(EXPECTED["count_by_status"], 0)
    assert before["capacity"] == []


def test_a_change_today_leaves_yesterday_as_it_was(manager_client, hand):
    yesterday = (hand.today - dt.timedelta(days=1)).isoformat()
    then = kpi(manager_client, zone="kpi-hand", as_of=yesterday)
    # Today: P1 reserved for A2, capacity committed, W2 reported, I2 reported and accepted.
    apps.plot_reserve(actor=hand.staff, plot=hand.plots["P1"], application=hand.apps["A2"])
    zones.capacity_commit(actor=hand.staff, source=hand.source, amount=650, holder="today")
    works.work_report_progress(actor=hand.staff, work=hand.works["W2"], reported_on=hand.today,
                               percent=40, spent_kzt=300)
    ins.instruction_report(actor=hand.executor, instruction=hand.instructions["I2"], text="Done")
    ins.instruction_accept(actor=hand.staff, instruction=hand.instructions["I2"])
    now = kpi(manager_client, zone="kpi-hand")
    assert now["plots"]["count_by_status"]["reserved"] == 1
    assert now["capacity"][0]["committed"] == 950.0 and now["capacity"][0]["near_exhaustion"]
    assert now["funnel"]["reserved"] == 2
    assert now["instructions"]["closed_on_time"] == 2 and now["instructions"]["open"] == 1
    assert now["works"]["cpi"] != then["works"]["cpi"]
    again = kpi(manager_client, zone="kpi-hand", as_of=yesterday)
    assert again == then
    assert then["plots"]["count_by_status"] == EXPECTED["count_by_status"]
    assert then["capacity"][0]["committed"] == 300.0
    assert {k: then["instructions"][k] for k in EXPECTED["instructions"]} == \
        EXPECTED["instructions"]


def test_a_release_today_counts_yesterday_as_committed(manager_client, hand):
    yesterday = (hand.today - dt.timedelta(days=1)).isoformat()
    commitment = hand.source.commitments.get()
    zones.capacity_release(actor=hand.staff, commitment=commitment)
    assert kpi(manager_client, zone="kpi-hand")["capacity"][0]["committed"] == 0.0
    assert kpi(manager_client, zone="kpi-hand", as_of=yesterday)["capacity"][0]["committed"] == 300.0


def test_all_zones_are_the_sum_of_the_zones(manager_client, hand):
    everything = kpi(manager_client)
    assert everything["zone"] is None
    balkhash, mine = kpi(manager_client, zone="balkhash"), kpi(manager_client, zone="kpi-hand")
    for status, n in everything["plots"]["count_by_status"].items():
        assert n == balkhash["plots"]["count_by_status"][status] + \
            mine["plots"]["count_by_status"][status]
    assert len(everything["capacity"]) == len(balkhash["capacity"]) + 1
    assert everything["funnel"]["enquiries"] is not None and mine["funnel"]["enquiries"] is None


def test_a_token_of_staff_is_enough_and_others_are_refused(client, hand):
    staff_token = token_create(actor=None, user=hand.staff)
    assert client.get("/api/kpi", HTTP_AUTHORIZATION=f"Bearer {staff_token}").status_code == 200
    investor_token = token_create(actor=None, user=hand.investor)
    r = client.get("/api/kpi", HTTP_AUTHORIZATION=f"Bearer {investor_token}")
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert client.get("/api/kpi").status_code == 401


@pytest.mark.parametrize("params, status", [
    ({"as_of": "2026-2-1"}, 422), ({"as_of": "20260201"}, 422), ({"as_of": "tomorrow"}, 422),
    ({"as_of": "2026-02-30"}, 422), ({"as_of": "1999-12-31"}, 400), ({"as_of": "2101-01-01"}, 400),
    ({"zone": "nope"}, 404), ({"zone": "x" * 5000}, 404), ({"zone": "<script>"}, 404),
    ({"zone": "balkhash\x00"}, 400),
])
def test_bad_parameters_are_refused_in_the_api_format(manager_client, params, status):
    r = manager_client.get("/api/kpi", params)
    assert r.status_code == status
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_tomorrow_is_refused(manager_client, today):
    r = manager_client.get("/api/kpi", {"as_of": (today + dt.timedelta(days=1)).isoformat()})
    assert r.status_code == 400 and r.json()["error"]["details"] == {"field": "as_of"}
