"""POST /api/match over the demo: shapes, schema, visibility, hostile input."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from promzona.zones.models import Plot

BODY = {"sector": "C25", "area_ha": {"min": 1, "max": 5},
        "needs": {"power_kw": 500, "water_m3_day": 20, "sewage_m3_day": 10, "heat_gcal_h": 0,
                  "gas_m3_h": 0},
        "rail_spur": False, "hazard_class": 4, "horizon_years": 10, "start_by": "2027-06-01"}


def post(client, body, **kw):
    return client.post("/api/match", data=json.dumps(body), content_type="application/json", **kw)


@pytest.fixture
def schema(client):
    spec = client.get("/api/openapi.json").json()
    return {"$ref": "#/components/schemas/MatchOut", "components": spec["components"]}


def test_answer_validates_against_openapi_schema_and_partitions_visible_plots(demo, client, schema):
    r = post(client, BODY)
    assert r.status_code == 200, r.content
    data = r.json()
    jsonschema.validate(data, schema)
    assert data["results"], "the demo has plots for C25"
    res = {x["plot_id"] for x in data["results"]}
    exc = {x["plot_id"] for x in data["excluded"]}
    visible = set(Plot.objects.exclude(status__in=["draft", "withdrawn"]).values_list("id", flat=True))
    assert not res & exc and res | exc == visible
    top = data["results"][0]
    assert top["rank"] == 1 and top["utilities"] and top["explanation"]
    b = top["cost_breakdown"]
    assert top["cost_of_location_kzt"] == pytest.approx(
        b["land_kzt"] + b["connections_kzt"] + b["utilities_kzt"] + b["incentives_kzt"], abs=1)


def test_staff_also_sees_drafts(staff_client):
    data = post(staff_client, BODY).json()
    ids = {x["plot_id"] for x in data["results"]} | {x["plot_id"] for x in data["excluded"]}
    assert ids == set(Plot.objects.values_list("id", flat=True))
    draft = Plot.objects.filter(status="draft").first()
    [entry] = [x for x in data["excluded"] if x["plot_id"] == draft.pk]
    assert entry["reasons"][0]["code"] == "status"


def test_unserved_sector_leaves_every_plot_out_with_reasons(demo, client):
    data = post(client, {**BODY, "sector": "C24.44"}).json()  # the smelter: no plot permits it
    assert data["results"] == []
    assert all(x["reasons"] for x in data["excluded"])


def test_index_follows_data_changes(demo, client):
    before = {x["plot_id"] for x in post(client, BODY).json()["results"]}
    Plot.objects.filter(pk__in=before).update(status="withdrawn")
    after = post(client, BODY).json()
    assert not before & {x["plot_id"] for x in after["results"]}


@pytest.mark.parametrize("body", [
    {"sector": "C25", "needs": {"power_kw": -5}},
    {"sector": "<script>"},
    {"sector": "C25", "hazard_class": 9},
    {"sector": "C25", "area_ha": {"min": 9, "max": 1}},
    {"sector": "C25", "needs": {"power_kw": 1e300}},
    {"sector": "C25", "weights": {"cost": 0, "time": 0, "logistics": 0, "sector": 0, "anchor": 0,
                                  "area": 0}},
])
def test_bad_request_is_400_with_error_format(demo, client, body):
    r = post(client, body)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "invalid"
    spec = client.get("/api/openapi.json").json()
    jsonschema.validate(r.json(), {"$ref": "#/components/schemas/ErrorOut",
                                   "components": spec["components"]})


@pytest.mark.parametrize("lang,message", [
    ("ru", "«needs.power_kw» должно быть числом от 0 до 1\xa0000\xa0000\xa0000."),
    ("kk", "1\xa0000\xa0000\xa0000"),
    ("en", "'needs.power_kw' must be a number from 0 to 1,000,000,000."),
])
def test_a_refused_numbers_bounds_are_written_as_the_language_writes_numbers(demo, client, lang,
                                                                             message):
    r = post(client, {"sector": "C25", "needs": {"power_kw": 1e300}}, HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 400 and message in r.json()["error"]["message"]


@pytest.mark.parametrize("raw", ["", "[]", "{", '{"needs": {}}', '{"sector": "C25", "horizon_years": "x"}',
                                 '{"sector": "C25", "start_by": "tomorrow"}'])
def test_malformed_body_is_4xx(demo, client, raw):
    r = client.post("/api/match", data=raw, content_type="application/json")
    assert 400 <= r.status_code < 500
    assert "error" in r.json()


def test_oversized_sector_is_refused(demo, client):
    r = post(client, {"sector": "C" * 100_000})
    assert r.status_code in (400, 422)


def test_anonymous_machine_client_needs_no_csrf_token(demo):
    from django.test import Client

    r = post(Client(enforce_csrf_checks=True), BODY)
    assert r.status_code == 200 and r.json()["results"]


def test_token_caller_is_identified(demo, client):
    from django.contrib.auth import get_user_model

    from promzona.api.services import token_create

    staff = get_user_model().objects.get(username="demo-staff")
    token = token_create(actor=staff, user=staff)
    data = post(client, BODY, HTTP_AUTHORIZATION=f"Bearer {token}").json()
    draft = Plot.objects.filter(status="draft").values_list("id", flat=True)
    assert set(draft) <= {x["plot_id"] for x in data["excluded"]}


def test_bad_or_revoked_token_is_401_not_anonymous(demo, client):
    from django.contrib.auth import get_user_model

    from promzona.api.models import ApiToken
    from promzona.api.services import token_create, token_revoke

    staff = get_user_model().objects.get(username="demo-staff")
    token = token_create(actor=staff, user=staff)
    token_revoke(actor=staff, token_id=ApiToken.objects.filter(user=staff).latest("pk").pk)
    for header in (f"Bearer {token}", "Bearer forged", "Basic Zm9vOmJhcg=="):
        r = post(client, BODY, HTTP_AUTHORIZATION=header)
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated", header


def test_unknown_sector_is_400(demo, client):
    r = post(client, {**BODY, "sector": "Z99"})
    assert r.status_code == 400 and r.json()["error"]["details"] == {"field": "sector"}
    assert post(client, {**BODY, "sector": "C25.11"}).status_code == 200  # child of a known code


@pytest.mark.parametrize("change", [
    {"needs": {"power_kW": 1e9}}, {"needs": [500]}, {"needs": "x"}, {"foo": 1},
    {"area_ha": {"minimum": 100}}, {"rail_spur": "yes"}, {"rail_spur": 1},
])
def test_unknown_or_loosely_typed_fields_are_refused_not_ignored(demo, client, change):
    r = post(client, {**BODY, **change})
    assert r.status_code in (400, 422) and r.json()["error"]["message"]


def test_sentences_use_the_languages_number_format(demo):
    from django.test import Client

    ru = post(Client(HTTP_ACCEPT_LANGUAGE="ru"), BODY).json()["results"][0]["explanation"][0]
    en = post(Client(HTTP_ACCEPT_LANGUAGE="en"), BODY).json()["results"][0]["explanation"][0]
    assert "220,000" in en and "1.20" in en
    assert "220\xa0000" in ru and "1,20" in ru and "220,000" not in ru


def _all_pages(client, key, size):
    """Every entry of ``key`` ("results" or "excluded"), fetched ``size`` at a time."""
    prefix = "" if key == "results" else "excluded_"
    out, offset = [], 0
    while True:
        r = client.post(f"/api/match?{prefix}limit={size}&{prefix}offset={offset}",
                        data=json.dumps(BODY), content_type="application/json")
        assert r.status_code == 200, r.content
        page = r.json()[key]
        assert len(page) <= size
        out += page
        if len(page) < size:
            return out, r.json()
        offset += size


def test_pages_of_one_add_up_to_the_whole_answer_in_rank_order(demo, client, schema):
    whole = client.post("/api/match?limit=1000&excluded_limit=1000", data=json.dumps(BODY),
                        content_type="application/json").json()
    jsonschema.validate(whole, schema)
    results, last = _all_pages(client, "results", 1)
    excluded, _ = _all_pages(client, "excluded", 2)
    assert results == whole["results"] and excluded == whole["excluded"]
    assert [x["rank"] for x in results] == list(range(1, len(results) + 1))
    assert (last["results_total"], last["excluded_total"]) == (len(results), len(excluded))
    visible = Plot.objects.exclude(status__in=["draft", "withdrawn"]).count()
    assert whole["results_total"] + whole["excluded_total"] == visible


def test_exclusions_are_counted_by_reason_code(demo, staff_client):
    data = staff_client.post("/api/match?limit=0&excluded_limit=1000", data=json.dumps(BODY),
                             content_type="application/json").json()
    assert data["results"] == [] and data["results_total"] > 0
    counted: dict[str, int] = {}
    for x in data["excluded"]:
        for code in {r["code"] for r in x["reasons"]}:
            counted[code] = counted.get(code, 0) + 1
    assert data["excluded_by_reason"] == counted and counted["status"] >= 1


def test_the_default_answer_is_a_first_page_of_fifty(demo, client):
    data = post(client, BODY).json()
    assert (data["limit"], data["offset"], data["excluded_limit"], data["excluded_offset"]) == (
        50, 0, 50, 0)
    assert len(data["results"]) == min(50, data["results_total"])


def test_an_offset_past_the_end_gives_an_empty_page_and_the_totals(demo, client):
    r = client.post("/api/match?offset=100000&excluded_offset=100000", data=json.dumps(BODY),
                    content_type="application/json")
    data = r.json()
    assert r.status_code == 200 and data["results"] == [] and data["excluded"] == []
    assert data["results_total"] + data["excluded_total"] > 0


@pytest.mark.parametrize("query", [
    "limit=-1", "limit=1001", "limit=abc", "limit=1.5", "limit=", "limit=99999999999999999999",
    "offset=-5", "offset=1e3", "excluded_limit=-1", "excluded_limit=100000",
    "excluded_offset=-1", "excluded_offset=x", "limit=1&limit=2",
])
def test_bad_paging_is_a_clear_422_and_records_nothing(demo, investor_client, query):
    from promzona.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    r = investor_client.post(f"/api/match?{query}", data=json.dumps(BODY),
                             content_type="application/json")
    assert r.status_code == 422, r.content
    error = r.json()["error"]
    assert error["code"] == "invalid" and error["details"]
    assert AuditEntry.objects.count() == before


def test_documented_body_is_the_strict_request_model(client):
    """The body the API documents is the model that parses it: every object refuses unknown
    keys, and the fields are the model's."""
    from promzona.core.matching import MatchRequest

    spec = client.get("/api/openapi.json").json()
    body = spec["paths"]["/api/match"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/MatchRequest"}
    schemas = spec["components"]["schemas"]
    documented = schemas["MatchRequest"]
    assert set(documented["properties"]) == set(MatchRequest.model_fields)
    assert documented["required"] == ["sector"]
    for name in ("MatchRequest", "AreaRange", "Needs", "MaxDistance", "Weights", "Assumptions"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["Needs"]["properties"]["power_kw"]["maximum"] == 1e9
    jsonschema.validate(BODY, {"$ref": "#/components/schemas/MatchRequest", "components": {
        "schemas": schemas}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**BODY, "needs": {"power_kW": 1}}, {
            "$ref": "#/components/schemas/MatchRequest", "components": {"schemas": schemas}})


@pytest.mark.parametrize("lang, change, words", [
    ("ru", {"area_ha": {"min": 9, "max": 1}}, "больше"),
    ("kk", {"area_ha": {"min": 9, "max": 1}}, "үлкен"),
    ("ru", {"needs": {"power_kw": -1}}, "needs.power_kw"),
    ("ru", {"foo": 1}, "foo"),
])
def test_refusal_names_the_field_in_the_callers_language(demo, client, lang, change, words):
    r = post(client, {**BODY, **change}, HTTP_ACCEPT_LANGUAGE=lang)
    message = r.json()["error"]["message"]
    assert r.status_code == 400 and words in message
    assert not re.search(r"\b(must|larger|Unknown)\b", message), message
