"""Queue the alerts after a committed change that may give saved searches new matches.

Connected in :class:`~promzona.matching.apps.MatchingConfig`; at most one run per transaction.
``promzona alerts`` does the same from cron (e.g. for changes made outside the services).
"""

from __future__ import annotations

from django.db import transaction

from .models import SavedSearch


def audit_entry_saved(sender, instance, created, **kwargs) -> None:
    from .services import triggers_alerts

    if not created:
        return
    if not triggers_alerts(instance.action, instance.object_type, instance.after):
        return
    if not SavedSearch.objects.exists():
        return
    conn = transaction.get_connection()
    if any(item[1] is _run for item in conn.run_on_commit):
        return  # already scheduled in this transaction
    transaction.on_commit(_run)


def _run() -> None:
    from .tasks import alerts

    alerts.enqueue()
