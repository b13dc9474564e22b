"""Request hygiene: NUL characters and a Content-Length that is not a number are a 400
(PostgreSQL, or the metrics middleware, would raise a server error); API errors Django or
ninja answer themselves come in the JSON error format."""

import json

import pytest

from promzona.applications.models import Application


@pytest.mark.parametrize("url", [
    "/plots/balkhash/a%00b/", "/ogc/collections/plots/items?code=a%00b", "/?area_min=1%00",
    "/api/applications?status=a%00", "/api/reservations?status=a%00", "/match/?sector=C%0025",
])
def test_nul_in_the_path_or_query_is_400(investor_client, url):
    assert investor_client.get(url).status_code == 400


def test_nul_in_a_json_body_is_400_in_the_error_format_and_writes_nothing(investor_client):
    n = Application.objects.count()
    body = {"project_name": "a\u0000b", "sector": "C25", "investment_kzt": 1, "jobs_planned": 1}
    r = investor_client.post("/api/applications", json.dumps(body),
                             content_type="application/json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    assert Application.objects.count() == n


def test_nul_in_a_form_is_400(client, demo):
    r = client.post("/accounts/login/", "username=demo%00staff&password=x",
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400


def test_ordinary_requests_pass(client, demo):
    assert client.get("/?area_min=1").status_code == 200


def test_a_wrong_method_on_the_api_is_405_in_the_error_format(client):
    r = client.delete("/api/match")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"
    assert "POST" in r["Allow"] and "POST" in r.json()["error"]["message"]


@pytest.mark.parametrize("length", ["12abc", "-5", "1e9", " 7", "\u0661\u0662"])
@pytest.mark.parametrize(("method", "url"), [
    ("get", "/"), ("post", "/accounts/login/"), ("post", "/en/applications/new/"),
    ("post", "/api/applications"),
])
def test_a_content_length_that_is_not_a_number_is_400_and_writes_nothing(
        investor_client, method, url, length):
    n = Application.objects.count()
    body = {"project_name": "P", "sector": "C25", "investment_kzt": 1, "jobs_planned": 1}
    if method == "get":
        r = investor_client.get(url, CONTENT_LENGTH=length)
    else:
        r = investor_client.post(url, json.dumps(body), content_type="application/json",
                                 CONTENT_LENGTH=length)
    assert r.status_code == 400
    if url.startswith("/api/"):
        assert r.json()["error"]["code"] == "invalid"
    assert Application.objects.count() == n
