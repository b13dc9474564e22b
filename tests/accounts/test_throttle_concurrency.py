"""Simultaneous wrong logins cannot get more password checks than the throttle allows."""

from __future__ import annotations

import threading

import pytest
from django.test import Client
from django.urls import reverse

from promzona.accounts.models import LoginFailure
from promzona.accounts.throttle import MAX_PER_ACCOUNT
from promzona.demo.accounts import DEMO_PASSWORD
from tests.threads import run_threads

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]
THREADS = 20


def test_simultaneous_attempts_get_at_most_the_limit_of_password_checks(demo):
    start = threading.Barrier(THREADS, timeout=60)
    throttled: list[bool] = []
    lock = threading.Lock()

    def attempt(i):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        start.wait()
        r = client.post(reverse("login"), {"username": "demo-investor2",
                                           "password": f"wrong-guess-{i}"},
                        REMOTE_ADDR=f"10.9.0.{i + 1}")
        with lock:
            throttled.append(b"Too many failed logins" in r.content)

    run_threads(THREADS, attempt)
    assert len(throttled) == THREADS
    checked = throttled.count(False)
    assert 1 <= checked <= MAX_PER_ACCOUNT
    assert LoginFailure.objects.filter(username="demo-investor2").count() == checked
    if checked == MAX_PER_ACCOUNT:  # every allowed check was used: now even the password waits
        client = Client()
        r = client.post(reverse("login"), {"username": "demo-investor2",
                                           "password": DEMO_PASSWORD})
        assert r.status_code == 200 and "_auth_user_id" not in client.session
