"""Shared fixtures: the Balkhash demo loaded once per test database, users of each role."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from promzona.demo import balkhash
from promzona.demo.accounts import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def english():
    """Tests read English messages unless they ask for another language; the product's default
    (Russian) is tested explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """Django's test client, asking for English like a browser set to it."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once into the test database; per-test transactions roll back on top of it."""
    with django_db_blocker.unblock():
        balkhash.load(today=timezone.localdate())


@pytest.fixture
def demo(db):
    """The demo zone, reloaded if a transactional test flushed the database."""
    from promzona.zones.models import Zone

    balkhash.load(today=timezone.localdate())
    return Zone.objects.get(slug="balkhash")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _login(client, username: str):
    assert client.login(username=username, password=DEMO_PASSWORD), username
    return client


@pytest.fixture
def staff_client(demo, client):
    return _login(client, "demo-staff")


@pytest.fixture
def manager_client(demo, client):
    return _login(client, "demo-manager")


@pytest.fixture
def investor_client(demo, client):
    return _login(client, "demo-investor")


@pytest.fixture
def staff_user(demo):
    from promzona.accounts.models import User

    return User.objects.get(username="demo-staff")
