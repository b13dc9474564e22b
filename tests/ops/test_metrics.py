"""Prometheus metrics answer only the configured addresses, also behind the reverse proxy,
and a client cannot get in by writing X-Forwarded-For itself."""

from __future__ import annotations

import ipaddress

import pytest

pytestmark = pytest.mark.django_db


def _nets(*names):
    return [ipaddress.ip_network(n) for n in names]


def test_an_allowed_address_reads_the_request_metrics(client):
    client.get("/api/health")
    r = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert r.status_code == 200
    assert "django_http_requests_total_by_method_total" in r.content.decode()


@pytest.mark.parametrize("peer, forwarded", [
    ("203.0.113.7", ""),  # a stranger
    ("203.0.113.7", "127.0.0.1"),  # a stranger claiming to be local
    ("127.0.0.1", "203.0.113.7"),  # a stranger through the trusted proxy
    ("127.0.0.1", "127.0.0.1, 203.0.113.7"),  # the same, with a forged first hop
])
def test_other_addresses_get_not_found(client, settings, peer, forwarded):
    settings.PROMZONA_TRUSTED_PROXIES = _nets("127.0.0.1/32")
    r = client.get("/metrics", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert r.status_code == 404


def test_the_allow_list_takes_networks(client, settings):
    settings.PROMZONA_METRICS_ALLOW = _nets("10.20.0.0/16")
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
