"""The production layout under a realistic load: locust, headless, against nginx -> gunicorn
(+ the task worker) -> PostgreSQL, as deploy/ sets them up.

The mix (``benchmarks/locust_mix.py``): visitors open the map and passports, match and call the
API; a few investors apply; a few staff reserve and release plots. 200 users for 60 s by
default. Prints per request kind the count, errors, p50 and p95, and the ratio of each p95 to
the p95 of a static file served by nginx in the same run (the floor of the stack). Goal: p95 <
300 ms, 0 errors.

Needs PostgreSQL (``--database-url``, default the local ``promzona`` role's server; a database
``promzona_bench_load`` is made and dropped) and nginx (without it gunicorn is hit directly,
and the script says so). locust is installed for the benchmark only, in its own virtual
environment under ``benchmarks/out/`` (git-ignored), never in the project's.

Run: ``.venv/bin/python benchmarks/bench_load.py [--users 200] [--seconds 60]``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
LOCUST_VENV = OUT / "locust-venv"
LOCUST = "locust==2.47.0"
BIN = Path(sys.executable).parent
DB = "promzona_bench_load"
GOAL_MS = 300


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def locust_bin() -> Path | None:
    exe = LOCUST_VENV / "bin" / "locust"
    if exe.exists():
        return exe
    print(f"locust: installing {LOCUST} into {LOCUST_VENV.relative_to(ROOT)} (benchmark only)")
    subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)
    pip = subprocess.run([str(LOCUST_VENV / "bin" / "pip"), "install", "--quiet", LOCUST],
                         capture_output=True, text=True)
    if pip.returncode:
        print("locust: pip install failed:", pip.stderr.strip().splitlines()[-1:])
        return None
    return exe


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def nginx_conf(tmp: Path, front: int, back: int, static_root: Path) -> Path:
    """deploy/nginx/promzona.conf's serving part (static files, the proxy snippet), on
    loopback without TLS."""
    (tmp / "nginx").mkdir()
    conf = tmp / "nginx.conf"
    conf.write_text(f"""
