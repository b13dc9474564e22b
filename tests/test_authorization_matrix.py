"""Every URL pattern and every API operation × every role, against a table of expected statuses.

Adding a route without a line here fails ``test_every_route_has_an_entry``. One line per route:
``(METHOD, pattern, sample path, anonymous, investor A, investor B, staff, manager)``. Sample
paths may use ``{app_a}`` (investor A's submitted application, with an active reservation and
an attachment), ``{res_a}``, ``{att_a}``, ``{plot}`` / ``{plot_code}`` (a published
plot), ``{draft}`` / ``{draft_code}`` (a draft plot, hidden from the public), ``{zone}``,
``{scenario}`` (a saved build-plan scenario). Each cell runs in a
savepoint that is rolled back, so cells do not influence each other.

Set ``PROMZONA_MATRIX_DUMP=1`` to print the observed statuses (to write a new line).
"""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from promzona.accounts.models import User
from promzona.api.main import api
from promzona.api.services import token_create
from promzona.applications import services
from promzona.optimise import services as optimise_services
from promzona.zones.models import Plot

ROLES = ("anon", "a", "b", "staff", "manager")
USERNAMES = {"a": "demo-investor", "b": "demo-investor2", "staff": "demo-staff",
             "manager": "demo-manager"}
#: Django's admin site enforces its own rules (is_staff + model permissions); every route under
#: it is covered by these representative lines and the prefix below.
ADMIN_PREFIX = "admin/"

