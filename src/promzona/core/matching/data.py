"""Plain data the matcher reads: zones, plots, sources, upgrades (lines are LineLinks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ZoneIn:
    id: int
    name: str
    priority_sectors: tuple[str, ...] = ()
    anchor_sectors: tuple[str, ...] = ()
    admin_procedure_days: int = 30


@dataclass(frozen=True)
class PlotIn:
    id: int
    code: str
    zone_id: int
    status: str
    area_ha: float
    geometry: Any  # shapely, metres, same CRS as the zone's lines
    permitted_sectors: tuple[str, ...] = ()  # empty: any sector
    hazard_class_max: int = 3  # production of class h allowed when h >= this
    lease_price_kzt_ha_year: float | None = None  # None: not offered for lease
    sale_price_kzt: float | None = None  # None: not offered for sale
    free_use: bool = False
    rail_spur: bool = False
    dist_rail_m: float | None = None
    dist_road_m: float | None = None
    dist_airport_m: float | None = None
    available_from: dt.date | None = None


@dataclass(frozen=True)
class SourceIn:
    id: int
    code: str
    zone_id: int
    kind: str
    name: str
    capacity: float
    committed: float
    tariff_kzt: float

    @property
    def free(self) -> float:
        return self.capacity - self.committed


@dataclass(frozen=True)
class UpgradeIn:
    """A planned capacity upgrade of a source, usable from ``completion``."""

    id: int
    source_id: int
    capacity_added: float
    completion: dt.date
    name: str = ""
