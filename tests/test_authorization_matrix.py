"""Every URL pattern and every API operation × every role, against a table of expected statuses.

Adding a route without a line here fails ``test_every_route_has_an_entry``. One line per route:
``(METHOD, pattern, sample path, anonymous, investor A, investor B, staff, manager, executor)``
(the executor is an outside body's user, ``demo-executor``). Sample
paths may use ``{app_a}`` (investor A's submitted application, with an active reservation and
an attachment), ``{res_a}``, ``{att_a}``, ``{join_request}`` (a registrant's pending request),
``{org_a}`` (investor A's organisation), ``{org_new}`` (an organisation not yet confirmed),
``{saved}`` (investor A's saved search), ``{plot}`` / ``{plot_code}`` (a published
plot), ``{draft}`` / ``{draft_code}`` (a draft plot, hidden from the public), ``{zone}``,
``{work}`` (a line work reported 100% done, with a photo ``{photo}``), ``{inspection}`` (an
open finding on another work), ``{project}`` (investor A's project, an obligation overdue, with
milestone ``{milestone}`` and a submitted report ``{report}``), ``{app_ok}`` (investor A's
approved application without a project yet), ``{scenario}`` (a saved
build-plan scenario, ``{scenario_work}`` a work it schedules), ``{report_job}`` (a report
built for the staff user). Each cell runs in a
savepoint that is rolled back, so cells do not influence each other.

Set ``PROMZONA_MATRIX_DUMP=1`` to print the observed statuses (to write a new line).

The newsroom's routes (``NEWS``) have a sixth column, the editor; on every other route the
editor must reach no more than a stranger does (``test_editor_reaches_nothing_more_elsewhere``).
News paths may use ``{article}`` (published, with a photo), ``{art_draft}`` / ``{art_draft_pk}``,
``{news_photo}`` / ``{draft_photo}`` (stored photo names), ``{comment}`` (a pending comment).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os

import pytest
import shapely
from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone, translation

from promzona.accounts import services as account_services
from promzona.accounts.models import Organisation, User
from promzona.api.main import api
from promzona.api.services import token_create
from promzona.applications import services
from promzona.demo.accounts import DEMO_PASSWORD
from promzona.enquiries.models import Contact, Enquiry
from promzona.enquiries.services import enquiry_submit
from promzona.enquiries.services import form_token as enquiry_form_token
from promzona.instructions import calendar as instruction_calendar
from promzona.instructions import services as instruction_services
from promzona.instructions.models import Body
from promzona.matching.services import saved_search_create
from promzona.news import comments as news_comments
from promzona.news import services as news_services
from promzona.news.events import rubric_for
from promzona.ops.reports import report_ask, report_build
from promzona.optimise import answers as optimise_answers
from promzona.optimise import selectors as optimise_selectors
from promzona.optimise import services as optimise_services
from promzona.projects import services as project_services
from promzona.projects.models import ObligationRule
from promzona.web.models import Branding
from promzona.works import services as work_services
from promzona.zones.models import Plot, UtilityLine, Zone
from tests.geodata.test_import_export import _boxes
from tests.news.conftest import jpeg, make_article

ROLES = ("anon", "a", "b", "staff", "manager", "executor")
USERNAMES = {"a": "demo-investor", "b": "demo-investor2", "staff": "demo-staff",
             "manager": "demo-manager", "executor": "demo-executor"}
#: Django's admin site enforces its own rules (is_staff + model permissions); every route under
#: it is covered by these representative lines and the prefix below.
ADMIN_PREFIX = "admin/"

WEB = [
    ("GET", "", "/", 200, 200, 200, 200, 200, 200),
    ("GET", "admin/", "/admin/", 302, 302, 302, 200, 302, 302),
    ("GET", "admin/zones/plot/", "/admin/zones/plot/", 302, 302, 302, 200, 302, 302),
    ("GET", "admin/accounts/user/", "/admin/accounts/user/", 302, 302, 302, 200, 302, 302),
    ("GET", "api/openapi.json", "/api/openapi.json", 200, 200, 200, 200, 200, 200),
    ("GET", "api/docs", "/api/docs", 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/login/", "/accounts/login/", 200, 200, 200, 200, 200, 200),
    ("POST", "accounts/login/", "/accounts/login/", 200, 200, 200, 200, 200, 200),
    ("POST", "accounts/logout/", "/accounts/logout/", 302, 302, 302, 302, 302, 302),
    ("GET", "accounts/password_change/", "/accounts/password_change/", 302, 200, 200, 200, 200, 200),
    ("POST", "accounts/password_change/", "/accounts/password_change/",
     302, 302, 302, 302, 302, 302),
    ("GET", "accounts/password_change/done/", "/accounts/password_change/done/",
     302, 200, 200, 200, 200, 200),
    ("GET", "accounts/password_reset/", "/accounts/password_reset/", 200, 200, 200, 200, 200, 200),
    ("POST", "accounts/password_reset/", "/accounts/password_reset/", 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/password_reset/done/", "/accounts/password_reset/done/", 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/reset/<uidb64>/<token>/", "/accounts/reset/MQ/bad-token/",
     200, 200, 200, 200, 200, 200),
    ("GET", "accounts/reset/done/", "/accounts/reset/done/", 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/register/", "/accounts/register/", 200, 200, 200, 200, 200, 200),
    ("POST", "accounts/register/", "/accounts/register/", 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/verify/<str:token>/", "/accounts/verify/forged/", 400, 400, 400, 400, 400, 400),
    ("GET", "accounts/verify/resend/", "/accounts/verify/resend/", 200, 200, 200, 200, 200, 200),
    ("POST", "accounts/verify/resend/", "/accounts/verify/resend/", 200, 200, 200, 200, 200, 200),
    ("GET", "accounts/organisation/", "/accounts/organisation/", 302, 200, 200, 403, 403, 403),
    ("POST", "accounts/organisation/", "/accounts/organisation/", 302, 200, 200, 403, 403, 403),
    ("GET", "accounts/registrations/", "/accounts/registrations/", 302, 403, 403, 200, 200, 403),
    ("POST", "accounts/registrations/<int:pk>/<slug:decision>/",
     "/accounts/registrations/{join_request}/approve/", 302, 403, 403, 302, 403, 403),
    ("POST", "accounts/organisations/<int:pk>/confirm/", "/accounts/organisations/{org_new}/confirm/",
     302, 403, 403, 302, 403, 403),
    ("GET", "accounts/invite/", "/accounts/invite/", 302, 200, 200, 403, 403, 403),
    ("POST", "accounts/invite/", "/accounts/invite/", 302, 302, 302, 403, 403, 403),
    ("GET", "accounts/join/<str:token>/", "/accounts/join/forged/", 400, 400, 400, 400, 400, 400),
    ("POST", "accounts/join/<str:token>/", "/accounts/join/forged/", 400, 400, 400, 400, 400, 400),
    ("GET", "applications/", "/applications/", 302, 200, 200, 200, 200, 200),
    ("GET", "applications/new/", "/applications/new/", 302, 200, 200, 403, 403, 403),
    ("POST", "applications/new/", "/applications/new/", 302, 302, 302, 403, 403, 403),
    ("GET", "applications/<int:pk>/", "/applications/{app_a}/", 302, 200, 404, 200, 200, 404),
    ("GET", "applications/<int:pk>/edit/", "/applications/{app_a}/edit/", 302, 200, 404, 200, 200, 404),
    ("POST", "applications/<int:pk>/edit/", "/applications/{app_draft}/edit/",
     302, 302, 404, 403, 403, 404),
    ("POST", "applications/<int:pk>/comment/", "/applications/{app_a}/comment/",
     302, 302, 404, 302, 403, 404),
    ("POST", "applications/<int:pk>/reserve/", "/applications/{app_free}/reserve/",
     302, 403, 404, 302, 403, 404),
    ("POST", "applications/<int:pk>/upload/", "/applications/{app_a}/upload/", 302, 302, 404, 302, 403, 404),
    ("POST", "applications/<int:pk>/<slug:name>/", "/applications/{app_a}/withdraw/",
     302, 302, 404, 403, 403, 404),
    ("POST", "applications/<int:pk>/<slug:name>/", "/applications/{app_draft}/submit/",
     302, 302, 404, 403, 403, 404),
    ("POST", "applications/reservations/<int:pk>/release/", "/applications/reservations/{res_a}/release/",
     302, 403, 404, 302, 403, 404),
    ("GET", "applications/attachments/<int:pk>/", "/applications/attachments/{att_a}/",
     302, 200, 404, 200, 200, 404),
    ("GET", "applications/plots/<int:plot_id>/history/", "/applications/plots/{plot}/history/",
     302, 403, 403, 200, 200, 403),
    ("GET", "^ru(?:/.*)?\\Z", "/ru/plots/{zone}/{plot_code}/", 301, 301, 301, 301, 301, 301),
    ("POST", "^ru(?:/.*)?\\Z", "/ru/applications/{app_a}/comment/", 308, 308, 308, 308, 308, 308),
    ("GET", "brand/<slug:version>.css", "/brand/00677f.css", 200, 200, 200, 200, 200, 200),
    ("GET", "brand/logo-<slug:sha>.png", "/brand/logo-{logo}.png", 200, 200, 200, 200, 200, 200),
    ("GET", "jsi18n/", "/jsi18n/", 200, 200, 200, 200, 200, 200),
    ("GET", "match/", "/match/", 200, 200, 200, 200, 200, 200),
    ("POST", "match/", "/match/", 200, 200, 200, 200, 200, 200),
    ("GET", "match/offer.pdf", "/match/offer.pdf", 400, 400, 400, 400, 400, 400),
    ("POST", "match/saved/<int:pk>/delete/", "/match/saved/{saved}/delete/", 302, 302, 404, 404, 404, 404),
    ("GET", "sectors/", "/sectors/", 302, 403, 403, 200, 200, 403),
    ("GET", "sectors/figure/<slug:name>.png", "/sectors/figure/nothing.png", 302, 403, 403, 404, 404, 403),
    ("GET", "sectors/export/<slug:table>.<str:fmt>", "/sectors/export/nothing.csv",
     302, 403, 403, 404, 404, 403),
    ("POST", "sectors/reports/", "/sectors/reports/", 302, 403, 403, 302, 302, 403),
    ("GET", "reports/<int:pk>/", "/reports/{report_job}/", 302, 404, 404, 200, 404, 404),
    ("GET", "reports/<int:pk>/file", "/reports/{report_job}/file", 302, 404, 404, 200, 404, 404),
    ("GET", "plots/<slug:zone_slug>/<str:code>/", "/plots/{zone}/{plot_code}/", 200, 200, 200, 200, 200, 200),
    ("GET", "plots/<slug:zone_slug>/<str:code>/", "/plots/{zone}/{draft_code}/",
     404, 404, 404, 200, 200, 404),
    ("GET", "plots/<slug:zone_slug>/<str:code>/passport.pdf", "/plots/{zone}/{plot_code}/passport.pdf",
     200, 200, 200, 200, 200, 200),
    ("GET", "plots/<slug:zone_slug>/<str:code>/passport.pdf", "/plots/{zone}/{draft_code}/passport.pdf",
     404, 404, 404, 200, 200, 404),
    ("GET", "compare/", "/compare/?plots={plot}&plots={draft}", 404, 404, 404, 200, 200, 404),
    ("GET", "zones/<slug:slug>/", "/zones/{zone}/", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc/", "/ogc/", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc", "/ogc", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc/conformance", "/ogc/conformance", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc/collections", "/ogc/collections", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>", "/ogc/collections/plots", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>/items", "/ogc/collections/plots/items", 200, 200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>/items/<str:pk>", "/ogc/collections/plots/items/{plot}",
     200, 200, 200, 200, 200, 200),
    ("GET", "ogc/collections/<str:name>/items/<str:pk>", "/ogc/collections/plots/items/{draft}",
     404, 404, 404, 200, 200, 404),
    ("GET", "staff/import/", "/staff/import/", 302, 403, 403, 200, 403, 403),
    ("POST", "staff/import/", "/staff/import/", 302, 403, 403, 200, 403, 403),
    ("GET", "staff/import/<int:pk>/", "/staff/import/999999/", 302, 403, 403, 404, 403, 403),
    ("GET", "staff/export/<str:layer>.<str:fmt>", "/staff/export/plots.geojson",
     302, 403, 403, 200, 200, 403),
    ("GET", "download/plots.<str:fmt>", "/download/plots.geojson", 200, 200, 200, 200, 200, 200),
    ("GET", "instructions/", "/instructions/", 302, 403, 403, 200, 200, 302),
    ("GET", "instructions/execute/", "/instructions/execute/", 302, 403, 403, 200, 200, 200),
    ("GET", "instructions/control/", "/instructions/control/", 302, 403, 403, 200, 200, 302),
    ("GET", "instructions/new/", "/instructions/new/", 302, 403, 403, 200, 200, 403),
    ("POST", "instructions/new/", "/instructions/new/", 302, 403, 403, 302, 302, 403),
    ("GET", "instructions/<int:pk>/", "/instructions/{ins}/", 302, 403, 403, 200, 200, 200),
    ("GET", "instructions/<int:pk>/edit/", "/instructions/{ins}/edit/", 302, 403, 403, 200, 200, 403),
    ("POST", "instructions/<int:pk>/edit/", "/instructions/{ins}/edit/", 302, 403, 403, 302, 302, 403),
    ("POST", "instructions/<int:pk>/report/", "/instructions/{ins}/report/", 302, 403, 403, 403, 403, 302),
    ("POST", "instructions/<int:pk>/extend/", "/instructions/{ins}/extend/", 302, 403, 403, 302, 403, 302),
    ("POST", "instructions/<int:pk>/do/<slug:action>/", "/instructions/{ins_rep}/do/accept/",
     302, 403, 403, 302, 403, 403),
    ("POST", "instructions/<int:pk>/do/<slug:action>/", "/instructions/{ins}/do/start/",
     302, 403, 403, 403, 403, 302),
    ("GET", "instructions/attachments/<int:pk>/", "/instructions/attachments/{ins_att}/",
     302, 403, 403, 200, 200, 200),
    ("GET", "instructions/calendar/", "/instructions/calendar/", 302, 403, 403, 200, 200, 200),
    ("POST", "instructions/calendar/", "/instructions/calendar/", 302, 403, 403, 200, 200, 200),
    ("GET", "instructions/calendar/<str:key>.ics", "/instructions/calendar/{feed}.ics",
     200, 200, 200, 200, 200, 200),
    ("GET", "instructions/calendar/<str:key>.ics", "/instructions/calendar/forged.ics",
     404, 404, 404, 404, 404, 404),
    ("GET", "works/", "/works/", 302, 403, 403, 200, 200, 403),
    ("GET", "works/new/", "/works/new/", 302, 403, 403, 200, 200, 403),
    ("POST", "works/new/", "/works/new/", 302, 403, 403, 302, 302, 403),
    ("GET", "works/timeline/", "/works/timeline/", 302, 403, 403, 200, 200, 403),
    ("GET", "works/<int:pk>/", "/works/{work}/", 302, 403, 403, 200, 200, 403),
    ("POST", "works/<int:pk>/progress/", "/works/{work}/progress/", 302, 403, 403, 302, 302, 403),
    ("POST", "works/<int:pk>/replan/", "/works/{work}/replan/", 302, 403, 403, 302, 302, 403),
    ("POST", "works/<int:pk>/inspect/", "/works/{work}/inspect/", 302, 403, 403, 302, 302, 403),
    ("POST", "works/<int:pk>/accept/", "/works/{work}/accept/", 302, 403, 403, 302, 302, 403),
    ("POST", "works/<int:pk>/cancel/", "/works/{work}/cancel/", 302, 403, 403, 302, 302, 403),
    ("POST", "works/inspections/<int:pk>/fix/", "/works/inspections/{inspection}/fix/",
     302, 403, 403, 302, 302, 403),
    ("GET", "works/photos/<int:pk>/", "/works/photos/{photo}/", 302, 403, 403, 200, 200, 403),
    ("GET", "projects/", "/projects/", 302, 200, 200, 200, 200, 200),
    ("GET", "projects/new/<int:application_id>/", "/projects/new/{app_a}/", 302, 403, 403, 200, 200, 403),
    ("POST", "projects/new/<int:application_id>/", "/projects/new/{app_ok}/",
     302, 403, 403, 302, 302, 403),
    ("GET", "projects/<int:pk>/", "/projects/{project}/", 302, 200, 404, 200, 200, 404),
    ("POST", "projects/<int:pk>/report/", "/projects/{project}/report/", 302, 302, 404, 403, 403, 404),
    ("POST", "projects/<int:pk>/status/", "/projects/{project}/status/", 302, 403, 404, 302, 302, 404),
    ("GET", "projects/<int:pk>/terminate/", "/projects/{project}/terminate/", 302, 403, 404, 200, 403, 404),
    ("POST", "projects/<int:pk>/terminate/", "/projects/{project}/terminate/", 302, 403, 404, 302, 403, 404),
    ("POST", "projects/milestones/<int:pk>/done/", "/projects/milestones/{milestone}/done/",
     302, 403, 404, 302, 302, 404),
    ("POST", "projects/milestones/<int:pk>/reschedule/", "/projects/milestones/{milestone}/reschedule/",
     302, 403, 404, 302, 302, 404),
    ("POST", "projects/reports/<int:pk>/<slug:decision>/", "/projects/reports/{report}/confirm/",
     302, 403, 404, 302, 302, 404),
    ("GET", "dashboard/", "/dashboard/", 302, 403, 403, 200, 200, 403),
    ("GET", "dashboard/list/<slug:kind>/<slug:key>/", "/dashboard/list/plots/draft/?zone={zone}",
     302, 403, 403, 200, 200, 403),
    ("POST", "dashboard/report/<int:year>-<int:month>.<slug:fmt>",
     "/dashboard/report/{year}-{month}.pdf", 302, 403, 403, 302, 302, 403),
    ("POST", "dashboard/register/<slug:what>.<slug:fmt>", "/dashboard/register/plots.xlsx",
     302, 403, 403, 302, 302, 403),
    ("GET", "optimise/", "/optimise/", 302, 403, 403, 200, 200, 403),
    ("GET", "optimise/<slug:zone_slug>/plan/", "/optimise/{zone}/plan/", 302, 403, 403, 200, 200, 403),
    ("POST", "optimise/<slug:zone_slug>/plan/works/", "/optimise/{zone}/plan/works/?scenario={scenario}",
     302, 403, 403, 302, 403, 403),
    ("GET", "optimise/<slug:zone_slug>/scenarios/", "/optimise/{zone}/scenarios/",
     302, 403, 403, 200, 200, 403),
    ("GET", "optimise/<slug:zone_slug>/scenarios/new/", "/optimise/{zone}/scenarios/new/",
     302, 403, 403, 200, 403, 403),
    ("POST", "optimise/<slug:zone_slug>/scenarios/new/", "/optimise/{zone}/scenarios/new/",
     302, 403, 403, 302, 403, 403),
    ("GET", "optimise/<slug:zone_slug>/scenarios/<int:pk>/",
     "/optimise/{zone}/scenarios/{scenario}/", 302, 403, 403, 200, 200, 403),
    ("POST", "optimise/<slug:zone_slug>/scenarios/<int:pk>/delete/",
     "/optimise/{zone}/scenarios/{scenario}/delete/", 302, 403, 403, 302, 403, 403),
    ("GET", "optimise/<slug:zone_slug>/allocation/", "/optimise/{zone}/allocation/",
     302, 403, 403, 200, 200, 403),
    ("POST", "optimise/<slug:zone_slug>/allocation/confirm/",
     "/optimise/{zone}/allocation/confirm/", 302, 403, 403, 302, 403, 403),
    ("GET", "optimise/<slug:zone_slug>/<slug:what>.<str:fmt>", "/optimise/{zone}/plan.xlsx",
     302, 403, 403, 200, 200, 403),
    ("GET", "enquiries/", "/enquiries/", 302, 403, 403, 200, 200, 403),
    ("GET", "enquiries/new/", "/enquiries/new/", 200, 200, 200, 200, 200, 200),
    ("POST", "enquiries/new/", "/enquiries/new/", 200, 200, 200, 200, 200, 200),
    ("GET", "enquiries/<int:pk>/", "/enquiries/{enquiry}/", 302, 403, 403, 200, 200, 403),
    ("POST", "enquiries/<int:pk>/<slug:status>/", "/enquiries/{enquiry}/answered/",
     302, 403, 403, 302, 403, 403),
]

NEWS = [  # ..., anonymous, investor A, investor B, staff, manager, executor, editor
    ("GET", "news/", "/en/news/", 200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/rss.xml", "/en/news/rss.xml", 200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/atom.xml", "/en/news/atom.xml", 200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/search/", "/en/news/search/?q=zone", 200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/rubric/<slug:slug>/", "/en/news/rubric/investors/",
     200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/tag/<slug:slug>/", "/en/news/tag/matrix/", 200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/<slug:slug>/", "/en/news/{article}/", 200, 200, 200, 200, 200, 200, 200),
    ("GET", "news/<slug:slug>/", "/en/news/{art_draft}/", 404, 404, 404, 200, 404, 404, 200),
    ("POST", "news/<slug:slug>/comment/", "/en/news/{article}/comment/",
     302, 302, 302, 302, 302, 302, 302),
    ("POST", "news/<slug:slug>/comment/", "/en/news/{art_draft}/comment/",
     404, 404, 404, 404, 404, 404, 404),
    ("GET", "news/desk/", "/en/news/desk/", 302, 403, 403, 200, 403, 403, 200),
    ("GET", "news/desk/new/", "/en/news/desk/new/", 302, 403, 403, 200, 403, 403, 200),
    ("POST", "news/desk/new/", "/en/news/desk/new/", 302, 403, 403, 302, 403, 403, 302),
    ("GET", "news/desk/<int:pk>/", "/en/news/desk/{art_draft_pk}/",
     302, 403, 403, 200, 403, 403, 200),
    ("POST", "news/desk/<int:pk>/", "/en/news/desk/{art_draft_pk}/",
     302, 403, 403, 302, 403, 403, 302),
    ("POST", "news/desk/<int:pk>/status/", "/en/news/desk/{art_draft_pk}/status/",
     302, 403, 403, 302, 403, 403, 302),
    ("POST", "news/desk/<int:pk>/discard/", "/en/news/desk/{art_draft_pk}/discard/",
     302, 403, 403, 302, 403, 403, 302),
    ("GET", "news/desk/comments/", "/en/news/desk/comments/", 302, 403, 403, 200, 403, 403, 200),
    ("POST", "news/desk/comments/<int:pk>/<slug:action>/",
     "/en/news/desk/comments/{comment}/approve/", 302, 403, 403, 302, 403, 403, 302),
    ("GET", "news-photo/<int:pk>/<str:name>", "/news-photo/{article_pk}/{news_photo}",
     200, 200, 200, 200, 200, 200, 200),
    ("GET", "news-photo/<int:pk>/<str:name>", "/news-photo/{art_draft_pk}/{draft_photo}",
     404, 404, 404, 200, 404, 404, 200),
    ("GET", "sitemap.xml", "/sitemap.xml", 200, 200, 200, 200, 200, 200, 200),
    # Prometheus metrics: by address (PROMZONA_METRICS_ALLOW; the test client is 127.0.0.1).
    ("GET", "metrics", "/metrics", 200, 200, 200, 200, 200, 200, 200),
]

API = [
    ("GET", "/api/health", "/api/health", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/health/ready", "/api/health/ready", 200, 200, 200, 200, 200, 200),
    ("POST", "/api/match", "/api/match", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/applications", "/api/applications", 401, 200, 200, 200, 200, 200),
    ("POST", "/api/applications", "/api/applications", 401, 201, 201, 403, 403, 403),
    ("GET", "/api/applications/{application_id}", "/api/applications/{app_a}", 401, 200, 404, 200, 200, 404),
    ("PATCH", "/api/applications/{application_id}", "/api/applications/{app_draft}",
     401, 200, 404, 403, 403, 404),
    ("POST", "/api/applications/{application_id}/submit", "/api/applications/{app_draft}/submit",
     401, 200, 404, 403, 403, 404),
    ("POST", "/api/applications/{application_id}/start_review", "/api/applications/{app_a}/start_review",
     401, 403, 404, 200, 403, 404),
    ("POST", "/api/applications/{application_id}/approve", "/api/applications/{app_a}/approve",
     401, 403, 404, 200, 403, 404),
    ("POST", "/api/applications/{application_id}/reject", "/api/applications/{app_a}/reject",
     401, 403, 404, 200, 403, 404),
    ("POST", "/api/applications/{application_id}/withdraw", "/api/applications/{app_a}/withdraw",
     401, 200, 404, 403, 403, 404),
    ("POST", "/api/reservations", "/api/reservations", 401, 403, 404, 201, 403, 404),
    ("GET", "/api/reservations", "/api/reservations", 401, 200, 200, 200, 200, 200),
    ("POST", "/api/reservations/{reservation_id}/release", "/api/reservations/{res_a}/release",
     401, 403, 404, 200, 403, 404),
    ("GET", "/api/plots", "/api/plots", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/plots/{plot_id}", "/api/plots/{plot}", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/plots/{plot_id}", "/api/plots/{draft}", 404, 404, 404, 200, 200, 404),
    ("GET", "/api/zones", "/api/zones", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/utility-sources", "/api/utility-sources", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/utility-lines", "/api/utility-lines", 200, 200, 200, 200, 200, 200),
    ("GET", "/api/instructions", "/api/instructions", 401, 403, 403, 200, 200, 200),
    ("POST", "/api/instructions", "/api/instructions", 401, 403, 403, 201, 201, 403),
    ("GET", "/api/instructions/{instruction_id}", "/api/instructions/{ins}", 401, 404, 404, 200, 200, 200),
    ("PATCH", "/api/instructions/{instruction_id}", "/api/instructions/{ins}", 401, 404, 404, 200, 200, 403),
    ("POST", "/api/instructions/{instruction_id}/report", "/api/instructions/{ins}/report",
     401, 404, 404, 403, 403, 200),
    ("POST", "/api/instructions/{instruction_id}/accept", "/api/instructions/{ins_rep}/accept",
     401, 404, 404, 200, 403, 403),
    ("POST", "/api/instructions/{instruction_id}/return", "/api/instructions/{ins_rep}/return",
     401, 404, 404, 200, 403, 403),
    ("POST", "/api/instructions/{instruction_id}/extend", "/api/instructions/{ins}/extend",
     401, 404, 404, 200, 403, 200),
    ("GET", "/api/works", "/api/works", 401, 403, 403, 200, 200, 403),
    ("POST", "/api/works", "/api/works", 401, 403, 403, 201, 201, 403),
    ("GET", "/api/works/{work_id}", "/api/works/{work}", 401, 403, 403, 200, 200, 403),
    ("POST", "/api/works/{work_id}/progress", "/api/works/{work}/progress", 401, 403, 403, 201, 201, 403),
    ("POST", "/api/works/{work_id}/accept", "/api/works/{work}/accept", 401, 403, 403, 200, 200, 403),
    ("GET", "/api/projects", "/api/projects", 401, 200, 200, 200, 200, 200),
    ("GET", "/api/projects/{project_id}", "/api/projects/{project}", 401, 200, 404, 200, 200, 404),
    ("POST", "/api/projects/{project_id}/report", "/api/projects/{project}/report",
     401, 201, 404, 403, 403, 404),
    ("GET", "/api/kpi", "/api/kpi?zone={zone}", 401, 403, 403, 200, 200, 403),
]


def _later(ids, days=30):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


#: A valid body per line (so a refusal is the role check, not the input): JSON for the API,
#: form fields for pages. Lines without one send an empty JSON object.
BODIES = {
    ("POST", "/accounts/registrations/{join_request}/approve/"): lambda ids: {
        "note": "Checked the registry extract"},
    ("POST", "/instructions/new/"): lambda ids: {
        "number": "M-2", "issued_on": timezone.localdate().isoformat(), "issuer": ids["city"],
        "title": "Matrix", "executor": ids["dept"], "controller": ids["staff_id"],
        "deadline": _later(ids), "on_control": "on"},
    ("POST", "/instructions/{ins}/edit/"): lambda ids: {
        "number": "M-1", "issued_on": timezone.localdate().isoformat(), "issuer": ids["city"],
        "title": "Renamed", "executor": ids["dept"], "controller": ids["staff_id"]},
    ("POST", "/instructions/{ins}/report/"): lambda ids: {"text": "Done"},
    ("POST", "/instructions/{ins}/extend/"): lambda ids: {"new_deadline": _later(ids),
                                                          "reason": "Snow"},
    ("POST", "/instructions/{ins_rep}/do/accept/"): lambda ids: {"comment": "OK", "confirm": "on"},
    ("POST", "/api/match"): lambda ids: {"sector": "C25", "needs": {"power_kw": 500}},
    ("POST", "/api/instructions"): lambda ids: {
        "number": "M-2", "issued_on": timezone.localdate().isoformat(), "issuer_id": ids["city"],
        "title": "Matrix", "executor_id": ids["dept"], "controller": "demo-staff",
        "deadline": _later(ids)},
    ("PATCH", "/api/instructions/{ins}"): lambda ids: {"title": "Renamed"},
    ("POST", "/api/instructions/{ins}/report"): lambda ids: {"text": "Done"},
    ("POST", "/api/instructions/{ins_rep}/accept"): lambda ids: {"comment": "OK"},
    ("POST", "/api/instructions/{ins_rep}/return"): lambda ids: {"comment": "Photos?"},
    ("POST", "/api/instructions/{ins}/extend"): lambda ids: {"new_deadline": _later(ids),
                                                             "reason": "Snow"},
    ("POST", "/works/{work}/progress/"): lambda ids:
        _filled({"reported_on": "{today}", "percent": "100"}, ids),
    ("POST", "/works/{work}/replan/"): lambda ids:
        _filled({"planned_start": "{today}", "planned_finish": "{today}",
                                         "contract_value_kzt": "5", "reason": "Matrix"}, ids),
    ("POST", "/works/{work}/inspect/"): lambda ids:
        _filled({"inspected_on": "{today}", "inspector": "GASK"}, ids),
    ("POST", "/works/{work}/accept/"): lambda ids: _filled({"accepted_on": "{today}", "confirm": "on"}, ids),
    ("POST", "/works/{work}/cancel/"): lambda ids: _filled({"reason": "Matrix", "confirm": "on"}, ids),
    ("POST", "/works/inspections/{inspection}/fix/"): lambda ids: _filled({"fixed_on": "{today}"}, ids),
    ("POST", "/optimise/{zone}/plan/works/?scenario={scenario}"): lambda ids: {
        "work": ids["scenario_work"], "funding_source": "local", "contractor": "C",
        "confirm": "on"},
    ("POST", "/projects/{project}/report/"): lambda ids:
        _filled({"year": "{year}", "investment_kzt": "1", "jobs": "1"}, ids),
    ("POST", "/projects/{project}/status/"): lambda ids: _filled({"on": "{today}", "health": "at_risk"}, ids),
    ("POST", "/projects/{project}/terminate/"): lambda ids:
        _filled({"reason": "Matrix", "confirm": "on"}, ids),
    ("POST", "/projects/milestones/{milestone}/done/"): lambda ids: _filled({"done_on": "{today}"}, ids),
    ("POST", "/projects/milestones/{milestone}/reschedule/"): lambda ids:
        _filled({"due_on": "{today}", "reason": "M"}, ids),
    ("POST", "/projects/reports/{report}/confirm/"): lambda ids: _filled({"comment": ""}, ids),
    ("POST", "/api/works"): lambda ids: _filled({"zone": "{zone}", "name": "Matrix", "kind": "facility",
                             "contractor": "C", "funding_source": "local",
                             "planned_start": "{today}", "planned_finish": "{today}"}, ids),
    ("POST", "/api/works/{work}/progress"): lambda ids:
        _filled({"reported_on": "{today}", "percent": 100}, ids),
    ("POST", "/api/works/{work}/accept"): lambda ids: _filled({"accepted_on": "{today}"}, ids),
    ("POST", "/api/projects/{project}/report"): lambda ids: _filled({"year": "{year}", "investment_kzt": 1,
                                                    "jobs": 1}, ids),
    ("POST", "/applications/{app_free}/reserve/"): lambda ids: {
        "plot_code": ids["plot_free_code"], "expires_on": _later(ids)},
    ("POST", "/api/reservations"): lambda ids: {"plot_id": ids["plot_free"],
                                                "application_id": ids["app_free"]},
    ("POST", "/applications/{app_a}/comment/"): lambda ids: {"comment": "Matrix"},
    ("POST", "/api/applications"): lambda ids: {"project_name": "Matrix", "sector": "C25",
                                                "investment_kzt": 1, "jobs_planned": 1},
    ("POST", "/api/applications/{app_a}/reject"): lambda ids: {"comment": "No plot fits"},
    ("POST", "/applications/new/"): lambda ids: {
        "project_name": "Matrix", "sector": "C25", "investment_kzt": "1", "jobs_planned": "1"},
    ("POST", "/applications/{app_draft}/edit/"): lambda ids: {
        "project_name": "Renamed", "sector": "C25", "investment_kzt": "1", "jobs_planned": "1"},
    ("POST", "/accounts/invite/"): lambda ids: {"email": "colleague@example.com"},
    ("POST", "/applications/{app_a}/upload/"): lambda ids: {
        "file": SimpleUploadedFile("m.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")},
    ("POST", "/applications/{app_a}/withdraw/"): lambda ids: {"comment": "Matrix"},
    ("POST", "/applications/{app_draft}/submit/"): lambda ids: {"comment": ""},
    ("PATCH", "/api/applications/{app_draft}"): lambda ids: {"project_name": "Renamed"},
    ("POST", "/api/applications/{app_draft}/submit"): lambda ids: {},
    ("POST", "/api/applications/{app_a}/withdraw"): lambda ids: {},
    ("POST", "/sectors/reports/"): lambda ids: {"table": "balkhash", "fmt": "xlsx"},
    ("POST", "/dashboard/report/{year}-{month}.pdf"): lambda ids: {"zone": ids["zone"],
                                                                   "lang": "en"},
    ("POST", "/dashboard/register/plots.xlsx"): lambda ids: {"lang": "kk"},
    ("POST", "/enquiries/new/"): lambda ids: {
        "to": f"c{ids['contact']}", "name": "Matrix", "email": "matrix@example.com",
        "message": "Matrix", "website": "",
        "token": enquiry_form_token(now=timezone.now() - dt.timedelta(seconds=10))},
    ("POST", "/enquiries/{enquiry}/answered/"): lambda ids: {"note": "Called back"},
    ("POST", "/staff/import/"): lambda ids: {  # step 1: the upload and its dry run
        "layer": "plots", "zone": ids["zone"], "file": SimpleUploadedFile(
            "matrix.geojson", json.dumps(ids["new_plot"]).encode(), "application/geo+json")},
    ("POST", "/optimise/{zone}/allocation/confirm/"): lambda ids: _proposal(ids["zone"]),
    ("POST", "/projects/new/{app_ok}/"): lambda ids: _filled({
        "agreement_on": "{today}", "year_0": "{year}", "investment_0": "1", "jobs_0": "1"}, ids),
    ("POST", "/accounts/organisations/{org_new}/confirm/"): lambda ids: {
        "note": "Checked the registry extract"},
    ("POST", "/accounts/password_change/"): lambda ids: {
        "old_password": DEMO_PASSWORD, "new_password1": "Matrix-new-pw-2026",
        "new_password2": "Matrix-new-pw-2026"},
    ("POST", "/works/new/"): lambda ids: _filled({
        "zone": "{zone_pk}", "name": "Matrix", "kind": "facility", "contractor": "C",
        "funding_source": "local", "planned_start": "{today}", "planned_finish": "{today}"}, ids),
    ("POST", "/optimise/{zone}/scenarios/new/"): lambda ids: {
        "name": "Matrix 2", "periods": "2", "discount_rate": "0"},
    ("POST", "/en/news/desk/new/"): lambda ids: {"title_ru": "Матрица", "rubric": ids["rubric"],
                                                 "comments_open": "on"},
    ("POST", "/en/news/desk/{art_draft_pk}/"): lambda ids: {
        "title_ru": "Черновик", "rubric": ids["rubric"], "comments_open": "on",
        "photo_credit": "Matrix"},
    ("POST", "/en/news/desk/{art_draft_pk}/status/"): lambda ids: {"status": "review"},
    ("POST", "/en/news/{article}/comment/"): lambda ids: {
        "name": "Matrix", "text": "Matrix", "website": "", "token": ids["token"]},
    ("POST", "/en/news/{art_draft}/comment/"): lambda ids: {
        "name": "Matrix", "text": "Matrix", "website": "", "token": ids["draft_token"]},
}


#: Writing lines that send no body, and why that is the valid request (every other writing
#: line has one in BODIES, so its refusals are the role check, not the input).
NO_BODY = {
    ("POST", "/accounts/login/"): "public: nobody is refused; the form's own tests send it",
    ("POST", "/accounts/logout/"): "takes no fields",
    ("POST", "/accounts/password_reset/"): "public: nobody is refused",
    ("POST", "/accounts/register/"): "public: nobody is refused",
    ("POST", "/accounts/verify/resend/"): "public: nobody is refused",
    ("POST", "/accounts/organisation/"): "both investors have an organisation: the page has no "
                                         "form, a POST shows it (200); the others are refused",
    ("POST", "/accounts/join/forged/"): "a forged invitation is refused before any field (400)",
    ("POST", "/ru/applications/{app_a}/comment/"): "an old address: redirected, method kept",
    ("POST", "/match/"): "public: nobody is refused",
    ("POST", "/match/saved/{saved}/delete/"): "takes no fields",
    ("POST", "/applications/reservations/{res_a}/release/"): "takes no fields",
    ("POST", "/instructions/{ins}/do/start/"): "takes no fields",
    ("POST", "/instructions/calendar/"): "takes no fields",
    ("POST", "/optimise/{zone}/scenarios/{scenario}/delete/"): "takes no fields",
    ("POST", "/en/news/desk/{art_draft_pk}/discard/"): "takes no fields",
    ("POST", "/en/news/desk/comments/{comment}/approve/"): "takes no fields",
    ("POST", "/api/applications/{app_a}/start_review"): "takes no body",
    ("POST", "/api/applications/{app_a}/approve"): "takes no body",
    ("POST", "/api/reservations/{res_a}/release"): "takes no body",
}
#: An answer that is the input's, not the caller's: no line may expect one.
VALIDATION = (400, 422)


def test_every_writing_line_sends_a_valid_body():
    """Each POST/PUT/PATCH/DELETE line has a valid body, or a reason it needs none; and no
    line expects a validation answer, which would show nothing about who may call it."""
    writing = [line for line in WEB + NEWS + API if line[0] != "GET"]
    without = sorted((m, s) for m, _p, s, *_ in writing
                     if (m, s) not in BODIES | NO_BODY)
    assert not without, f"writing lines with neither a body nor a reason: {without}"
    assert not set(NO_BODY) & set(BODIES)
    assert set(NO_BODY) | set(BODIES) <= {(m, s) for m, _p, s, *_ in writing}
    expecting = [line[:3] for line in writing if set(line[3:]) & set(VALIDATION)
                 and (line[0], line[2]) != ("POST", "/accounts/join/forged/")]
    assert not expecting, f"lines expecting a validation answer: {expecting}"


def _proposal(zone_slug: str) -> dict:
    """The allocation page's current proposal, with the default weights, as its confirm
    button posts it."""
    ctx = optimise_selectors.allocation_instance(
        Zone.objects.get(slug=zone_slug), today=timezone.localdate(),
        weights=optimise_selectors.DEFAULT_WEIGHTS, values={})
    _instance, _result, answer = optimise_answers.solve_allocation_context(ctx, pinned=[],
                                                                           forbidden=[])
    pairs = optimise_answers.readable(answer)["assignments"]
    return {**{k: str(v) for k, v in optimise_selectors.DEFAULT_WEIGHTS.items()},
            "pair": [f"{a['application']}:{a['plot']}" for a in pairs]}


def _patterns(resolver=None, prefix=""):
    """Every route of the URLconf as written (pages without the language prefix)."""
    if resolver is None:
        with translation.override(settings.LANGUAGE_CODE):
            yield from _patterns(get_resolver(), prefix)
        return
    for p in resolver.url_patterns:
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
    covered = {p for _, p, *_ in WEB + NEWS}
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
    from importlib import import_module

    from django.http import HttpResponse
    from django.urls import path

    module = types.ModuleType("matrix_probe_urls")
    # Spliced, not included: the news pages' language prefixes must stay at the top level.
    module.urlpatterns = [path("probe/<int:pk>/", lambda r, pk: HttpResponse()),
                          *import_module(settings.ROOT_URLCONF).urlpatterns]
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
    registrant = account_services.user_create(actor=None, username="matrix-registrant",
                                              password="matrix-registrant-pw", role="investor")
    join_request = account_services.join_request_create(
        actor=registrant, organisation_name="Matrix", country="KZ", number="180140005227")
    saved = saved_search_create(actor=users["a"], name="Matrix", request={"sector": "C25"})
    new_plot = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": "MATRIX-1"},
        "geometry": shapely.geometry.mapping(_boxes(demo, 1)[0])}]}
    org_new = Organisation.objects.create(name="Matrix GmbH", country="DE",
                                          registration_number="HRB 2026")  # not confirmed
    ids = {"app_a": app.pk, "res_a": res.pk, "saved": saved.pk, "zone_pk": demo.pk, "org_new": org_new.pk,
           "new_plot": new_plot,
           "att_a": att.pk, "plot": plot.pk,
           "plot_code": plot.code, "zone": demo.slug, "draft": draft.pk, "draft_code": draft.code,
           "join_request": join_request.pk, "org_a": users["a"].organisation_id,
           "scenario": scenario.pk, "logo": Branding.objects.get().logo_sha,
           "scenario_work": scenario.result["schedule"][0]["work"]}
    ids |= _instructions(users)
    ids |= _execution(users, demo, exclude=plot)
    ids |= _enquiries(demo)
    ids |= _unreserved(users, demo)
    ids |= _report(users, settings, tmp_path)
    clients = {"anon": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    tokens = {role: token_create(actor=None, user=u) for role, u in users.items()}
    return ids, clients, tokens


def _report(users, settings, tmp_path) -> dict:
    """``{report_job}``: a register built for the zone office's staff user, its file on disk."""
    settings.PROMZONA_VAR_DIR = tmp_path / "var"
    with translation.override("en"):
        job = report_ask(actor=users["staff"], kind="dashboard.register", fmt="xlsx",
                         params={"what": "plots", "zone": None,
                                 "today": timezone.localdate().isoformat()})
    report_build(job.pk)
    return {"report_job": job.pk}