WEB = [
    ("GET", "", "/", 200, 200, 200, 200, 200),
    ("GET", "admin/", "/admin/", 302, 302, 302, 200, 302),
    ("GET", "admin/zones/plot/", "/admin/zones/plot/", 302, 302, 302, 200, 302),
    ("GET", "admin/accounts/user/", "/admin/accounts/user/", 302, 302, 302, 200, 302),
    ("GET", "api/openapi.json", "/api/openapi.json", 200, 200, 200, 200, 200),
    ("GET", "api/docs", "/api/docs", 200, 200, 200, 200, 200),
    ("GET", "accounts/login/", "/accounts/login/", 200, 200, 200, 200, 200),
    ("POST", "accounts/logout/", "/accounts/logout/", 302, 302, 302, 302, 302),
    ("GET", "accounts/password_change/", "/accounts/password_change/", 302, 200, 200, 200, 200),
    ("GET", "accounts/password_change/done/", "/accounts/password_change/done/",
     302, 200, 200, 200, 200),
    ("GET", "accounts/password_reset/", "/accounts/password_reset/", 200, 200, 200, 200, 200),
    ("GET", "accounts/password_reset/done/", "/accounts/password_reset/done/",
     200, 200, 200, 200, 200),
    ("GET", "accounts/reset/<uidb64>/<token>/", "/accounts/reset/MQ/bad-token/",
     200, 200, 200, 200, 200),
    ("GET", "accounts/reset/done/", "/accounts/reset/done/", 200, 200, 200, 200, 200),
    ("GET", "accounts/register/", "/accounts/register/", 200, 200, 200, 200, 200),
    ("GET", "accounts/verify/<str:token>/", "/accounts/verify/forged/", 400, 400, 400, 400, 400),
    ("GET", "accounts/invite/", "/accounts/invite/", 302, 200, 200, 403, 403),
    ("GET", "accounts/join/<str:token>/", "/accounts/join/forged/", 400, 400, 400, 400, 400),
    ("GET", "applications/", "/applications/", 302, 200, 200, 200, 200),
    ("GET", "applications/new/", "/applications/new/", 302, 200, 200, 403, 403),
    ("GET", "applications/<int:pk>/", "/applications/{app_a}/", 302, 200, 404, 200, 200),
    ("GET", "applications/<int:pk>/edit/", "/applications/{app_a}/edit/",
     302, 200, 404, 200, 200),
    ("POST", "applications/<int:pk>/comment/", "/applications/{app_a}/comment/",
     302, 302, 404, 302, 403),
    ("POST", "applications/<int:pk>/reserve/", "/applications/{app_a}/reserve/",
     302, 302, 404, 302, 302),
    ("POST", "applications/<int:pk>/upload/", "/applications/{app_a}/upload/",
     302, 302, 404, 302, 403),
    ("POST", "applications/<int:pk>/<slug:name>/", "/applications/{app_a}/withdraw/",
     302, 302, 404, 403, 403),
    ("POST", "applications/reservations/<int:pk>/release/",
     "/applications/reservations/{res_a}/release/", 302, 403, 404, 302, 403),
    ("GET", "applications/attachments/<int:pk>/", "/applications/attachments/{att_a}/",
     302, 200, 404, 200, 200),
    ("GET", "applications/plots/<int:plot_id>/history/",
     "/applications/plots/{plot}/history/", 302, 403, 403, 200, 200),
    ("POST", "i18n/setlang/", "/i18n/setlang/", 302, 302, 302, 302, 302),
    ("GET", "jsi18n/", "/jsi18n/", 200, 200, 200, 200, 200),
    ("GET", "match/", "/match/", 200, 200, 200, 200, 200),
    ("GET", "match/offer.pdf", "/match/offer.pdf", 400, 400, 400, 400, 400),
    ("POST", "match/saved/<int:pk>/delete/", "/match/saved/999999/delete/",
     302, 404, 404, 404, 404),
    ("GET", "sectors/", "/sectors/", 302, 403, 403, 200, 200),
    ("GET", "sectors/figure/<slug:name>.png", "/sectors/figure/nothing.png",
     302, 403, 403, 404, 404),
    ("GET", "sectors/export/<slug:table>.<str:fmt>", "/sectors/export/nothing.csv",
     302, 403, 403, 404, 404),
    ("GET", "optimise/", "/optimise/", 302, 403, 403, 200, 200),
    ("GET", "optimise/<slug:zone_slug>/plan/", "/optimise/{zone}/plan/", 302, 403, 403, 200, 200),
    ("GET", "optimise/<slug:zone_slug>/scenarios/", "/optimise/{zone}/scenarios/",
     302, 403, 403, 200, 200),
    ("GET", "optimise/<slug:zone_slug>/scenarios/new/", "/optimise/{zone}/scenarios/new/",
     302, 403, 403, 200, 403),
    ("GET", "optimise/<slug:zone_slug>/scenarios/<int:pk>/",
     "/optimise/{zone}/scenarios/{scenario}/", 302, 403, 403, 200, 200),
    ("POST", "optimise/<slug:zone_slug>/scenarios/<int:pk>/delete/",
     "/optimise/{zone}/scenarios/{scenario}/delete/", 302, 403, 403, 302, 403),
    ("GET", "optimise/<slug:zone_slug>/allocation/", "/optimise/{zone}/allocation/",
     302, 403, 403, 200, 200),
    ("POST", "optimise/<slug:zone_slug>/allocation/confirm/",
     "/optimise/{zone}/allocation/confirm/", 302, 403, 403, 302, 403),
    ("GET", "optimise/<slug:zone_slug>/<slug:what>.<str:fmt>", "/optimise/{zone}/plan.xlsx",
     302, 403, 403, 200, 200),
    ("GET", "plots/<slug:zone_slug>/<str:code>/", "/plots/{zone}/{plot_code}/",
     200, 200, 200, 200, 200),
    ("GET", "plots/<slug:zone_slug>/<str:code>/", "/plots/{zone}/{draft_code}/",
     404, 404, 404, 200, 200),
    ("GET", "plots/<slug:zone_slug>/<str:code>/passport.pdf",
     "/plots/{zone}/{plot_code}/passport.pdf", 200, 200, 200, 200, 200),
    ("GET", "plots/<slug:zone_slug>/<str:code>/passport.pdf",
     "/plots/{zone}/{draft_code}/passport.pdf", 404, 404, 404, 200, 200),
    ("GET", "compare/", "/compare/?plots={plot}&plots={draft}", 404, 404, 404, 200, 200),
    ("GET", "zones/<slug:slug>/", "/zones/{zone}/", 200, 200, 200, 200, 200),
    ("GET", "ogc/", "/ogc/", 200, 200, 200, 200, 200),
    ("GET", "ogc", "/ogc", 200, 200, 200, 200, 200),
    ("GET", "ogc/conformance", "/ogc/conformance", 200, 200, 200, 200, 200),
    ("GET", "ogc/collections", "/ogc/collections", 200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>", "/ogc/collections/plots", 200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>/items", "/ogc/collections/plots/items",
     200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>/items/<str:pk>", "/ogc/collections/plots/items/{plot}",
     200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>/items/<str:pk>", "/ogc/collections/plots/items/{draft}",
     404, 404, 404, 200, 200),
    ("GET", "staff/import/", "/staff/import/", 302, 403, 403, 200, 403),
    ("GET", "staff/export/<str:layer>.<str:fmt>", "/staff/export/plots.geojson",
     302, 403, 403, 200, 200),
    ("GET", "download/plots.<str:fmt>", "/download/plots.geojson", 200, 200, 200, 200, 200),
]

