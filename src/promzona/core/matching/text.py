"""The matcher's sentences (English source strings; interfaces pass a translating ``tr``).

``gettext_noop`` marks them for extraction without importing Django.
"""

from __future__ import annotations

import re

from promzona.core.errors import gettext_noop


def fmt_num(x: float | None, digits: int = 0, T: dict[str, str] | None = None) -> str:
    """1234567.8 → '1,234,568' (digits=0) or '1,234,567.80' (digits=2) in English; the
    separators follow ``T["number_sample"]``, the translation of '1,234.5' ('1 234,5' in
    Russian)."""
    if x is None:
        return "?"
    text = f"{x:,.{digits}f}"
    sample = re.fullmatch(r"1(\D?)234(\D)5", (T or {}).get("number_sample", ""))
    if not sample or sample.groups() == (",", "."):
        return text
    group, decimal = sample.groups()
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


TEXT: dict[str, str] = {
    # Translators: write this number as your language does (thousands and decimal separators).
    "number_sample": gettext_noop("1,234.5"),
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
    "r_status": gettext_noop("the plot is not free (status: {status})"),
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
