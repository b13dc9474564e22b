"""Reads for the sector analytics: the shipped data through promzona.core, cached per process.

The analyses read only the data shipped in the package, so they are computed once per process.
"""

from __future__ import annotations

import functools

import pandas as pd
from django.utils.translation import gettext_lazy as _

from promzona.core.sector_data import (
    BalkhashAnalysis,
    balkhash_analysis,
    country_names,
    kazakhstan_opportunities,
    world_indicators,
)

TOP_N = 10


@functools.cache
def kazakhstan_top(n: int = TOP_N) -> pd.DataFrame:
    return kazakhstan_opportunities(n)


@functools.cache
def balkhash() -> BalkhashAnalysis:
    return balkhash_analysis()


def kazakhstan_summary() -> dict:
    ind = world_indicators()
    c = list(ind.locations.astype(str)).index("kaz")
    eci_rank = int((ind.eci > ind.eci[c]).sum()) + 1
    return {
        "country": country_names().get("kaz", "Kazakhstan"),
        "diversity": int(ind.diversity[c]),
        "eci": float(ind.eci[c]),
        "eci_rank": eci_rank,
        "n_locations": len(ind.locations),
        "n_products": len(ind.products),
    }


def balkhash_table() -> pd.DataFrame:
    """Growth points with the Russian sector names (the export and page table)."""
    a = balkhash()
    gp = a.growth_points.copy()
    ru = dict(zip(a.sectors["sector"], a.sectors["name_ru"], strict=True))
    gp.insert(3, "name_ru", [ru.get(s, "") for s in gp["sector"]])
    return gp


# table key -> (loader, title, illustrative?)
TABLES = {
    "kazakhstan": (kazakhstan_top, _("Kazakhstan: top diversification opportunities"), False),
    "balkhash": (balkhash_table, _("Balkhash growth points (illustrative data)"), True),
}


def export_table(key: str) -> tuple[pd.DataFrame, str, bool]:
    loader, title, illustrative = TABLES[key]
    return loader(), str(title), illustrative
