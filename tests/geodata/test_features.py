"""The features' one encoder (stored GeoJSON spliced in, columns read as they are) against a
reference built from the model instances, on plots with awkward values."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import shapely
from django.test import Client

from promzona.core import geometry as geo
from promzona.geodata import features as feat
from promzona.zones.models import Plot, Sector
from promzona.zones.selectors import PUBLIC_PLOT_STATUSES
from promzona.zones.services import feature_save

AWKWARD = ['Участок "Северный"', "Қазақ тілі: ә, ғ, қ, ң, ө, ұ, ү, һ, і", "line one\nline two\ttab",
           'back\\slash and "quotes"', "</script><b>bold</b>", "emoji 🏭 and \u2028 separator", ""]


def _shapes(zone, rng: random.Random) -> list:
    """Polygons with holes, multipolygons and plain boxes, inside ``zone``."""
    cx, cy = zone.shape().representative_point().coords[0]
    out = []
    for k in range(12):
        x, y = cx + rng.uniform(-2e-4, 2e-4), cy + rng.uniform(-2e-4, 2e-4)
        box = shapely.box(x, y, x + 1.23456789e-4, y + 9.87654321e-5)
        if k % 3 == 1:
            box = box.difference(shapely.box(x + 3e-5, y + 3e-5, x + 6e-5, y + 6e-5))
        elif k % 3 == 2:
            box = shapely.MultiPolygon([box, shapely.box(x + 2e-4, y, x + 2.5e-4, y + 5e-5)])
        out.append(box)
    return out


def _make_plots(zone, seed: int = 16) -> list[Plot]:
    rng = random.Random(seed)
    sectors = list(Sector.objects.values_list("pk", flat=True)[:4])
    made = []
    for k, shape in enumerate(_shapes(zone, rng)):
        text = AWKWARD[k % len(AWKWARD)]
        priced = k % 2 == 0
        plot = Plot(
            zone=zone, code=f"AWK-{k:02d}", status=["published", "draft", "occupied"][k % 3],
            name_ru=text, name_kk=AWKWARD[(k + 1) % len(AWKWARD)], name_en=text[::-1],
            declared_area_ha=Decimal(rng.randint(1, 10**6)) / 10**4,
            land_category="industrial", ownership="state", hazard_class_max=1 + k % 5,
            deal_lease=priced, lease_price_kzt_ha_year=Decimal("1234.56") * k if priced else None,
            deal_sale=k % 4 == 0, sale_price_kzt=Decimal("99999999.99") if k % 4 == 0 else None,
            existing_buildings=text, rail_spur=k % 2 == 1,
            available_from=dt.date(2026, 1 + k % 12, 1) if k % 3 else None,
            source_document=text, verified_by=text,
            verified_at=dt.date(2025, 12, 31) if k % 2 else None,
            needs_reverification=k % 5 == 0,
            geometry=geo.to_geojson(shape),
        )
        plot = feature_save(actor=None, obj=plot)
        plot.permitted_sectors.set(sectors[: k % (len(sectors) + 1)])
        made.append(plot)
    return made


def _num(v) -> float | None:
    return None if v is None else float(v)


def _reference(plot: Plot) -> dict:
    """The feature the contract promises, from the model instance."""
    plot = Plot.objects.get(pk=plot.pk)
    area = plot.computed_area_ha if plot.computed_area_ha is not None else plot.declared_area_ha
    return {"type": "Feature", "id": plot.pk, "geometry": plot.geometry, "properties": {
        "code": plot.code, "zone": plot.zone.slug, "status": plot.status,
        "name_ru": plot.name_ru, "name_kk": plot.name_kk, "name_en": plot.name_en,
        "cadastral_number": plot.cadastral_number, "area_ha": _num(area),
        "declared_area_ha": _num(plot.declared_area_ha),
        "computed_area_ha": _num(plot.computed_area_ha), "area_mismatch": plot.area_mismatch,
        "land_category": plot.land_category, "hazard_class_max": plot.hazard_class_max,
        "ownership": plot.ownership,
        "permitted_sectors": sorted(plot.permitted_sectors.values_list("pk", flat=True)),
        "rail_spur": plot.rail_spur, "deal_lease": plot.deal_lease,
        "lease_price_kzt_ha_year": _num(plot.lease_price_kzt_ha_year),
        "deal_sale": plot.deal_sale, "sale_price_kzt": _num(plot.sale_price_kzt),
        "deal_free_use": plot.deal_free_use, "existing_buildings": plot.existing_buildings,
        "available_from": plot.available_from and plot.available_from.isoformat(),
        "dist_rail_m": plot.dist_rail_m, "dist_road_m": plot.dist_road_m,
        "dist_airport_m": plot.dist_airport_m, "dist_town_centre_m": plot.dist_town_centre_m,
        "source_document": plot.source_document, "verified_by": plot.verified_by,
        "verified_at": plot.verified_at and plot.verified_at.isoformat(),
        "needs_reverification": plot.needs_reverification,
    }}


def _assert_same(got: dict, want: dict) -> None:
    assert set(got) == set(want) and got["id"] == want["id"]
    assert list(got["properties"]) == list(want["properties"])
    for key, value in want["properties"].items():
        assert got["properties"][key] == value, key
        assert type(got["properties"][key]) is type(value), key
    assert got["geometry"] == want["geometry"]  # every coordinate exactly as stored


def test_awkward_plots_fast_features_equal_the_model_reference(demo, staff_user):
    made = _make_plots(demo)
    types = {p.geometry["type"] for p in made}
    assert types == {"Polygon", "MultiPolygon"}
    assert any(len(p.geometry["coordinates"]) == 2 for p in made if p.geometry["type"] == "Polygon")
    ids = [p.pk for p in made]
    texts = feat.feature_texts("plots", Plot.objects.filter(pk__in=ids).order_by("pk"))
    assert len(texts) == len(made)
    for text, plot in zip(texts, made, strict=True):
        _assert_same(json.loads(text), _reference(plot))

    staff = Client()
    staff.force_login(staff_user)
    doc = staff.get("/ogc/collections/plots/items?limit=10000",
                    HTTP_ACCEPT="application/geo+json").json()
    by_id = {f["id"]: f for f in doc["features"]}
    assert doc["numberMatched"] == doc["numberReturned"] == Plot.objects.count()
    for plot in made:
        _assert_same(by_id[plot.pk], _reference(plot))

    public = Client().get("/ogc/collections/plots/items?limit=10000&f=json").json()
    shown = {f["id"] for f in public["features"]}
    assert {p.pk for p in made if p.status in PUBLIC_PLOT_STATUSES} <= shown
    assert not {p.pk for p in made if p.status not in PUBLIC_PLOT_STATUSES} & shown
    assert public["numberMatched"] == Plot.objects.filter(status__in=PUBLIC_PLOT_STATUSES).count()
    api = {f["id"]: f for f in Client().get("/api/plots").json()["features"]}
    assert api.keys() == shown
    for plot in made:
        if plot.pk in shown:
            _assert_same(api[plot.pk], _reference(plot))


def test_collection_text_is_the_document_with_its_features():
    doc = {"type": "FeatureCollection", "features": ["ignored"], "numberMatched": 2,
           "links": [{"href": "http://x/?a=\"b\"", "title": "Ещё"}]}
    texts = ['{"type":"Feature","id":1,"geometry":null,"properties":{"a":"\\n"}}'] * 2
    got = json.loads(feat.collection_text(doc, texts))
    assert got == {**doc, "features": [json.loads(texts[0])] * 2}
    assert json.loads(feat.collection_text({"type": "FeatureCollection"}, [])) == {
        "type": "FeatureCollection", "features": []}


def test_count_follows_every_write_and_each_callers_visibility(demo, staff_user):
    def matched(client, query=""):
        return client.get(f"/ogc/collections/plots/items?limit=1{query}",
                          HTTP_ACCEPT="application/geo+json").json()["numberMatched"]

    staff = Client()
    staff.force_login(staff_user)
    public, total = matched(Client()), matched(staff)
    assert public == Plot.objects.filter(status__in=PUBLIC_PLOT_STATUSES).count() < total
    draft = Plot.objects.filter(status="draft").first()
    draft.status = "published"
    feature_save(actor=None, obj=draft)
    assert matched(Client()) == public + 1 and matched(staff) == total
    Plot.objects.filter(pk=draft.pk).update(status="withdrawn")  # a bulk write, no signal
    assert matched(Client()) == public and matched(staff) == total
    assert matched(Client(), "&status=draft") == 0 < matched(staff, "&status=draft")
    assert matched(Client(), "&rail_spur=maybe&offset=5") == 0
