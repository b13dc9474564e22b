"""Two app servers (gunicorn, as deployed) behind nginx (with the shipped proxy snippet) on one
PostgreSQL: nothing that must be shared lives in one process.

A reservation made through one server is refused through the other; a change made on one is
seen by a match on the other; a bounded load run through nginx keeps working when one server
is killed mid-run: only requests in flight at the kill may fail, every acknowledged write is in
the database and nothing is double-booked. Runs in ``.ci/run``'s PostgreSQL leg (which installs
nginx); skipped, saying why, elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count, Q, Sum

from promzona.accounts.models import User
from promzona.api.services import token_create
from promzona.applications.models import Reservation
from promzona.zones.models import Plot, UtilitySource
from tests.applications.conftest import make_application

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
THREADS = 6
LOAD_SECONDS = 6.0
KILL_AFTER = 2.0
SMALL_NEEDS = {"power_kw": 5, "water_m3_day": 0, "sewage_m3_day": 0, "heat_gcal_h": 0,
               "gas_m3_h": 0}
MATCH = {"sector": "C25", "area_ha": {"min": 0.1, "max": 50},
         "needs": {"power_kw": 10, "water_m3_day": 0, "sewage_m3_day": 0, "heat_gcal_h": 0,
                   "gas_m3_h": 0}, "hazard_class": 4, "horizon_years": 10}

pytestmark = [
    pytest.mark.db_concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs it)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port: int, method: str, path: str, body=None, token: str | None = None,
         timeout: float = 30) -> tuple[int, dict]:
    """One HTTP request; (status, JSON body). Connection errors raise ``OSError``."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # noqa: S310 - loopback
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw or b"null")
        except ValueError:
            return err.code, {"raw": raw[:200].decode(errors="replace")}


