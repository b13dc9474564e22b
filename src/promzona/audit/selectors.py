"""Reads of the audit trail."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import models
from django.db.models import QuerySet

from promzona.core.kpi import rollback

from .models import AuditEntry


def audit_history(obj: models.Model) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class History:
    """The rows of ``model`` changed at or after ``since``, read once, to be rolled back to
    any moment from ``since`` on: ``then(at)`` gives ``{pk: (state now, state at at)}`` for
    the rows changed at or after ``at`` (a state is a dict of ``fields``, ``None`` where the
    row did not exist). Rows not in the answer are as they are now.

    Every change of a zone-app object is audited with its values before (``feature_save``,
    the importer, ``plot_set_status``), which is what makes this exact.
    """

    def __init__(self, model: type[models.Model], since: dt.datetime, fields: list[str]):
        self.fields = fields
        entries = (AuditEntry.objects.filter(object_type=model._meta.label_lower, at__gte=since)
                   .order_by("-at", "-id").values_list("object_id", "at", "action", "before"))
        self.changes: dict[int, list[tuple[dt.datetime, str, Any]]] = defaultdict(list)
        for object_id, at, action, before in entries:
            if object_id.isdigit():
                keep = {k: before[k] for k in fields if k in before} \
                    if isinstance(before, dict) else None
                self.changes[int(object_id)].append((at, action, keep))
        self.now = {row.pop("pk"): row for row in
                    model._base_manager.filter(pk__in=list(self.changes)).values("pk", *fields)}

    def then(self, at: dt.datetime) -> dict[int, tuple[dict | None, dict | None]]:
        out = {}
        for pk, changes in self.changes.items():
            recent = [(action, before) for when, action, before in changes if when >= at]
            if recent:
                now = self.now.get(pk)
                out[pk] = (now, rollback(now, recent))
        return out
