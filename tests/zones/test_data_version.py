"""The zones' data version: it moves with the data the matching index holds and nothing else,
and every app server's index follows it (several servers share one database)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from promzona.accounts import services as accounts
from promzona.accounts.models import User
from promzona.api.services import token_create
from promzona.applications import services as applications
from promzona.geodata.services import layer_import
from promzona.matching.selectors import IndexCache, match_index
from promzona.matching.services import saved_search_create
from promzona.news import comments
from promzona.zones import services as zones
from promzona.zones.models import Plot, UtilityLine, UtilitySource
from promzona.zones.models.version import DataVersion, VersionedQuerySet
from promzona.zones.selectors import data_version
from tests.geodata.test_import_export import make_file
from tests.news.conftest import make_article

NEEDS = {"power_kw": 100, "water_m3_day": 5, "sewage_m3_day": 0, "heat_gcal_h": 0, "gas_m3_h": 0}
MATCH = {"sector": "C25", "area_ha": {"min": 0.5, "max": 20}, "needs": {"power_kw": 100}}


@pytest.fixture
def staff(demo):
    return User.objects.get(username="demo-staff")


@pytest.mark.parametrize("app, at_least", [("zones", 10), ("news", 6)])
def test_every_versioned_model_writes_in_bulk_through_the_versioned_queryset(app, at_least):
    models = [m for m in apps.get_app_config(app).get_models() if m is not DataVersion]
    assert len(models) >= at_least and set(DataVersion.ROWS) == {"zones", "news"}
    for model in models:
        assert isinstance(model.objects.all(), VersionedQuerySet), model


def test_the_versions_of_two_apps_are_read_together_and_move_apart(demo, staff):
    both = data_version("zones", "news")
    assert both == f"{data_version()}:{data_version('news')}"
    plot = Plot.objects.filter(zone=demo).order_by("code").first()
    zones.feature_save(actor=staff, obj=plot)
    zones_token, news_token = data_version("zones", "news").split(":")
    assert zones_token != both.split(":")[0] and news_token == both.split(":")[1]


def test_a_comment_a_token_a_saved_search_a_registration_leave_the_version_alone(demo, staff):
    before = data_version()
    ix = match_index()
    now = timezone.now()
    article = make_article(User.objects.get(username="demo-editor"))  # news, not zones data
    comments.comment_post(article=article, name="Айгерим", text="Хорошо", address="203.0.113.7",
                          token=comments.form_token(article=article,
                                                    now=now - dt.timedelta(seconds=10)),
                          now=now)
    token_create(actor=staff, user=staff)
    investor = User.objects.get(username="demo-investor")
    saved_search_create(actor=investor, name="Metal", request=MATCH)
    accounts.investor_register(organisation_name="Балхаш Металл", country="KZ",
                               number="180140005227", username="newcomer",
                               email="newcomer@example.kz", password="steel-and-copper-27")
    assert data_version() == before
    assert match_index() is ix  # not rebuilt


def test_a_plot_edit_changes_the_version_and_the_index(demo, staff):
    before, ix = data_version(), match_index()
    plot = Plot.objects.filter(zone=demo).order_by("code").first()
    plot.declared_area_ha += 1
    zones.feature_save(actor=staff, obj=plot)
    assert data_version() != before
    rebuilt = match_index()
    assert rebuilt is not ix
    assert next(p for p in rebuilt.plots if p.id == plot.pk).area_ha == float(
        plot.declared_area_ha)


def test_a_status_change_by_a_queryset_update_changes_the_version(demo):
    before = data_version()
    assert Plot.objects.filter(zone=demo, status="draft").update(status="published")
    assert data_version() != before


def test_an_update_that_matches_no_row_leaves_the_version_alone(demo):
    before = data_version()
    assert Plot.objects.filter(code="NO-SUCH-PLOT").update(status="published") == 0
    assert data_version() == before


def test_a_reservation_commits_capacity_and_changes_the_version(demo, staff):
    investor = User.objects.get(username="demo-investor")
    app = applications.application_create(
        actor=investor, project_name="Metal works", sector="C25", investment_kzt=1_000_000_000,
        jobs_planned=120, needs=NEEDS, preferred_plots=[])
    applications.application_submit(actor=investor, application=app)
    plot = Plot.objects.filter(zone=demo, status=Plot.Status.PUBLISHED).order_by("code").first()
    committed = {s.id: s.committed for s in match_index().sources}
    before = data_version()
    applications.plot_reserve(actor=staff, plot=plot, application=app)
    assert data_version() != before
    after = {s.id: s.committed for s in match_index().sources}
    assert after != committed  # the new index holds the commitment


def test_a_line_completion_changes_the_version(demo, staff):
    line = UtilityLine.objects.filter(zone=demo).exclude(
        status=UtilityLine.Status.EXISTING).first()
    before = data_version()
    line.status = UtilityLine.Status.EXISTING
    zones.feature_save(actor=staff, obj=line)
    assert data_version() != before
    assert next(ln for ln in match_index().lines if ln.id == line.pk).status == "existing"


def test_an_import_changes_the_version(demo, staff, tmp_path):
    path, crs = make_file("gpkg", tmp_path, demo)
    before = data_version()
    report = layer_import(actor=staff, path=path, layer="plots", zone=demo, crs=crs)
    assert report.written and report.counts["create"] == 2
    assert data_version() != before
    codes = {p.code for p in match_index().plots}
    assert {"IMP-1", "IMP-2"} <= codes


def test_a_dry_run_import_leaves_the_version_alone(demo, staff, tmp_path):
    path, crs = make_file("gpkg", tmp_path, demo)
    before = data_version()
    layer_import(actor=staff, path=path, layer="plots", zone=demo, crs=crs, dry_run=True)
    assert data_version() == before


def test_a_match_on_server_b_sees_a_change_made_on_server_a(demo, staff):
    server_a, server_b = IndexCache(), IndexCache()
    source = UtilitySource.objects.filter(zone=demo).order_by("code").first()
    old_b = server_b.get()
    assert next(s for s in old_b.sources if s.id == source.pk).capacity == float(source.capacity)
    source.capacity += 1000
    zones.feature_save(actor=staff, obj=source)  # written by server A's request
    server_a.get()
    seen = server_b.get()
    assert seen is not old_b
    assert next(s for s in seen.sources if s.id == source.pk).capacity == float(source.capacity)


def test_a_lost_version_row_is_created_again_by_the_next_write(demo, staff):
    DataVersion.objects.all().delete()
    assert data_version() == ""
    plot = Plot.objects.filter(zone=demo).order_by("code").first()
    zones.feature_save(actor=staff, obj=plot)
    assert data_version() != "" and DataVersion.objects.count() == 1