def _wait(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"{what} exited with {proc.returncode}"
        try:
            if call(port, "GET", "/api/health", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{what} did not answer on port {port}")


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two gunicorn instances on the test database and nginx in front: their ports."""
    with django_db_blocker.unblock():
        vendor, db = connection.vendor, connection.settings_dict
    if vendor != "postgresql":
        pytest.skip("several app servers share one PostgreSQL (the .ci/run PostgreSQL leg)")
    tmp = tmp_path_factory.mktemp("servers")
    url = (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {**os.environ, "PROMZONA_DATABASE_URL": url, "PROMZONA_VAR_DIR": str(tmp / "var"),
           "PROMZONA_SECRET_KEY": "two-servers-" + "k" * 40, "PROMZONA_TASKS": "immediate",
           "PROMZONA_TRUSTED_PROXIES": "127.0.0.1", "WEB_CONCURRENCY": "1",
           "PROMZONA_LOG_LEVEL": "WARNING"}
    procs, ports = [], []
    for name in ("a", "b"):
        port = _free_port()
        log = open(tmp / f"gunicorn-{name}.log", "w")  # noqa: SIM115 - closed with the process
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
            env={**env, "PROMZONA_BIND": f"127.0.0.1:{port}",
                 "PROMETHEUS_MULTIPROC_DIR": str(tmp / f"prometheus-{name}")},
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT))
        ports.append(port)
    front = _free_port()
    (tmp / "nginx").mkdir()
    upstreams = "".join(f"server 127.0.0.1:{p} max_fails=1 fail_timeout=30s; " for p in ports)
    (tmp / "nginx.conf").write_text(f"""
daemon off; worker_processes 1; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx/body; proxy_temp_path {tmp}/nginx/proxy;
  fastcgi_temp_path {tmp}/nginx/fastcgi; uwsgi_temp_path {tmp}/nginx/uwsgi;
  scgi_temp_path {tmp}/nginx/scgi;
  upstream promzona {{ {upstreams} keepalive 16; }}
  server {{
    listen 127.0.0.1:{front};
    location / {{ proxy_pass http://promzona;
                 include {ROOT}/deploy/nginx/promzona-proxy.conf; }}
  }}
}}""")
    procs.append(subprocess.Popen([NGINX, "-c", str(tmp / "nginx.conf"), "-p", str(tmp)],
                                  start_new_session=True, stderr=subprocess.DEVNULL))
    try:
        for port, proc, what in zip([*ports, front], procs, ["gunicorn a", "gunicorn b", "nginx"],
                                    strict=True):
            _wait(port, proc, what)
        yield {"a": ports[0], "b": ports[1], "nginx": front, "procs": procs}
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def staff_token(demo):
    return token_create(actor=None, user=User.objects.get(username="demo-staff"))


def _ledger_holds() -> None:
    for source in UtilitySource.objects.annotate(
            active=Sum("commitments__amount", filter=Q(commitments__status="active"))):
        assert source.committed == (source.active or Decimal(0)), source.code
    assert not Reservation.objects.filter(status="active").values("plot") \
        .annotate(n=Count("id")).filter(n__gt=1).exists()


def test_a_reservation_made_through_one_server_is_refused_through_the_other(servers,
                                                                            staff_token):
    app = make_application(User.objects.get(username="demo-investor"), needs=SMALL_NEEDS)
    plot = Plot.objects.filter(status="published").order_by("code").first()
    body = {"plot_id": plot.pk, "application_id": app.pk}
    status, made = call(servers["a"], "POST", "/api/reservations", body, staff_token)
    assert status == 201, made
    status, refused = call(servers["b"], "POST", "/api/reservations", body, staff_token)
    assert status == 409, refused
    assert Reservation.objects.filter(plot=plot, status="active").count() == 1


def test_a_change_made_on_one_server_is_seen_by_a_match_on_the_other(servers, staff_token):
    status, before = call(servers["b"], "POST", "/api/match", MATCH)
    assert status == 200, before
    plot_id = before["results"][0]["plot_id"]
    app = make_application(User.objects.get(username="demo-investor"), needs=SMALL_NEEDS)
    status, _ = call(servers["a"], "POST", "/api/reservations",
                     {"plot_id": plot_id, "application_id": app.pk}, staff_token)
    assert status == 201
    status, after = call(servers["b"], "POST", "/api/match", MATCH)
    assert status == 200
    assert plot_id not in [r["plot_id"] for r in after["results"]]
    assert plot_id in [e["plot_id"] for e in after["excluded"]]


def test_a_load_run_keeps_working_when_one_server_is_killed(servers, staff_token):
    investor = User.objects.get(username="demo-investor")
    apps = [make_application(investor, needs=SMALL_NEEDS).pk for _ in range(THREADS)]
    plots = list(Plot.objects.filter(status="published").order_by("code")
                 .values_list("pk", flat=True)[:THREADS * 2])
    acked: dict[int, str] = {}  # reservation id -> its acknowledged status
    failures: list[tuple[float, float, str]] = []  # (sent, answered, what), seconds from start
    done: list[float] = []  # when each successful request was answered
    lock = threading.Lock()
    start = time.monotonic()
    port = servers["nginx"]

    def client(i):
        n = 0
        while time.monotonic() - start < LOAD_SECONDS:
            n += 1
            sent = time.monotonic() - start
            try:
                if n % 3 == 0:
                    status, body = call(port, "GET", "/api/plots")
                    ok = status == 200
                else:
                    plot = plots[(i + n) % len(plots)]
                    status, body = call(port, "POST", "/api/reservations",
                                        {"plot_id": plot, "application_id": apps[i]},
                                        staff_token)
                    ok = status in (201, 409)
                    if status == 201:
                        with lock:
                            acked[body["id"]] = "active"
                        status, body = call(port, "POST",
                                            f"/api/reservations/{body['id']}/release", {},
                                            staff_token)
                        ok = status == 200
                        if ok:
                            with lock:
                                acked[body["id"]] = "released"
            except OSError as exc:
                status, ok, body = -1, False, repr(exc)
            answered = time.monotonic() - start
            with lock:
                if ok:
                    done.append(answered)
                else:
                    failures.append((sent, answered, f"{status} {str(body)[:200]}"))

    def killer():
        time.sleep(KILL_AFTER)
        os.killpg(servers["procs"][0].pid, signal.SIGKILL)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    threads.append(threading.Thread(target=killer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert servers["procs"][0].wait(timeout=30) is not None

    # Only requests in flight at the kill may fail: at most one per client, each sent before
    # the kill (the margin: the signal's own delivery) and answered after it.
    assert len(failures) <= THREADS, failures
    assert all(sent < KILL_AFTER + 0.5 and answered >= KILL_AFTER
               for sent, answered, _ in failures), failures
    assert len(done) > 3 * THREADS and any(at > KILL_AFTER + 1 for at in done)
    # Every acknowledged write is in the database, as acknowledged (or moved on since).
    stored = dict(Reservation.objects.filter(pk__in=acked).values_list("pk", "status"))
    assert set(stored) == set(acked)
    assert all(stored[pk] == "released" for pk, s in acked.items() if s == "released")
    _ledger_holds()
