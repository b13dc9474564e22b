"""Geodata benchmark.

1. Import of a generated 100,000-plot GeoPackage through the import service (real run: checked,
   derived, bulk-written and audited in one transaction) into a fresh temporary SQLite DB, in a
   child process so its peak memory (ru_maxrss) is the import's own; median of ``--runs``
   (3) imports, each into a fresh database, with the process CPU time and the load average (the
   development machine is shared). Goal: < 10 s and < 1 GiB. Baseline: reading the same file
   with pyogrio alone, in the same run.
2. ``/ogc/collections/plots/items``, the default page and ``limit=1000``: requests per second
   and the server's CPU time per request, ours (gunicorn, 1 sync worker, SQLite) against
   pygeoapi serving the same plots (a GeoPackage of our export) through its database-backed
   SQLiteGPKG provider (gunicorn, 1 sync worker); goal: ours at least as fast (ratio >= 1).
   pygeoapi is no dependency:
   it is installed into its own virtual environment under ``benchmarks/out`` (git-ignored),
   made from Debian's Python, whose sqlite3 may load SpatiaLite (``apt-get install
   libsqlite3-mod-spatialite``); without it the bench says so and prints no ratio.

Run: ``.venv/bin/python benchmarks/bench_geodata.py [--plots N] [--runs N] [--import-only]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
BIN = Path(PY).parent
ORIGIN = (75.0, 46.80)  # south-west corner of the generated zone (Balkhash area)
SIDE = 0.0009  # plot side in degrees (~70 x 100 m)
STEP = 0.001
PYGEOAPI_VENV = Path(__file__).resolve().parent / "out" / "pygeoapi-venv"  # git-ignored
SYSTEM_PY = "/usr/bin/python3"
GOAL_S, GOAL_MIB = 10.0, 1024  # the import of 100,000 plots (issue 16)
#: The pages of the OGC API compared with pygeoapi: its query string after ``items``.
PAGES = {"default page (10 features)": "", "limit=1000": "?limit=1000"}


def _setup_django(var_dir: str) -> None:
    os.environ["PROMZONA_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promzona.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _grid(n: int) -> tuple[int, int]:
    cols = int(n**0.5) + 1
    return cols, (n + cols - 1) // cols


def generate(path: Path, n: int) -> None:
    """A GeoPackage of ``n`` square plots in EPSG:4326 with Russian field names."""
    import numpy as np
    import pyogrio.raw
    import shapely

    cols, _rows = _grid(n)
    i = np.arange(n)
    x0 = ORIGIN[0] + (i % cols) * STEP
    y0 = ORIGIN[1] + (i // cols) * STEP
    geoms = shapely.box(x0, y0, x0 + SIDE, y0 + SIDE)
    fields = {
        "код": np.array([f"G-{k:06d}" for k in i], dtype=object),
        "наименование": np.array([f"Участок {k}" for k in i], dtype=object),
        "кадастровый_номер": np.array([f"09-{k:08d}" for k in i], dtype=object),
        "площадь_га": np.array(["0.6"] * n, dtype=object),
        "status": np.array(["published"] * n, dtype=object),
    }
    pyogrio.raw.write(str(path), shapely.to_wkb(geoms), list(fields.values()), list(fields),
                      driver="GPKG", geometry_type="Polygon", crs="EPSG:4326", layer="plots")


def child_import(var_dir: str, path: str, n: int) -> None:
    """Runs in its own process: create the zone, import, print figures as JSON."""
    _setup_django(var_dir)
    from promzona.core import geometry as geo
    from promzona.geodata.services import layer_import
    from promzona.zones.models import Plot, Zone
    from promzona.zones.services import feature_save

    cols, rows = _grid(n)
    x0, y0 = ORIGIN[0] - 0.001, ORIGIN[1] - 0.001
    x1, y1 = ORIGIN[0] + cols * STEP + 0.001, ORIGIN[1] + rows * STEP + 0.001
    boundary = {"type": "Polygon",
                "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}
    zone = feature_save(actor=None, obj=Zone(
        slug="bench", name_ru="Бенчмарк", kind="industrial_zone", status="planned",
        municipality="—", geometry=boundary))
    assert geo.validate_polygon(zone.geometry)
    start, cpu = time.perf_counter(), time.process_time()
    report = layer_import(actor=None, path=Path(path), layer="plots", zone=zone)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert report.written and Plot.objects.count() == n, report.counts
    from promzona.audit.models import AuditEntry

    print(json.dumps({
        "seconds": seconds, "cpu_seconds": cpu,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "reader_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "counts": report.counts, "audit_entries": AuditEntry.objects.count(),
    }))


def sandboxed_read(path: Path) -> float:
    """The import's own reading: the file checked, copied and read in the sandboxed child."""
    from promzona.core.geodata import files, sandbox

    start = time.perf_counter()
    with files.opened(path) as dataset:
        table = sandbox.read_table(dataset)
    assert len(table) > 0
    return time.perf_counter() - start


