"""In Chromium: text from data on the map is shown as text and never runs (tooltips of plots,
lines and base features; the list refreshed by the filters), and no page breaks its own
Content-Security-Policy."""

from __future__ import annotations

import os

import pytest

from tests.browser import chromium
from tests.payloads import XSS

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

#: Records every CSP violation the page reports (init scripts are not subject to the policy).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, live_server, demo):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    ctx.add_init_script(RECORD_VIOLATIONS)
    p = ctx.new_page()
    p.dialogs, p.errors = [], []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    p.on("console", lambda m: m.type == "error" and p.errors.append(m.text))
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.base = live_server.url
    yield p
    ctx.close()


@pytest.fixture
def hostile(demo):
    """A plot coded and another named with script, the base features and lines named so."""
    from django.core.cache import cache

    from promzona.zones.models import MapFeature, Plot, UtilityLine

    coded = Plot.objects.get(code="BLK-01")
    Plot.objects.filter(pk=coded.pk).update(code=XSS[0])
    named = Plot.objects.get(code="BLK-02")
    Plot.objects.filter(pk=named.pk).update(name_ru=XSS[1], name_kk=XSS[1], name_en=XSS[1])
    MapFeature.objects.filter(zone=demo).update(name=XSS[2])
    UtilityLine.objects.filter(zone=demo).update(name=XSS[3])
    cache.clear()  # the portal caches page bodies
    return {"coded": coded.pk, "named": named.pk}


#: The screen point halfway along the first ``path.line`` whose middle is inside the map.
LINE_MIDDLE = """() => {
  const box = document.getElementById("map").getBoundingClientRect();
  for (const p of document.querySelectorAll("path.line")) {
    const pt = p.getPointAtLength(p.getTotalLength() / 2), m = p.getScreenCTM();
    const x = pt.x * m.a + pt.y * m.c + m.e, y = pt.x * m.b + pt.y * m.d + m.f;
    if (x > box.left + 5 && x < box.right - 5 && y > box.top + 5 && y < box.bottom - 5) {
      return [x, y];
    }
  }
  return null;
}"""


def _tooltip_after_hovering(page, selector: str) -> str:
    if selector == "path.line":
        x, y = page.evaluate(LINE_MIDDLE)
        page.mouse.move(x, y)
    else:
        page.locator(selector).first.hover(force=True)
    tip = page.locator(".leaflet-tooltip").last
    tip.wait_for(state="visible")
    assert tip.locator("*").count() == 1, tip.inner_html()  # only our text <span>
    return tip.inner_text()


def _assert_nothing_ran(page):
    page.wait_for_load_state("networkidle")
    assert page.dialogs == []
    assert page.evaluate("window.__csp") == []
    assert page.errors == []


def test_script_in_plot_codes_names_and_base_features_is_shown_as_text(page, hostile):
    page.goto(page.base + "/")
    page.wait_for_load_state("networkidle")
    assert XSS[0] in _tooltip_after_hovering(page, f"path.plot-{hostile['coded']}")
    assert XSS[1] in _tooltip_after_hovering(page, f"path.plot-{hostile['named']}")
    assert XSS[2] in _tooltip_after_hovering(page, "path.base-town")
    item = page.locator(f".plot-item[data-id='{hostile['named']}']")
    assert XSS[1] in item.inner_text() and item.locator("svg").count() == 0
    # Applying the filters replaces the list with the server's rendering: still text.
    page.evaluate("document.getElementById('plot-list').textContent = ''")
    with page.expect_response(lambda r: "partial=list" in r.url):
        page.evaluate("document.getElementById('filters').requestSubmit()")
    plot_list = page.locator("#plot-list")
    plot_list.locator(".plot-item").first.wait_for()
    assert XSS[0] in plot_list.inner_text() and XSS[1] in plot_list.inner_text()
    assert plot_list.locator("img, svg, script, iframe").count() == 0
    _assert_nothing_ran(page)


def test_script_in_line_names_on_the_passport_is_shown_as_text(page, hostile):
    page.goto(page.base + "/plots/balkhash/BLK-03/")
    page.wait_for_load_state("networkidle")
    assert page.locator("path.line").count() > 0
    assert XSS[3] in _tooltip_after_hovering(page, "path.line")
    _assert_nothing_ran(page)


def _log_in(page, username: str) -> None:
    page.goto(page.base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "balkhash-demo-2026")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


PUBLIC_PAGES = ["/", "/plots/balkhash/BLK-03/", "/zones/balkhash/",
                "/match/?sector=C25&area_min=1&area_max=5&power_kw=500&hazard_class=4",
                "/accounts/login/", "/accounts/register/", "/accounts/password_reset/",
                "/ogc/?f=html", "/ogc/collections/plots/items?f=html", "/no-such-page/"]
STAFF_PAGES = ["/applications/", "/staff/import/", "/sectors/", "/admin/",
               "/admin/zones/plot/", "/admin/outbox/outgoingemail/"]


def _visit_without_violations(page, path: str) -> None:
    page.errors.clear()
    response = page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe" not in policy, path
    assert page.evaluate("window.__csp") == [], path
    assert [e for e in page.errors if "404" not in e] == [], path


def test_public_pages_keep_their_content_security_policy(page):
    for path in PUBLIC_PAGES:
        _visit_without_violations(page, path)
    assert page.dialogs == []


def test_staff_and_admin_pages_keep_their_content_security_policy(page, demo):
    from promzona.zones.models import Plot

    _log_in(page, "demo-staff")
    plot = Plot.objects.get(code="BLK-03")
    for path in STAFF_PAGES + [f"/admin/zones/plot/{plot.pk}/change/"]:
        _visit_without_violations(page, path)
    assert page.locator(".geojson-preview .leaflet-pane").count() > 0  # the admin's map runs


def test_api_docs_run_swagger_ui_from_our_own_files(page):
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    _visit_without_violations(page, "/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "promzona API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 5
    assert all(url.startswith(page.base) for url in requested), requested
