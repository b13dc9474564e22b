"""Real threads, each with its own database connection, against the real API and ledger.

Runs on SQLite (``BEGIN IMMEDIATE`` + busy timeout) and on PostgreSQL (the ``.ci/run`` leg,
``make test-pg``). SQLite serialises every write transaction, so the races between different
applications are only proven on PostgreSQL and skipped, saying so, on SQLite.
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from promzona.accounts.models import User
from promzona.api.services import token_create
from promzona.applications import services
from promzona.applications.models import Reservation
from promzona.applications.selectors import sources_serving
from promzona.core.errors import CapacityExceeded, Conflict
from promzona.zones.models import CapacityCommitment, Plot, UtilitySource
from promzona.zones.services import capacity_commit
from tests.threads import run_threads

from .conftest import make_application

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 20
ROUNDS = 100
ONLY_ON_POSTGRESQL = ("SQLite serialises every write transaction, so this race cannot happen "
                      "there; it is proven on PostgreSQL (make test-pg)")


@pytest.fixture
def postgresql():
    if connection.vendor == "sqlite":
        pytest.skip(ONLY_ON_POSTGRESQL)


def _free_up_to(free):
    """Every source's capacity set to what it has committed plus ``free(source)``."""
    for source in UtilitySource.objects.all():
        source.capacity = source.committed + free(source)
        source.save(update_fields=["capacity"])


def _ledger_holds():
    """Every source's committed total is the sum of its active commitments, within capacity."""
    for source in UtilitySource.objects.all():
        active = CapacityCommitment.objects.filter(source=source, status="active")
        assert source.committed == (active.aggregate(s=Sum("amount"))["s"] or 0), source.code
        assert source.committed <= source.capacity, source.code


def test_twenty_simultaneous_reservations_one_wins_each_round(demo):
    staff = User.objects.get(username="demo-staff")
    token = token_create(actor=None, user=staff)
    app = make_application(User.objects.get(username="demo-investor"))
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    ledger_before = {s.pk: s.committed for s in UtilitySource.objects.all()}
    payload = {"plot_id": plot.pk, "application_id": app.pk}
    start = threading.Barrier(THREADS + 1, timeout=120)
    done = threading.Barrier(THREADS + 1, timeout=120)
    results: list[list[tuple[int, bytes]]] = [[] for _ in range(ROUNDS)]
    lock = threading.Lock()

    def work(i):
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
        for rnd in range(ROUNDS):
            start.wait()
            try:
                r = client.post("/api/reservations", payload, content_type="application/json")
                outcome = (r.status_code, r.content)
            except Exception as exc:  # noqa: BLE001 - any exception is a failed round
                outcome = (-1, repr(exc).encode())
            with lock:
                results[rnd].append(outcome)
            done.wait()

    runner = threading.Thread(target=run_threads, args=(THREADS, work))
    runner.start()
    try:
        for rnd in range(ROUNDS):
            start.wait()
            done.wait()
            statuses = Counter(status for status, _ in results[rnd])
            assert statuses == {201: 1, 409: THREADS - 1}, (rnd, statuses, results[rnd][:3])
            assert not any(b"locked" in body for _, body in results[rnd])
            active = Reservation.objects.get(plot=plot, status="active")
            services.reservation_release(actor=staff, reservation=active)
    finally:
        start.abort()
        done.abort()
        runner.join()
    assert Reservation.objects.filter(plot=plot).count() == ROUNDS
    plot.refresh_from_db()
    assert plot.status == Plot.Status.PUBLISHED
    assert {s.pk: s.committed for s in UtilitySource.objects.all()} == ledger_before


