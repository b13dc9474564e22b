"""Backups: the database and the uploaded files in one tar archive, and their restoration.

PostgreSQL is dumped by ``pg_dump`` (one consistent snapshot, taken while the site runs) and
restored by ``pg_restore``; SQLite is copied by its online backup API. The archive holds
``manifest.json`` (engine, time, the migrations applied), ``database.dump`` or
``database.sqlite3``, and ``media/``. A restore checks the whole archive before it changes
anything.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from promzona.core.errors import Conflict, InputError

PREFIX = "promzona-"
FORMAT = 1
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def _engine() -> str:
    if connection.vendor not in DUMPS:
        raise InputError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def _pg(tool: str, *args: str) -> None:
    """Run ``pg_dump``/``pg_restore`` against the configured database (password by
    environment, never on the command line)."""
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    cmd = [tool, "--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432),
           "--username", str(db.get("USER") or ""), "--dbname", str(db["NAME"]), *args]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, text=True,  # noqa: S603 - argv
                              timeout=3600)
    except FileNotFoundError:
        raise InputError(f"{tool} is missing (Debian: apt-get install postgresql-client).") \
            from None
    if done.returncode:
        raise Conflict(f"{tool} failed: {done.stderr.strip()[-2000:]}")


def backup_create(*, directory: Path, now: dt.datetime | None = None, keep: int = 14) -> Path:
    """Write ``promzona-<UTC time>.tar`` into ``directory``; keep the newest ``keep``."""
    now = now or timezone.now()
    engine = _engine()
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = directory / f"{PREFIX}{now.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}.tar"
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        dump = Path(tmp) / DUMPS[engine]
        if engine == "postgresql":
            _pg("pg_dump", "--format=custom", "--no-owner", "--no-acl", "--file", str(dump))
        else:
            with sqlite3.connect(str(dump)) as out:
                connection.ensure_connection()
                connection.connection.backup(out)
            out.close()
        applied = sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations())
        manifest = {"format": FORMAT, "engine": engine, "created_at": now.isoformat(),
                    "migrations": applied}
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=1))
        partial = Path(tmp) / target.name
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(tmp) / "manifest.json", "manifest.json")
            tar.add(dump, dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, "media")
        partial.chmod(0o600)
        partial.replace(target)  # a backup is there whole or not at all
    for old in sorted(directory.glob(f"{PREFIX}*.tar"))[:-keep or None]:
        old.unlink()
    return target


def _checked(tar: tarfile.TarFile) -> dict:
    """The manifest, once every member is known to be safe and the dump is present."""
    names = set()
    for member in tar.getmembers():
        try:
            tarfile.data_filter(member, "/restore")  # refuses absolute paths, "..", odd links
        except tarfile.FilterError as exc:
            raise InputError(f"Unsafe member in the backup: {exc}") from None
        top = member.name.split("/", 1)[0]
        if top not in {"manifest.json", "media", *DUMPS.values()}:
            raise InputError(f"Unexpected member in the backup: {member.name[:200]}")
        if top == "media" and not (member.isfile() or member.isdir()):
            raise InputError(f"Not a plain file in the backup: {member.name[:200]}")
        names.add(member.name)
    try:
        manifest = json.load(tar.extractfile("manifest.json"))
    except (KeyError, ValueError, AttributeError):
        raise InputError("This is not a promzona backup (no readable manifest.json).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT \
            or manifest.get("engine") not in DUMPS or DUMPS[manifest["engine"]] not in names:
        raise InputError("This is not a promzona backup of a known format.")
    return manifest


def backup_restore(*, archive: Path, replace: bool = False) -> dict:
    """Restore ``archive`` into the configured database and media folder; its manifest.

    Refused when the database already holds promzona's tables, unless ``replace``.
    """
    engine = _engine()
    try:
        tar = tarfile.open(archive, "r:")
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"Cannot read the backup {archive}: {exc}") from None
    with tar, tempfile.TemporaryDirectory() as tmp:
        manifest = _checked(tar)
        if manifest["engine"] != engine:
            raise InputError(f"The backup is of {manifest['engine']}; this site uses {engine}.")
        if not replace and MigrationRecorder(connection).has_table():
            raise Conflict("The database is not empty; restore into a fresh one or pass "
                           "--replace.")
        tar.extractall(tmp, filter="data")
        dump = Path(tmp) / DUMPS[engine]
        if engine == "postgresql":
            _pg("pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl",
                "--single-transaction", str(dump))
        else:
            connection.ensure_connection()
            with sqlite3.connect(str(dump)) as source:
                source.backup(connection.connection)
            source.close()
        media = Path(tmp) / "media"
        if media.is_dir():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    connection.close()
    return manifest
