"""A token request never waits for another writer (issue 11, finding 6): authenticating only
reads, and ``last_used_at`` is written after the answer, at most once a minute, giving up at
once when the database is busy (a long import holds SQLite's single write lock)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.test import Client

from promzona.accounts.models import User
from promzona.api.models import ApiToken
from promzona.api.services import token_create


def get(client, token):
    return client.get("/api/applications", HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
def test_last_used_at_is_written_at_most_once_a_minute(demo, client):
    key = token_create(actor=None, user=User.objects.get(username="demo-staff"))
    token = ApiToken.objects.get()
    assert get(client, key).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert get(client, key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    assert get(client, key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(minutes=2)


@pytest.mark.db_concurrency
@pytest.mark.django_db(transaction=True)
def test_token_request_answers_while_another_transaction_holds_the_database(demo):
    key = token_create(actor=None, user=User.objects.get(username="demo-staff"))
    token = ApiToken.objects.get()
    held, answered = threading.Event(), threading.Event()
    outcome = {}

    def long_import():
        try:
            # SQLite: BEGIN IMMEDIATE takes the one write lock; PostgreSQL: the token's row too.
            with transaction.atomic():
                ApiToken.objects.select_for_update().get(pk=token.pk)
                held.set()
                outcome["answered_while_held"] = answered.wait(timeout=60)
        finally:
            connection.close()

    writer = threading.Thread(target=long_import)
    writer.start()
    try:
        assert held.wait(timeout=60)
        response = get(Client(), key)
        answered.set()
    finally:
        answered.set()
        writer.join(timeout=120)
    assert response.status_code == 200, response.content[:200]
    assert outcome["answered_while_held"]
    token.refresh_from_db()
    assert token.last_used_at is None  # skipped while busy; recorded by a later call
    assert get(Client(), key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
