"""The public portal's pages: status codes, filters, visibility, exports, bad input."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import zlib

import pytest
from django.core.cache import cache

from promzona.web import selectors as sel
from promzona.zones.models import Plot, UtilitySource, Zone
from tests.pages import page_html


def _codes(html: str) -> set[str]:
    pattern = r'data-id="\d+">\s*<input[^>]*>\s*<a[^>]*><strong>([A-Z0-9-]+)</strong>'
    return set(re.findall(pattern, html))


def test_home_lists_only_public_plots(demo, client):
    r = client.get("/")
    assert r.status_code == 200
    codes = _codes(r.content.decode())
    hidden = ["draft", "withdrawn"]
    public = set(Plot.objects.exclude(status__in=hidden).values_list("code", flat=True))
    assert codes == public and "BLK-07" not in codes and "BLK-12" not in codes
    assert b'id="map-data"' in r.content and b"leaflet/leaflet.js" in r.content


def test_home_links_downloads_that_hold_only_public_plots(demo, client):
    html = client.get("/").content.decode()
    links = re.findall(r'href="(/en/download/plots\.\w+)"', html)
    assert len(links) == 5 and '/ogc/"' in html
    geojson = client.get(next(u for u in links if u.endswith(".geojson")))
    codes = {f["properties"]["code"] for f in geojson.json()["features"]}
    assert codes == set(Plot.objects.exclude(status__in=["draft", "withdrawn"])
                        .values_list("code", flat=True))


def test_staff_sees_drafts_on_home(staff_client):
    assert "BLK-07" in _codes(staff_client.get("/").content.decode())


@pytest.mark.parametrize("query,check", [
    ("area_min=2", lambda p: p.declared_area_ha >= 2),
    ("area_max=2", lambda p: p.declared_area_ha <= 2),
    ("rail_spur=on", lambda p: p.rail_spur),
    ("hazard_class=3", lambda p: p.hazard_class_max <= 3),
    ("price_max=230000", lambda p: p.deal_lease and p.lease_price_kzt_ha_year <= 230000),
    ("status=reserved", lambda p: p.status == "reserved"),
])
def test_filter_narrows_list_to_matching_plots(demo, client, query, check):
    all_codes = _codes(client.get("/").content.decode())
    r = client.get(f"/?{query}&partial=list")
    assert r.status_code == 200
    codes = _codes(r.content.decode())
    expected = {p.code for p in Plot.objects.filter(code__in=all_codes) if check(p)}
    assert codes == expected
    assert codes != all_codes


def test_sector_filter_keeps_plots_permitting_it(demo, client):
    plot = Plot.objects.filter(status="published").exclude(permitted_sectors=None).first()
    sector = plot.permitted_sectors.first()
    codes = _codes(client.get(f"/?sector={sector.code}&partial=list").content.decode())
    assert plot.code in codes
    for p in Plot.objects.filter(code__in=codes):
        allowed = set(p.permitted_sectors.values_list("code", flat=True))
        assert not allowed or sector.code in allowed


def test_utility_filter_uses_free_capacity_at_serving_source(demo, client, today):
    # Gas is only planned at GRS-1 with no capacity: nobody can get 1 m³/h now.
    assert _codes(client.get("/?free_gas=1&partial=list").content.decode()) == set()
    some = _codes(client.get("/?free_power=1000&partial=list").content.decode())
    none = _codes(client.get("/?free_power=99999999&partial=list").content.decode())
    assert some and not none
    plots = sel.plots_filtered(None, {"free_water": 400}, today=today)
    assert {p.code for p in plots} <= some | _codes(client.get("/").content.decode())


@pytest.mark.parametrize("query", [
    "area_min=abc", "area_min=-1", "area_min=5&area_max=1", "hazard_class=9", "sector=ZZZ",
    "status=draft", "free_power=1e400", "price_max=" + "9" * 300, "area_min=NaN",
    "free_heat=Infinity", "hazard_class=1.5", "sector=" + "C" * 5000, "area_max=%00",
])
def test_bad_filter_is_400_not_500(demo, client, query):
    assert client.get(f"/?{query}").status_code == 400
    r = client.get(f"/?{query}&partial=list")
    assert r.status_code == 400 and b'class="error"' in r.content


def test_passport_shows_every_fact_and_utilities(demo, client):
    r = client.get("/plots/balkhash/BLK-01/")
    html = r.content.decode()
    assert r.status_code == 200
    plot = Plot.objects.get(code="BLK-01")
    for text in [plot.cadastral_number, "Survey report No. 1/SIZ (demo)", "Substation PS-2", "PO-",
                 "WA-", "PS-2 upgrade: +10,000\xa0kW", "\xa0kW<", "\xa0m³/day<", ">0.2<"]:
        assert text in html, text
    assert "/plots/balkhash/BLK-01/passport.pdf" in html


def test_stale_passport_is_flagged(demo, client):
    assert 'class="stale"' in client.get("/plots/balkhash/BLK-09/").content.decode()
    assert 'class="stale"' not in client.get("/plots/balkhash/BLK-01/").content.decode()


@pytest.mark.parametrize("url", [
    "/plots/balkhash/BLK-07/", "/plots/balkhash/BLK-12/", "/plots/balkhash/BLK-07/passport.pdf",
    "/plots/balkhash/NOPE/", "/plots/nozone/BLK-01/", "/zones/nozone/",
])
def test_unpublished_or_missing_is_404(demo, client, url):
    r = client.get(url)
    assert r.status_code == 404 and b"Back to the map" in r.content


def test_staff_may_open_draft_passport(staff_client):
    assert staff_client.get("/plots/balkhash/BLK-07/").status_code == 200


def _pdf_unicode_chars(pdf: bytes) -> set[str]:
    """Characters the PDF's embedded font subsets map to (their ToUnicode CMaps)."""
    chars = set()
    for m in re.finditer(rb"<<(.*?)>>\s*stream\r?\n(.*?)endstream", pdf, re.S):
        raw = m.group(2)
        if b"ASCII85Decode" in m.group(1):
            raw = base64.a85decode(raw.strip(), adobe=True)
        if b"FlateDecode" in m.group(1):
            raw = zlib.decompressobj().decompress(raw)
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", raw, re.S):
            for code in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4})>", block):
                chars.add(chr(int(code, 16)))
    return chars


