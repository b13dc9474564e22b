"""Every answer carries the Content-Security-Policy and the Permissions-Policy; no template has an
inline script, style or event handler the policy would (rightly) block."""

from __future__ import annotations

import pathlib
import re

import pytest

SRC = pathlib.Path(__file__).parents[1] / "src" / "promzona"

PAGES = [
    ("/", 200), ("/plots/balkhash/BLK-03/", 200), ("/zones/balkhash/", 200), ("/match/", 200),
    ("/accounts/login/", 200), ("/api/docs", 200), ("/api/openapi.json", 200),
    ("/api/health", 200), ("/ogc/?f=html", 200), ("/download/plots.geojson", 200),
    ("/plots/balkhash/BLK-03/passport.pdf", 200), ("/admin/login/", 200),
    ("/no-such-page/", 404), ("/api/nothing", 404), ("/compare/?plots=x", 400),
    ("/match/?sector=%00", 400), ("/staff/import/", 302),
]


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path, status", PAGES)
def test_every_answer_carries_both_policies(client, demo, path, status):
    r = client.get(path)
    assert r.status_code == status
    policy = _directives(r["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]  # no tile server configured
    assert "camera=()" in r["Permissions-Policy"] and "geolocation=()" in r["Permissions-Policy"]


@pytest.mark.django_db
def test_a_refused_host_still_gets_the_policies(client):
    r = client.get("/", HTTP_HOST="evil.example")
    assert r.status_code == 400 and "script-src 'self'" in r["Content-Security-Policy"]


@pytest.mark.django_db
def test_api_docs_load_swagger_ui_from_our_static_files(client):
    html = client.get("/api/docs").content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert scripts == ["/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui-init.js"]
    assert "http" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', html))
    assert '"validatorUrl": null' in html  # no badge fetched from swagger.io


#: In templates: a script without ``src`` (other than a JSON data block), a style element or
#: attribute, an ``on…=`` handler, a ``javascript:`` URL.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style\b|\sstyle=|"
    r"\son[a-z]+\s*=|javascript:", re.I)


@pytest.mark.nodb
def test_no_template_has_inline_script_style_or_handler():
    found = [f"{path.relative_to(SRC)}: {m.group(0)}"
             for path in SRC.rglob("templates/**/*.html")
             for m in INLINE.finditer(path.read_text())]
    assert found == []


@pytest.mark.nodb
@pytest.mark.parametrize("snippet", ['<script>x()</script>', '<p style="color:red">',
                                     "<a onclick='x()'>", '<a href="javascript:x()">',
                                     "<style>p{}</style>"])
def test_the_template_scan_notices_inline_code(snippet):
    assert INLINE.search(snippet)


@pytest.mark.nodb
@pytest.mark.parametrize("url, origin", [
    ("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", ["https://*.tile.openstreetmap.org"]),
    ("https://tiles.example.kz:8443/{z}/{x}/{y}.png", ["https://tiles.example.kz:8443"]),
    ("", []),
])
def test_the_tile_server_is_allowed_for_images_only(url, origin):
    from promzona.settings import _tile_origin

    assert _tile_origin(url) == origin


@pytest.mark.nodb
@pytest.mark.parametrize("url", ["javascript:alert(1)//{z}", "https://a.{s}.example/{z}",
                                 "ftp://tiles.example/{z}", "https://user@evil.example/{z}",
                                 "/relative/{z}/{x}/{y}.png"])
def test_a_tile_url_that_cannot_be_a_policy_source_is_refused(url):
    from promzona.settings import _tile_origin

    with pytest.raises(RuntimeError, match="PROMZONA_TILE_URL"):
        _tile_origin(url)
