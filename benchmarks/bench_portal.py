"""The public portal under load: home page and a plot passport, served by a real server.

Sets up a throw-away demo database in a temp ``PROMZONA_VAR_DIR``, starts a real server on
loopback in its own process (gunicorn, 2 workers x 8 threads;
or ``promzona runserver --noreload`` with ``--server runserver``, whose listen backlog of 5
makes 20 users wait on TCP retries), then (from this process) runs a threaded load
generator: ``--users`` concurrent users for ``--seconds``, each alternating the home page and a
passport. Prints requests/s, p50/p95/p99 latency and errors per page, and the home page's
transferred bytes on first load (HTML plus every CSS/JS it references; no map tiles). Baseline,
measured in the same run with the same users: a static file (the floor of the stack), and the
ratio of each page's p95 to it. Goal: p95 under 300 ms, 0 errors.

Run: ``.venv/bin/python benchmarks/bench_portal.py [--users 20] [--seconds 60]
[--server gunicorn|runserver] [--port N]``
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMZONA = str(Path(sys.executable).parent / "promzona")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:  # noqa: S310 - loopback only
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def load(urls: list[str], users: int, seconds: float) -> dict[str, dict]:
    """``users`` threads, each cycling through ``urls`` until the time is up."""
    lat: dict[str, list[float]] = {u: [] for u in urls}
    errors: dict[str, int] = {u: 0 for u in urls}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user(offset: int) -> None:
        i = offset
        while time.perf_counter() < stop:
            u = urls[i % len(urls)]
            i += 1
            t = time.perf_counter()
            try:
                status, _body = fetch(u)
            except OSError:
                status = 0
            dt_ms = (time.perf_counter() - t) * 1000
            with lock:
                lat[u].append(dt_ms)
                if status != 200:
                    errors[u] += 1

    threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t0
    return {u: {"n": len(lat[u]), "rps": len(lat[u]) / elapsed, "p50": pct(lat[u], 0.5),
                "p95": pct(lat[u], 0.95), "p99": pct(lat[u], 0.99), "errors": errors[u]}
            for u in urls}


def home_bytes(base: str) -> tuple[int, int]:
    """Bytes of the home page and every file of the site it loads (stylesheets, scripts, the
    brand's colours, logo and icon); count of files."""
    _s, html = fetch(base + "/")
    refs = set(re.findall(rb'<(?:link|script|img)[^>]* (?:href|src)="(/(?:static|brand)/[^"]+)"',
                          html))
    total = len(html)
    for ref in refs:
        total += len(fetch(base + ref.decode())[1])
    return total, 1 + len(refs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=10)
    ap.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    ap.add_argument("--port", type=int, help="Port of the server (default: a free one).")
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory(prefix="promzona-bench-") as var:
        env = dict(os.environ, PROMZONA_VAR_DIR=var, PROMZONA_DEBUG="0")
        subprocess.run([PROMZONA, "demo"], env=env, check=True, capture_output=True)
        port = args.port or free_port()
        if args.server == "gunicorn":
            cmd = [str(bindir / "gunicorn"), "-w", "2", "--threads", "8", "-b",
                   f"127.0.0.1:{port}", "promzona.wsgi"]
        else:
            cmd = [PROMZONA, "runserver", f"127.0.0.1:{port}", "--noreload"]
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _i in range(200):
                try:
                    if fetch(base + "/")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            else:
                raise SystemExit("server did not start")
            size, files = home_bytes(base)
            static = base + "/static/web/site.css"
            pages = [base + "/", base + "/plots/balkhash/BLK-01/"]
            for u in pages + [static]:  # warm up
                fetch(u)
            print(f"portal load: {args.users} users, {args.server} on loopback, demo DB, "
                  f"{args.seconds:.0f} s")
            print(f"home page first load: {size} bytes in {files} files (goal < 1,000,000)")
            baseline = load([static], args.users, args.baseline_seconds)[static]
            print(f"{'page':<32}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
                  f"{'errors':>8}{'p95/static':>12}")
            print(f"{'static site.css (baseline)':<32}{baseline['rps']:>8.1f}{baseline['p50']:>9.1f}"
                  f"{baseline['p95']:>9.1f}{baseline['p99']:>9.1f}{baseline['errors']:>8}"
                  f"{1.0:>12.1f}")
            results = load(pages, args.users, args.seconds)
            for u, r in results.items():
                name = u.removeprefix(base) or "/"
                print(f"{name:<32}{r['rps']:>8.1f}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}"
                      f"{r['errors']:>8}{r['p95'] / baseline['p95']:>12.1f}")
            total = sum(r["rps"] for r in results.values())
            worst = max(r["p95"] for r in results.values())
            errs = sum(r["errors"] for r in results.values())
            p50s = statistics.median(r["p50"] for r in results.values())
            print(f"total {total:.1f} req/s; median p50 {p50s:.1f} ms; worst p95 {worst:.1f} ms; "
                  f"errors {errs}; goal p95 < 300 ms and 0 errors: "
                  f"{'met' if worst < 300 and errs == 0 else 'NOT met'}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
