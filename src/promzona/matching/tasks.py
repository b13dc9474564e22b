"""The matching app's task: re-run the saved searches on the worker after a change."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def alerts() -> int:
    """Announce new matches of every saved search; the number of alerts."""
    return services.alerts_run()
