"""Reads for the sector analytics: the shipped data through promzona.core, cached per process.

The analyses read only the data shipped in the package, so they are computed once per process.
"""

from __future__ import annotations

import functools
from decimal import Decimal

import pandas as pd
from django.utils.translation import gettext_lazy as _

from promzona import l10n
from promzona.core.sector_data import (
    BalkhashAnalysis,
    balkhash_analysis,
    country_names,
    kazakhstan_opportunities,
    localised_name,
    world_indicators,
)

TOP_N = 10

#: Each column of the tables: its header in the reader's language and its decimals (None: text).
COLUMNS = {
    "rank": ("#", 0), "product": (_("SITC"), None), "sector": (_("OKED"), None),
    "name": (_("Name"), None), "direction": (_("Direction"), None),
    "density": (_("Density"), 3), "pci": ("PCI", 2), "cog": ("COG", 2), "rca": ("RCA", 2),
    "contrib_density": (_("Density (weighted)"), 3), "contrib_pci": (_("PCI (weighted)"), 3),
    "contrib_cog": (_("COG (weighted)"), 3), "score": (_("Score"), 3),
    "value_kzt": (_("Purchases, KZT/year"), 0),
    "share_outside": (_("Share bought outside the region"), 3),
    "localisable_kzt": (_("Bought outside, KZT/year"), 0), "demand": (_("Demand"), 3),
    "hosting": (_("Hosting"), 3), "fitting_plots": (_("Fitting plots"), 0),
    "capacity_fit": (_("Capacity fit"), 3), "priority": (_("Priority"), 0),
    "contrib_demand": (_("Demand (weighted)"), 3), "contrib_hosting": (_("Hosting (weighted)"), 3),
    "contrib_priority": (_("Priority (weighted)"), 3),
}
#: The columns a PDF page has room for (landscape A4).
PDF_COLUMNS = {
    "kazakhstan": ["rank", "product", "name", "density", "pci", "cog", "score"],
    "balkhash": ["rank", "sector", "name", "direction", "localisable_kzt", "contrib_demand",
                 "contrib_density", "contrib_hosting", "contrib_priority", "score"],
}


def in_language(df: pd.DataFrame, kind: str, key: str = "sector", *,
                lang: str | None = None) -> pd.DataFrame:
    """``df`` with ``name`` (and ``direction``) in the page's language, and ``name_source``:
    True where no translation is shipped and ``name`` is the source's English name."""
    lang = lang or l10n.lang()
    out = df.drop(columns=[c for c in ("name_ru",) if c in df.columns])
    names = [localised_name(kind, str(k), str(n), lang) for k, n in zip(df[key], df["name"],
                                                                         strict=True)]
    out["name"] = [n for n, _own in names]
    out["name_source"] = [not own for _n, own in names]
    if "direction" in out.columns:
        out["direction"] = [localised_name("direction", d, d, lang)[0] if d else ""
                            for d in out["direction"]]
    return out


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
    """Growth points with the sector names in the page's language and, when the demo zone is
    loaded, the hosting detail (fitting plots, capacity fit) from the zone (the export and page
    table)."""
    a, host = balkhash_live()
    gp = in_language(a.growth_points, "oked")
    if host is not None:
        detail = host.set_index("sector")
        gp.insert(gp.columns.get_loc("hosting") + 1, "fitting_plots",
                  detail["fitting_plots"].reindex(gp["sector"]).fillna(0).astype(int).to_numpy())
        gp.insert(gp.columns.get_loc("fitting_plots") + 1, "capacity_fit",
                  detail["capacity_fit"].reindex(gp["sector"]).fillna(0.0).to_numpy())
    return gp


def kazakhstan_table() -> pd.DataFrame:
    """The top opportunities with the product names in the page's language."""
    return in_language(kazakhstan_top(), "sitc", "product")


def shift_share_table(analysis: BalkhashAnalysis) -> pd.DataFrame:
    return in_language(analysis.shift_share, "oked")


# table key -> (loader, title, illustrative?)
TABLES = {
    "kazakhstan": (kazakhstan_table, _("Kazakhstan: top diversification opportunities"), False),
    "balkhash": (balkhash_table, _("Balkhash growth points (illustrative data)"), True),
}


def export_table(key: str) -> tuple[pd.DataFrame, str, bool]:
    """The table for an export: names in the page's language (a source's English name marked
    as such), the columns we describe; headers stay the column keys (see :data:`COLUMNS`)."""
    loader, title, illustrative = TABLES[key]
    df = loader()
    marked = _("%(name)s (the source's English name)")
    df["name"] = [marked % {"name": n} if src else n
                  for n, src in zip(df["name"], df["name_source"], strict=True)]
    return df[[c for c in df.columns if c in COLUMNS]], str(title), illustrative


def zone_hosting(zone) -> pd.DataFrame:
    """Hosting scores of the demo sectors from ``zone``'s published plots and free capacity."""
    from promzona.core.growth_points import hosting_scores
    from promzona.core.sector_data import typical_needs
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
    free: dict[str, Decimal] = {}
    for src in sources_of_zone(zone):  # summed in the ledger's decimals, then a float
        free[src.kind] = free.get(src.kind, Decimal(0)) + src.free
    return hosting_scores(plots, typical_needs(),
                          {kind: float(v) for kind, v in free.items()})


def balkhash_live() -> tuple[BalkhashAnalysis, pd.DataFrame | None]:
    """The Balkhash analysis (illustrative data) with hosting computed from the illustrative zone
    when one is loaded (not cached: plots get reserved); else with the shipped illustrative
    hosting scores. A real zone never feeds invented figures."""
    from promzona.zones.models import Zone

    zone = Zone.objects.filter(is_illustrative=True).order_by("pk").first()
    if zone is None:
        return balkhash(), None
    host = zone_hosting(zone)
    return balkhash_analysis(hosting=dict(zip(host["sector"], host["hosting"], strict=True))), host
