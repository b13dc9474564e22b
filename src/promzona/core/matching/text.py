"""The matcher's sentences (English source strings; interfaces pass a translating ``tr``).

``gettext_noop`` marks them for extraction without importing Django. Numbers and dates in
them are written by :mod:`promzona.core.formats` in the language the caller names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from promzona.core import formats
from promzona.core.errors import gettext_noop
from promzona.core.utilities import UTILITY_KINDS


def texts(tr: Callable[[str], str] = str, lang: str = "en") -> dict[str, str]:
    """The sentences translated by ``tr``, the kinds' units, and ``lang`` (for numbers)."""
    T = {k: tr(v) for k, v in TEXT.items()}
    T.update({f"unit_{k}": tr(kind.unit) for k, kind in UTILITY_KINDS.items()})
    T["lang"] = formats.lang_of(lang)
    return T


def fmt_num(x: float | None, digits: int = 0, T: dict[str, str] | None = None) -> str:
    """1234567.8 → '1,234,568' (digits=0) in English, '1 234 567,80' (digits=2) in Russian:
    the language is ``T["lang"]`` (English without it)."""
    return "?" if x is None else formats.number(x, (T or {}).get("lang", "en"), digits=digits)


def fmt_date(d: dt.date | None, T: dict[str, str]) -> str:
    return "?" if d is None else formats.date(d, T.get("lang", "en"))


def fmt_month(d: dt.date, T: dict[str, str]) -> str:
    return formats.month(d, T.get("lang", "en"))


TEXT: dict[str, str] = {
    "kind_power": gettext_noop("power"),
    "kind_water": gettext_noop("water"),
    "kind_sewage": gettext_noop("sewage"),
    "kind_heat": gettext_noop("heat"),
    "kind_gas": gettext_noop("gas"),
    "status_existing": gettext_noop("existing"),
    "status_under_construction": gettext_noop("under construction"),
    "status_planned": gettext_noop("planned"),
    "gap_no_line": gettext_noop("no {kind} line within {km} km"),
    "gap_need": gettext_noop("needs {need} {unit}; {source} has {free} {unit} free"),
    "gap_upgrade": gettext_noop("upgrade +{added} {unit} planned for {month}"),
    "gap_no_upgrade": gettext_noop("no upgrade planned"),
    "gap_line": gettext_noop("line {line} is {status}, completion {date}"),
    "x_lease": gettext_noop("Land: lease {area} ha × {price} KZT/ha/year × {years} years = "
                            "{total} KZT"),
    "x_sale": gettext_noop("Land: purchase for {total} KZT"),
    "x_utility": gettext_noop("{kind}: line {line} from {source}, {dist} m away; connection "
                              "{cost} KZT, ready {ready}; bill {annual} KZT/year"),
    "x_faster": gettext_noop("Faster {kind}: line {line} ({status}) ready {ready}, connection "
                             "{cost} KZT — dearer over the horizon"),
    "x_in_time": gettext_noop("The {kind} connection is ready by the desired start {date}: {diff} "
                              "KZT dearer over the horizon than line {line} ({status}), ready {ready}"),
    "x_cheaper_later": gettext_noop("No {kind} option is ready by the desired start {date}, so "
                                    "the earliest serves; line {line} ({status}) would cost {diff} "
                                    "KZT less over the horizon, ready {ready}"),
    "x_incentive": gettext_noop("Incentive: temporary free use of the land for a priority "
                                "sector, −{total} KZT"),
    "x_start": gettext_noop("Start possible on {date} (in {days} days)"),
    "x_late": gettext_noop("Later than the desired start {date}"),
    "x_priority": gettext_noop("The sector is a priority of the zone"),
    "r_status": gettext_noop("the plot is not on offer"),
    "r_status_draft": gettext_noop("the plot is a draft, not offered yet"),
    "r_status_reserved": gettext_noop("the plot is reserved for another project"),
    "r_status_allocated": gettext_noop("the plot is allocated to another investor"),
    "r_status_occupied": gettext_noop("the plot is occupied"),
    "r_status_withdrawn": gettext_noop("the plot is withdrawn from the offer"),
    "r_area_small": gettext_noop("area {area} ha is below the requested minimum {min} ha"),
    "r_area_large": gettext_noop("area {area} ha is above the requested maximum {max} ha"),
    "r_sector": gettext_noop("sector {sector} is not permitted here (permitted: {permitted})"),
    "r_hazard": gettext_noop("hazard class {hazard} is not allowed; the most hazardous class "
                             "allowed is {max}"),
    "r_rail_spur": gettext_noop("no rail spur"),
    "r_dist_rail": gettext_noop("rail is {dist} m away, more than {max} m"),
    "r_dist_road": gettext_noop("the road is {dist} m away, more than {max} m"),
    "r_dist_airport": gettext_noop("the airport is {dist} m away, more than {max} m"),
    "r_dist_rail_unknown": gettext_noop("distance to rail unknown (maximum {max} m)"),
    "r_dist_road_unknown": gettext_noop("distance to a road unknown (maximum {max} m)"),
    "r_dist_airport_unknown": gettext_noop("distance to the airport unknown (maximum {max} m)"),
    "r_no_price": gettext_noop("no lease or sale price published"),
    "r_budget": gettext_noop("cost of location {cost} KZT exceeds the budget {budget} KZT"),
}
