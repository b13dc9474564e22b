"""GET /api/applications and POST /api/reservations as docs/applications.md ("JSON API") says,
and the transitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from promzona.api.services import token_create
from promzona.applications.models import Reservation
from promzona.zones.models import Plot

from .conftest import make_application


@pytest.fixture
def tokens(users):
    return {k: token_create(actor=None, user=u) for k, u in users.items()}


def call(client, method, url, token=None, json=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(url, data=json, content_type="application/json", **headers)


def test_list_shows_each_caller_what_it_may_see(client, users, tokens, published_plot):
    app = make_application(users["a"], preferred=[published_plot.pk])
    body = call(client, "get", "/api/applications", tokens["a"]).json()
    assert [a["id"] for a in body] == [app.pk]
    assert body[0]["status"] == "submitted" and body[0]["sector"] == "C25"
    assert body[0]["needs"]["power_kw"] == 100
    assert body[0]["preferred_plots"] == [published_plot.pk]
    assert call(client, "get", "/api/applications", tokens["b"]).json() == []
    staff_view = call(client, "get", "/api/applications", tokens["staff"]).json()
    assert app.pk in [a["id"] for a in staff_view]
    r = call(client, "get", "/api/applications")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    assert call(client, "get", f"/api/applications/{app.pk}", tokens["b"]).status_code == 404


def test_reservation_201_then_409(client, users, tokens, published_plot):
    app = make_application(users["a"])
    other = make_application(users["b"])
    expires = (timezone.now() + dt.timedelta(days=30)).isoformat()
    r = call(client, "post", "/api/reservations", tokens["staff"],
             {"plot_id": published_plot.pk, "application_id": app.pk, "expires_at": expires})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "active" and body["plot_id"] == published_plot.pk
    assert {c["kind"] for c in body["commitments"]} == {"power", "water"}
    r = call(client, "post", "/api/reservations", tokens["staff"],
             {"plot_id": published_plot.pk, "application_id": other.pk})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conflict"
    assert not Reservation.objects.filter(application=other).exists()


def test_reservation_409_when_capacity_lacks(client, users, tokens, published_plot):
    app = make_application(users["a"], needs={"power_kw": 10**9})
    r = call(client, "post", "/api/reservations", tokens["staff"],
             {"plot_id": published_plot.pk, "application_id": app.pk})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "capacity_exceeded"
    published_plot.refresh_from_db()
    assert published_plot.status == Plot.Status.PUBLISHED


@pytest.mark.parametrize("who,status", [("a", 403), ("manager", 403), ("b", 404), (None, 401)])
def test_reservation_by_non_staff(client, users, tokens, published_plot, who, status):
    app = make_application(users["a"])
    r = call(client, "post", "/api/reservations", tokens.get(who),
             {"plot_id": published_plot.pk, "application_id": app.pk})
    assert r.status_code == status
    assert "error" in r.json()
    assert not Reservation.objects.filter(application=app).exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"plot_id": "x", "application_id": 1}, {"plot_id": 10**30, "application_id": 1},
     {"plot_id": 1, "application_id": 1, "expires_at": "yesterday"}, [1, 2], "null"],
)
def test_reservation_bad_payload(client, tokens, payload):
    held = Reservation.objects.count()
    r = call(client, "post", "/api/reservations", tokens["staff"], payload)
    assert 400 <= r.status_code < 500
    assert "error" in r.json()
    assert Reservation.objects.count() == held


def test_reservation_of_unpublished_plot_is_400(client, users, tokens, demo):
    app = make_application(users["a"])
    draft = Plot.objects.filter(zone=demo, status="draft").first()
    r = call(client, "post", "/api/reservations", tokens["staff"],
             {"plot_id": draft.pk, "application_id": app.pk})
    assert r.status_code == 400 and r.json()["error"]["details"]["field"] == "plot_id"


def test_create_and_transitions_over_the_api(client, users, tokens, published_plot):
    payload = {"project_name": "Cement", "sector": "C23", "investment_kzt": 5000000,
               "jobs_planned": 40, "needs": {"power_kw": 50}, "preferred_plots": []}
    r = call(client, "post", "/api/applications", tokens["a"], payload)
    assert r.status_code == 201, r.content
    app_id = r.json()["id"]
    assert call(client, "post", "/api/applications", tokens["staff"], payload).status_code == 403
    bad = dict(payload, needs={"power_kw": -3})
    assert call(client, "post", "/api/applications", tokens["a"], bad).status_code == 422
    url = f"/api/applications/{app_id}"
    assert call(client, "post", f"{url}/submit", tokens["b"], {}).status_code == 404
    assert call(client, "post", f"{url}/start_review", tokens["a"], {}).status_code == 403
    assert call(client, "post", f"{url}/submit", tokens["a"], {}).json()["status"] == "submitted"
    assert call(client, "post", f"{url}/submit", tokens["a"], {}).status_code == 409
    r = call(client, "post", f"{url}/start_review", tokens["staff"], {"comment": "ok"})
    assert r.json()["status"] == "under_review"
    r = call(client, "post", f"{url}/reject", tokens["staff"], {"comment": "No gas yet"})
    assert r.json()["status"] == "rejected"


def test_unknown_reservation_is_404_in_the_error_format(client, tokens):
    r = call(client, "post", "/api/reservations/999999/release", tokens["staff"], {})
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_needs_beyond_the_ledgers_three_decimals_are_refused(client, tokens, published_plot):
    body = {"project_name": "P", "sector": "C25", "investment_kzt": 1, "jobs_planned": 1,
            "needs": {"power_kw": 0.0001}}
    r = call(client, "post", "/api/applications", tokens["a"], body)
    assert r.status_code == 422
    assert r.json()["error"]["details"][0]["loc"][-2:] == ["needs", "power_kw"]


def test_desired_start_and_horizon_are_kept_and_changed(client, tokens, published_plot):
    body = {"project_name": "P", "sector": "C25", "investment_kzt": 1, "jobs_planned": 1,
            "needs": {"power_kw": 200}, "start_by": "2027-06-01", "horizon_years": 25}
    r = call(client, "post", "/api/applications", tokens["a"], body)
    assert r.status_code == 201, r.content
    assert (r.json()["start_by"], r.json()["horizon_years"]) == ("2027-06-01", 25)
    url = f"/api/applications/{r.json()['id']}"
    r = call(client, "patch", url, tokens["a"], {"start_by": "2028-01-15", "horizon_years": 3})
    assert (r.json()["start_by"], r.json()["horizon_years"]) == ("2028-01-15", 3)
    plain = call(client, "post", "/api/applications", tokens["a"], {
        k: v for k, v in body.items() if k not in ("start_by", "horizon_years")}).json()
    assert (plain["start_by"], plain["horizon_years"]) == (None, 10)


@pytest.mark.parametrize("change", [
    {"horizon_years": 0}, {"horizon_years": 51}, {"horizon_years": "10"}, {"horizon_years": 1.5},
    {"horizon_years": True}, {"start_by": "tomorrow"}, {"start_by": "2027-02-30"},
    {"start_by": 20270601}, {"start_by": "2027-06-01T10:00:00"}, {"start_by": "9" * 10_000},
])
def test_bad_desired_start_or_horizon_is_422_and_changes_nothing(client, tokens, users, change):
    from promzona.applications.models import Application

    body = {"project_name": "P", "sector": "C25", "investment_kzt": 1, "jobs_planned": 1}
    before = Application.objects.count()
    r = call(client, "post", "/api/applications", tokens["a"], {**body, **change})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid", r.content
    assert Application.objects.count() == before
    app = make_application(users["a"], submit=False, horizon_years=7)
    r = call(client, "patch", f"/api/applications/{app.pk}", tokens["a"], change)
    assert r.status_code == 422
    app.refresh_from_db()
    assert (app.start_by, app.horizon_years) == (None, 7)