API = [
    ("GET", "/api/health", "/api/health", 200, 200, 200, 200, 200),
    ("POST", "/api/match", "/api/match", 422, 422, 422, 422, 422),
    ("GET", "/api/applications", "/api/applications", 401, 200, 200, 200, 200),
    ("POST", "/api/applications", "/api/applications", 401, 422, 422, 422, 422),
    ("GET", "/api/applications/{application_id}", "/api/applications/{app_a}",
     401, 200, 404, 200, 200),
    ("PATCH", "/api/applications/{application_id}", "/api/applications/{app_a}",
     401, 422, 422, 422, 422),
    ("POST", "/api/applications/{application_id}/submit", "/api/applications/{app_a}/submit",
     401, 409, 404, 403, 403),
    ("POST", "/api/applications/{application_id}/start_review",
     "/api/applications/{app_a}/start_review", 401, 403, 404, 200, 403),
    ("POST", "/api/applications/{application_id}/approve", "/api/applications/{app_a}/approve",
     401, 403, 404, 200, 403),
    ("POST", "/api/applications/{application_id}/reject", "/api/applications/{app_a}/reject",
     401, 403, 404, 400, 403),
    ("POST", "/api/applications/{application_id}/withdraw",
     "/api/applications/{app_a}/withdraw", 401, 200, 404, 403, 403),
    ("POST", "/api/reservations", "/api/reservations", 401, 422, 422, 422, 422),
    ("GET", "/api/reservations", "/api/reservations", 401, 200, 200, 200, 200),
    ("POST", "/api/reservations/{reservation_id}/release",
     "/api/reservations/{res_a}/release", 401, 403, 404, 200, 403),
    ("GET", "/api/plots", "/api/plots", 200, 200, 200, 200, 200),
    ("GET", "/api/plots/{plot_id}", "/api/plots/{plot}", 200, 200, 200, 200, 200),
    ("GET", "/api/plots/{plot_id}", "/api/plots/{draft}", 404, 404, 404, 200, 200),
    ("GET", "/api/zones", "/api/zones", 200, 200, 200, 200, 200),
    ("GET", "/api/utility-sources", "/api/utility-sources", 200, 200, 200, 200, 200),
    ("GET", "/api/utility-lines", "/api/utility-lines", 200, 200, 200, 200, 200),
]


