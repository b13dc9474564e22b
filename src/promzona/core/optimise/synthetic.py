"""Generated instances for the benchmarks (deterministic for a ``seed``), as contract JSON.

Allocation: ``zones`` zones share the plots and sources; each zone has 2 power, 2 water, 2 heat,
1 sewage and 1 gas source and every plot is served by one source of each kind present on it
(power and water always; heat, sewage and gas on 80, 60 and 40 % of plots). An application
asks one zone: most name 3–10 preferred plots there (the portal's limit is 10), the rest accept
any plot of that zone (with one zone: any plot, no list). Free capacity per source is its
expected demand divided by ``tightness`` and scattered ×0.3–1.7, so some sources are scarce.

Plan: works are source upgrades and the power, water and heat lines of ``areas`` parts of a
zone; half the lines need their source's upgrade first, a fifth need a trunk line of their
kind; a plot needs its area's power and water lines (and heat in some areas). The budget per
period is ``budget_share`` of the total cost spread evenly.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

SOURCES_PER_ZONE = (("power", 2), ("water", 2), ("heat", 2), ("sewage", 1), ("gas", 1))
PRESENT = {"power": 1.0, "water": 1.0, "heat": 0.8, "sewage": 0.6, "gas": 0.4}
NEED_SCALE = {"power": ("power_kw", 1.0, 1.0), "water": ("water_m3_day", 0.1, 0.9),
              "heat": ("heat_gcal_h", 0.002, 0.3), "sewage": ("sewage_m3_day", 0.08, 0.6),
              "gas": ("gas_m3_h", 0.2, 0.2)}  # need key, scale, share of applications


def allocation_instance(*, applications: int = 1000, plots: int = 5000, zones: int = 25,
                        tightness: float = 1.2, share_open: float = 0.3, seed: int = 1) -> dict:
    """About ``8 × zones`` sources (``zones = 25`` gives 200)."""
    rng = np.random.default_rng(seed)
    per_zone = zones if zones > 1 else 25  # one zone: as many sources as 25 zones would have
    zone_of = np.arange(plots) * zones // plots
    sources, by_kind = [], {}
    for z in range(max(zones, 1)):
        for kind, count in SOURCES_PER_ZONE:
            for i in range(count * (per_zone if zones == 1 else 1)):
                sources.append({"id": f"Z{z}-{kind}-{i}", "kind": kind, "free": 0.0})
                by_kind.setdefault((z, kind), []).append(len(sources) - 1)
    area = np.round(np.clip(rng.lognormal(1.0, 0.8, plots), 0.3, 40.0), 2)
    plot_rows = []
    for p in range(plots):
        served = {}
        for kind, share in PRESENT.items():
            if rng.random() < share:
                pool = by_kind[(int(zone_of[p]), kind)]
                served[kind] = sources[pool[rng.integers(len(pool))]]["id"]
        plot_rows.append({"id": f"P{p}", "area_ha": float(area[p]), "sources": served})
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    apps, demand = [], {}
    for a in range(applications):
        z = int(rng.integers(max(zones, 1)))
        lo = round(float(rng.uniform(0.3, 6.0)), 2)
        needs = {}
        for kind, (key, scale, share) in NEED_SCALE.items():
            if rng.random() < share:
                needs[key] = round(float(rng.lognormal(5.0, 1.0) * scale), 3)
                demand[kind] = demand.get(kind, 0.0) + needs[key]
        app = {"id": f"A{a}", "value": round(float(rng.uniform(10, 200)), 2),
               "area_ha": {"min": lo, "max": round(lo * float(rng.uniform(1.5, 4.0)), 2)},
               "needs": needs,
               "submitted": (start + dt.timedelta(minutes=int(rng.integers(0, 90 * 24 * 60))))
               .isoformat()}
        in_zone = np.nonzero(zone_of == z)[0]
        if rng.random() >= share_open:
            picks = rng.choice(in_zone, int(rng.integers(3, 11)), replace=False)
            app["eligible"] = [f"P{p}" for p in picks]
        elif zones > 1:
            app["eligible"] = [f"P{p}" for p in in_zone]
        apps.append(app)
    count = {kind: sum(1 for s in sources if s["kind"] == kind) for kind, _ in SOURCES_PER_ZONE}
    for s in sources:
        expected = demand.get(s["kind"], 0.0) / count[s["kind"]]
        s["free"] = round(expected / tightness * float(rng.uniform(0.3, 1.7)), 3)
    return {"applications": apps, "plots": plot_rows, "sources": sources}


def plan_instance(*, works: int = 300, periods: int = 12, plots: int = 5000, areas: int = 100,
                  budget_share: float = 0.5, discount_rate: float = 0.02, seed: int = 1) -> dict:
    """``works`` = upgrades (a fifth) + per-area power and water lines + heat lines."""
    rng = np.random.default_rng(seed)
    n_up = works // 5
    lines = works - n_up
    heat_areas = max(0, lines - 2 * areas)
    if heat_areas > areas:
        raise ValueError("too many works for the areas: raise areas")
    rows = []
    for j in range(n_up):
        rows.append({"id": f"UP-{j}", "cost": round(float(rng.uniform(200, 2000)), 1),
                     "duration": int(rng.integers(2, 5)), "requires": []})
    for j in range(lines):
        kind, a = ("power", j) if j < areas else ("water", j - areas) if j < 2 * areas \
            else ("heat", j - 2 * areas)
        requires = []
        if rng.random() < 0.5:
            requires.append(f"UP-{int(rng.integers(n_up))}")
        if a >= 10 and rng.random() < 0.2:
            requires.append(f"{kind}-{int(rng.integers(10))}")
        rows.append({"id": f"{kind}-{a}", "cost": round(float(rng.uniform(20, 300)), 1),
                     "duration": int(rng.integers(1, 4)), "requires": requires})
    plot_rows = []
    for p in range(plots):
        a = p % areas
        need = [f"power-{a}", f"water-{a}"]
        if a < heat_areas and rng.random() < 0.5:
            need.append(f"heat-{a}")
        if rng.random() < 0.1:
            need = [f"power-{a}"]
        plot_rows.append({"id": f"P{p}", "value": round(float(rng.lognormal(3.0, 1.0)), 2),
                          "requires": need})
    total = sum(r["cost"] for r in rows)
    return {"periods": periods, "discount_rate": discount_rate, "carry_over": True,
            "budget": [round(total * budget_share / periods, 1)] * periods,
            "works": rows, "plots": plot_rows}
