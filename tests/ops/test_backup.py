"""Backups: a drill while reservations are being written (restored into a fresh database, every
invariant holds and nothing acknowledged before the backup started is missing), and a restore
that refuses what is not a whole promzona backup and changes nothing then.

On SQLite in ``make test``; on PostgreSQL (pg_dump/pg_restore) in ``.ci/run``'s second leg.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from promzona.accounts.models import User
from promzona.applications import services
from promzona.core.errors import Conflict
from promzona.ops.backup import backup_create
from promzona.zones.models import Plot
from tests.applications.conftest import make_application
from tests.threads import run_threads

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]

WRITERS = 3

INVARIANTS = {
    "double_booked": "SELECT plot_id FROM applications_reservation WHERE status = 'active' "
                     "GROUP BY plot_id HAVING COUNT(*) > 1",
    "ledger": "SELECT s.id, s.committed, (SELECT SUM(c.amount) FROM zones_capacitycommitment c "
              "WHERE c.source_id = s.id AND c.status = 'active') FROM zones_utilitysource s",
    "reservations": "SELECT id FROM applications_reservation",
}


class Fresh:
    """A fresh, empty database of the engine under test, for ``promzona restore``."""

    def __init__(self, tmp: Path):
        db = connection.settings_dict
        self.vendor = connection.vendor
        self.env = {**os.environ, "PROMZONA_VAR_DIR": str(tmp / "var")}
        if self.vendor == "postgresql":
            self.name = f"{db['NAME']}_restore"
            self.params = {"host": db["HOST"] or "localhost", "port": db["PORT"] or 5432,
                           "user": db["USER"], "password": db["PASSWORD"]}
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
            self.env["PROMZONA_DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{self.params['host']}:"
                f"{self.params['port']}/{self.name}")
        else:
            self.env.pop("PROMZONA_DATABASE_URL", None)
            self.path = tmp / "var" / "promzona.sqlite3"

    def _admin(self, *sql: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
            for statement in sql:
                conn.execute(statement)

    def promzona(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "promzona", *args], env=self.env,
                              capture_output=True, text=True, timeout=600)

    def query(self, sql: str) -> list[tuple]:
        if self.vendor == "postgresql":
            with psycopg.connect(dbname=self.name, **self.params) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchall()

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}"')


@pytest.fixture
def fresh(tmp_path):
    db = Fresh(tmp_path)
    yield db
    db.drop()


def _amount(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.001"))


def test_a_backup_taken_under_writes_restores_whole_and_consistent(demo, fresh, tmp_path):
    staff = User.objects.get(username="demo-staff")
    investor = User.objects.get(username="demo-investor")
    apps = [make_application(investor, needs={"power_kw": 10, "water_m3_day": 1,
                                              "sewage_m3_day": 0, "heat_gcal_h": 0,
                                              "gas_m3_h": 0}) for _ in range(WRITERS)]
    plots = list(Plot.objects.filter(zone=demo, status="published").order_by("code")[:WRITERS * 2])
    acked: list[tuple[float, int]] = []  # (when the reservation was acknowledged, its id)
    stop = threading.Event()
    lock = threading.Lock()
    errors: list[str] = []

    def write(i):
        n = 0
        while not stop.is_set():
            plot = plots[(i + n) % len(plots)]
            n += 1
            try:
                res = services.plot_reserve(actor=staff, plot=Plot.objects.get(pk=plot.pk),
                                            application=apps[i])
            except Conflict:
                continue  # the plot is held by another writer: a refusal, not a failure
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(repr(exc))
                return
            with lock:
                acked.append((time.monotonic(), res.pk))
            services.reservation_release(actor=staff, reservation=res)

    writers = threading.Thread(target=run_threads, args=(WRITERS, write))
    writers.start()
    try:
        while len(acked) < 5 and writers.is_alive():
            time.sleep(0.05)
        started = time.monotonic()
        archive = backup_create(directory=tmp_path / "backups")
        time.sleep(0.2)  # writes go on after the backup
    finally:
        stop.set()
        writers.join()
    assert not errors, errors
    before = {pk for at, pk in acked if at < started}
    after = {pk for at, pk in acked if at > started}
    assert before and after, (len(before), len(after))

    out = fresh.promzona("restore", str(archive))
    assert out.returncode == 0, out.stderr
    assert fresh.query(INVARIANTS["double_booked"]) == []
    for source, committed, active_sum in fresh.query(INVARIANTS["ledger"]):
        assert _amount(committed) == _amount(active_sum), source
    restored = {row[0] for row in fresh.query(INVARIANTS["reservations"])}
    assert before <= restored
    assert (fresh.query("SELECT COUNT(*) FROM accounts_user")[0][0]
            == User.objects.count())


def test_restoring_into_a_database_with_data_is_refused(demo, tmp_path, fresh):
    archive = backup_create(directory=tmp_path / "b")
    assert fresh.promzona("restore", str(archive)).returncode == 0
    again = fresh.promzona("restore", str(archive))
    assert again.returncode != 0 and "not empty" in again.stderr


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


MANIFEST = json.dumps({"format": 1, "engine": "sqlite", "created_at": "x"}).encode()


@pytest.mark.parametrize("members, message", [
    ({}, "not a promzona backup"),
    ({"manifest.json": b"{not json"}, "not a promzona backup"),
    ({"manifest.json": MANIFEST}, "known format"),  # no dump
    ({"manifest.json": MANIFEST, "database.sqlite3": b"", "../../etc/cron.d/x": b"*"}, "Unsafe|Unexpected"),
    ({"manifest.json": MANIFEST, "database.sqlite3": b"", "media/../../x": b"*"}, "Unsafe|Unexpected"),
    ({"manifest.json": MANIFEST, "database.sqlite3": b"", "secrets.txt": b"*"}, "Unexpected"),
])
def test_a_broken_or_hostile_archive_is_refused_and_changes_nothing(demo, tmp_path, members,
                                                                     message):
    archive = _archive(tmp_path / "bad.tar", members)
    users = User.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), "--replace")
    assert User.objects.count() == users
    assert not (Path(settings.MEDIA_ROOT).parent / "x").exists()


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"\0" * 10 + b"not a tar" * 100)
    with pytest.raises(CommandError, match="Cannot read the backup"):
        call_command("restore", str(junk))


def test_backups_keep_the_newest_and_carry_the_media(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "news").mkdir(parents=True)
    (tmp_path / "media" / "news" / "photo.jpg").write_bytes(b"JPEG")
    for _ in range(3):
        call_command("backup", "--output-dir", str(tmp_path / "b"), "--keep", "2",
                     stdout=io.StringIO())
    kept = sorted((tmp_path / "b").glob("promzona-*.tar"))
    assert len(kept) == 2
    with tarfile.open(kept[-1]) as tar:
        assert tar.extractfile("media/news/photo.jpg").read() == b"JPEG"
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["engine"] == connection.vendor and "ops.0001_initial" in manifest["migrations"]
