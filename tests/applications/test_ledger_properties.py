"""Random reserve / release / approve / expire sequences through the services keep the capacity
ledger exact (issue 11, finding 3): after every step each source's ``committed`` equals the sum
of its active commitments — compared by the database itself, to the last digit — a refusal
means the amount really does not fit, and every release succeeds. Runs on SQLite and, in
``make test-db``, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum, Value
from django.utils import timezone
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from promzona.applications import services
from promzona.applications.models import Application, Reservation
from promzona.core.errors import CapacityExceeded, Conflict
from promzona.core.utilities import NEED_KEYS
from promzona.zones.fields import ThousandthsField
from promzona.zones.models import CapacityCommitment, Plot, UtilitySource
from promzona.zones.services import capacity_release

from .conftest import make_application

pytestmark = pytest.mark.django_db

KINDS = ("power_kw", "water_m3_day", "sewage_m3_day", "heat_gcal_h")  # no gas: GRS-1 has none
ZERO = Decimal(0)
amounts = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9"), places=3)
needs = st.fixed_dictionaries({k: st.one_of(st.just(ZERO), st.just(ZERO), amounts) for k in KINDS})
#: Per source: room for the first N applications' needs of its kind (an exact fit), or an amount.
rooms = st.lists(st.one_of(st.integers(0, 4), st.decimals(min_value=0, max_value=25, places=3)),
                 min_size=6, max_size=6)
steps = st.lists(st.one_of(
    st.tuples(st.just("reserve"), st.integers(0, 3), st.integers(0, 3), st.integers(1, 5)),
    st.tuples(st.just("release"), st.integers(0, 20)),
    st.tuples(st.just("approve"), st.integers(0, 20)),
    st.tuples(st.just("expire"), st.integers(1, 10)),
), min_size=1, max_size=16)


def only(**given) -> dict[str, Decimal]:
    return {k: Decimal(given.get(k, 0)) for k in KINDS}


NOTHING = only()


def assert_ledger_exact(zone) -> None:
    """``committed`` minus the sum of active commitments is exactly zero in the database's own
    arithmetic (floating point left 31.999999999999993 where 32 was meant), and within bounds."""
    source = connection.ops.quote_name(UtilitySource._meta.db_table)
    commitment = connection.ops.quote_name(CapacityCommitment._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.id, s.committed - COALESCE((SELECT SUM(c.amount) FROM {commitment} c "  # noqa: S608
            f"WHERE c.source_id = s.id AND c.status = 'active'), 0) FROM {source} s "
            "WHERE s.zone_id = %s", [zone.pk])
        assert all(difference == 0 for _, difference in cursor.fetchall())
    for src in UtilitySource.objects.filter(zone=zone):
        active = src.commitments.filter(status=CapacityCommitment.Status.ACTIVE)
        assert src.committed == sum((c.amount for c in active), ZERO), src.code
        assert 0 <= src.committed <= src.capacity, src.code


def tight_capacities(zone, app_needs, room_choices) -> None:
    """Empty every source of the zone and give it the chosen room."""
    for c in CapacityCommitment.objects.filter(source__zone=zone, status="active"):
        capacity_release(actor=None, commitment=c)
    for src, choice in zip(UtilitySource.objects.filter(zone=zone).order_by("pk"), room_choices,
                           strict=True):
        key = next((k for k in KINDS if NEED_KEYS[k] == src.kind), None)
        asked = [n[key] for n in app_needs if key and n[key] > 0]
        room = choice if isinstance(choice, Decimal) else sum(asked[:choice], ZERO)
        UtilitySource.objects.filter(pk=src.pk).update(
            capacity=Value(room, output_field=ThousandthsField()))


def run(zone, users, app_needs, room_choices, steps) -> None:
    tight_capacities(zone, app_needs, room_choices)
    plots = list(Plot.objects.filter(zone=zone, status=Plot.Status.PUBLISHED).order_by("code")[:4])
    apps = [make_application(users["a" if i % 2 else "b"], needs={k: float(v) for k, v in n.items()})
            for i, n in enumerate(app_needs)]
    clock = timezone.now()
    for step in steps:
        if step[0] == "reserve":
            _, a, p, days = step
            held = Reservation.objects.count()
            try:
                services.plot_reserve(actor=users["staff"], plot=plots[p], application=apps[a],
                                      expires_at=clock + dt.timedelta(days=days), now=clock)
                event("reserved")
            except CapacityExceeded as exc:  # refused only when it really does not fit
                event("refused: capacity")
                assert Reservation.objects.count() == held
                if "requested" in exc.details:
                    assert Decimal(exc.details["requested"]) > Decimal(exc.details["free"]), exc
            except Conflict:  # taken, or the application is not under consideration
                assert Reservation.objects.count() == held
        elif step[0] == "expire":
            clock += dt.timedelta(days=step[1])
            event(f"expired {services.reservations_expire(now=clock) > 0}")
        else:
            active = list(Reservation.objects.filter(
                application__in=apps, status=Reservation.Status.ACTIVE).order_by("pk"))
            if active:
                r = active[step[1] % len(active)]
                if step[0] == "release":  # must always succeed
                    services.reservation_release(actor=users["staff"], reservation=r, now=clock)
                else:
                    services.application_approve(actor=users["staff"], application=r.application,
                                                 now=clock)
                    assert Application.objects.get(pk=r.application_id).status == "approved"
        assert_ledger_exact(zone)
    # Everything still held can be let go: what stays committed is exactly the allocations'.
    for r in Reservation.objects.filter(application__in=apps, status=Reservation.Status.ACTIVE):
        services.reservation_release(actor=users["staff"], reservation=r, now=clock)
    assert_ledger_exact(zone)
    allocated = CapacityCommitment.objects.filter(
        source__zone=zone, status="active", reservation_link__reservation__status="allocated")
    assert (UtilitySource.objects.filter(zone=zone).aggregate(t=Sum("committed"))["t"]
            == (allocated.aggregate(t=Sum("amount"))["t"] or ZERO))


# The three failures the attack review found, as reservations:
# 0.001 then 8.499 against 8.5 free was refused ("8.499 free; 8.499 requested");
@example(app_needs=[only(heat_gcal_h="0.001"), only(heat_gcal_h="8.499"), NOTHING, NOTHING],
         room_choices=[2] * 6, steps=[("reserve", 0, 0, 5), ("reserve", 1, 1, 5)])
# reserve/release cycles left 31.999999999999993 stored where 32 was meant;
@example(app_needs=[only(heat_gcal_h="0.1"), only(heat_gcal_h="0.2"), NOTHING, NOTHING],
         room_choices=[Decimal(40)] * 6,
         steps=[("reserve", 0, 0, 5), ("reserve", 1, 1, 5), ("release", 0), ("release", 0)] * 3)
# commit 0.001 and 1.002, release 1.002 then 0.001: the non-negative check refused the release.
@example(app_needs=[only(water_m3_day="0.001"), only(water_m3_day="1.002"), NOTHING, NOTHING],
         room_choices=[Decimal(10)] * 6,
         steps=[("reserve", 0, 0, 5), ("reserve", 1, 1, 5), ("release", 1), ("release", 0)])
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(app_needs=st.lists(needs, min_size=4, max_size=4), room_choices=rooms, steps=steps)
def test_random_reservation_sequences_keep_the_ledger_exact(demo, users, app_needs, room_choices,
                                                            steps):
    with transaction.atomic():
        run(demo, users, app_needs, room_choices, steps)
        transaction.set_rollback(True)