def _patterns(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _operations():
    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method in ops:
            yield method.upper(), path


def _uncovered() -> tuple[list[str], list[str], list, list]:
    """(routes without a line, stale lines, API operations without a line, stale API lines)."""
    covered = {p for _, p, *_ in WEB}
    routes = {p for p in _patterns()
              if not p.startswith(ADMIN_PREFIX) and not (p.startswith("api/") and
                                                          p not in covered)}
    missing = sorted(routes - covered)
    stale = sorted(p for p in covered if not p.startswith(ADMIN_PREFIX) and p not in routes)
    ops = set(_operations())
    api_covered = {(m, p) for m, p, *_ in API}
    return missing, stale, sorted(ops - api_covered), sorted(api_covered - ops)


def test_every_route_has_an_entry():
    missing, stale, api_missing, api_stale = _uncovered()
    assert not missing, f"routes without a line in the authorization matrix: {missing}"
    assert not stale, f"matrix lines for routes that do not exist: {stale}"
    assert not api_missing, f"API operations without a line: {api_missing}"
    assert not api_stale, f"stale API lines: {api_stale}"


def test_a_new_route_without_a_line_is_reported(settings):
    import sys
    import types

    from django.http import HttpResponse
    from django.urls import include, path

    module = types.ModuleType("matrix_probe_urls")
    module.urlpatterns = [path("probe/<int:pk>/", lambda r, pk: HttpResponse()),
                          path("", include(settings.ROOT_URLCONF))]
    sys.modules[module.__name__] = module
    try:
        settings.ROOT_URLCONF = module.__name__
        assert _uncovered()[0] == ["probe/<int:pk>/"]
    finally:
        del sys.modules[module.__name__]


@pytest.fixture
def world(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = {k: User.objects.get(username=v) for k, v in USERNAMES.items()}
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    app = services.application_create(
        actor=users["a"], project_name="Matrix", sector="C25", investment_kzt=1,
        jobs_planned=1, needs={"power_kw": 10},
    )
    services.application_submit(actor=users["a"], application=app)
    res = services.plot_reserve(actor=users["staff"], plot=plot, application=app)
    att = services.attachment_add(actor=users["a"], application=app,
                                  upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"))
    draft = Plot.objects.filter(zone=demo, status="draft").order_by("code").first()
    scenario = optimise_services.scenario_create(
        actor=users["staff"], zone=demo, name="Matrix", periods=2, budget=None, discount_rate=0,
        carry_over=True)
    ids = {"app_a": app.pk, "res_a": res.pk, "att_a": att.pk, "plot": plot.pk,
           "plot_code": plot.code, "zone": demo.slug, "draft": draft.pk, "draft_code": draft.code,
           "scenario": scenario.pk}
    clients = {"anon": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    tokens = {role: token_create(actor=None, user=u) for role, u in users.items()}
    return ids, clients, tokens


def _cell(client, method, url, headers=None):
    with transaction.atomic():
        if method == "GET":
            r = client.get(url, **(headers or {}))
        else:
            r = client.generic(method, url, b"{}", content_type="application/json",
                               **(headers or {}))
        transaction.set_rollback(True)
    return r.status_code


def _check(line, observe):
    method, pattern, sample, *expected = line
    observed = [observe(role) for role in ROLES]
    if os.environ.get("PROMZONA_MATRIX_DUMP"):
        print(f'("{method}", "{pattern}", "{sample}", {", ".join(map(str, observed))}),')
    assert dict(zip(ROLES, observed, strict=True)) == dict(zip(ROLES, expected, strict=True)), line


@pytest.mark.parametrize("line", WEB, ids=[f"{m} {p}" for m, p, *_ in WEB])
def test_web_matrix(world, line):
    ids, clients, _ = world
    url = line[2].format(**ids)
    _check(line, lambda role: _cell(clients[role], line[0], url))


@pytest.mark.parametrize("line", API, ids=[f"{m} {p}" for m, p, *_ in API])
def test_api_matrix(world, line):
    ids, _, tokens = world
    url = line[2].format(**ids)
    client = Client()

    def observe(role):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
        return _cell(client, line[0], url, headers)

    _check(line, observe)
