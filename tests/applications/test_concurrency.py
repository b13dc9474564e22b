"""Real threads, each with its own database connection, against the real API and ledger.

Runs on SQLite (``BEGIN IMMEDIATE`` + busy timeout) and on PostgreSQL (the ``.ci/run`` leg).
"""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client

from promzona.accounts.models import User
from promzona.api.services import token_create
from promzona.applications import services
from promzona.applications.models import Reservation
from promzona.core.errors import CapacityExceeded, Conflict
from promzona.zones.models import CapacityCommitment, Plot, UtilitySource
from promzona.zones.services import capacity_commit
from tests.threads import run_threads

from .conftest import make_application

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 20
ROUNDS = 100


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


def test_twenty_applications_racing_for_one_plot_one_wins_each_round(demo):
    """Each thread reserves the plot for its own application, so no application lock orders
    them: only the plot row, the unique constraint and the ledger do. (On SQLite every write
    transaction is serialised; this race is proven on PostgreSQL: ``make test-pg``.)"""
    staff = User.objects.get(username="demo-staff")
    investor = User.objects.get(username="demo-investor")
    apps = [make_application(investor) for _ in range(THREADS)]
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
