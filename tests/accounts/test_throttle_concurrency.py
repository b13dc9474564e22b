"""Simultaneous wrong logins cannot get more password checks than the throttle allows."""

from __future__ import annotations

import threading

import pytest
from django.test import Client
from django.urls import reverse

from promzona.accounts import throttle
from promzona.accounts.models import Attempt
from promzona.demo.accounts import DEMO_PASSWORD
from tests.threads import run_threads

pytestmark = [pytest.mark.db_concurrency, pytest.mark.django_db(transaction=True)]
THREADS = 20


def _race(address_of) -> int:
    """20 simultaneous wrong logins for one account; the number whose password was checked."""
    start = threading.Barrier(THREADS, timeout=60)
    throttled: list[bool] = []
    lock = threading.Lock()
    login = reverse("login")  # here: the English address (threads start without a language)

    def attempt(i):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        start.wait()
        r = client.post(login, {"username": "demo-investor2",
                                           "password": f"wrong-guess-{i}"},
                        REMOTE_ADDR=address_of(i))
        with lock:
            throttled.append(b"Too many failed logins" in r.content)

    run_threads(THREADS, attempt)
    assert len(throttled) == THREADS
    checked = throttled.count(False)
    assert Attempt.objects.filter(scope="login", account="demo-investor2").count() == checked
    return checked


def test_simultaneous_attempts_from_one_address_get_at_most_the_allowance(demo):
    checked = _race(lambda i: "10.9.0.1")
    assert 1 <= checked <= throttle.LOGIN["pair"].free
    if checked == throttle.LOGIN["pair"].free:  # every check was used: now even the password waits
        client = Client()
        r = client.post(reverse("login"), {"username": "demo-investor2",
                                           "password": DEMO_PASSWORD}, REMOTE_ADDR="10.9.0.1")
        assert r.status_code == 200 and "_auth_user_id" not in client.session


def test_simultaneous_attempts_from_many_addresses_get_at_most_the_account_allowance(
        demo, monkeypatch):
    monkeypatch.setitem(throttle.LOGIN, "account", throttle.Limit(5))
    checked = _race(lambda i: f"10.9.1.{i + 1}")
    assert 1 <= checked <= 5
