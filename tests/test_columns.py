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


@pytest.mark.parametrize("on", [dt.date(2024, 2, 29), dt.date(2026, 12, 31)])
def test_a_date_read_as_text_is_the_date_it_holds(on):
    from promzona.zones.models import Plot

    plot = Plot.objects.first()
    Plot.objects.filter(pk=plot.pk).update(available_from=on, verified_at=None)
    text, none = Plot.objects.filter(pk=plot.pk).values_list(
        columns.utc_text("available_from"), columns.utc_text("verified_at")).get()
    date = columns.TextDates()
    assert date(text) == on and date(text) is date(text)  # converted once
    assert date(none) is None


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_paused_for_a_block_is_left_as_it_was_found_even_on_error(enabled):
    import gc

    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.raises(ZeroDivisionError), columns.paused_collector():
            assert not gc.isenabled()
            1 / 0  # noqa: B018 - the block fails
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
