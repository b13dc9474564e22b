"""``promzona worker``: run background tasks (django-tasks' database worker) with a heartbeat
that readiness (``/api/health/ready``) looks for. Run one or more under systemd."""

from __future__ import annotations

import threading

from django.db import DatabaseError, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from promzona.commands import PromzonaCommand
from promzona.ops.health import HEARTBEAT_EVERY, heartbeat
from promzona.ops.models import Heartbeat


class Command(PromzonaCommand, DbWorker):
    help = "Run background tasks (email, alerts, imports, reports) until stopped."

    def handle(self, *args, worker_id: str, **options):
        stop = threading.Event()

        def beat():
            while not stop.is_set():
                try:
                    heartbeat(worker_id)
                except DatabaseError:
                    pass  # the database is away: readiness will say so
                finally:
                    connection.close()
                stop.wait(HEARTBEAT_EVERY.total_seconds())

        thread = threading.Thread(target=beat, name="heartbeat", daemon=True)
        thread.start()
        try:
            super().handle(*args, worker_id=worker_id, **options)
        finally:
            stop.set()
            thread.join()
            Heartbeat.objects.filter(worker=worker_id).delete()
