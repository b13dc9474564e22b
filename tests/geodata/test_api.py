"""The JSON API for plots, zones and utilities: visibility, GeoJSON shape, errors, tokens."""

from __future__ import annotations

from django.test import Client

from promzona.api.models import ApiToken
from promzona.api.services import token_create, token_revoke
from promzona.zones.models import Plot, UtilityLine, UtilitySource
from promzona.zones.selectors import PUBLIC_PLOT_STATUSES


def test_anonymous_gets_published_plots_as_geojson_with_the_contract_properties(client, demo):
    doc = client.get("/api/plots").json()
    assert doc["type"] == "FeatureCollection"
    codes = {f["properties"]["code"] for f in doc["features"]}
    assert codes == set(Plot.objects.filter(status__in=PUBLIC_PLOT_STATUSES)
                        .values_list("code", flat=True))
    f = doc["features"][0]
    plot = Plot.objects.get(pk=f["id"])
    for key in ("code", "zone", "status", "area_ha", "hazard_class_max", "permitted_sectors",
                "rail_spur"):
        assert key in f["properties"]
    assert f["properties"]["zone"] == "balkhash" and f["geometry"]["type"] == "Polygon"
    assert sorted(f["properties"]["permitted_sectors"]) == sorted(
        plot.permitted_sectors.values_list("code", flat=True))


def test_unpublished_plot_is_404_for_anonymous_and_investor_but_not_staff(
        investor_client, demo):
    draft = Plot.objects.filter(status="draft").first()
    r = Client().get(f"/api/plots/{draft.pk}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert investor_client.get(f"/api/plots/{draft.pk}").status_code == 404
    staff = Client()
    staff.login(username="demo-staff", password="balkhash-demo-2026")
    assert staff.get(f"/api/plots/{draft.pk}").json()["properties"]["code"] == draft.code
    listed = staff.get("/api/plots").json()["features"]
    assert draft.code in {f["properties"]["code"] for f in listed}
    assert Client().get("/api/plots/999999").status_code == 404
    r = Client().get("/api/plots/not-a-number")
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid"


def test_token_sees_staff_data_bad_and_revoked_tokens_are_401(client, staff_user, demo):
    draft = Plot.objects.filter(status="draft").first()
    key = token_create(actor=staff_user, user=staff_user)
    ok = client.get(f"/api/plots/{draft.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    bad = client.get("/api/plots", HTTP_AUTHORIZATION="Bearer x" * 500)
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "unauthenticated"
    token_revoke(actor=staff_user, token_id=ApiToken.objects.latest("pk").pk)
    assert client.get("/api/plots", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_zones_sources_and_lines(client, demo):
    zones = client.get("/api/zones").json()["features"]
    assert [z["properties"]["slug"] for z in zones] == ["balkhash"]
    sources = client.get("/api/utility-sources").json()["features"]
    assert len(sources) == UtilitySource.objects.count()
    assert all(s["properties"]["free"] == s["properties"]["capacity"] - s["properties"]["committed"]
               for s in sources)
    lines = client.get("/api/utility-lines").json()["features"]
    assert len(lines) == UtilityLine.objects.count()
    assert all(ln["geometry"]["type"] in ("LineString", "MultiLineString") for ln in lines)


def test_openapi_lists_the_geodata_paths(client, demo):
    paths = client.get("/api/openapi.json").json()["paths"]
    for p in ("/api/plots", "/api/plots/{plot_id}", "/api/zones", "/api/utility-sources",
              "/api/utility-lines"):
        assert p in paths
