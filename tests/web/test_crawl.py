"""The crawl: every page reachable from the navigation, as each role, in each language, in
Chromium on a 390 px phone. A page fails when it

- says something in another language than its own: a Cyrillic word on an English page, an
  English word on a Russian or Kazakh page (text marked with another ``lang``, codes in
  ``<code>`` and the proper names and codes in :data:`NAMES_AND_CODES` excepted);
- shows raw codes or Python data: ``power_kw``, ``plot.reserved``, ``{'status': …}``,
  ``__all__``;
- is wider than the phone, or logs a console error, or answers an error status.

From the pages of the navigation it follows the links of each page, visiting one address per
route (one passport, one article, one application…) to keep the run within a few minutes.
The list of names and codes is documented in docs/portal.md ("The crawl").
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from django.utils.translation import get_language_from_path, override

from tests.browser import chromium, log_in

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
LANGUAGES = ("ru", "kk", "en")
ROLES = {"anonymous": None, "investor": "demo-investor", "staff": "demo-staff",
         "manager": "demo-manager", "executor": "demo-executor", "editor": "demo-editor"}
#: Pages a role must reach, so that their data (charts, lists) is crawled.
MUST_SEE = {role: {"dashboard:index", "dashboard:list", "enquiries:inbox", "enquiries:detail",
                   "enquiries:new"} for role in ("staff", "manager")}
#: Links followed from the navigation's pages (the navigation is depth 1).
DEPTH = 2
#: Addresses that are not pages of the portal in a language: files, feeds, the admin (Django's
#: own), the API and OGC API (one address for every language).
SKIP = re.compile(r"/(admin|api|ogc|news-photo|brand)(/|$)|\.(pdf|csv|xlsx|geojson|gpkg|kml|"
                  r"kmz|zip|shp|ics|xml|png|jpe?g|json)$|/logout/")
#: Proper names and codes that stay as they are in every language (docs/portal.md lists them).
NAMES_AND_CODES = {
    "promzona", "PDF", "CSV", "XLSX", "XLS", "DOCX", "PNG", "JPEG", "WebP", "KML", "KMZ",
    "JSON", "GeoJSON", "GeoPackage", "GPKG", "Shapefile", "FlatGeobuf", "ZIP", "OGC", "API", "OpenAPI",
    "Swagger", "QGIS", "ArcGIS", "GDAL", "GPS", "RSS", "Atom", "iCalendar", "ICS", "KZT", "BIN",
    "OKED", "SITC", "ECI", "PCI", "COG", "COI", "RCA", "SPI", "CPI", "EV", "PV", "AC", "UTC",
    "WGS", "EPSG", "UTM", "ID", "URL", "Leaflet", "OpenStreetMap", "Telegram", "WhatsApp", "VK",
    "Facebook", "QazaqGaz", "Aimaq", "BXH", "RU", "KK", "EN", "e-mail", "E-mail",
}
#: Identifiers (user names, slugs): lower case with a hyphen, as ``demo-staff``.
IDENTIFIER = re.compile(r"^[a-z]+(?:-[a-z]+)+$")
LATIN_WORD = re.compile(r"^[A-Za-z][A-Za-z'’-]*[A-Za-z]$")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
RAW = [
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "raw code"),
    (re.compile(r"(?<![\w@/.-])[a-z]+\.(?:[a-z_]+\.)*[a-z_]{3,}\b(?![\w@/.-])"), "dotted code"),
    (re.compile(r"[{\[]\s*['\"][\w ]+['\"]\s*:|__all__|\bobject at 0x|<built-in"),
     "Python data"),
]
#: Python's own way of printing data is a defect even inside <code> (a JSON example is not).
PYTHON_REPR = re.compile(r"\{'[\w ]+': |\[\{'|: None[,}]|__all__|\bobject at 0x|<built-in")
#: Endings of dotted words that are addresses, not codes.
HOSTS = re.compile(r"\.(org|com|net|kz|ru|example|local|localhost|gov|io|html?)$")

TEXT_JS = """() => {
  const lang = document.documentElement.lang;
  const out = [];
  const skip = "script, style, template, noscript, textarea, code, kbd, samp, [translate=no]";
  const own = el => { const l = el.closest("[lang]"); return !l || l.lang === lang; };
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (el && n.textContent.trim() && !el.closest(skip) && own(el)) out.push(n.textContent);
  }
  document.body.querySelectorAll("[title], [aria-label], [placeholder], [alt]").forEach(el => {
    if (el.closest(skip) || !own(el)) return;
    for (const a of ["title", "aria-label", "placeholder", "alt"]) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
  });
  return [out.join("\\n"), document.body.innerText];
}"""
WIDE_JS = """(width) => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > width + 1 &&
               e.parentElement.getBoundingClientRect().right <= width + 1)
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (typeof e.className === "string" && e.className ? "." + e.className.replace(/ +/g, ".") : ""))"""
#: Links of the page, the charts' SVG links too (whose ``href`` is not a string).
LINKS_JS = """() => Array.from(document.querySelectorAll(".site-nav a[href], main a[href]"))
  .filter(a => !a.hasAttribute("download"))
  .map(a => new URL(a.getAttribute("href"), document.baseURI).href)"""


def language_problems(text: str, lang: str) -> list[str]:
    """The words of ``text`` in another language than ``lang``, and raw codes or Python data."""
    found = []
    # Addresses and file paths are not words.
    text = re.sub(r"\w+://\S+|\S+@\S+|[\w.-]+(?:/[\w.-]+)+\.\w+", " ", text)
    for pattern, what in RAW:
        for m in pattern.finditer(text):
            if what == "dotted code" and HOSTS.search(m.group(0)):
                continue
            found.append(f"{what}: {m.group(0)!r}")
    for token in re.split(r"[\s,;:!?()\[\]{}«»\"“”„/…·|+=<>*]+", text):
        word = token.strip(".'’-–—")
        if not word or any(c.isdigit() for c in word) or word in NAMES_AND_CODES \
                or IDENTIFIER.match(word):
            continue
        if lang == "en" and CYRILLIC.search(word):
            found.append(f"Cyrillic on an English page: {word!r}")
        elif lang != "en" and LATIN_WORD.match(word) and not CYRILLIC.search(word):
            found.append(f"English on a {lang} page: {word!r}")
    return found


def test_language_problems_finds_each_kind_of_defect():
    assert language_problems("Мощность 3150 kW, статус: reserved", "ru") == [
        "English on a ru page: 'kW'", "English on a ru page: 'reserved'"]
    assert language_problems("Contact: Отдел земельных отношений", "en") == [
        "Cyrillic on an English page: 'Отдел'", "Cyrillic on an English page: 'земельных'",
        "Cyrillic on an English page: 'отношений'"]
    assert language_problems("Потребность: power_kw; plot.reserved; {'status': 1}", "ru") == [
        "raw code: 'power_kw'", "dotted code: 'plot.reserved'", "Python data: \"{'status':\"",
        "English on a ru page: 'status'"]
    assert language_problems("__all__: area", "en") == ["Python data: '__all__'"]
    assert PYTHON_REPR.findall("{'status': 'draft', 'ended_at': None}") == ["{'status': ", ": None}"]
    assert not PYTHON_REPR.search('{"code": "PLOT_NO"}')  # a JSON example
    # Codes, addresses, names of formats and the proper names listed stay as they are.
    assert language_problems("BLK-01 · C25 · PS-2 · PDF · info@balkhash.example · "
                             "https://x.kz/a · promzona · demo-staff · docs/sectors.md", "kk") == []


def _language(path: str) -> str:
    return get_language_from_path(path) or "ru"


def _route(path: str) -> str | None:
    """One key per kind of page (the route), or None for a page outside the portal."""
    try:
        with override(_language(path)):
            match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def _crawl(context, base: str, lang: str, problems: dict[str, list[str]]) -> set[str]:
    """Visit the navigation of ``lang`` and DEPTH levels of links below it; return the routes
    seen."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    prefix = "" if lang == "ru" else f"/{lang}"
    queue, seen_routes = [(f"{base}{prefix}/", 0)], set()
    while queue:
        url, depth = queue.pop(0)
        path = urlsplit(url).path
        route = _route(path)
        if route is None or route in seen_routes:
            continue
        seen_routes.add(route)
        errors.clear()
        response = page.goto(url)
        where = f"{lang} {path}"
        if response is None or response.status >= 400:
            problems[where].append(f"status {response and response.status}")
            continue
        if page.evaluate("document.documentElement.lang") != lang:
            problems[where].append(f"lang is {page.evaluate('document.documentElement.lang')}")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems[where].append(f"{width} px wide: {page.evaluate(WIDE_JS, PHONE['width'])}")
        own, everything = page.evaluate(TEXT_JS)
        problems[where] += language_problems(own, lang)
        problems[where] += [f"Python data: {m.group(0)!r}" for m in PYTHON_REPR.finditer(everything)]
        problems[where] += [f"console: {e}" for e in errors]
        if depth >= DEPTH:
            continue
        for link in page.evaluate(LINKS_JS):
            parts = urlsplit(link)
            if f"{parts.scheme}://{parts.netloc}" == base and not SKIP.search(parts.path) \
                    and _language(parts.path) == lang:
                queue.append((f"{base}{parts.path}", depth + 1))
    page.close()
    return seen_routes


def test_every_page_speaks_its_language_fits_a_phone_and_logs_no_error(full_demo, live_server):
    problems: dict[str, list[str]] = defaultdict(list)
    pages = 0
    with chromium() as browser:
        for role, username in ROLES.items():
            for lang in LANGUAGES:
                context = browser.new_context(viewport=PHONE, is_mobile=True)
                if username:
                    page = context.new_page()
                    log_in(page, live_server.url, username, lang=lang)
                    page.close()
                found: dict[str, list[str]] = defaultdict(list)
                routes = _crawl(context, live_server.url, lang, found)
                pages += len(routes)
                missed = MUST_SEE.get(role, set()) - routes
                assert not missed, f"{role} {lang}: the crawl did not reach {sorted(missed)}"
                for where, items in found.items():
                    for item in dict.fromkeys(items):
                        problems[f"{role} {where}"].append(item)
                context.close()
    report = "\n".join(f"{where}: {'; '.join(items[:8])}" + (" …" if len(items) > 8 else "")
                       for where, items in sorted(problems.items()) if items)
    assert pages > 100, pages
    assert not report, f"{sum(map(len, problems.values()))} problems:\n{report}"
