"""Writes of the dashboard: the month-end snapshots the trend charts read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record

from . import records as dated
from . import selectors
from .contract import kpi_json
from .models import Snapshot


@transaction.atomic
def snapshots_take(*, actor: Actor, days: Sequence[dt.date], now: dt.datetime | None = None) -> int:
    """Compute the figures of every zone and of all zones at the end of each of ``days`` from
    the records and store them (replacing what was stored for those days); returns how many.
    Names are stored in the site's language; the trend charts read only the numbers."""
    days = sorted(set(days))
    if not days:
        return 0
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        records = dated.gather(days=days)
        rows = []
        for day in days:
            rows.append(Snapshot(zone=None, day=day, taken_at=now, figures=kpi_json(
                selectors.figures(records, day), zone=None, bodies=records.bodies)))
            for pk, part in dated.split(records, day).items():
                zone = records.zones[pk]
                rows.append(Snapshot(zone=zone, day=day, taken_at=now, figures=kpi_json(
                    selectors.figures(part, day, pk), zone=zone.slug, bodies=records.bodies)))
    Snapshot.objects.filter(day__in=days).delete()
    Snapshot.objects.bulk_create(rows, batch_size=500)
    audit_record(actor=actor, action="dashboard.snapshots_taken", obj=rows[0], now=now,
                 after={"days": days, "snapshots": len(rows)})
    return len(rows)
