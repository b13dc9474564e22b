"""The matching index from the database and the paged ``POST /api/match`` at 100,000 plots.

Writes the generated dataset of ``bench_matching.py`` (100,000 plots in 40 zones, 200 sources,
20,000 line segments, seeded) into a throw-away SQLite database with ``bulk_create``, then prints:

* the index rebuild from the database (:func:`build_index`, median of 3, wall and CPU time) and
  the part of it that reads the rows (:func:`index_data`), the goal < 2 s; against the build as
  it was before (rows read with Django's converters into a ``PlotIn`` per plot, an STRtree
  nearest query per group of lines: :func:`old_build`, kept here as the baseline), 3 runs;
* a match after a write that is not zones data (an API token: no rebuild) against one after a
  plot edit (a rebuild), the ratio between them;
* ``POST /api/match`` through the whole Django stack (test client, index cached): the default
  answer (a page of 50 results and 50 excluded) p50 and size, against the unpaged answer (every
  visible plot: the view as it was before paging, mounted here at ``/unpaged``) measured in the
  same run; the goal p50 < 150 ms;
* the resident memory of an app server with the index loaded: a fresh process that sets up
  Django on the same database and builds the index (after, and its peak while building); the
  goal < 500 MiB per app server. Also this process's, which held the generated dataset.

Run: ``.venv/bin/python benchmarks/bench_match_api.py [--plots N] [--runs N]``; ``uptime``
alongside: on a shared machine the wall times move with the load, the CPU times much less.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_matching import BODY, TODAY, pct  # noqa: E402

from promzona.core.matching.synthetic import SECTORS, generate  # noqa: E402

ZONES = 40


def unpaged_view(request):
    """``POST /api/match`` as it answered before paging: every visible plot."""
    from django.http import HttpResponse
    from django.utils import timezone

    from promzona.core.matching import MatchRequest
    from promzona.matching.answer import answer_json
    from promzona.matching.selectors import match_for

    req = MatchRequest.parse(json.loads(request.body))
    answer = answer_json(match_for(request.user, req, today=timezone.localdate()))
    return HttpResponse(json.dumps(answer, ensure_ascii=False), content_type="application/json")


urlpatterns: list = []  # the URLconf of /unpaged, filled once Django is set up
M_PER_DEG_LON, M_PER_DEG_LAT = 78_700.0, 111_000.0  # near 45° N: close enough for made-up data


def lonlat(geom) -> dict:
    """A generated geometry (metres) as GeoJSON in degrees, from 60° E, 45° N."""
    g = shapely.transform(geom, lambda c: c / (M_PER_DEG_LON, M_PER_DEG_LAT) + (60.0, 45.0))
    return json.loads(shapely.to_geojson(g))


def bbox(geo: dict) -> dict:
    x0, y0, x1, y1 = shapely.from_geojson(json.dumps(geo)).bounds
    return {"min_lon": x0, "min_lat": y0, "max_lon": x1, "max_lat": y1}


def load(ds) -> None:
    """The generated dataset as rows (bulk, no audit: illustrative benchmark data)."""
    from decimal import Decimal

    from promzona.zones.models import (
        InfrastructureProject,
        Plot,
        Sector,
        UtilityLine,
        UtilitySource,
        Zone,
    )

    Sector.objects.bulk_create([Sector(code=c, name_ru=c) for c in SECTORS],
                               ignore_conflicts=True)  # the OKED migration ships most of them
    extent = {}
    for p in ds.plots:
        x0, y0, x1, y1 = p.geometry.bounds
        e = extent.setdefault(p.zone_id, [x0, y0, x1, y1])
        e[:] = [min(e[0], x0), min(e[1], y0), max(e[2], x1), max(e[3], y1)]
    zones = []
    for z in ds.zones:
        x0, y0, x1, y1 = extent[z.id]
        geo = lonlat(shapely.box(x0 - 3000, y0 - 3000, x1 + 3000, y1 + 3000))
        zones.append(Zone(pk=z.id, slug=f"bench-{z.id}", name_ru=z.name, kind="industrial_zone",
                          status="operating", municipality="bench", is_illustrative=True,
                          admin_procedure_days=z.admin_procedure_days, geometry=geo, **bbox(geo)))
    Zone.objects.bulk_create(zones)
    for z in ds.zones:
        Zone.priority_sectors.through.objects.bulk_create([
            Zone.priority_sectors.through(zone_id=z.id, sector_id=c) for c in z.priority_sectors])
    point = {"type": "Point", "coordinates": [60.0, 45.0]}
    UtilitySource.objects.bulk_create([
        UtilitySource(pk=s.id, zone_id=s.zone_id, code=s.code, kind=s.kind, name_ru=s.name,
                      capacity=Decimal(f"{s.capacity:.3f}"), committed=Decimal(f"{s.committed:.3f}"),
                      tariff_kzt=Decimal(f"{s.tariff_kzt:.2f}"), geometry=point)
        for s in ds.sources])
    plots = []
    for p in ds.plots:
        geo = lonlat(p.geometry)
        plots.append(Plot(
            pk=p.id, zone_id=p.zone_id, code=p.code, name_ru=p.code, status=p.status,
            declared_area_ha=Decimal(f"{p.area_ha:.4f}"), computed_area_ha=Decimal(f"{p.area_ha:.4f}"),
            hazard_class_max=p.hazard_class_max, ownership="state",
            deal_lease=p.lease_price_kzt_ha_year is not None,
            lease_price_kzt_ha_year=None if p.lease_price_kzt_ha_year is None
            else Decimal(f"{p.lease_price_kzt_ha_year:.2f}"),
            deal_sale=p.sale_price_kzt is not None,
            sale_price_kzt=None if p.sale_price_kzt is None else Decimal(f"{p.sale_price_kzt:.2f}"),
            deal_free_use=p.free_use, rail_spur=p.rail_spur, dist_rail_m=p.dist_rail_m,
            dist_road_m=p.dist_road_m, dist_airport_m=p.dist_airport_m,
            available_from=p.available_from, geometry=geo, **bbox(geo)))
    Plot.objects.bulk_create(plots, batch_size=2000)
    through = Plot.permitted_sectors.through
    through.objects.bulk_create([through(plot_id=p.id, sector_id=c)
                                 for p in ds.plots for c in p.permitted_sectors], batch_size=5000)
    lines = []
    for ln in ds.lines:
        geo = lonlat(ln.geometry)
        lines.append(UtilityLine(
            pk=ln.id, zone_id=next(s.zone_id for s in ds.sources if s.id == ln.source_id)
            if ln.source_id else 1, code=ln.code, kind=ln.kind, source_id=ln.source_id,
            status=ln.status, planned_completion=ln.completion,
            connection_fixed_cost_kzt=Decimal(f"{ln.fixed_cost_kzt:.2f}"),
            connection_cost_per_km_kzt=Decimal(f"{ln.cost_per_km_kzt:.2f}"),
            connection_lead_days=ln.lead_days, geometry=geo, **bbox(geo)))
    UtilityLine.objects.bulk_create(lines, batch_size=2000)
    InfrastructureProject.objects.bulk_create([
        InfrastructureProject(pk=u.id, zone_id=next(s.zone_id for s in ds.sources
                                                    if s.id == u.source_id),
                              name_ru=u.name, status="planned", source_id=u.source_id,
                              capacity_added=Decimal(f"{u.capacity_added:.3f}"),
                              planned_completion=u.completion)
        for u in ds.upgrades])


def resident_mib(key: str = "VmRSS") -> float:
    """This process's resident memory now (Linux), or its peak (``VmHWM``: since the process
    began, unlike ``ru_maxrss``, which keeps the parent's across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def timed_cpu(fn, runs: int) -> tuple[float, float]:
    """Median wall and median CPU (this process) seconds of ``runs`` calls."""
    wall, cpu = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
    return statistics.median(wall), statistics.median(cpu)


