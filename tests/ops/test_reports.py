"""Reports built on the worker (``ops.reports``): the job's states, reuse of a request waiting or
of a file built from the same data, failures shown and logged, who may read, old files removed,
and the sector report rows kept when they moved here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from promzona.accounts.models import User
from promzona.core.errors import Forbidden, NotFound
from promzona.ops import reports
from promzona.ops.models import Report
from promzona.ops.reports import Kind, report_ask, report_build, report_of, reports_clean

pytestmark = pytest.mark.django_db

#: What the probe kind saw while building: the job's status then, how many builds.
SEEN: dict = {}


def _build(params: dict, fmt: str) -> bytes:
    SEEN["status"] = list(Report.objects.values_list("status", flat=True))
    SEEN["builds"] = SEEN.get("builds", 0) + 1
    if params.get("fail"):
        raise RuntimeError("disk on fire")
    return f"built {params['n']} in {translation.get_language()}".encode()


PROBE = Kind(build=_build, title=lambda p: f"Probe {p['n']}", filename=lambda p: "probe",
             version=lambda: SEEN.get("version", "v1"), roles=("staff", "manager"),
             back="dashboard:index")


@pytest.fixture
def probe(monkeypatch, settings, tmp_path):
    settings.PROMZONA_VAR_DIR = tmp_path
    SEEN.clear()
    monkeypatch.setitem(reports.KINDS, "probe", f"{__name__}.PROBE")
    return User.objects.get(username="demo-manager")


def _files() -> list:
    folder = reports.reports_dir()
    return sorted(folder.iterdir()) if folder.exists() else []


def _ask(user, n=1, fmt="pdf", **params):
    return report_ask(actor=user, kind="probe", params={"n": n, **params}, fmt=fmt)


def test_a_report_goes_from_queued_to_running_to_done(probe, client):
    client.force_login(probe)
    job = _ask(probe)
    assert job.status == "queued" and not job.finished
    page = client.get(reverse("ops:report", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "waiting for the worker" in page
    assert "report-download" not in page
    assert report_build(job.pk) == "done"
    assert SEEN["status"] == ["running"]  # the worker had taken it while it built
    job.refresh_from_db()
    assert job.status == "done" and job.finished and job.error == ""
    page = client.get(reverse("ops:report", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page and "report-download" in page
    r = client.get(reverse("ops:report-file", args=[job.pk]))
    assert b"".join(r.streaming_content) == b"built 1 in en"
    assert r["Content-Disposition"] == 'attachment; filename="probe-en.pdf"'


def test_a_running_report_says_so_and_is_not_taken_twice(probe, client):
    client.force_login(probe)
    job = _ask(probe)
    Report.objects.filter(pk=job.pk).update(status="running")
    page = client.get(reverse("ops:report", args=[job.pk])).content.decode()
    assert "being prepared" in page and 'http-equiv="refresh"' in page
    assert report_build(job.pk) == "taken" and "builds" not in SEEN


def test_a_failed_report_is_explained_to_the_user_and_logged(probe, client, caplog):
    client.force_login(probe)
    job = _ask(probe, fail=True)
    assert report_build(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and job.file == "" and job.finished
    assert "disk on fire" in caplog.text and f"report {job.pk}" in caplog.text
    page = client.get(reverse("ops:report", args=[job.pk])).content.decode()
    assert "could not be prepared" in page and 'role="alert"' in page
    assert "disk on fire" not in page and 'http-equiv="refresh"' not in page
    assert client.get(reverse("ops:report-file", args=[job.pk])).status_code == 404
    assert _files() == []


def test_the_same_request_waiting_is_reused(probe):
    first = _ask(probe)
    assert _ask(probe).pk == first.pk
    Report.objects.filter(pk=first.pk).update(status="running")
    assert _ask(probe).pk == first.pk
    assert Report.objects.count() == 1


def test_other_parameters_format_language_or_user_are_other_reports(probe):
    first = _ask(probe)
    with translation.override("kk"):
        kk = _ask(probe)
    staff = User.objects.get(username="demo-staff")
    others = {_ask(probe, n=2).pk, _ask(probe, fmt="xlsx").pk, kk.pk, _ask(staff).pk}
    assert len(others) == 4 and first.pk not in others
    assert report_build(kk.pk) == "done"
    assert (reports.reports_dir() / Report.objects.get(pk=kk.pk).file).read_bytes() == \
        b"built 1 in kk"


def test_a_report_built_from_the_same_data_is_served_again_without_building(probe):
    first = _ask(probe)
    report_build(first.pk)
    assert _ask(probe).pk == first.pk and SEEN["builds"] == 1
    SEEN["version"] = "v2"  # the data changed
    second = _ask(probe)
    assert second.pk != first.pk and second.status == "queued"


def test_a_failed_or_removed_report_is_asked_again(probe):
    failed = _ask(probe, fail=True)
    report_build(failed.pk)
    assert _ask(probe, fail=True).pk != failed.pk
    done = _ask(probe)
    report_build(done.pk)
    (reports.reports_dir() / Report.objects.get(pk=done.pk).file).unlink()
    assert _ask(probe).pk != done.pk


def test_only_the_kinds_roles_may_ask_and_only_the_asker_may_read(probe, client):
    investor = User.objects.get(username="demo-investor")
    with pytest.raises(Forbidden):
        _ask(investor)
    with pytest.raises(Forbidden):
        _ask(None)
    with pytest.raises(NotFound):
        report_ask(actor=probe, kind="nope", params={}, fmt="pdf")
    job = _ask(probe)
    report_build(job.pk)
    staff = User.objects.get(username="demo-staff")
    with pytest.raises(NotFound):
        report_of(staff, job.pk)
    client.force_login(staff)
    assert client.get(reverse("ops:report-file", args=[job.pk])).status_code == 404
    User.objects.filter(pk=probe.pk).update(role="investor")  # no longer an analyst
    client.force_login(probe)
    assert client.get(reverse("ops:report", args=[job.pk])).status_code == 404
    assert client.get(reverse("ops:report-file", args=[job.pk])).status_code == 404


def test_old_reports_and_their_files_are_removed(probe):
    now = timezone.now()
    then = now - reports.KEEP - dt.timedelta(minutes=1)
    old = report_ask(actor=probe, kind="probe", params={"n": 1}, fmt="pdf", now=then)
    report_build(old.pk, now=then)
    path = reports.reports_dir() / Report.objects.get(pk=old.pk).file
    assert path.is_file()
    fresh = _ask(probe, n=2)
    assert report_build(fresh.pk, now=now) == "done"  # each build cleans up
    assert not Report.objects.filter(pk=old.pk).exists() and not path.is_file()
    assert reports_clean(now=now + reports.KEEP + dt.timedelta(minutes=1)) == 1
    assert _files() == []


def test_the_clean_command_removes_old_reports(probe):
    from io import StringIO

    from django.core.management import call_command

    old = _ask(probe)  # never built: the worker was away for longer than reports are kept
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - 2 * reports.KEEP)
    _ask(probe, n=2)  # a fresh request stays
    out = StringIO()
    call_command("reports", "clean", stdout=out)
    assert "1 old report(s) removed" in out.getvalue()
    assert list(Report.objects.values_list("params__n", flat=True)) == [2]


@pytest.mark.django_db(transaction=True)
def test_the_sector_reports_move_with_their_files_and_states(demo):
    executor = MigrationExecutor(connection)
    executor.migrate([("sectors", "0001_initial")])
    old = executor.loader.project_state([("sectors", "0001_initial")]).apps
    user = User.objects.get(username="demo-manager")
    at = timezone.now()
    old.get_model("sectors", "ReportJob").objects.create(
        user_id=user.pk, table="balkhash", fmt="pdf", language="kk", status="done",
        file="7-abc.pdf", created_at=at, finished_at=at)
    old.get_model("sectors", "ReportJob").objects.create(
        user_id=user.pk, table="kazakhstan", fmt="xlsx", language="en", status="queued",
        created_at=at)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = {(r.params["table"], r.fmt, r.language, r.status, r.file, r.user_id)
             for r in Report.objects.filter(kind="sectors")}
    assert moved == {("balkhash", "pdf", "kk", "done", "7-abc.pdf", user.pk),
                     ("kazakhstan", "xlsx", "en", "queued", "", user.pk)}
    # the moved request is the one a new ask with the same parameters finds
    waiting = Report.objects.get(kind="sectors", status="queued")
    with translation.override("en"):
        assert report_ask(actor=user, kind="sectors", params={"table": "kazakhstan"},
                          fmt="xlsx").pk == waiting.pk


@pytest.mark.db_concurrency
@pytest.mark.django_db(transaction=True)
def test_simultaneous_asks_of_one_user_queue_one_report(demo, settings, tmp_path):
    import threading

    from django.test import Client

    from tests.threads import run_threads

    settings.PROMZONA_VAR_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    manager = User.objects.get(username="demo-manager")
    start, lock, places = threading.Barrier(8, timeout=120), threading.Lock(), []

    def ask(i):
        client = Client(raise_request_exception=False)
        client.force_login(manager)
        start.wait()
        r = client.post("/en/dashboard/register/plots.pdf", {"lang": "ru"})
        with lock:
            places.append((r.status_code, r.get("Location")))

    run_threads(8, ask)
    assert len(set(places)) == 1 and places[0][0] == 302, places
    assert Report.objects.count() == 1
