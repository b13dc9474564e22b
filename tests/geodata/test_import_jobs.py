"""Confirmed imports run on the worker: the page shows them waiting with their progress (and
reloads itself), then the report; a job runs once; a file gone or refused imports nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from promzona.geodata import jobs, uploads
from promzona.geodata.models import ImportJob
from promzona.zones.models import Plot

from .test_import_export import make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(staff_client, demo, tmp_path):
    """A confirmed import of two new plots, not yet run (no commit in this test)."""
    path, _ = make_file("gpkg", tmp_path, demo, prefix="JOB")
    r = staff_client.post("/staff/import/", {
        "file": SimpleUploadedFile(path.name, path.read_bytes()), "layer": "plots",
        "zone": "balkhash"})
    r = staff_client.post("/staff/import/", {"confirm": r.context["confirm"]})
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("geodata:import-job", args=[job.pk])
    yield job
    (uploads.UPLOADS / job.options["token"]).unlink(missing_ok=True)


def test_a_waiting_import_shows_its_progress_and_reloads(staff_client, queued):
    uploads.progress_write(queued.options["token"], 250, 1000)
    page = staff_client.get(reverse("geodata:import-job", args=[queued.pk])).content.decode()
    assert "250 of 1000 rows" in page and 'value="25"' in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert not Plot.objects.filter(code__startswith="JOB-").exists()


def test_the_worker_imports_it_once_with_the_audit_trail(staff_client, queued):
    from promzona.audit.models import AuditEntry

    assert jobs.import_job_run(queued.pk) == "done"
    assert jobs.import_job_run(queued.pk) == "taken"
    queued.refresh_from_db()
    assert queued.status == "done" and queued.report["counts"]["create"] == 2
    assert Plot.objects.filter(code__startswith="JOB-").count() == 2
    assert AuditEntry.objects.filter(action="import.queued").exists()
    assert not (uploads.UPLOADS / queued.options["token"]).exists()
    page = staff_client.get(reverse("geodata:import-job", args=[queued.pk])).content.decode()
    assert "http-equiv" not in page and "JOB-1" in page


def test_a_file_gone_before_the_worker_ran_fails_clearly(staff_client, queued):
    (uploads.UPLOADS / queued.options["token"]).unlink()
    assert jobs.import_job_run(queued.pk) == "failed"
    queued.refresh_from_db()
    assert "gone" in queued.error and not Plot.objects.filter(code__startswith="JOB-").exists()


def test_an_import_that_cannot_run_fails_clearly_and_imports_nothing(staff_client, queued):
    ImportJob.objects.filter(pk=queued.pk).update(options={**queued.options, "zone": None})
    assert jobs.import_job_run(queued.pk) == "failed"
    queued.refresh_from_db()
    assert "zone" in queued.error and not Plot.objects.filter(code__startswith="JOB-").exists()


@pytest.mark.parametrize("username, status", [("demo-investor", 403), ("demo-manager", 403),
                                              (None, 302)])
def test_other_roles_do_not_see_import_jobs(queued, username, status):
    from django.test import Client

    from promzona.demo.accounts import DEMO_PASSWORD

    client = Client()
    if username:
        assert client.login(username=username, password=DEMO_PASSWORD)
    assert client.get(reverse("geodata:import-job", args=[queued.pk])).status_code == status