def _instructions(users) -> dict:
    """``{ins}``: issued to demo-executor's department, controlled by demo-staff; ``{ins_rep}``:
    the same, reported with a document ``{ins_att}``; ``{feed}``: demo-executor's calendar key."""
    city = Body.objects.get(kind="city", name_en="Balkhash city akimat")
    dept = Body.objects.get(members=users["executor"])
    today = timezone.localdate()

    def issue(number):
        return instruction_services.instruction_issue(
            actor=users["staff"], number=number, issued_on=today, issuer=city, title="Matrix",
            executor=dept, executor_person=users["executor"], controller=users["staff"],
            deadline=today + dt.timedelta(days=10))

    ins, rep = issue("M-1"), issue("M-0")
    report = instruction_services.instruction_report(
        actor=users["executor"], instruction=rep, text="Done",
        uploads=[SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")])
    return {"ins": ins.pk, "ins_rep": rep.pk, "ins_att": report.attachments.get().pk,
            "feed": instruction_calendar.feed_create(actor=users["executor"]),
            "city": city.pk, "dept": dept.pk, "staff_id": users["staff"].pk}


def _execution(users, demo, *, exclude) -> dict:
    """A line work reported 100% done with a photo, an open finding on another work; investor
    A's project with an overdue obligation, a milestone and a submitted report."""
    today = timezone.localdate()
    line = UtilityLine.objects.get(zone=demo, code="PO-3")
    work = work_services.work_create(
        actor=users["staff"], zone=demo, name="Matrix line", kind="line", line=line,
        contractor="C", funding_source="local", planned_start=today, planned_finish=today)
    progress = work_services.work_report_progress(actor=users["staff"], work=work,
                                                  reported_on=today, percent=100,
                                                  photos=[_png()])
    other = work_services.work_create(
        actor=users["staff"], zone=demo, name="Matrix terminal", kind="facility",
        contractor="C", funding_source="republican", planned_start=today, planned_finish=today)
    inspection = work_services.work_inspect(actor=users["staff"], work=other, inspected_on=today,
                                            inspector="GASK", findings="x", fix_by=today)
    ObligationRule.objects.create(zone=demo, milestone="construction_start", months=1)
    plot = Plot.objects.filter(zone=demo, status="published").exclude(pk=exclude.pk) \
        .order_by("code").first()
    approved = services.application_create(actor=users["a"], project_name="Matrix project",
                                           sector="C25", investment_kzt=1, jobs_planned=1,
                                           needs={"power_kw": 10})
    services.application_submit(actor=users["a"], application=approved)
    services.plot_reserve(actor=users["staff"], plot=plot, application=approved)
    services.application_approve(actor=users["staff"], application=approved)
    agreement = today - dt.timedelta(days=100)
    project = project_services.project_create(actor=users["staff"], application=approved,
                                              agreement_on=agreement,
                                              plan=[(agreement.year, 1, 1)])
    report = project_services.project_report(actor=users["a"], project=project, year=today.year,
                                             investment_kzt=1, jobs=1)
    plot = Plot.objects.filter(zone=demo, status="published").exclude(pk__in=[exclude.pk, plot.pk]) \
        .order_by("code").first()
    ready = services.application_create(actor=users["a"], project_name="Matrix approved",
                                        sector="C25", investment_kzt=1, jobs_planned=1,
                                        needs={"power_kw": 10})
    services.application_submit(actor=users["a"], application=ready)
    services.plot_reserve(actor=users["staff"], plot=plot, application=ready)
    services.application_approve(actor=users["staff"], application=ready)
    return {"work": work.pk, "inspection": inspection.pk, "app_ok": ready.pk,
            "photo": progress.photos.get().pk,
            "project": project.pk, "milestone": project.milestones.get(kind="design").pk,
            "report": report.pk, "today": today.isoformat(),
            "year": today.year, "month": today.month}


def _unreserved(users, demo) -> dict:
    """Investor A's submitted application holding no plot, and a published plot no one holds:
    what staff may reserve (so only the role refuses the others); ``{app_draft}``: investor A's
    draft, which A may edit and submit."""
    app = services.application_create(actor=users["a"], project_name="Matrix unreserved",
                                      sector="C25", investment_kzt=1, jobs_planned=1,
                                      needs={"power_kw": 10})
    services.application_submit(actor=users["a"], application=app)
    plot = Plot.objects.filter(zone=demo, status="published", reservations__isnull=True) \
        .order_by("code").first()
    draft = services.application_create(actor=users["a"], project_name="Matrix draft",
                                        sector="C25", investment_kzt=1, jobs_planned=1,
                                        needs={"power_kw": 10})
    return {"app_free": app.pk, "plot_free": plot.pk, "plot_free_code": plot.code,
            "app_draft": draft.pk}


def _enquiries(demo) -> dict:
    """``{contact}``: the demo zone's first contact; ``{enquiry}``: an enquiry to them."""
    contact = Contact.objects.filter(zone=demo).order_by("position").first()
    enquiry = enquiry_submit(
        actor=None, enquiry=Enquiry(zone=demo, contact=contact, name="Matrix", language="en",
                                    email="matrix@example.com", message="Matrix"),
        token=enquiry_form_token(now=timezone.now() - dt.timedelta(seconds=10)), honeypot="",
        now=timezone.now())
    return {"contact": contact.pk, "enquiry": enquiry.pk}


def _png() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG")
    return SimpleUploadedFile("p.png", buf.getvalue())


def _filled(value, ids):
    """``value`` with the sample ids filled in; "{name}" alone keeps the id's type (a number)."""
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("{") and value[1:-1] in ids:
        return ids[value[1:-1]]
    return value.format(**ids) if isinstance(value, str) else value


def _body(method, sample, ids):
    """A fresh valid body for the line (files are read once), or ``None``."""
    make = BODIES.get((method, sample))
    return make(ids) if make else None


def _cell(client, method, url, headers=None, body=None):
    """The status of one request, rolled back; a page's answer that carries an error or a
    warning (the body was refused, not the caller), or shows its form again with errors, is
    ``"<status> refused: <message>"``, so it cannot pass for an answer that did the work."""
    with transaction.atomic():
        if method == "GET":
            r = client.get(url, **(headers or {}))
        elif body is not None and not url.startswith("/api/"):
            r = client.generic(method, url, **_encoded(body), **(headers or {}))
        else:
            r = client.generic(method, url, json.dumps(body or {}), content_type="application/json",
                               **(headers or {}))
        transaction.set_rollback(True)
    errors = [str(m) for m in getattr(r.wsgi_request, "_messages", ())
              if m.level >= messages.WARNING] if hasattr(r, "wsgi_request") else []
    if body is not None and not errors:
        form = r.context.get("form") if r.context else None
        errors = [f"{k}: {v[0]}" for k, v in getattr(form, "errors", {}).items()]
    return f"{r.status_code} refused: {errors[0]}" if errors and body is not None else r.status_code


def _encoded(body) -> dict:
    """A form body as the browser sends it (multipart, so files go too)."""
    return {"data": encode_multipart(BOUNDARY, body),
            "content_type": MULTIPART_CONTENT}


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
    _check(line, lambda role: _cell(clients[role], line[0], url, body=_body(line[0], line[2], ids)))


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: Routes whose methods are another's rules: Django's admin and its password-reset link (which
#: answers a bad link whatever the method), django-ninja's schema and docs, and the old Russian
#: addresses, which redirect every method to the same page (308 keeps it).
METHODS_NOT_OURS = ("admin/", "api/docs", "api/openapi.json", "accounts/reset/<uidb64>/<token>/",
                    "^ru(?:/.*)?\\Z")


@pytest.mark.parametrize("pattern", sorted({p for _m, p, *_ in WEB + NEWS
                                            if not p.startswith(METHODS_NOT_OURS)}))
def test_every_method_a_route_accepts_has_a_line(newsroom, pattern):
    """A method without a line is refused with 405 to the role that passes the route's other
    checks (the others may be refused first); so no method a view answers escapes the matrix,
    and a reading page does not answer POST, PUT, PATCH or DELETE as if it were GET."""
    ids, clients = newsroom
    lines = [line for line in WEB + NEWS if line[1] == pattern]
    listed = {m for m, *_ in lines}
    sample = lines[0][2].format(**ids)
    accepted = {}
    for method in sorted(set(METHODS) - listed):
        observed = {role: _cell(clients[role], method, sample)
                    for role in ("a", "staff", "manager", "executor", "editor")}
        if 405 not in observed.values():
            accepted[method] = observed
    assert not accepted, f"{pattern}: methods answered without a line: {accepted}"


@pytest.fixture
def newsroom(world, demo, settings, tmp_path):
    """A published article with a photo and a pending comment, and a draft with a photo."""
    ids, clients, tokens = world
    editor = User.objects.get(username="demo-editor")
    article = make_article(editor, title_ru="Матрица", photo=jpeg((64, 48)))
    news_services.article_save(actor=editor, now=article.updated_at, article=article,
                               fields={"rubric": rubric_for(slug="investors")}, tags=["matrix"])
    draft = make_article(editor, publish=False, title_ru="Черновик матрицы", photo=jpeg((64, 48)))
    now = timezone.now()
    comment = news_comments.comment_post(
        article=article, name="N", text="T", address="192.0.2.99", now=now,
        token=news_comments.form_token(article=article, now=now - dt.timedelta(seconds=10)))
    token = news_comments.form_token(article=article, now=now - dt.timedelta(seconds=10))
    draft_token = news_comments.form_token(article=draft, now=now - dt.timedelta(seconds=10))
    news_ids = {**ids, "token": token, "draft_token": draft_token, "article": article.slug,
                "article_pk": article.pk,
                "news_photo": article.photo.name.rsplit("/", 1)[-1], "art_draft": draft.slug,
                "art_draft_pk": draft.pk, "draft_photo": draft.photo.name.rsplit("/", 1)[-1],
                "comment": comment.pk, "rubric": rubric_for(slug="investors").pk}
    clients["editor"] = Client()
    clients["editor"].force_login(editor)
    return news_ids, clients


@pytest.mark.parametrize("line", NEWS, ids=[f"{m} {p}" for m, p, *_ in NEWS])
def test_news_matrix(newsroom, line):
    ids, clients = newsroom
    url = line[2].format(**ids)
    method, pattern, sample, *expected = line
    observed = [_cell(clients[role], method, url, body=_body(method, sample, ids))
                for role in (*ROLES, "editor")]
    if os.environ.get("PROMZONA_MATRIX_DUMP"):
        print(f'("{method}", "{pattern}", "{sample}", {", ".join(map(str, observed))}),')
    assert observed == expected, line


@pytest.mark.parametrize("line", WEB, ids=[f"{m} {p}" for m, p, *_ in WEB])
def test_editor_reaches_nothing_more_elsewhere(newsroom, line):
    """Outside the newsroom an editor gets what a stranger (anonymous or the other investor)
    gets, or is refused."""
    ids, clients = newsroom
    method, _pattern, sample, anon, _a, b, *_ = line
    observed = _cell(clients["editor"], method, sample.format(**ids),
                     body=_body(method, sample, ids))
    assert observed in (anon, b, 403, 404), (line, observed)


@pytest.mark.parametrize("line", API, ids=[f"{m} {p}" for m, p, *_ in API])
def test_api_matrix(world, line):
    ids, _, tokens = world
    url = line[2].format(**ids)
    client = Client()

    def observe(role):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role in tokens else {}
        return _cell(client, line[0], url, headers, _body(line[0], line[2], ids))

    _check(line, observe)


def test_every_method_an_api_path_accepts_has_a_line(world):
    """The API answers 405 to every method its lines do not list, so no operation left out of
    the schema (which the lines are checked against) escapes the matrix."""
    ids, _, tokens = world
    client = Client()
    accepted = {}
    for path in sorted({p for _m, p, *_ in API}):
        lines = [line for line in API if line[1] == path]
        sample = lines[0][2].format(**ids)
        for method in sorted(set(METHODS) - {m for m, *_ in lines}):
            status = _cell(client, method, sample, {"HTTP_AUTHORIZATION": f"Bearer {tokens['staff']}"})
            if status != 405:
                accepted[(method, path)] = status
    assert not accepted, f"API methods answered without a line: {accepted}"
