"""The database itself refuses a second active reservation and an over-commitment."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from promzona.applications.models import Reservation
from promzona.zones.models import UtilitySource

from .conftest import make_application


def _reservation(plot, app, status="active"):
    now = timezone.now()
    return Reservation.objects.create(plot=plot, application=app, created_at=now, expires_at=now,
                                      status=status)


@pytest.mark.parametrize("second_status", ["active", "allocated"])
def test_second_active_reservation_of_a_plot_is_refused(users, published_plot, second_status):
    _reservation(published_plot, make_application(users["a"]))
    with pytest.raises(IntegrityError), transaction.atomic():
        _reservation(published_plot, make_application(users["b"]), second_status)
    assert Reservation.objects.filter(plot=published_plot).count() == 1


def test_ended_reservations_do_not_block(users, published_plot):
    for status in ("released", "expired", "released"):
        _reservation(published_plot, make_application(users["a"]), status)
    _reservation(published_plot, make_application(users["b"]))
    assert Reservation.objects.filter(plot=published_plot, status="active").count() == 1


def test_one_application_holds_one_plot(users, demo):
    app = make_application(users["a"])
    plots = list(demo.plots.filter(status="published")[:2])
    _reservation(plots[0], app)
    with pytest.raises(IntegrityError), transaction.atomic():
        _reservation(plots[1], app)


def test_over_commitment_through_the_orm_is_refused(demo):
    source = UtilitySource.objects.filter(zone=demo, kind="power").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilitySource.objects.filter(pk=source.pk).update(committed=F("capacity") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        source.committed = source.capacity + 1
        source.save()
    source.refresh_from_db()
    assert source.committed <= source.capacity
