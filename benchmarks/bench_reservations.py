"""Reservation attempts per second and latency under contention (20 threads, one plot).

Each of 20 threads repeatedly tries ``plot_reserve`` on the same plot for its own application
(its own DB connection); a winner releases at once, so every attempt races the others. The
baseline is the same attempt (reserve + release) from one thread, no contention, measured in
the same run. Figures are medians of 3 runs.

Runs on a throw-away SQLite in a temp dir, and on PostgreSQL too when ``PROMZONA_DATABASE_URL``
is set (a temporary database ``promzona_bench_<pid>`` is created there and dropped; the role
needs CREATEDB).

Run: ``.venv/bin/python benchmarks/bench_reservations.py [--threads 20] [--attempts 25]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def worker(threads: int, attempts: int) -> dict:
    """Measure inside a configured Django (the parent chose the database)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promzona.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from promzona.accounts.models import User
    from promzona.applications import services
    from promzona.applications.models import Reservation
    from promzona.core.errors import Conflict
    from promzona.demo import balkhash
    from promzona.zones.models import Plot

    balkhash.load(today=timezone.localdate())
    staff = User.objects.get(username="demo-staff")
    investor = User.objects.get(username="demo-investor")
    plot = Plot.objects.filter(status="published").order_by("code").first()
    apps = []
    for i in range(threads):
        app = services.application_create(
            actor=investor, project_name=f"bench {i}", sector="C25", investment_kzt=1,
            jobs_planned=1, needs={"power_kw": 1, "water_m3_day": 1},
        )
        services.application_submit(actor=investor, application=app)
        apps.append(app)

    def attempt(app) -> tuple[float, bool]:
        t0 = time.perf_counter()
        try:
            r = services.plot_reserve(actor=staff, plot=plot, application=app)
        except Conflict:
            return time.perf_counter() - t0, False
        services.reservation_release(actor=staff, reservation=r)
        return time.perf_counter() - t0, True

    def baseline() -> tuple[float, float]:
        lat = [attempt(apps[0])[0] for _ in range(attempts)]
        return attempts / sum(lat), pct(lat, 0.95)

    def contended() -> tuple[float, float, int, int]:
        lat: list[float] = []
        wins = errors = 0
        lock = threading.Lock()
        gate = threading.Barrier(threads)

        def run(app):
            nonlocal wins, errors
            gate.wait()
            try:
                for _ in range(attempts):
                    try:
                        dt_, won = attempt(app)
                    except Exception:  # noqa: BLE001 - any other error is counted, not hidden
                        with lock:
                            errors += 1
                        continue
                    with lock:
                        lat.append(dt_)
                        wins += won
            finally:
                connection.close()

        ts = [threading.Thread(target=run, args=(a,)) for a in apps]
        t0 = time.perf_counter()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        wall = time.perf_counter() - t0
        return len(lat) / wall, pct(lat, 0.95), wins, errors

    base = [baseline() for _ in range(3)]
    cont = [contended() for _ in range(3)]
    assert not Reservation.objects.filter(status="active", plot=plot).exists()
    return {
        "vendor": connection.vendor,
        "base_rate": statistics.median(b[0] for b in base),
        "base_p95_ms": 1000 * statistics.median(b[1] for b in base),
        "rate": statistics.median(c[0] for c in cont),
        "p95_ms": 1000 * statistics.median(c[1] for c in cont),
        "wins": sum(c[2] for c in cont), "errors": sum(c[3] for c in cont),
        "attempts": 3 * threads * attempts,
    }


def run_leg(env: dict, args) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", "--threads", str(args.threads),
         "--attempts", str(args.attempts)],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(r: dict, threads: int) -> None:
    print(f"{r['vendor']:>10}: {threads} threads on one plot: {r['rate']:.0f} attempts/s, "
          f"p95 {r['p95_ms']:.1f} ms ({r['wins']} wins, {r['errors']} errors of "
          f"{r['attempts']} attempts) | baseline 1 thread: {r['base_rate']:.0f} attempts/s, "
          f"p95 {r['base_p95_ms']:.1f} ms | contended / single writer: "
          f"{r['rate'] / r['base_rate']:.2f}x the attempts per second")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--attempts", type=int, default=25)
    ap.add_argument("--worker", action="store_true")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.threads, args.attempts)))
        return
    env = {k: v for k, v in os.environ.items() if k != "PROMZONA_DATABASE_URL"}
    env["PYTHONPATH"] = str(SRC)
    env["PROMZONA_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    tmp = tempfile.mkdtemp(prefix="bench-reservations-")
    try:
        report(run_leg(dict(env, PROMZONA_VAR_DIR=tmp), args), args.threads)
        url = os.environ.get("PROMZONA_DATABASE_URL", "").strip()
        if url:
            import psycopg

            base, _, _db = url.rpartition("/")
            name = f"promzona_bench_{os.getpid()}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            try:
                leg = dict(env, PROMZONA_VAR_DIR=tmp, PROMZONA_DATABASE_URL=f"{base}/{name}")
                report(run_leg(leg, args), args.threads)
            finally:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            print("postgresql: skipped (set PROMZONA_DATABASE_URL to measure it)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
