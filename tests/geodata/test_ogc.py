"""OGC API Features under /ogc/: read by GDAL's OAPIF driver and owslib against a live server,
and by the test client for paging, bbox, filters, HTML and errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import shapely
from owslib.ogcapi.features import Features

from promzona.api.services import token_create, token_revoke
from promzona.zones.models import Plot
from promzona.zones.selectors import PUBLIC_PLOT_STATUSES


def _published():
    return {p.code: p for p in Plot.objects.filter(status__in=PUBLIC_PLOT_STATUSES)}


@pytest.mark.django_db(transaction=True)
def test_gdal_oapif_driver_reads_every_published_plot_and_no_other(live_server, demo):
    published = _published()
    hidden = set(Plot.objects.values_list("code", flat=True)) - set(published)
    assert hidden, "the demo has drafts or withdrawn plots to hide"
    result = _gdal_read(live_server.url)
    rows = result["plots"]
    assert sorted(r["code"] for r in rows) == sorted(published)
    assert not hidden & {r["code"] for r in rows}
    for row in rows:
        plot = published[row["code"]]
        assert row["name_ru"] == plot.name_ru and row["status"] == plot.status
        assert row["hazard_class_max"] == plot.hazard_class_max
        assert shapely.equals_exact(shapely.normalize(shapely.from_wkt(row["wkt"])),
                                    shapely.normalize(plot.shape()), 1e-7)
    assert set(result["layers"]) == {"zones", "plots", "utility-lines", "utility-sources"}


GDAL_CLIENT = """
import json, sys, pyogrio
url = "OAPIF:" + sys.argv[1] + "/ogc"
df = pyogrio.read_dataframe(url, layer="plots")
rows = [{"code": r["code"], "name_ru": r["name_ru"], "status": r["status"],
         "hazard_class_max": int(r["hazard_class_max"]), "wkt": r.geometry.wkt}
        for _, r in df.iterrows()]
print(json.dumps({"plots": rows, "layers": [str(n) for n, _ in pyogrio.list_layers(url)]}))
"""


def _gdal_read(url: str) -> dict:
    """GDAL's OAPIF driver in its own process: pyogrio holds the GIL while reading, which
    would starve the live server's thread in this process."""
    out = subprocess.run([sys.executable, "-c", GDAL_CLIENT, url], capture_output=True,
                         text=True, timeout=120, check=True)
    return json.loads(out.stdout)


@pytest.mark.django_db(transaction=True)
def test_owslib_reads_collections_and_items(live_server, demo):
    api = Features(live_server.url + "/ogc")
    assert {c["id"] for c in api.collections()["collections"]} == {
        "zones", "plots", "utility-lines", "utility-sources"}
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in \
        api.conformance()["conformsTo"]
    published = _published()
    got = api.collection_items("plots", limit=1000)
    assert {f["properties"]["code"] for f in got["features"]} == set(published)
    assert got["numberMatched"] == len(published)
    one = got["features"][0]
    assert api.collection_item("plots", str(one["id"]))["properties"]["code"] == \
        one["properties"]["code"]
    sources = api.collection_items("utility-sources")["features"]
    assert sources and all(f["geometry"]["type"] == "Point" for f in sources)


def test_paging_follows_next_links_to_every_published_plot(client, demo):
    seen, url = [], "/ogc/collections/plots/items?limit=5"
    while url:
        doc = client.get(url).json()
        assert doc["numberReturned"] <= 5
        seen += [f["properties"]["code"] for f in doc["features"]]
        nxt = [ln["href"] for ln in doc["links"] if ln["rel"] == "next"]
        url = nxt[0].replace("http://testserver", "") if nxt else None
    assert sorted(seen) == sorted(_published())