def baseline_read(path: Path) -> float:
    import pyogrio.raw

    start = time.perf_counter()
    pyogrio.raw.read(path)
    return time.perf_counter() - start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, path: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", path)
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not answer")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` and its children (a gunicorn master and its
    worker), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]:
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def requests_per_second(port: int, path: str, n: int, pid: int,
                        rounds: int = 3) -> tuple[float, float, int]:
    """Median over ``rounds`` of ``n`` sequential requests: requests per second, the server's
    CPU milliseconds per request, and the size of one answer."""
    rates, cpus, size = [], [], 0
    for _ in range(rounds):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start, cpu = time.perf_counter(), _cpu_seconds(pid)
        for _ in range(n):
            c.request("GET", path, headers={"Accept": "application/geo+json"})
            r = c.getresponse()
            body = r.read()
            assert r.status == 200, (r.status, body[:200])
            size = len(body)
        rates.append(n / (time.perf_counter() - start))
        cpus.append((_cpu_seconds(pid) - cpu) * 1000 / n)
        c.close()
    return statistics.median(rates), statistics.median(cpus), size


def pygeoapi_venv() -> tuple[Path | None, str]:
    """pygeoapi and gunicorn in their own virtual environment under ``benchmarks/out`` (not the
    project's), made from Debian's Python, whose sqlite3 can load SpatiaLite (the GeoPackage
    provider needs it: Debian's ``libsqlite3-mod-spatialite``). Returns its bin folder, or None
    and why not."""
    if not PYGEOAPI_VENV.joinpath("bin", "pygeoapi").exists():
        if not Path(SYSTEM_PY).exists():
            return None, f"{SYSTEM_PY} is missing"
        made = subprocess.run([SYSTEM_PY, "-m", "venv", str(PYGEOAPI_VENV)],
                              capture_output=True, text=True)
        pip = made.returncode == 0 and subprocess.run(
            [str(PYGEOAPI_VENV / "bin" / "pip"), "install", "--quiet", "pygeoapi", "gunicorn"],
            capture_output=True, text=True)
        if not pip or pip.returncode != 0:
            return None, "pip install pygeoapi failed"
    probe = subprocess.run([str(PYGEOAPI_VENV / "bin" / "python"), "-c",
                            "import sqlite3; c = sqlite3.connect(':memory:'); "
                            "c.enable_load_extension(True); c.load_extension('mod_spatialite')"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return None, ("SpatiaLite cannot be loaded (Debian: apt-get install "
                      "libsqlite3-mod-spatialite)")
    return PYGEOAPI_VENV / "bin", ""


def serve_ours(var_dir: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "PROMZONA_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "promzona.settings"}
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "promzona.wsgi:application"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def serve_pygeoapi(bin_dir: Path, work: Path, gpkg: Path, port: int) -> subprocess.Popen:
    config = work / "pygeoapi.yml"
    contact = {k: "x" for k in ("name", "position", "address", "city", "stateorprovince",
                                "postalcode", "country", "phone", "fax", "url", "hours",
                                "instructions")}
    doc = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": port}, "url": f"http://127.0.0.1:{port}",
            "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8",
            "languages": ["en-US"], "limits": {"default_items": 10, "max_items": 10000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                    "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "bench", "description": "bench", "keywords": ["bench"],
                               "keywords_type": "theme", "terms_of_service": "https://example.org",
                               "url": "https://example.org"},
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "https://example.org"},
            "contact": {**contact, "email": "x@example.org", "role": "pointOfContact"},
        },
        "resources": {"plots": {
            "type": "collection", "title": "plots", "description": "plots", "keywords": ["plots"],
            "extents": {"spatial": {"bbox": [-180, -90, 180, 90],
                                    "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
            "providers": [{"type": "feature", "name": "SQLiteGPKG", "data": str(gpkg),
                           "id_field": "fid", "table": "plots"}],
        }},
    }
    config.write_text(json.dumps(doc))  # JSON is YAML
    openapi = work / "openapi.yml"
    env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    with open(openapi, "w") as out:
        subprocess.run([str(bin_dir / "pygeoapi"), "openapi", "generate", str(config)],
                       stdout=out, stderr=subprocess.DEVNULL, env=env, check=True)
    return subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", "pygeoapi.flask_app:APP"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pygeoapi_version(bin_dir: Path) -> str:
    out = subprocess.run([str(bin_dir / "python"), "-c", "import pygeoapi; print(pygeoapi.__version__)"],
                         capture_output=True, text=True)
    return out.stdout.strip() or "?"


def export_gpkg(var_dir: str, target: Path) -> None:
    """The plots of the benchmark DB as a GeoPackage (our export, every field), for pygeoapi."""
    env = {**os.environ, "PROMZONA_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "promzona.settings"}
    subprocess.run([PY, "-m", "promzona", "export", "--layer", "plots", "--format", "gpkg", "-o",
                    str(target)], env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plots", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--runs", type=int, default=3, help="imports to take the median of")
    ap.add_argument("--port", type=int, default=0,
                    help="ours on PORT, pygeoapi on PORT+1 (default: free ports)")
    ap.add_argument("--import-only", action="store_true",
                    help="measure the import and its baselines only, not the OGC API")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_import(args.child[0], args.child[1], args.plots)
        return
    work = Path(tempfile.mkdtemp(prefix="promzona-bench-"))
    procs: list[subprocess.Popen] = []
    try:
        gpkg = work / "plots.gpkg"
        generate(gpkg, args.plots)
        reads = [baseline_read(gpkg) for _ in range(3)]
        sandboxed = [sandboxed_read(gpkg) for _ in range(3)]
        runs = []
        for k in range(args.runs):  # each run imports into a fresh database
            var_dir = str(work / f"var{k}")
            out = subprocess.run([PY, __file__, "--plots", str(args.plots), "--child", var_dir,
                                  str(gpkg)], capture_output=True, text=True)
            if out.returncode != 0:
                print(out.stderr[-3000:])
                raise SystemExit("import failed")
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        read = statistics.median(reads)
        seconds = statistics.median(r["seconds"] for r in runs)
        cpu = statistics.median(r["cpu_seconds"] for r in runs)
        peak = max(r["peak_mib"] for r in runs)
        met = "met" if seconds < GOAL_S and peak < GOAL_MIB else "NOT met"
        print(f"import of {args.plots:,} plots from GeoPackage (real run: checks, derived "
              f"fields, one audit entry per plot), median of {len(runs)} runs: {seconds:.1f} s "
              f"(process CPU {cpu:.1f} s), peak memory {peak:.0f} MiB, of the sandboxed reader "
              f"{max(r['reader_peak_mib'] for r in runs):.0f} MiB; goal < {GOAL_S:.0f} s and "
              f"< {GOAL_MIB} MiB: {met}; audit entries {runs[-1]['audit_entries']:,}; "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"baseline: pyogrio read of the same file, median of 3: {read:.2f} s "
              f"(import / read = {seconds / read:.1f}x)")
        box = statistics.median(sandboxed)
        print(f"the import's sandboxed read of the same file (child process, limits, JSON "
              f"answer), median of 3: {box:.2f} s (sandboxed / pyogrio read = {box / read:.1f}x)")

        if args.import_only:
            return
        port = args.port or _free_port()
        procs.append(serve_ours(var_dir, port))
        _wait(port, "/ogc/conformance", procs[-1])
        ours = {page: requests_per_second(port, f"/ogc/collections/plots/items{query}",
                                          args.requests, procs[-1].pid)
                for page, query in PAGES.items()}
        bin_dir, why = pygeoapi_venv()
        if bin_dir is None:
            print(f"pygeoapi: not available ({why}); no ratio.")
            return
        exported = work / "export.gpkg"
        export_gpkg(var_dir, exported)
        port2 = args.port + 1 if args.port else _free_port()
        try:
            procs.append(serve_pygeoapi(bin_dir, work, exported, port2))
            _wait(port2, "/conformance", procs[-1])
        except (RuntimeError, subprocess.CalledProcessError, FileNotFoundError) as exc:
            print(f"pygeoapi could not be started ({exc}); no ratio.")
            return
        theirs = {page: requests_per_second(
            port2, f"/collections/plots/items{query}{'&' if query else '?'}f=json",
            args.requests, procs[-1].pid) for page, query in PAGES.items()}
        print(f"OGC API items of {args.plots:,} plots, median of 3 x {args.requests} sequential "
              f"requests, each server gunicorn with 1 sync worker; baseline pygeoapi "
              f"{pygeoapi_version(bin_dir)} serving the same plots from a GeoPackage of our "
              f"export through its SQLiteGPKG provider; load average {os.getloadavg()[0]:.1f}")
        for page in PAGES:
            (rate, cpu, size), (rate2, cpu2, size2) = ours[page], theirs[page]
            print(f"{page}: ours {rate:.1f} requests/s ({cpu:.1f} ms CPU per request, "
                  f"{size // 1024} KiB), pygeoapi {rate2:.1f} requests/s ({cpu2:.1f} ms CPU, "
                  f"{size2 // 1024} KiB); ratio ours / pygeoapi {rate / rate2:.2f}x "
                  f"(by CPU time {cpu2 / cpu:.2f}x); goal >= 1x: "
                  f"{'met' if rate >= rate2 else 'NOT met'}")
    finally:
        for p in procs:
            p.terminate()
            p.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
