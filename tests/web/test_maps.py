"""What the maps draw: the zone outline, lines and sources by kind and status, plots (on a
passport: the plot among the neighbours its visitor may see), and a legend of exactly that."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from promzona.web import maps
from promzona.zones.models import Plot, UtilityLine, UtilitySource, Zone

pytestmark = pytest.mark.django_db


def _data(html: str) -> dict:
    return json.loads(html.split('id="map-data" type="application/json">', 1)[1].split("</script>")[0])


def _legend(html: str) -> list[str]:
    block = html.split('<ul class="legend"', 1)[1].split("</ul>", 1)[0]
    return [item.split("</span>", 1)[1].split("</li>", 1)[0] for item in block.split("<li>")[1:]]


def test_the_home_map_has_lines_and_sources_of_every_kind_and_status(demo, client):
    data = _data(client.get("/").content.decode())
    lines = {(f["properties"]["kind"], f["properties"]["status"]) for f in data["lines"]["features"]}
    assert lines == set(UtilityLine.objects.values_list("kind", "status"))
    states = {f["properties"]["state"] for f in data["sources"]["features"]}
    assert states == {"available", "planned"}  # the gas station has no capacity yet
    assert [f["properties"]["name"] for f in data["zones"]["features"]] == [demo.name_en]
    assert {f["properties"]["kind"] for f in data["base"]["features"]} >= {"rail", "road", "town"}
    assert "focus" not in data


def test_a_source_label_says_its_free_capacity(demo):
    source = UtilitySource.objects.get(code="PS-2")
    label = next(f["properties"]["label"] for f in maps.utility_sources([demo])["features"]
                 if f["properties"]["label"].startswith("PS-2"))
    assert f"free {source.free:,.0f} of {source.capacity:,.0f} kW" in label  # English separators


def test_a_fully_committed_source_is_drawn_as_such(demo):
    source = UtilitySource.objects.get(code="KNS-1")
    UtilitySource.objects.filter(pk=source.pk).update(committed=source.capacity)
    states = {f["properties"]["label"].split(" ")[0]: f["properties"]["state"]
              for f in maps.utility_sources([demo])["features"]}
    assert states["KNS-1"] == "full" and states["GRS-1"] == "planned" and states["PS-1"] == "available"


def test_the_legend_names_what_the_map_draws_in_the_page_language(demo, client):
    legend = _legend(client.get("/").content.decode())
    assert legend[:4] == ["Free (published)", "Reserved", "Allocated", "Occupied"]
    for needed in ("Zone boundary", "Power (kW)", "Gas (m³/h)", "existing line",
                   "line under construction", "planned line", "source with free capacity",
                   "source planned, no capacity yet", "Railway"):
        assert needed in legend
    assert "source fully committed" not in legend  # none is, in the demo
    kk = _legend(Client().get("/kk/").content.decode())
    assert "Аймақ шекарасы" in kk and "Zone boundary" not in kk


def test_the_passport_map_shows_the_plot_among_the_neighbours_its_visitor_may_see(demo,
                                                                                  staff_client):
    plot = Plot.objects.get(code="BLK-06")
    draft = Plot.objects.filter(zone=demo, status="draft").first()
    url = f"/plots/balkhash/{plot.code}/"
    staff = _data(staff_client.get(url).content.decode())  # cached for staff first
    public = _data(Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/en{url}").content.decode())
    for data in (staff, public):
        assert data["focus"] == plot.pk
        assert [f["id"] for f in data["plots"]["features"] if f["properties"]["focus"]] == [plot.pk]
    assert draft.pk in {f["id"] for f in staff["plots"]["features"]}
    assert draft.pk not in {f["id"] for f in public["plots"]["features"]}
    legend = _legend(Client().get(f"/en{url}").content.decode())
    assert legend[:2] == ["This plot", "Other plots"] and "Free (published)" not in legend


def test_the_map_words_follow_the_page_language(demo):
    data = _data(Client().get("/kk/plots/balkhash/BLK-01/").content.decode())
    assert data["labels"]["layers"] == "Қабаттар" and data["labels"]["km"] == "км"
    assert data["labels"]["kind_power"].startswith("Электр")


def test_every_zone_and_line_of_several_zones_is_on_the_home_map(demo, client):
    other = Zone.objects.create(slug="second", name_ru="Вторая", kind="industrial_zone",
                                status="planned", municipality="x", geometry=demo.geometry)
    data = _data(client.get("/").content.decode())
    assert len(data["zones"]["features"]) == 2 and other.slug == "second"


def test_maps_open_on_the_zones_extent_when_they_show_no_plot(demo, client):
    data = _data(client.get("/").content.decode())
    assert data["extent"] == [[demo.min_lat, demo.min_lon], [demo.max_lat, demo.max_lon]]


def test_without_zones_maps_open_on_the_whole_country(demo, settings):
    from promzona.zones.selectors import zones_extent

    settings.PROMZONA_MAP_DEFAULT_BOUNDS = (40.5, 46.5, 55.5, 87.4)
    assert zones_extent([]) == [[40.5, 46.5], [55.5, 87.4]]
    Zone.objects.update(min_lat=None)  # zones without a geometry's bbox
    assert zones_extent() == [[40.5, 46.5], [55.5, 87.4]]