def test_bbox_and_property_filters(client, demo):
    plot = Plot.objects.filter(status="published").order_by("code").first()
    x0, y0, x1, y1 = plot.shape().bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    doc = client.get(f"/ogc/collections/plots/items?bbox={cx},{cy},{cx + 1e-6},{cy + 1e-6}").json()
    assert [f["properties"]["code"] for f in doc["features"]] == [plot.code]
    doc = client.get("/ogc/collections/plots/items?status=published&limit=100").json()
    assert doc["numberMatched"] == Plot.objects.filter(status="published").count()
    assert {f["properties"]["status"] for f in doc["features"]} == {"published"}
    assert client.get("/ogc/collections/plots/items?status=draft").json()["numberMatched"] == 0
    doc = client.get("/ogc/collections/plots/items?rail_spur=true&limit=100").json()
    assert doc["features"] and all(f["properties"]["rail_spur"] for f in doc["features"])
    assert client.get("/ogc/collections/plots/items?rail_spur=maybe").json()["numberMatched"] == 0


def test_anonymous_cannot_fetch_a_draft_but_staff_can(client, staff_client, demo):
    draft = Plot.objects.filter(status="draft").first()
    url = f"/ogc/collections/plots/items/{draft.pk}"
    from django.test import Client

    assert Client().get(url).status_code == 404
    assert staff_client.get(url).json()["properties"]["code"] == draft.code
    assert staff_client.get("/ogc/collections/plots/items?status=draft").json()["numberMatched"]


def test_bearer_token_shows_staff_data_and_bad_or_revoked_token_is_401(client, staff_user, demo):
    draft = Plot.objects.filter(status="draft").first()
    url = f"/ogc/collections/plots/items/{draft.pk}"
    key = token_create(actor=staff_user, user=staff_user)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert client.get(url, HTTP_AUTHORIZATION="Bearer nonsense").status_code == 401
    from promzona.api.models import ApiToken

    token_revoke(actor=staff_user, token_id=ApiToken.objects.latest("pk").pk)
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.parametrize("query", ["limit=0", "limit=-3", "limit=abc", "offset=-1",
                                   "bbox=1,2,3", "bbox=a,b,c,d", "bbox=0,5,1,2", "bbox=nan,0,1,1",
                                   "f=xml", "limit=²", "offset=²", "offset=9999999999999999999",
                                   "statuss=published", "foo=bar"])
def test_malformed_parameters_are_400_with_a_description(query, client, demo):
    r = client.get(f"/ogc/collections/plots/items?{query}")
    assert r.status_code == 400 and r.json()["code"] == "400" and r.json()["description"]


def test_unicode_digits_in_ids_and_filters_match_nothing(client, demo):
    assert client.get("/ogc/collections/plots/items/²").status_code == 404
    r = client.get("/ogc/collections/plots/items?hazard_class_max=²")
    assert r.status_code == 200 and r.json()["numberMatched"] == 0


def test_html_responses_and_unknown_collection(client, demo):
    r = client.get("/ogc/collections/plots/items?limit=3", HTTP_ACCEPT="text/html")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/html")
    assert "BLK-01" in r.content.decode()
    assert client.get("/ogc?f=html").status_code == 200
    assert "core" in client.get("/ogc/conformance?f=html").content.decode()
    assert client.get("/ogc/collections/nothing/items").status_code == 404
    assert client.get("/ogc/collections/plots/items/abc").status_code == 404
    huge = client.get("/ogc/collections/plots/items?limit=99999999").json()
    assert huge["numberReturned"] == huge["numberMatched"]
    doc = client.get("/ogc/collections/plots").json()
    assert doc["extent"]["spatial"]["bbox"][0][0] > 74


def test_html_speaks_the_readers_language_and_json_keeps_the_codes(client, demo):
    """The HTML browser names fields and coded values in the reader's language (no "This
    document", no "published"); the JSON a GIS reads keeps property keys and codes."""
    html = client.get("/ogc?f=html", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "This document" not in html and "Этот документ" in html
    html = client.get("/ogc/collections/plots/items?limit=3&f=html",
                      HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert ">статус<" in html and ">Свободен (опубликован)<" in html
    assert ">published<" not in html and ">status<" not in html
    item = client.get("/ogc/collections/plots/items?limit=1").json()["features"][0]
    assert item["properties"]["status"] == "published"
    assert client.get("/ogc").json()["links"][0]["title"] == "This document"
