"""The five kinds of engineering utility, their units and the keys used in requests.

>>> UTILITY_KINDS["power"].need_key
'power_kw'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UtilityKind:
    code: str
    unit: str  # capacity unit, as shown to people
    need_key: str  # key in a request's ``needs``
    consumption_unit: str  # what a tariff is priced per


UTILITY_KINDS: dict[str, UtilityKind] = {
    k.code: k
    for k in (
        UtilityKind("power", "kW", "power_kw", "kWh"),
        UtilityKind("water", "m³/day", "water_m3_day", "m³"),
        UtilityKind("sewage", "m³/day", "sewage_m3_day", "m³"),
        UtilityKind("heat", "Gcal/h", "heat_gcal_h", "Gcal"),
        UtilityKind("gas", "m³/h", "gas_m3_h", "m³"),
    )
}
NEED_KEYS: dict[str, str] = {k.need_key: k.code for k in UTILITY_KINDS.values()}