def test_pdf_passport_embeds_dejavu_and_cyrillic(demo, client):
    r = client.get("/plots/balkhash/BLK-09/passport.pdf", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and b"DejaVuSans" in r.content and b"/FontFile2" in r.content
    assert "BLK-09" in r["Content-Disposition"]
    # The source document "Акт обследования …" is printed in the embedded DejaVu subset.
    assert set("Актобследования") <= _pdf_unicode_chars(r.content)
    kk = client.get("/kk/plots/balkhash/BLK-09/passport.pdf")
    assert set("Балқаш") <= _pdf_unicode_chars(kk.content)  # the zone's Kazakh name: қ


@pytest.mark.parametrize("code,disposition", [
    ('BLK"09;x', 'attachment; filename="passport-balkhash-BLK_09_x.pdf"'),
    ("БЛК-09", "attachment; filename*=utf-8''passport-balkhash-%D0%91%D0%9B%D0%9A-09.pdf"),
])
def test_a_passport_download_name_is_quoted_safely_whatever_the_code(demo, client, code,
                                                                      disposition):
    """A code from older data (codes are validated on input) cannot break the header."""
    from urllib.parse import quote

    Plot.objects.filter(code="BLK-09").update(code=code)
    r = client.get(f"/plots/balkhash/{quote(code)}/passport.pdf")
    assert r.status_code == 200 and r["Content-Disposition"] == disposition


def _ids(*codes):
    return ",".join(str(Plot.objects.get(code=c).pk) for c in codes)


def test_compare_highlights_differing_rows(demo, client, today):
    r = client.get(f"/compare/?plots={_ids('BLK-01', 'BLK-02')}")
    html = r.content.decode()
    assert r.status_code == 200 and "BLK-01" in html and "BLK-02" in html
    assert 'class="differs"' in html
    rows = sel.compare_rows([Plot.objects.get(code="BLK-01"), Plot.objects.get(code="BLK-02")],
                            today=today)
    assert any(r.differs for r in rows) and any(not r.differs for r in rows)
    power = next(r.values for r in rows if r.label.startswith("Power"))
    assert all(" m · " in x and "KZT" in x for x in power)
    area = next(r for r in rows if r.label == "Declared area, ha")
    assert area.values == [Plot.objects.get(code="BLK-01").declared_area_ha,
                           Plot.objects.get(code="BLK-02").declared_area_ha]
    assert area.shown == ["20.0000", "12.0000"]


def test_compare_exports_csv_and_xlsx(demo, client):
    ids = _ids("BLK-01", "BLK-02", "BLK-04")
    r = client.get(f"/compare/?plots={ids}&format=csv")
    table = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert table[0][1:] == ["BLK-01", "BLK-02", "BLK-04"] and len(table) > 10
    r = client.get(f"/compare/?plots={ids}&format=xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[1]][1:] == ["BLK-01", "BLK-02", "BLK-04"]
    assert ws.max_row == len(table)


@pytest.mark.parametrize("query,status", [
    ("", 400), ("plots=1", 400), ("plots=abc,1", 400), ("plots=1,2,3,4,5", 400),
    ("plots=" + "9" * 40 + ",1", 400), ("plots=999999,1", 404), ("plots=1,2&format=exe", 400),
    ("plots=%C2%B2,1", 400), ("plots=-1,2", 400), ("plots=1&plots=1", 400),
    ("plots=" + ",".join(["1"] * 5000) + ",2,3,4,5,6", 400),
])
def test_compare_bad_input_is_clear_error(demo, client, query, status):
    r = client.get(f"/compare/?{query}")
    assert r.status_code == status and b'class="error"' in r.content


def test_compare_refuses_unpublished_plot(demo, client):
    r = client.get(f"/compare/?plots={_ids('BLK-01', 'BLK-07')}")
    assert r.status_code == 404


def test_zone_page_summarises_free_land_and_capacity(demo, client):
    r = client.get("/zones/balkhash/")
    html = r.content.decode()
    assert r.status_code == 200
    summary = sel.zone_summary(None, demo)
    assert summary.free_plots == Plot.objects.filter(status="published").count()
    assert f"{summary.free_ha:.2f}" in html
    assert "Balkhash copper smelter" in html and "invest@balkhash.example" in html


def test_names_follow_language_with_russian_fallback(demo, client):
    assert "Balkhash small industrial zone" in client.get("/en/zones/balkhash/").content.decode()
    html = client.get("/kk/zones/balkhash/").content.decode()
    assert "«Балқаш» шағын индустриялық аймағы" in html
    assert "ПС-2 35/10 кВ қосалқы станциясы" in client.get("/kk/plots/balkhash/BLK-01/").content.decode()
    # A source without a Kazakh name: the passport falls back to Russian.
    from promzona.zones.services import feature_save

    ps2 = UtilitySource.objects.get(code="PS-2")
    ps2.name_kk = ""
    feature_save(actor=None, obj=ps2)
    assert "Подстанция ПС-2" in client.get("/kk/plots/balkhash/BLK-01/").content.decode()


def test_contacts_and_provenance_in_the_pages_language_or_marked_russian(demo, client):
    """Translated where the zone office wrote a translation; otherwise the Russian original,
    marked as Russian (lang="ru" and a note), never passed off as English."""
    html = client.get("/en/zones/balkhash/").content.decode()
    assert "Balkhash, Karaganda region" in html and "Balkhash (demo)" in html
    assert "г. Балхаш" not in html
    Zone.objects.filter(pk=demo.pk).update(contact_address_en="")
    html = client.get("/en/zones/balkhash/").content.decode()
    assert '<span lang="ru">г. Балхаш (демо)</span> <small class="fallback">(in Russian)</small>' in html
    html = client.get("/en/plots/balkhash/BLK-03/").content.decode()
    assert "Survey report No. 3/SIZ (demo)" in html and "Land Relations Department (demo)" in html
    assert "Warehouse of 600 m² (needs repair)" in html and "Акт обследования" not in html


def test_cached_home_follows_plot_changes_and_audience(demo, staff_client):
    from django.test import Client

    from promzona.zones.services import feature_save

    anon = Client()
    assert "BLK-01" in _codes(anon.get("/").content.decode())
    assert "BLK-07" in _codes(staff_client.get("/").content.decode())  # not the public body
    assert "BLK-07" not in _codes(anon.get("/").content.decode())
    plot = Plot.objects.get(code="BLK-01")
    plot.status = Plot.Status.WITHDRAWN
    feature_save(actor=None, obj=plot)
    assert "BLK-01" not in _codes(anon.get("/").content.decode())


@pytest.mark.nodb
@pytest.mark.parametrize("lang,texts", [
    ("en", ["—", "8.5\xa0kW", "4,500\xa0m³/day", "0", "0", "12.25", "1.5", "1,250,000"]),
    ("ru", ["—", "8,5\xa0кВт", "4\xa0500\xa0м³/сут", "0", "0", "12,25", "1,5", "1\xa0250\xa0000"]),
    ("kk", ["—", "8,5\xa0кВт", "4\xa0500\xa0м³/тәул", "0", "0", "12,25", "1,5", "1\xa0250\xa0000"]),
])
def test_numbers_and_units_follow_the_language(lang, texts):
    from django.utils import translation

    from promzona import l10n
    from promzona.web.templatetags.portal import qty

    with translation.override(lang):
        shown = [qty(None), qty("8.500", "kW"), qty(4500, "m³/day"), qty(0), qty("0.0004"),
                 qty(12.25), l10n.km(1549.0), l10n.money(1250000.4)]
    assert shown == texts


def _map_data(html: str) -> dict:
    return json.loads(html.split('id="map-data" type="application/json">', 1)[1].split("</script>")[0])


def test_tile_layers_only_when_configured_each_with_its_credit(demo, client, settings):
    assert _map_data(client.get("/").content.decode())["tiles"] == []
    settings.PROMZONA_TILE_URL = "https://tile.example.org/{z}/{x}/{y}.png"
    settings.PROMZONA_TILE_ATTRIBUTION = "© Example <b>maps</b>"
    settings.PROMZONA_SATELLITE_URL = "https://sat.example.org/{z}/{y}/{x}.jpg"
    cache.clear()  # settings do not change while the site runs; the page body was cached
    tiles = _map_data(client.get("/").content.decode())["tiles"]
    assert tiles == [
        {"name": "Streets", "url": "https://tile.example.org/{z}/{x}/{y}.png",
         "attribution": "© Example <b>maps</b>"},  # map.js escapes it: the credit is text
        {"name": "Satellite", "url": "https://sat.example.org/{z}/{y}/{x}.jpg", "attribution": ""}]


def test_cached_passport_follows_capacity_and_sectors(demo, client):
    from decimal import Decimal

    from promzona import l10n
    from promzona.zones.models import UtilitySource
    from promzona.zones.services import capacity_commit

    url = "/plots/balkhash/BLK-01/"
    vz = UtilitySource.objects.get(code="VZ-1")
    before = vz.free
    assert f">{l10n.qty(before, 'm³/day')}<" in client.get(url).content.decode()
    capacity_commit(actor=None, source=vz, amount=Decimal("123"), holder="test")
    html = client.get(url).content.decode()
    assert f">{l10n.qty(before - 123, 'm³/day')}<" in html
    assert f">{l10n.qty(before, 'm³/day')}<" not in html
    Plot.objects.get(code="BLK-01").permitted_sectors.set(["C25"])
    html = page_html(client.get(url))
    assert "C25" in html and "C23" not in html


def test_passport_of_a_free_plot_leads_to_an_application(demo, investor_client):
    free = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    taken = Plot.objects.filter(zone=demo, status="occupied").order_by("code").first()
    html = investor_client.get(f"/plots/{demo.slug}/{free.code}/").content.decode()
    link = re.search(r'href="(/en/applications/new/\?plot=\d+)"', html).group(1)
    form = investor_client.get(link).context["form"]
    assert form.initial["preferred_codes"] == free.code
    assert "/applications/new/" not in investor_client.get(
        f"/plots/{demo.slug}/{taken.code}/").content.decode()


def test_staff_reach_a_plots_history_and_admin_from_its_passport(demo, staff_client):
    from django.test import Client

    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    url = f"/plots/{demo.slug}/{plot.code}/"
    html = staff_client.get(url).content.decode()
    history = f"/applications/plots/{plot.pk}/history/"
    assert history in html and f"/admin/zones/plot/{plot.pk}/change/" in html
    assert staff_client.get(history).status_code == 200
    assert history not in Client().get(url).content.decode()


def test_cached_pages_follow_a_reservation_and_a_completed_line(demo, client):
    from promzona.zones.models import UtilityLine
    from promzona.zones.services import feature_save, plot_set_status

    plot = Plot.objects.get(code="BLK-01")
    url = "/plots/balkhash/BLK-01/"
    assert 'href="/en/applications/new/?plot=' in client.get(url).content.decode()
    client.get("/")  # both bodies cached now
    plot_set_status(actor=None, plot=plot, status="reserved")  # a queryset update, as reserving
    assert 'href="/en/applications/new/?plot=' not in client.get(url).content.decode()
    assert "badge st-reserved" in re.search(rf'data-id="{plot.pk}">.*?</li>',
                                            client.get("/").content.decode(), re.S).group(0)
    line = UtilityLine.objects.filter(zone=demo).exclude(status="existing").order_by("pk").first()
    before = client.get(url).content.decode()
    line.status, line.planned_completion = "existing", None
    feature_save(actor=None, obj=line)
    assert client.get(url).content.decode() != before


def test_unknown_api_path_is_404_in_the_error_format_and_site_paths_get_the_page(demo, client):
    r = client.get("/api/no-such-thing")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and "text/html" in page["Content-Type"]


@pytest.mark.parametrize("query,message", [
    ("area_min=5&area_max=1", "The minimum area is above the maximum."),
    ("area_min=abc", "Area from, ha: Enter a number."),
])
def test_a_bad_filter_says_what_is_wrong_without_field_codes(demo, client, query, message):
    html = client.get(f"/?{query}").content.decode()
    assert message in html and "__all__" not in html and "area_min:" not in html


def test_the_sector_filter_names_sectors_in_the_pages_language(demo, client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "C24.44 Мыс өндірісі" in html and "Производство меди" not in html
