"""``promzona reservations expire --now ISO``: a bad --now is a clear error and ends nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from promzona.applications import services
from promzona.applications.models import Reservation


@pytest.mark.parametrize("now", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_time_out_of_range_in_utc_is_refused(users, submitted_app, published_plot, now):
    r = services.plot_reserve(actor=users["staff"], plot=published_plot, application=submitted_app,
                              expires_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(CommandError, match="out of range in UTC"):
        call_command("reservations", "expire", "--now", now)
    r.refresh_from_db()
    assert r.status == Reservation.Status.ACTIVE