daemon off; worker_processes auto; pid {tmp}/nginx.pid; error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 2048; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path {tmp}/nginx/body; proxy_temp_path {tmp}/nginx/proxy;
  fastcgi_temp_path {tmp}/nginx/fastcgi; uwsgi_temp_path {tmp}/nginx/uwsgi;
  scgi_temp_path {tmp}/nginx/scgi;
  upstream promzona {{ server 127.0.0.1:{back}; keepalive 32; }}
  server {{
    listen 127.0.0.1:{front};
    location /static/ {{ alias {static_root}/; expires 1y; }}
    location / {{ proxy_pass http://promzona; include {ROOT}/deploy/nginx/promzona-proxy.conf; }}
  }}
}}""")
    return conf


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of process ``root`` and its descendants, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    parent, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parent[pid], cpu[pid] = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
    inside = {root}
    for _round in range(4):
        inside |= {pid for pid, ppid in parent.items() if ppid in inside}
    return sum(cpu.get(pid, 0.0) for pid in inside)


def stats(csv_path: Path) -> list[dict]:
    with open(csv_path, newline="") as f:
        return [{"name": r["Name"], "n": int(r["Request Count"]),
                 "errors": int(r["Failure Count"]), "p50": float(r["50%"] or "nan"),
                 "p95": float(r["95%"] or "nan")} for r in csv.DictReader(f)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--database-url", default=os.environ.get(
        "PROMZONA_BENCH_DATABASE_URL", "postgres://promzona:promzona@127.0.0.1:5432/postgres"))
    args = ap.parse_args()
    try:
        admin = psycopg.connect(args.database_url, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        print(f"skipped: needs PostgreSQL ({type(exc).__name__}); pass --database-url")
        return 0
    locust = locust_bin()
    if locust is None:
        print("skipped: locust could not be installed")
        return 0
    admin.execute(f'DROP DATABASE IF EXISTS "{DB}"')
    admin.execute(f'CREATE DATABASE "{DB}"')
    url = re.sub(r"/[^/]*$", f"/{DB}", args.database_url)
    procs: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="promzona-load-") as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx's workers (another user) read the static files in it
        env = {**os.environ, "PROMZONA_DATABASE_URL": url, "PROMZONA_VAR_DIR": str(tmp / "var"),
               "PROMZONA_SECRET_KEY": "bench-" + "s" * 44, "PROMZONA_TRUSTED_PROXIES": "127.0.0.1",
               "PROMZONA_LOG_LEVEL": "WARNING", "PROMZONA_DEBUG": "0"}
        promzona = str(BIN / "promzona")
        try:
            subprocess.run([promzona, "demo"], env=env, check=True, capture_output=True)
            subprocess.run([promzona, "collectstatic", "--noinput", "-v0"], env=env, check=True)
            tokens = {who: subprocess.run([promzona, "token", "create", f"demo-{who}"], env=env,
                                          check=True, capture_output=True, text=True)
                      .stdout.split()[-1] for who in ("staff", "investor")}
            back = free_port()
            workers = os.environ.get("WEB_CONCURRENCY", "3")
            procs.append(subprocess.Popen(
                [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                env={**env, "PROMZONA_BIND": f"127.0.0.1:{back}", "WEB_CONCURRENCY": workers},
                stdout=subprocess.DEVNULL, stderr=open(tmp / "gunicorn.log", "w"),  # noqa: SIM115
                start_new_session=True))
            procs.append(subprocess.Popen([promzona, "worker", "--no-startup-delay", "-v0"],
                                          env=env, start_new_session=True,
                                          stdout=subprocess.DEVNULL))  # the demo's mail
            wait_for(f"http://127.0.0.1:{back}/api/health", procs[0])
            nginx = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
            host = f"http://127.0.0.1:{back}"
            if nginx:
                front = free_port()
                conf = nginx_conf(tmp, front, back, tmp / "var" / "static")
                procs.append(subprocess.Popen([nginx, "-c", str(conf), "-p", str(tmp)],
                                              start_new_session=True))
                host = f"http://127.0.0.1:{front}"
                wait_for(host + "/api/health", procs[-1])
            else:
                print("nginx is not installed: gunicorn (static files by WhiteNoise) is hit "
                      "directly")
            with urllib.request.urlopen(host + "/api/plots") as r:  # noqa: S310 - loopback
                features = json.load(r)["features"]
            with urllib.request.urlopen(host + "/") as r:  # noqa: S310 - loopback
                static = re.search(rb'href="(/static/[^"]+\.css)"', r.read()).group(1).decode()
            published = [f for f in features if f["properties"]["status"] == "published"]
            mix_env = {**os.environ, "BENCH_STAFF_TOKEN": tokens["staff"],
                       "BENCH_INVESTOR_TOKEN": tokens["investor"], "BENCH_STATIC": static,
                       "BENCH_PLOTS": ",".join(f["properties"]["code"] for f in features),
                       "BENCH_PLOT_IDS": ",".join(str(f["id"]) for f in published)}
            print(f"load: {args.users} users for {args.seconds} s against {host} "
                  f"(nginx -> gunicorn {workers} workers x 4 threads -> PostgreSQL), "
                  f"{len(features)} plots")
            servers = [proc.pid for proc in procs]
            cpu_before = [tree_cpu(pid) for pid in servers]
            load_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            run = subprocess.run(
                [str(locust), "-f", str(ROOT / "benchmarks" / "locust_mix.py"), "--headless",
                 "-u", str(args.users), "-r", str(max(1, args.users // 10)),
                 "-t", f"{args.seconds}s", "--host", host, "--csv", str(tmp / "load"),
                 "--only-summary", "--loglevel", "WARNING"],
                env=mix_env, capture_output=True, text=True, timeout=args.seconds + 120)
            load_after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = {name: tree_cpu(pid) - before for name, pid, before in zip(
                ["gunicorn", "task worker", "nginx"], servers, cpu_before, strict=False)}
            cpu["locust"] = (load_after.ru_utime + load_after.ru_stime
                             - load_before.ru_utime - load_before.ru_stime)
            rows = stats(tmp / "load_stats.csv")
        finally:
            for proc in reversed(procs):
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=60)
    admin.execute(f'DROP DATABASE IF EXISTS "{DB}"')
    base = next(r for r in rows if r["name"] == "static file (baseline)")["p95"]
    print(f"{'request':40} {'count':>7} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p95/static':>10}")
    for r in rows:
        print(f"{r['name'][:40]:40} {r['n']:7d} {r['errors']:6d} {r['p50']:7.0f} {r['p95']:7.0f} "
              f"{r['p95'] / base if base else float('nan'):10.1f}")
    cores = os.cpu_count() or 1
    print("CPU seconds during the run ({} cores x {} s = {:.0f} available; PostgreSQL not "
          "counted): {}; load average {}".format(
              cores, args.seconds, cores * args.seconds,
              ", ".join(f"{k} {v:.1f}" for k, v in cpu.items()),
              " ".join(f"{x:.1f}" for x in os.getloadavg())))
    total = next(r for r in rows if r["name"] == "Aggregated")
    verdict = "met" if total["p95"] < GOAL_MS and total["errors"] == 0 else "NOT met"
    print(f"goal p95 < {GOAL_MS} ms and 0 errors: {verdict} (p95 {total['p95']:.0f} ms, "
          f"{total['errors']} errors; locust exit {run.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
