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
    """Growth points with the Russian sector names and, when the demo zone is loaded, the hosting
    detail (fitting plots, capacity fit) from the zone (the export and page table)."""
    a, host = balkhash_live()
    gp = a.growth_points.copy()
    ru = dict(zip(a.sectors["sector"], a.sectors["name_ru"], strict=True))
    gp.insert(3, "name_ru", [ru.get(s, "") for s in gp["sector"]])
    if host is not None:
        detail = host.set_index("sector")
        gp.insert(gp.columns.get_loc("hosting") + 1, "fitting_plots",
                  detail["fitting_plots"].reindex(gp["sector"]).fillna(0).astype(int).to_numpy())
        gp.insert(gp.columns.get_loc("fitting_plots") + 1, "capacity_fit",
                  detail["capacity_fit"].reindex(gp["sector"]).fillna(0.0).to_numpy())
    return gp


# table key -> (loader, title, illustrative?)
TABLES = {
    "kazakhstan": (kazakhstan_top, _("Kazakhstan: top diversification opportunities"), False),
    "balkhash": (balkhash_table, _("Balkhash growth points (illustrative data)"), True),
}


def export_table(key: str) -> tuple[pd.DataFrame, str, bool]:
    loader, title, illustrative = TABLES[key]
    return loader(), str(title), illustrative


def zone_hosting(zone) -> pd.DataFrame:
    """Hosting scores of the demo sectors from ``zone``'s published plots and free capacity."""
    from promzona.core.growth_points import hosting_scores
    from promzona.core.sector_data import balkhash_sectors, sector_needs
    from promzona.zones.models import Plot
    from promzona.zones.selectors import sources_of_zone

    plots = [
        {
            "area_ha": float(p.declared_area_ha),
            "hazard_class_max": p.hazard_class_max,
            "permitted_sectors": [s.code for s in p.permitted_sectors.all()],
            "available": p.status == Plot.Status.PUBLISHED,
        }
        for p in Plot.objects.filter(zone=zone).prefetch_related("permitted_sectors")
    ]
    free: dict[str, float] = {}
    for src in sources_of_zone(zone):
        free[src.kind] = free.get(src.kind, 0.0) + float(src.free)
    return hosting_scores(plots, sector_needs(balkhash_sectors()), free)


def balkhash_live() -> tuple[BalkhashAnalysis, pd.DataFrame | None]:
    """The Balkhash analysis with hosting computed from the demo zone when it is loaded (not
    cached: plots get reserved); else with the shipped illustrative hosting scores."""
    from promzona.demo.accounts import DEMO_ZONE_SLUG
    from promzona.zones.models import Zone

    zone = Zone.objects.filter(slug=DEMO_ZONE_SLUG).first()
    if zone is None:
        return balkhash(), None
    host = zone_hosting(zone)
    return balkhash_analysis(hosting=dict(zip(host["sector"], host["hosting"], strict=True))), host
