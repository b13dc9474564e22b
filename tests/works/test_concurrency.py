"""Simultaneous acceptances of one upgrade work through the API: exactly one succeeds and the
source's capacity grows once. Real threads, each with its own connection (SQLite and
PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from promzona.accounts.models import User
from promzona.api.services import token_create
from promzona.works import services
from promzona.zones.models import InfrastructureProject, UtilitySource
from tests.threads import run_threads

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 10


def test_ten_simultaneous_acceptances_add_the_capacity_once(demo):
    staff = User.objects.get(username="demo-staff")
    today = timezone.localdate()
    upgrade = InfrastructureProject.objects.get(zone=demo, source__code="PS-2")
    capacity = UtilitySource.objects.get(code="PS-2").capacity
    work = services.work_create(
        actor=staff, zone=demo, name="Race", kind="upgrade", upgrade=upgrade, contractor="C",
        funding_source="local", planned_start=today - dt.timedelta(days=9), planned_finish=today)
    services.work_report_progress(actor=staff, work=work, reported_on=today, percent=100)
    token = token_create(actor=None, user=staff)
    start = threading.Barrier(THREADS, timeout=120)
    statuses: list[int] = []
    lock = threading.Lock()

    def accept(i):
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {token}")
        start.wait()
        r = client.post(f"/api/works/{work.pk}/accept", json.dumps(
            {"accepted_on": today.isoformat()}), content_type="application/json")
        with lock:
            statuses.append(r.status_code)

    run_threads(THREADS, accept)
    assert Counter(statuses) == {200: 1, 409: THREADS - 1}, statuses
    assert UtilitySource.objects.get(code="PS-2").capacity == capacity + Decimal("10000")
    assert InfrastructureProject.objects.get(pk=upgrade.pk).status == "completed"
