"""Columns read as text and floats (``promzona.columns``): an instant read as the database's
UTC text falls on the site's calendar day, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from promzona import columns
from promzona.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("utc, local_day", [
    (dt.datetime(2023, 6, 1, 18, 30, tzinfo=dt.UTC), dt.date(2023, 6, 2)),  # Almaty at UTC+6
    (dt.datetime(2025, 6, 1, 18, 30, tzinfo=dt.UTC), dt.date(2025, 6, 1)),  # since 2024 UTC+5
    (dt.datetime(2025, 6, 1, 19, 0, 0, 1, tzinfo=dt.UTC), dt.date(2025, 6, 2)),
    (dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC), dt.date(2026, 1, 1)),
])
def test_an_instant_read_as_text_falls_on_the_site_s_calendar_day(utc, local_day):
    entry = AuditEntry.objects.create(at=utc, actor_label="t", action="t.t", object_type="t",
                                      object_id="1", object_repr="t")
    text = AuditEntry.objects.filter(pk=entry.pk).values_list(
        columns.utc_text("at"), flat=True).get()
    day = columns.TextDays()
    assert day(text) == local_day == timezone.localdate(utc)
    assert day(text) == local_day  # the second time from what it remembered