def old_nearest(plots, plot_zone, lines, line_group, group_zone, max_distance):
    """The nearest-line search as the index did it before: an STRtree per group of lines, a
    nearest query per plot of the group's zone."""
    import numpy as np

    acc = []
    for g in range(group_zone.size):
        members = np.flatnonzero(plot_zone == group_zone[g])
        line_idx = np.flatnonzero(line_group == g)
        if members.size == 0 or line_idx.size == 0:
            continue
        (inp, hit), dist = shapely.STRtree(lines[line_idx]).query_nearest(
            plots[members], max_distance=max_distance, return_distance=True, all_matches=True)
        order = np.lexsort((line_idx[hit], inp))
        inp, hit, dist = inp[order], hit[order], dist[order]
        first = np.r_[True, inp[1:] != inp[:-1]]
        acc.append((members[inp[first]], np.full(first.sum(), g), line_idx[hit[first]],
                    dist[first]))
    plot_i, grp, line, dist = (np.concatenate(c) for c in zip(*acc, strict=True))
    order = np.lexsort((line, plot_i))
    return plot_i[order], grp[order], line[order], dist[order]


def old_build(small: dict):
    """The rebuild as it was before (the baseline): plot rows through Django's converters into
    a ``PlotIn`` each, then the per-group STRtree search. ``small``: the zones, sources,
    upgrades and lines as read now (not timed: in the old build's favour)."""
    from unittest import mock

    from django.db.models import TextField
    from django.db.models.functions import Cast

    from promzona.core import geometry as geo
    from promzona.core.matching import MatchIndex, PlotIn
    from promzona.core.matching import index as core_index
    from promzona.zones.models import Plot, Zone

    epsg_of = {z.pk: geo.metric_epsg_for(z.shape()) for z in Zone.objects.all()}
    sectors: dict[int, list[str]] = {}
    for plot_id, code in Plot.permitted_sectors.through.objects.values_list(
            "plot_id", "sector_id").order_by("sector_id").iterator(chunk_size=5000):
        sectors.setdefault(plot_id, []).append(code)
    texts: dict[int, tuple[list, list]] = {}
    for pk, zone_id, text in Plot.objects.annotate(text=Cast("geometry", TextField())
                                                   ).values_list("pk", "zone_id", "text"):
        texts.setdefault(zone_id, ([], []))
        texts[zone_id][0].append(pk)
        texts[zone_id][1].append(text)
    shapes = {}
    for zone_id, (ids, zone_texts) in texts.items():
        projected = geo.project(shapely.from_geojson(zone_texts), epsg_of[zone_id])
        shapes.update(zip(ids, projected.tolist(), strict=True))
    plots = [PlotIn(
        id=pk, code=code, zone_id=zone_id, status=status, area_ha=float(area),
        geometry=shapes[pk], permitted_sectors=tuple(sectors.get(pk, ())), hazard_class_max=hz,
        lease_price_kzt_ha_year=float(lease_price) if lease else None,
        sale_price_kzt=float(sale_price) if sale else None, free_use=free_use,
        rail_spur=rail_spur, dist_rail_m=rail, dist_road_m=road, dist_airport_m=airport,
        available_from=available_from,
    ) for (pk, code, zone_id, status, area, hz, lease, lease_price, sale, sale_price, free_use,
           rail_spur, rail, road, airport, available_from) in Plot.objects.values_list(
        "pk", "code", "zone_id", "status", "declared_area_ha", "hazard_class_max", "deal_lease",
        "lease_price_kzt_ha_year", "deal_sale", "sale_price_kzt", "deal_free_use", "rail_spur",
        "dist_rail_m", "dist_road_m", "dist_airport_m", "available_from").iterator(chunk_size=5000)]
    with mock.patch.object(core_index, "nearest_lines", old_nearest):
        return MatchIndex(**{**small, "plots": plots})


