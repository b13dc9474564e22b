"""Two staff confirm competing proposals at the same moment: one is reserved whole, the other
not at all, and the ledger never promises PS-2 more than it has. Two staff turn the same plan
into works at the same moment: it is done once, the other click finds the works there.

Runs on SQLite (writers queue) and, where it proves something, on PostgreSQL (the CI leg)."""

from __future__ import annotations

import threading

import pytest
from django.db.models import Sum
from django.utils import timezone

from promzona.accounts.models import User
from promzona.applications import services as app_services
from promzona.applications.models import Application, Reservation
from promzona.demo import balkhash, competition
from promzona.optimise import services
from promzona.zones.models import CapacityCommitment, UtilitySource
from tests.threads import run_threads

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]
ROUNDS = 10
#: Each fits PS-2's 3,200 kW free alone; together they need 6,100 kW.
PROPOSALS = [
    [("Цех металлоконструкций (демо)", "BLK-04"), ("Завод стройматериалов (демо)", "BLK-06"),
     ("Логистический склад (демо)", "BLK-13")],
    [("Завод горно-шахтного оборудования (демо)", "BLK-01"), ("Ремонтный цех (демо)", "BLK-23")],
]


def test_simultaneous_confirmations_reserve_one_proposal_whole():
    balkhash.load(today=timezone.localdate())
    competition.load(today=timezone.localdate())
    zone = balkhash.Zone.objects.get(slug="balkhash")
    staff = User.objects.get(username="demo-staff")
    apps = {a.project_name: f"A{a.pk}" for a in Application.objects.all()}
    pairs = [[(apps[n], p) for n, p in proposal] for proposal in PROPOSALS]
    ps2 = UtilitySource.objects.get(zone=zone, code="PS-2")
    free_before = ps2.free
    for _ in range(ROUNDS):
        start = threading.Barrier(2, timeout=60)
        outcome: dict[int, str] = {}

        def work(i, start=start, outcome=outcome):
            start.wait()
            try:
                services.allocation_confirm(actor=staff, zone=zone, pairs=pairs[i])
                outcome[i] = "reserved"
            except Exception as exc:  # noqa: BLE001 - a refusal is one of the outcomes
                outcome[i] = type(exc).__name__

        run_threads(2, work)
        assert sorted(outcome.values()) == ["CapacityExceeded", "reserved"], outcome
        winner = next(i for i, o in outcome.items() if o == "reserved")
        active = Reservation.objects.filter(status="active", plot__code__in=[
            code for pair in pairs for _app, code in pair])
        assert sorted((f"A{r.application_id}", r.plot.code) for r in active) == \
            sorted(pairs[winner])  # the winner whole, nothing of the loser
        ps2.refresh_from_db()
        committed = CapacityCommitment.objects.filter(source=ps2, status="active") \
            .aggregate(s=Sum("amount"))["s"]
        assert ps2.committed == committed and ps2.committed <= ps2.capacity
        for r in active:
            app_services.reservation_release(actor=staff, reservation=r)
    ps2.refresh_from_db()
    assert ps2.free == free_before


def test_simultaneous_clicks_create_the_plans_works_once():
    from promzona.optimise import answers, selectors
    from promzona.works.models import Work

    balkhash.load(today=timezone.localdate())
    zone = balkhash.Zone.objects.get(slug="balkhash")
    staff = User.objects.get(username="demo-staff")
    ctx = selectors.plan_instance(zone, today=timezone.localdate(), budget=[500.0] * 8)
    answer = answers.solve_plan_context(ctx)[2]
    ids = [r["work"] for r in answer["schedule"]]
    start = threading.Barrier(2, timeout=60)
    outcome: dict[int, tuple[int, int]] = {}

    def click(i):
        start.wait()
        created, existing = services.plan_works_create(
            actor=staff, zone=zone, ctx=ctx, answer=answer, work_ids=ids,
            funding_source="local", contractor="C")
        outcome[i] = (len(created), len(existing))

    run_threads(2, click)
    assert sorted(outcome.values()) == [(0, len(ids)), (len(ids), 0)], outcome
    assert Work.objects.count() == len(ids)
