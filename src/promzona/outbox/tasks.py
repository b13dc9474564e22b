"""The outbox's task: send one message on the worker (``promzona worker``)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from .services import email_send_one


@task()
def email_send(message_id: int, due: str) -> str | None:
    """Send the message if still due (``due``: when it came due, ISO 8601); a failure
    schedules the next attempt."""
    return email_send_one(message_id, now=dt.datetime.fromisoformat(due))
