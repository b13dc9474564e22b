"""One path, end to end through the API: before acceptance a match shows the gap "line X is
under construction"; after it the gap is gone, the saved-search alerts run, and the ledger (the
passport, /api/utility-sources, matching) shows an accepted upgrade's capacity."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from promzona.api.services import token_create
from promzona.matching import services as matching_services
from promzona.matching.services import saved_search_create
from promzona.zones.models import Plot

PLOT = "BLK-11"  # a free plot whose power comes over PO-3, the line under construction


@pytest.fixture
def tokens(users):
    return {k: token_create(actor=None, user=u) for k, u in users.items()}


def post(client, url, token, body):
    r = client.post(url, data=json.dumps(body), content_type="application/json",
                    HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code in (200, 201), r.content
    return r.json()


def gaps(client, request, plot_id):
    answer = client.post("/api/match", data=json.dumps(request),
                         content_type="application/json").json()
    row = next(r for r in answer["results"] if r["plot_id"] == plot_id)
    return [g["text"] for g in row["gaps"] if g["kind"] == "power"]


@pytest.fixture
def alert_runs(monkeypatch):
    """Count the alert runs (each one still runs for real)."""
    runs = []
    real = matching_services.alerts_run

    def counted(**kwargs):
        runs.append(1)
        return real(**kwargs)

    monkeypatch.setattr(matching_services, "alerts_run", counted)
    return runs


def _build(client, tokens, demo, today, **target):
    work = post(client, "/api/works", tokens["staff"], {
        "zone": demo.slug, "name": "Test build", "kind": "line" if "line_id" in target else "upgrade",
        "contractor": "TOO Stroy", "contract_value_kzt": 1_000_000, "funding_source": "local",
        "planned_start": (today - dt.timedelta(days=60)).isoformat(),
        "planned_finish": (today + dt.timedelta(days=30)).isoformat()} | target)
    post(client, f"/api/works/{work['id']}/progress", tokens["staff"],
         {"reported_on": today.isoformat(), "percent": 100, "spent_kzt": 950_000})
    return work


def test_accepting_the_line_closes_the_gap_and_runs_the_alerts(
        client, tokens, users, demo, uc_line, today, alert_runs,
        django_capture_on_commit_callbacks):
    plot = Plot.objects.get(zone=demo, code=PLOT)
    request = {"sector": "C25", "needs": {"power_kw": 100}}
    saved_search_create(actor=users["a"], name="Metal works", request=request)
    work = _build(client, tokens, demo, today, line_id=uc_line.pk)
    from promzona.core import formats

    finish = formats.date(today + dt.timedelta(days=30), "en")
    assert gaps(client, request, plot.pk) == [
        f"line PO-3 is under construction, completion {finish}"]  # the work's planned finish
    alert_runs.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, f"/api/works/{work['id']}/accept", tokens["staff"],
             {"accepted_on": today.isoformat()})
    assert alert_runs == [1]
    assert gaps(client, request, plot.pk) == []
    lines = client.get("/api/utility-lines").json()["features"]
    assert next(f for f in lines if f["id"] == uc_line.pk)["properties"]["status"] == "existing"
    passport = client.get(f"/plots/{demo.slug}/{PLOT}/").content.decode()
    assert "PO-3" in passport


def test_accepting_an_upgrade_puts_its_capacity_on_the_ledger(
        client, tokens, users, demo, upgrade, today, alert_runs,
        django_capture_on_commit_callbacks):
    plot = Plot.objects.get(zone=demo, code=PLOT)

    def ps2():
        sources = client.get("/api/utility-sources").json()["features"]
        return next(f["properties"] for f in sources if f["properties"]["code"] == "PS-2")

    before = ps2()
    request = {"sector": "C25", "needs": {"power_kw": 5000}}
    saved_search_create(actor=users["a"], name="Big machine shop", request=request)
    work = _build(client, tokens, demo, today, upgrade_id=upgrade.pk)
    text = gaps(client, request, plot.pk)
    assert any("PS-2 has 3,200 kW free" in t and "upgrade +10,000 kW" in t for t in text), text
    alert_runs.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(client, f"/api/works/{work['id']}/accept", tokens["manager"],
             {"accepted_on": today.isoformat()})
    assert alert_runs == [1]
    after = ps2()
    assert after["capacity"] == before["capacity"] + 10_000
    assert after["committed"] == before["committed"]
    assert after["free"] == before["free"] + 10_000
    assert not any("free" in t for t in gaps(client, request, plot.pk))
