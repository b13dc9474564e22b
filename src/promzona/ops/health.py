"""Liveness and readiness: what ``/api/health`` and ``/api/health/ready`` answer."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from .models import Heartbeat

#: A worker renews its heartbeat every ``HEARTBEAT_EVERY``; one older than ``HEARTBEAT_STALE``
#: means no worker runs.
HEARTBEAT_EVERY = dt.timedelta(seconds=15)
HEARTBEAT_STALE = dt.timedelta(seconds=90)


@functools.cache
def _shipped_migrations() -> frozenset[tuple[str, str]]:
    """Every migration of every app, as shipped (read from disk once per process): a database
    that missed one in the middle is as unready as one that missed the last."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _uses_worker() -> bool:
    return settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def readiness(*, now: dt.datetime | None = None) -> dict[str, str]:
    """Each check's state, ``ok`` or what is wrong: the database answers, every migration is
    applied, a worker was seen lately (when tasks go through the database)."""
    now = now or timezone.now()
    checks = {"database": "ok", "migrations": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        applied = set(MigrationRecorder(connection).applied_migrations())
    except DatabaseError as exc:
        return {"database": f"unreachable: {type(exc).__name__}"}
    missing = sorted(f"{app}.{name}" for app, name in _shipped_migrations() - applied)
    if missing:
        checks["migrations"] = "not applied: " + ", ".join(missing[:5])
    if _uses_worker():
        seen = Heartbeat.objects.order_by("-at").values_list("at", flat=True).first()
        if seen is None or now - seen > HEARTBEAT_STALE:
            checks["worker"] = "no heartbeat since " + (seen.isoformat() if seen else "ever")
        else:
            checks["worker"] = "ok"
    return checks


def heartbeat(worker: str, *, now: dt.datetime | None = None) -> None:
    """Record that ``worker`` is alive."""
    Heartbeat.objects.update_or_create(worker=worker[:64], defaults={"at": now or timezone.now()})