def app_server_memory() -> None:
    """In a fresh process on the benchmark's database: RSS before and after the index is
    built, and the peak while building (MiB), as one line of JSON."""
    import django

    django.setup()
    from promzona.matching.selectors import match_index

    before = resident_mib()
    match_index()
    gc.collect()
    print(json.dumps({"before": before, "after": resident_mib(), "peak": resident_mib("VmHWM")}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--plots", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--app-server-memory", metavar="VAR_DIR", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.pop("PROMZONA_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "promzona.settings")
    if args.app_server_memory:
        os.environ["PROMZONA_VAR_DIR"] = args.app_server_memory
        return app_server_memory()
    tmp = tempfile.mkdtemp(prefix="promzona-bench-")
    os.environ["PROMZONA_VAR_DIR"] = tmp
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import path

    from promzona.accounts.models import User
    from promzona.api.services import token_create
    from promzona.matching import selectors
    from promzona.zones import services as zones
    from promzona.zones.models import Plot

    urlpatterns.append(path("unpaged", unpaged_view))
    setup_test_environment()
    call_command("migrate", verbosity=0)
    ds = generate(zones=ZONES, plots_per_zone=args.plots // ZONES, sources_per_zone=5,
                  lines_per_zone=20_000 // ZONES, today=TODAY, seed=7)
    t0 = time.perf_counter()
    load(ds)
    print(f"dataset: {len(ds.plots):,} plots, {ZONES} zones, {len(ds.sources)} sources, "
          f"{len(ds.lines):,} line segments, {len(ds.upgrades)} upgrades "
          f"(written to SQLite in {time.perf_counter() - t0:.0f} s)")

    def cold():
        selectors._SHAPES.clear()  # every geometry parsed and projected, as a first build
        selectors.build_index()

    c50, ccpu = timed_cpu(cold, 3)
    r50, rcpu = timed_cpu(selectors.build_index, 3)  # unchanged plots' shapes reused
    gc.disable()  # as build_index reads them
    d50, dcpu = timed_cpu(selectors.index_data, 3)
    gc.enable()
    small = {k: v for k, v in selectors.index_data().items() if k != "plots"}
    built: dict = {}
    o50, ocpu = timed_cpu(lambda: built.update(old=old_build(small)), 3)
    new, old = selectors.build_index(), built.pop("old")
    same = all(np.array_equal(new.pairs[k][c], old.pairs[k][c]) for k in new.pairs
               for c in ("plot", "group", "line", "dist"))
    del new, old
    print(f"first build from the database (every geometry parsed and projected): median "
          f"{c50:.2f} s of 3 ({ccpu:.2f} s CPU)")
    print(f"index rebuild from the database (the shapes of plots whose geometry did not change "
          f"reused): median {r50:.2f} s of 3 ({rcpu:.2f} s CPU), of "
          f"which reading the rows {d50:.2f} s ({dcpu:.2f} s CPU) and the core index "
          f"{r50 - d50:.2f} s ({rcpu - dcpu:.2f} s CPU) (goal < 2 s: "
          f"{'met' if r50 < 2 else 'NOT met'}; load average {os.getloadavg()[0]:.1f})")
    print(f"  the build as it was (Django rows, a PlotIn per plot, an STRtree query per group): "
          f"median {o50:.2f} s of 3 ({ocpu:.2f} s CPU) — the first build {o50 / c50:.1f}× faster "
          f"({ocpu / ccpu:.1f}× in CPU time), a rebuild {o50 / r50:.1f}×; "
          f"the same options (plot, group, line, distance): "
          f"{'yes' if same else 'NO'}")

    client = Client()
    staff = User.objects.create_user("bench-staff", role="staff")

    def match(url: str = "/api/match"):
        r = client.post(url, data=json.dumps(BODY),
                        content_type="application/json")
        assert r.status_code == 200, r.content[:300]
        return r

    match()  # loads the index
    after_token = timed(lambda: (token_create(actor=staff, user=staff), match()), 3)
    plot = Plot.objects.filter(status="published").first()

    def edit_and_match():
        plot.dist_road_m = (plot.dist_road_m or 0) + 1
        zones.feature_save(actor=staff, obj=plot)
        match()

    after_edit = timed(edit_and_match, 3)
    t50, e50 = statistics.median(after_token), statistics.median(after_edit)
    print(f"match after an API token is made (no rebuild): median {t50 * 1000:.0f} ms; after a "
          f"plot edit (rebuild): {e50 * 1000:.0f} ms — {e50 / t50:.0f}× the first (3 runs each)")

    paged = timed(match, args.runs)
    answer = match()
    size, totals = len(answer.content), json.loads(answer.content)
    with override_settings(ROOT_URLCONF=__name__):
        full = timed(lambda: match("/unpaged"), 3)
        full_size = len(match("/unpaged").content)
    p50, f50 = statistics.median(paged), statistics.median(full)
    print(f"HTTP POST /api/match, default answer (50 results + 50 excluded of "
          f"{totals['results_total']:,} + {totals['excluded_total']:,}): p50 {p50 * 1000:.0f} ms, "
          f"p95 {pct(paged, 0.95) * 1000:.0f} ms ({args.runs} runs), {size / 1024:.0f} KiB "
          f"(goal p50 < 150 ms: {'met' if p50 < 0.15 else 'NOT met'})")
    print(f"  unpaged answer (every visible plot, as before): median {f50 * 1000:.0f} ms (3 runs), "
          f"{full_size / 2**20:.1f} MiB — the default answer is {f50 / p50:.0f}× faster and "
          f"{full_size / size:.0f}× smaller")
    del ds
    gc.collect()
    print(f"this process's RSS with the index loaded (generated dataset freed): "
          f"{resident_mib():.0f} MiB; peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
          f" MiB (the dataset generated and written, the old build run)")
    app = json.loads(subprocess.run(
        [sys.executable, __file__, "--app-server-memory", tmp], check=True, capture_output=True,
        text=True).stdout.splitlines()[-1])
    print(f"app server (a fresh process, Django set up, then the index built): RSS "
          f"{app['before']:.0f} MiB before, {app['after']:.0f} MiB with the index loaded, peak "
          f"{app['peak']:.0f} MiB while building (goal < 500 MiB with the index loaded: "
          f"{'met' if app['after'] < 500 else 'NOT met'}; while building: "
          f"{'met' if app['peak'] < 500 else 'NOT met'})")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
