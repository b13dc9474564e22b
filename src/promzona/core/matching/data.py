"""Plain data the matcher reads: zones, plots (one by one or as columns), sources, upgrades
(lines are LineLinks)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from promzona.core.utilities import ledger_sum


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
        """Free capacity now, as the ledger's decimals give it."""
        return ledger_sum(self.capacity, -self.committed)


@dataclass(frozen=True)
class UpgradeIn:
    """A planned capacity upgrade of a source, usable from ``completion``."""

    id: int
    source_id: int
    capacity_added: float
    completion: dt.date
    name: str = ""


@dataclass
class PlotColumns:
    """The plots as columns, one entry per plot: how a large dataset reaches the index without
    an object per plot. Missing numbers are NaN, a missing date is 0 (a day ordinal)."""

    id: np.ndarray  # int64
    code: list[str]
    zone_id: np.ndarray  # int64
    status: list[str]
    area_ha: np.ndarray
    geometry: np.ndarray  # shapely, metres (used to build the index, not kept in it)
    sectorset: np.ndarray  # int64: each plot's position in ``sectorsets``
    sectorsets: list[tuple[str, ...]]  # the distinct permitted sector lists (empty: any)
    hazard_class_max: np.ndarray  # int64
    lease_price_kzt_ha_year: np.ndarray
    sale_price_kzt: np.ndarray
    free_use: np.ndarray  # bool
    rail_spur: np.ndarray  # bool
    dist_rail_m: np.ndarray
    dist_road_m: np.ndarray
    dist_airport_m: np.ndarray
    available_from: np.ndarray  # int64 day ordinals

    @classmethod
    def of(cls, plots: list[PlotIn]) -> PlotColumns:
        def num(name: str) -> np.ndarray:
            return np.array([np.nan if (v := getattr(p, name)) is None else float(v)
                             for p in plots], dtype=float)

        def arr(name: str, dtype: Any) -> np.ndarray:
            return np.array([getattr(p, name) for p in plots], dtype=dtype)

        geometry = np.empty(len(plots), dtype=object)
        geometry[:] = [p.geometry for p in plots]
        sets: dict[tuple[str, ...], int] = {}
        sectorset = np.array([sets.setdefault(tuple(p.permitted_sectors), len(sets))
                              for p in plots], dtype=np.int64)
        return cls(
            id=arr("id", np.int64), code=[p.code for p in plots], zone_id=arr("zone_id", np.int64),
            status=[p.status for p in plots], area_ha=arr("area_ha", float), geometry=geometry,
            sectorset=sectorset, sectorsets=list(sets),
            hazard_class_max=arr("hazard_class_max", np.int64),
            lease_price_kzt_ha_year=num("lease_price_kzt_ha_year"),
            sale_price_kzt=num("sale_price_kzt"), free_use=arr("free_use", bool),
            rail_spur=arr("rail_spur", bool), dist_rail_m=num("dist_rail_m"),
            dist_road_m=num("dist_road_m"), dist_airport_m=num("dist_airport_m"),
            available_from=np.array([0 if p.available_from is None else
                                     p.available_from.toordinal() for p in plots], dtype=np.int64),
        )
