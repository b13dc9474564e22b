"""The investor's request and the adjustable assumptions of the cost model.

``MatchRequest.parse`` accepts the JSON body of docs/matching.md (plus optional maximum distances,
budget and weights) and raises :class:`~promzona.core.errors.InputError` on anything odd.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any

from promzona.core.errors import InputError
from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS

KINDS: tuple[str, ...] = tuple(UTILITY_KINDS)  # power, water, sewage, heat, gas
CRITERIA: tuple[str, ...] = ("cost", "time", "logistics", "sector", "anchor", "area")
DEFAULT_WEIGHTS: dict[str, float] = {
    "cost": 0.35, "time": 0.25, "logistics": 0.15, "sector": 0.10, "anchor": 0.05, "area": 0.10,
}
SECTOR_RE = re.compile(r"^[A-Z](\d{2}(\.\d{1,2}(\.\d)?)?)?$")
MAX_NEED = 1e9
MAX_HORIZON = 50


@dataclass(frozen=True)
class Assumptions:
    """How needs become an annual bill, and other documented, adjustable defaults.

    Power and gas are billed per operating hour, heat per heating hour, water and sewage per
    working day. ``max_connection_m``: lines farther than this are not connection options.
    ``free_use_years``: for a plot offered for temporary free use, a project of a zone's priority
    sector pays no lease for this many years (the incentive subtracted from the cost).
    """

    operating_hours_per_year: float = 4000.0
    heating_hours_per_year: float = 4800.0
    working_days_per_year: float = 250.0
    max_connection_m: float = 10_000.0
    free_use_years: float = 5.0

    def annual_units(self, kind: str) -> float:
        """Consumption units per year for one unit of need (kW → kWh, m³/day → m³, ...)."""
        return {
            "power": self.operating_hours_per_year,
            "gas": self.operating_hours_per_year,
            "heat": self.heating_hours_per_year,
            "water": self.working_days_per_year,
            "sewage": self.working_days_per_year,
        }[kind]


#: Assumptions a request may set, with their upper bounds.
ASSUMPTION_LIMITS: dict[str, float] = {
    "operating_hours_per_year": 8760.0, "heating_hours_per_year": 8760.0,
    "working_days_per_year": 366.0, "free_use_years": 50.0,
}


@dataclass(frozen=True)
class MatchRequest:
    sector: str
    area_min_ha: float | None = None
    area_max_ha: float | None = None
    needs: dict[str, float] = field(default_factory=dict)  # kind -> amount in the kind's unit
    rail_spur: bool = False
    hazard_class: int = 5
    max_dist_rail_m: float | None = None
    max_dist_road_m: float | None = None
    max_dist_airport_m: float | None = None
    budget_kzt: float | None = None
    horizon_years: int = 10
    start_by: dt.date | None = None
    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    assumptions: Assumptions = field(default_factory=Assumptions)

    def need(self, kind: str) -> float:
        return float(self.needs.get(kind, 0.0))

    def to_json(self) -> dict[str, Any]:
        """The request in the JSON shape ``parse`` accepts (round-trips)."""
        out: dict[str, Any] = {
            "sector": self.sector,
            "needs": {UTILITY_KINDS[k].need_key: v for k, v in self.needs.items()},
            "rail_spur": self.rail_spur, "hazard_class": self.hazard_class,
            "horizon_years": self.horizon_years, "weights": dict(self.weights),
        }
        if self.area_min_ha is not None or self.area_max_ha is not None:
            out["area_ha"] = {k: v for k, v in (("min", self.area_min_ha), ("max", self.area_max_ha))
                              if v is not None}
        md = {k: v for k, v in (("rail", self.max_dist_rail_m), ("road", self.max_dist_road_m),
                                ("airport", self.max_dist_airport_m)) if v is not None}
        if md:
            out["max_distance_m"] = md
        if self.budget_kzt is not None:
            out["budget_kzt"] = self.budget_kzt
        if self.start_by is not None:
            out["start_by"] = self.start_by.isoformat()
        if self.assumptions != Assumptions():
            out["assumptions"] = {k: getattr(self.assumptions, k) for k in ASSUMPTION_LIMITS}
        return out

    @classmethod
    def parse(cls, data: Any) -> MatchRequest:
        if not isinstance(data, dict):
            raise InputError("The request must be a JSON object.")
        known = {"sector", "area_ha", "needs", "rail_spur", "hazard_class", "max_distance_m",
                 "budget_kzt", "horizon_years", "start_by", "weights", "assumptions"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise InputError(f"Unknown field(s): {', '.join(map(str, unknown))[:200]}.",
                             details={"unknown": unknown[:20]})
        sector = data.get("sector")
        if not isinstance(sector, str) or not SECTOR_RE.match(sector.strip().upper()):
            raise InputError("'sector' must be an OKED code such as C25 or C25.11.", field="sector")
        amin, amax = _area(data.get("area_ha"))
        needs = _needs(data.get("needs"))
        rail = data.get("rail_spur", False)
        if not isinstance(rail, bool):
            raise InputError("'rail_spur' must be true or false.", field="rail_spur")
        hazard = data.get("hazard_class", 5)
        if isinstance(hazard, bool) or not isinstance(hazard, int) or not 1 <= hazard <= 5:
            raise InputError("'hazard_class' must be an integer from 1 (most hazardous) to 5.",
                             field="hazard_class")
        md = _obj(data.get("max_distance_m"))
        if not isinstance(md, dict) or set(md) - {"rail", "road", "airport"}:
            raise InputError("'max_distance_m' may have 'rail', 'road' and 'airport'.",
                             field="max_distance_m")
        horizon = data.get("horizon_years", 10)
        if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= MAX_HORIZON:
            raise InputError(f"'horizon_years' must be an integer from 1 to {MAX_HORIZON}.",
                             field="horizon_years")
        start_by = _date(data.get("start_by"))
        weights = _weights(data.get("weights"))
        raw_a = _obj(data.get("assumptions"))
        if not isinstance(raw_a, dict) or set(raw_a) - set(ASSUMPTION_LIMITS):
            raise InputError(f"'assumptions' may have {', '.join(ASSUMPTION_LIMITS)}.",
                             field="assumptions")
        assumptions = Assumptions(**{k: _number(v, f"assumptions.{k}", upper=ASSUMPTION_LIMITS[k])
                                     for k, v in raw_a.items()})
        return cls(
            sector=sector.strip().upper(), area_min_ha=amin, area_max_ha=amax, needs=needs,
            rail_spur=rail, hazard_class=hazard,
            max_dist_rail_m=_number(md.get("rail"), "max_distance_m.rail", optional=True),
            max_dist_road_m=_number(md.get("road"), "max_distance_m.road", optional=True),
            max_dist_airport_m=_number(md.get("airport"), "max_distance_m.airport", optional=True),
            budget_kzt=_number(data.get("budget_kzt"), "budget_kzt", optional=True, upper=1e16),
            horizon_years=horizon, start_by=start_by, weights=weights, assumptions=assumptions,
        )


def _area(value: Any) -> tuple[float | None, float | None]:
    area = _obj(value)
    if not isinstance(area, dict) or set(area) - {"min", "max"}:
        raise InputError("'area_ha' must be an object with 'min' and/or 'max'.", field="area_ha")
    amin = _number(area.get("min"), "area_ha.min", optional=True, upper=1e6)
    amax = _number(area.get("max"), "area_ha.max", optional=True, upper=1e6)
    if amin is not None and amax is not None and amin > amax:
        raise InputError("'area_ha.min' is larger than 'area_ha.max'.", field="area_ha")
    return amin, amax


def _needs(value: Any) -> dict[str, float]:
    """The non-zero needs, by utility kind."""
    raw_needs = _obj(value)
    if not isinstance(raw_needs, dict):
        raise InputError("'needs' must be an object.", field="needs")
    bad = sorted(set(raw_needs) - set(NEED_KEYS))
    if bad:
        raise InputError(f"Unknown need(s): {', '.join(map(str, bad))[:200]}; expected "
                         f"{', '.join(NEED_KEYS)}.", field="needs")
    needs = {}
    for key, raw in raw_needs.items():
        v = _number(raw, f"needs.{key}", upper=MAX_NEED)
        if v > 0:
            needs[NEED_KEYS[key]] = v
    return needs


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(str(value)[:10]) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise InputError("'start_by' must be a date YYYY-MM-DD.", field="start_by")
    return day


def _weights(value: Any) -> dict[str, float]:
    weights = dict(DEFAULT_WEIGHTS)
    raw_w = _obj(value)
    if not isinstance(raw_w, dict) or set(raw_w) - set(CRITERIA):
        raise InputError(f"'weights' may have {', '.join(CRITERIA)}.", field="weights")
    for k, v in raw_w.items():
        weights[k] = _number(v, f"weights.{k}", upper=1000)
    if sum(weights.values()) <= 0:
        raise InputError("At least one weight must be positive.", field="weights")
    return weights


def _obj(value: Any) -> Any:
    """``None`` (absent) as an empty object; anything else as given, for the caller to check."""
    return {} if value is None else value


def _number(value: Any, name: str, *, optional: bool = False, upper: float = 1e9) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"'{name}' must be a number.", field=name)
    v = float(value)
    if not math.isfinite(v) or v < 0 or v > upper:
        raise InputError(f"'{name}' must be a number from 0 to {upper:,.0f}.", field=name)
    return v
