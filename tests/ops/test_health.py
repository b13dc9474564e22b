"""Liveness answers while the process runs; readiness also needs the database, every migration
and (with tasks on the database) a worker seen lately."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from promzona.ops.health import HEARTBEAT_STALE, heartbeat

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_liveness_answers_ok(client):
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readiness_without_a_worker_on_database_tasks_is_unavailable(client, settings):
    settings.TASKS = DB_TASKS
    r = client.get("/api/health/ready")
    assert r.status_code == 503
    assert r.json()["checks"]["worker"].startswith("no heartbeat")
    assert r.json()["checks"]["database"] == "ok"


def test_readiness_with_a_recent_heartbeat_is_ok(client, settings):
    settings.TASKS = DB_TASKS
    heartbeat("w1")
    r = client.get("/api/health/ready")
    assert r.status_code == 200, r.json()
    assert r.json() == {"status": "ok",
                        "checks": {"database": "ok", "migrations": "ok", "worker": "ok"}}


def test_a_stale_heartbeat_means_no_worker(client, settings):
    settings.TASKS = DB_TASKS
    heartbeat("w1", now=timezone.now() - HEARTBEAT_STALE - dt.timedelta(seconds=1))
    assert client.get("/api/health/ready").status_code == 503


@pytest.mark.parametrize("name", ["0001_initial", "0002_report"])  # the first, and the last
def test_a_migration_not_applied_makes_the_site_unready(client, name):
    assert MigrationRecorder.Migration.objects.filter(app="ops", name=name).delete()[0] == 1
    r = client.get("/api/health/ready")
    assert r.status_code == 503 and f"ops.{name}" in r.json()["checks"]["migrations"]


def test_immediate_tasks_need_no_worker(client):
    r = client.get("/api/health/ready")
    assert r.status_code == 200 and "worker" not in r.json()["checks"]


def test_staff_see_the_background_tasks_in_the_admin(staff_client):
    assert staff_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200


def test_managers_do_not_see_the_background_tasks(manager_client):
    assert manager_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 302