def test_twenty_applications_racing_for_one_plot_one_wins_each_round(demo, postgresql):
    """Each thread reserves the plot for its own application, of one investor or the other,
    so no application lock orders them: only the plot row, the unique constraint and the
    ledger do."""
    staff = User.objects.get(username="demo-staff")
    investors = User.objects.filter(username__in=["demo-investor", "demo-investor2"])
    apps = [make_application(investors[i % 2]) for i in range(THREADS)]
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    ledger_before = {s.pk: s.committed for s in UtilitySource.objects.all()}
    rounds = 20
    start = threading.Barrier(THREADS + 1, timeout=120)
    done = threading.Barrier(THREADS + 1, timeout=120)
    results: list[list[str]] = [[] for _ in range(rounds)]
    lock = threading.Lock()

    def work(i):
        for rnd in range(rounds):
            start.wait()
            try:
                services.plot_reserve(actor=staff, plot=plot, application=apps[i])
                outcome = "won"
            except Conflict:
                outcome = "conflict"
            except Exception as exc:  # noqa: BLE001 - any other exception is a failed round
                outcome = repr(exc)
            with lock:
                results[rnd].append(outcome)
            done.wait()

    runner = threading.Thread(target=run_threads, args=(THREADS, work))
    runner.start()
    try:
        for rnd in range(rounds):
            start.wait()
            done.wait()
            assert Counter(results[rnd]) == {"won": 1, "conflict": THREADS - 1}, (rnd, results[rnd])
            active = Reservation.objects.filter(plot=plot, status="active")
            assert active.count() == 1
            held = CapacityCommitment.objects.filter(status="active",
                                                     reservation_link__reservation=active[0])
            assert held.count() == 2  # power and water, once
            _ledger_holds()
            services.reservation_release(actor=staff, reservation=active[0])
    finally:
        start.abort()
        done.abort()
        runner.join()
    assert Reservation.objects.filter(plot=plot).count() == rounds
    assert {s.pk: s.committed for s in UtilitySource.objects.all()} == ledger_before


def test_fifty_simultaneous_commitments_against_ten_megawatts(demo):
    template = UtilitySource.objects.filter(zone=demo, kind="power").first()
    source = UtilitySource.objects.create(
        zone=demo, code="CONC-PS", kind="power", name_ru="Тест", capacity=Decimal("10000"),
        geometry=template.geometry,
    )
    outcomes: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(50, timeout=60)

    def work(i):
        gate.wait()
        try:
            capacity_commit(actor=None, source=UtilitySource(pk=source.pk), amount=1000,
                            holder=f"thread {i}")
            outcome = "ok"
        except CapacityExceeded:
            outcome = "full"
        except Exception as exc:  # noqa: BLE001
            outcome = repr(exc)
        with lock:
            outcomes.append(outcome)

    run_threads(50, work)
    assert Counter(outcomes) == {"ok": 10, "full": 40}
    source.refresh_from_db()
    assert source.committed == Decimal("10000")
    active = CapacityCommitment.objects.filter(source=source, status="active")
    assert active.count() == 10
    assert active.aggregate(s=Sum("amount"))["s"] == Decimal("10000")


def test_reservations_of_different_plots_racing_for_one_sources_capacity(demo, postgresql):
    """Applications of two investors each reserve their own plot, all served by one power
    source with room for only some of them: the ledger's conditional update lets exactly
    that many commit, the others are refused for capacity, and the ledger stays whole."""
    staff = User.objects.get(username="demo-staff")
    investors = User.objects.filter(username__in=["demo-investor", "demo-investor2"])
    need = 10_000_000  # kW: more than any other source has free, so only the one can serve
    probe = make_application(investors[0], needs={"power_kw": need})
    today = timezone.localdate()
    served: dict[int, list[Plot]] = {}
    _free_up_to(lambda source: need)  # any source could serve
    for plot in Plot.objects.filter(zone=demo, status="published").order_by("code"):
        source = sources_serving(probe, plot, today=today).get("power")
        if source is not None:
            served.setdefault(source.pk, []).append(plot)
    source_id, plots = max(served.items(), key=lambda item: len(item[1]))
    assert len(plots) >= 4, served
    room = len(plots) // 2
    _free_up_to(lambda source: need * room if source.pk == source_id else 0)
    before = UtilitySource.objects.get(pk=source_id).committed
    apps = [make_application(investors[i % 2], needs={"power_kw": need})
            for i in range(len(plots))]
    outcomes: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(plots), timeout=60)

    def work(i):
        gate.wait()
        try:
            services.plot_reserve(actor=staff, plot=plots[i], application=apps[i])
            outcome = "won"
        except CapacityExceeded:
            outcome = "no capacity"
        except Exception as exc:  # noqa: BLE001 - any other exception fails the test
            outcome = repr(exc)
        with lock:
            outcomes.append(outcome)

    run_threads(len(plots), work)
    assert Counter(outcomes) == {"won": room, "no capacity": len(plots) - room}, outcomes
    _ledger_holds()
    source = UtilitySource.objects.get(pk=source_id)
    assert source.committed == before + need * room == source.capacity
    assert Reservation.objects.filter(application__in=apps, status="active").count() == room
