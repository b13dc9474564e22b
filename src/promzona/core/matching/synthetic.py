"""Generated datasets for property tests and benchmarks (deterministic for a ``seed``).

Each zone is laid out in its own 100 km square (metres), so no line reaches another zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely

from promzona.core.connections import LineLink

from .data import PlotIn, SourceIn, UpgradeIn, ZoneIn
from .request import KINDS

SECTORS = ("C25", "C28", "C23", "C22", "H52", "C24.44", "F43", "M71")
STATUSES = ("existing", "under_construction", "planned")


@dataclass
class Dataset:
    zones: list[ZoneIn]
    plots: list[PlotIn]
    sources: list[SourceIn]
    upgrades: list[UpgradeIn]
    lines: list[LineLink]

    def as_kwargs(self) -> dict:
        return {"zones": self.zones, "plots": self.plots, "sources": self.sources,
                "upgrades": self.upgrades, "lines": self.lines}


def generate(*, zones: int, plots_per_zone: int, sources_per_zone: int, lines_per_zone: int,
             today: dt.date, seed: int) -> Dataset:
    rng = np.random.default_rng(seed)
    out = Dataset([], [], [], [], [])
    side = int(np.ceil(np.sqrt(max(plots_per_zone, 1))))
    cell = 300.0  # metres per plot cell
    pid = sid = lid = uid = 0
    for z in range(zones):
        ox = (z % 100) * 100_000.0
        oy = (z // 100) * 100_000.0
        zid = z + 1
        out.zones.append(ZoneIn(
            id=zid, name=f"Zone {zid}",
            priority_sectors=tuple(rng.choice(SECTORS, size=2, replace=False).tolist()),
            anchor_sectors=(str(rng.choice(SECTORS)),),
            admin_procedure_days=int(rng.integers(10, 90)),
        ))
        for k in range(plots_per_zone):
            pid += 1
            x = ox + (k % side) * cell
            y = oy + (k // side) * cell
            w = float(rng.uniform(60, 280))
            area = w * w / 10_000.0
            lease = float(rng.uniform(50_000, 400_000)) if rng.random() < 0.95 else None
            sale = float(area * rng.uniform(1e6, 4e6)) if rng.random() < 0.3 else None
            n_sec = int(rng.integers(0, 4))
            out.plots.append(PlotIn(
                id=pid, code=f"Z{zid}-{k}", zone_id=zid,
                status=str(rng.choice(["published"] * 6 + ["reserved", "occupied", "draft"])),
                area_ha=round(area, 4), geometry=shapely.box(x, y, x + w, y + w),
                permitted_sectors=tuple(rng.choice(SECTORS, size=n_sec, replace=False).tolist()),
                hazard_class_max=int(rng.integers(1, 6)),
                lease_price_kzt_ha_year=lease, sale_price_kzt=sale,
                free_use=bool(rng.random() < 0.2), rail_spur=bool(rng.random() < 0.25),
                dist_rail_m=float(rng.uniform(0, 20_000)) if rng.random() < 0.9 else None,
                dist_road_m=float(rng.uniform(0, 5_000)),
                dist_airport_m=float(rng.uniform(1_000, 80_000)),
                available_from=today + dt.timedelta(days=int(rng.integers(0, 400)))
                if rng.random() < 0.2 else None,
            ))
        extent = side * cell
        zone_sources = []
        for s in range(sources_per_zone):
            sid += 1
            kind = KINDS[s % len(KINDS)]
            cap = float(rng.uniform(100, 20_000))
            src = SourceIn(id=sid, code=f"S{sid}", zone_id=zid, kind=kind, name=f"Source {sid}",
                           capacity=cap, committed=float(cap * rng.uniform(0, 1)),
                           tariff_kzt=float(rng.uniform(1, 100)))
            zone_sources.append(src)
            out.sources.append(src)
            for _ in range(int(rng.integers(0, 3))):
                uid += 1
                out.upgrades.append(UpgradeIn(
                    id=uid, source_id=sid, capacity_added=float(rng.uniform(100, 10_000)),
                    completion=today + dt.timedelta(days=int(rng.integers(30, 1500))),
                    name=f"Upgrade {uid}"))
        for _ in range(lines_per_zone):
            lid += 1
            src = zone_sources[int(rng.integers(0, len(zone_sources)))] if zone_sources else None
            status = str(rng.choice(STATUSES))
            x0, y0 = ox + rng.uniform(-500, extent + 500), oy + rng.uniform(-500, extent + 500)
            x1, y1 = x0 + rng.uniform(-2000, 2000), y0 + rng.uniform(-2000, 2000)
            out.lines.append(LineLink(
                id=lid, code=f"L{lid}", kind=src.kind if src else "power", status=status,
                completion=None if status == "existing"
                else today + dt.timedelta(days=int(rng.integers(30, 1200))),
                fixed_cost_kzt=float(rng.uniform(0, 5e6)), cost_per_km_kzt=float(rng.uniform(1e6, 4e7)),
                lead_days=int(rng.integers(0, 200)), source_id=src.id if src else None,
                geometry=shapely.LineString([(x0, y0), (x1, y1)]),
            ))
    return out
