"""The API's contract (issue 11, finding 5): PATCH changes only what it is sent, bodies are JSON
objects of the documented shape, missing or refused credentials are 401 (never a CSRF 403),
oversized bodies are a JSON 413, and the schema lists each operation's error answers."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from promzona.api.services import token_create
from promzona.applications.models import Application, Reservation
from promzona.audit.models import AuditEntry
from tests.applications.conftest import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def tokens(users):
    return {k: token_create(actor=None, user=u) for k, u in users.items()}


@pytest.fixture
def csrf_client():
    """A client that checks CSRF as a browser-facing server does."""
    return Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")


def send(client, method, url, body: bytes | str, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return getattr(client, method)(url, data=body, content_type="application/json", **headers)


def assert_error_format(r, status):
    assert r.status_code == status, r.content[:300]
    assert r["Content-Type"].startswith("application/json")
    error = r.json()["error"]
    assert set(error) == {"code", "message", "details"} and error["message"]


@pytest.mark.parametrize("change", [{"project_name": "Renamed"}, {"jobs_planned": 7},
                                    {"description": "More words"}])
def test_patch_changes_only_the_fields_sent(client, users, tokens, published_plot, change):
    app = make_application(users["a"], submit=False, preferred=[published_plot.pk],
                           needs={"power_kw": 120.5, "water_m3_day": 3})
    before = send(client, "get", f"/api/applications/{app.pk}", "", tokens["a"]).json()
    r = send(client, "patch", f"/api/applications/{app.pk}", json.dumps(change), tokens["a"])
    assert r.status_code == 200, r.content
    assert r.json() == before | {k: v for k, v in change.items() if k in before}
    app.refresh_from_db()
    assert all(getattr(app, k) == v for k, v in change.items())
    assert app.needs["power_kw"] == 120.5 and app.needs["water_m3_day"] == 3
    assert [p.plot_id for p in app.preferred.all()] == [published_plot.pk]


def test_patch_of_needs_replaces_the_needs_and_keeps_the_rest(client, users, tokens, published_plot):
    app = make_application(users["a"], submit=False, preferred=[published_plot.pk],
                           needs={"power_kw": 120.5, "water_m3_day": 3})
    r = send(client, "patch", f"/api/applications/{app.pk}", '{"needs": {"heat_gcal_h": 0.25}}',
             tokens["a"])
    assert r.status_code == 200, r.content
    assert r.json()["needs"] == {"power_kw": 0, "water_m3_day": 0, "sewage_m3_day": 0,
                                 "heat_gcal_h": 0.25, "gas_m3_h": 0}
    assert r.json()["preferred_plots"] == [published_plot.pk]
    assert r.json()["project_name"] == app.project_name


@pytest.mark.parametrize("body", ['{"needs": null}', '{"project_name": null}',
                                  '{"preferred_plots": null}', '{"jobs_planned": "7"}',
                                  '{"jobs_planned": true}', '{"nonsense": 1}', "[]", "null"])
def test_patch_with_null_or_wrong_types_changes_nothing(client, users, tokens, body):
    app = make_application(users["a"], submit=False)
    before = send(client, "get", f"/api/applications/{app.pk}", "", tokens["a"]).json()
    r = send(client, "patch", f"/api/applications/{app.pk}", body, tokens["a"])
    assert_error_format(r, 422 if body.startswith("{") else 400)
    assert send(client, "get", f"/api/applications/{app.pk}", "", tokens["a"]).json() == before


BAD_BODIES = ["[]", '"x"', "null", "5", "true", '{"comment": null}', '{"comment": 5}',
              '{"comment": "ok", "extra": 1}', '{"comment": ["a"]}', "{", "\"\\ud800\""]


@pytest.mark.parametrize("body", BAD_BODIES)
@pytest.mark.parametrize("transition,who", [("withdraw", "a"), ("start_review", "staff")])
def test_transition_body_that_is_not_the_documented_object_is_refused(
        client, users, tokens, body, transition, who):
    app = make_application(users["a"])
    audit = AuditEntry.objects.count()
    r = send(client, "post", f"/api/applications/{app.pk}/{transition}", body, tokens[who])
    assert_error_format(r, 422 if body.startswith("{") and body != "{" else 400)
    app.refresh_from_db()
    assert app.status == Application.Status.SUBMITTED
    assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize("body", ["[]", "null", '"x"', "5"])
def test_reservation_body_that_is_not_an_object_is_refused(client, users, tokens, body):
    make_application(users["a"])
    held = Reservation.objects.count()
    assert_error_format(send(client, "post", "/api/reservations", body, tokens["staff"]), 400)
    assert Reservation.objects.count() == held


@pytest.mark.parametrize("url", ["/api/reservations", "/api/applications",
                                 "/api/applications/{app}/submit", "/api/reservations/1/release"])
@pytest.mark.parametrize("token", [None, "pz_not-a-token", "garbage"])
def test_post_without_valid_credentials_is_401_not_csrf_403(csrf_client, users, url, token):
    app = make_application(users["a"], submit=False)
    csrf_client.get("/")  # a visitor with a CSRF cookie but no session still gets 401
    r = send(csrf_client, "post", url.format(app=app.pk), "{}", token)
    assert_error_format(r, 401)
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT


def test_logged_in_browser_post_without_csrf_token_is_refused(csrf_client, users):
    app = make_application(users["a"], submit=False)
    assert csrf_client.login(username="demo-investor", password="balkhash-demo-2026")
    r = send(csrf_client, "post", f"/api/applications/{app.pk}/submit", "{}")
    assert_error_format(r, 403)
    app.refresh_from_db()
    assert app.status == Application.Status.DRAFT


@pytest.mark.parametrize("url", ["/api/reservations", "/api/match", "/api/applications",
                                 "/api/no-such-endpoint"])
def test_oversized_body_is_a_json_413(client, tokens, url):
    body = b'{"comment": "' + b"x" * (6 * 2**20) + b'"}'
    assert_error_format(send(client, "post", url, body, tokens["staff"]), 413)


@pytest.mark.parametrize("method,url,status", [
    ("get", "/api/no-such-endpoint", 404), ("delete", "/api/applications", 405),
    ("get", "/api/applications/not-a-number", 404)])
def test_errors_django_answers_itself_are_json_too(client, tokens, method, url, status):
    assert_error_format(send(client, method, url, "", tokens["staff"]), status)


@pytest.mark.nodb
def test_openapi_lists_the_error_answers_of_every_operation():
    from promzona.api.main import api

    schema = json.loads(json.dumps(api.get_openapi_schema(path_params={}), default=str))
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            for status in ("400", "401", "413", "422"):
                assert answers[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ErrorOut"}, (method, path, status)
            if "{" in path:
                assert "404" in answers, (method, path)
            if method != "get" and path != "/api/match":
                assert "403" in answers, (method, path)


@pytest.mark.parametrize("query", ["status=draft&status=submitted", "status=a&status=a"])
def test_a_single_valued_query_parameter_given_twice_is_refused(client, tokens, query):
    assert_error_format(send(client, "get", f"/api/applications?{query}", "", tokens["staff"]), 422)


def test_too_many_query_fields_is_a_json_400(client, tokens):
    query = "&".join(f"f{i}=1" for i in range(3000))  # over DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert_error_format(client.get(f"/api/plots?{query}"), 400)


@pytest.mark.parametrize("length", ["abc", "-5", "1e9"])
def test_malformed_content_length_is_a_json_400(client, tokens, length):
    r = client.generic("POST", "/api/reservations", b"{}", content_type="application/json",
                       CONTENT_LENGTH=length, HTTP_AUTHORIZATION=f"Bearer {tokens['staff']}")
    assert_error_format(r, 400)


def test_a_crash_is_a_json_500(tokens, monkeypatch):
    def crash(user):
        raise RuntimeError("boom")

    monkeypatch.setattr("promzona.applications.api.applications_visible_to", crash)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    r = send(client, "get", "/api/applications", "", tokens["staff"])
    assert_error_format(r, 500)
    assert "boom" not in r.content.decode()


@pytest.mark.parametrize("url", ["/api/applications?status=nonsense", "/api/reservations?status=x"])
def test_unknown_status_filter_is_refused_not_an_empty_list(client, tokens, url):
    assert_error_format(send(client, "get", url, "", tokens["staff"]), 422)
