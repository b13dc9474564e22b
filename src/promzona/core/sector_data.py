"""Readers for the data shipped in ``promzona/sectors_data`` and the two demo analyses.

- :func:`world_trade` / :func:`sitc_names` / :func:`country_names`: real data (see
  ``sectors_data/ATTRIBUTION.md``).
- :func:`kazakhstan_opportunities`: Kazakhstan's top diversification opportunities.
- :func:`balkhash_analysis`: the illustrative Balkhash growth-point analysis (labelled
  ``ILLUSTRATIVE`` in the files and in :attr:`BalkhashAnalysis.note`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from promzona.core.complexity import Indicators, compute_indicators, location_quotient, shift_share
from promzona.core.errors import InputError
from promzona.core.growth_points import DEFAULT_WEIGHTS, density_by_concordance, growth_points, per_sector

PACKAGE = "promzona.sectors_data"
ILLUSTRATIVE_NOTE = "Illustrative data for the demo, not official statistics."

#: Names of the OKED sectors in the employment table that the sector table does not list.
OTHER_OKED_NAMES = {
    "C24": "Manufacture of basic metals",
    "F41": "Construction of buildings",
    "G": "Wholesale and retail trade",
    "I": "Accommodation and food service",
    "O84": "Public administration and defence",
    "P85": "Education",
    "Q86": "Human health activities",
    "OTHER": "All other sectors",
}


def _path(name: str):
    return resources.files(PACKAGE).joinpath(name)


def _read_csv(name: str, **kw) -> pd.DataFrame:
    with resources.as_file(_path(name)) as p:
        return pd.read_csv(p, comment="#", keep_default_na=False, na_values=[""], **kw)


def world_trade() -> pd.DataFrame:
    """The world trade table as ``location,product,value`` (226 countries x 785 SITC products)."""
    t = _read_csv("world_trade_avg_1998_to_2000.csv.gz", dtype={"country": str, "product": str})
    return t.rename(columns={"country": "location"})


@functools.cache
def sitc_names() -> dict[str, str]:
    """SITC rev. 2 product code -> English name."""
    t = _read_csv("sitc_rev2_products.csv", dtype=str)
    return dict(zip(t["product"], t["product_name"], strict=True))


@functools.cache
def _names_ru_kk() -> dict[tuple[str, str], dict[str, str]]:
    t = _read_csv("names_ru_kk.csv", dtype=str)
    return {(r.kind, r.key): {"ru": r.ru, "kk": r.kk} for r in t.itertuples()}


def localised_name(kind: str, key: str, english: str, lang: str) -> tuple[str, bool]:
    """(the name in ``lang``, True), or (``english``, False) when ``names_ru_kk.csv`` has no
    ``lang`` name for ``kind`` (``oked``, ``direction``, ``sitc``) and ``key``: the source's
    English name, which a page must mark as such.

    >>> localised_name("sitc", "6812", "Platinum", "ru"), localised_name("sitc", "0", "X", "kk")
    (('Платина', True), ('X', False))
    """
    if lang == "en" or not english:
        return english, True
    name = _names_ru_kk().get((kind, key), {}).get(lang)
    return (name, True) if name else (english, False)


@functools.cache
def country_names() -> dict[str, str]:
    t = _read_csv("countries.csv", dtype=str)
    return dict(zip(t["country_code"], t["country"], strict=True))


@functools.cache
def world_indicators() -> Indicators:
    """Indicators of the shipped world trade data, computed once per process (about 0.1 s)."""
    return compute_indicators(world_trade())


def kazakhstan_opportunities(n: int | None = 10, *, location: str = "kaz") -> pd.DataFrame:
    """Top diversification opportunities of ``location`` with SITC names (see
    :meth:`Indicators.opportunities` for the score)."""
    ind = world_indicators()
    out = ind.opportunities(location, n=n)
    names = sitc_names()
    out.insert(2, "name", [names.get(p, "") for p in out["product"]])
    return out


@dataclass(frozen=True)
class BalkhashAnalysis:
    growth_points: pd.DataFrame
    shift_share: pd.DataFrame
    sectors: pd.DataFrame
    weights: dict
    hosting_source: str = "file"
    note: str = ILLUSTRATIVE_NOTE


def balkhash_sectors() -> pd.DataFrame:
    return _read_csv("balkhash_sectors.csv", dtype=str)


def balkhash_purchases() -> pd.DataFrame:
    return _read_csv("balkhash_smelter_purchases.csv", dtype={"sector": str})


def balkhash_employment() -> pd.DataFrame:
    return _read_csv("balkhash_employment.csv", dtype={"area": str, "sector": str})


def typical_needs() -> dict[str, dict]:
    """The shipped typical needs of one new enterprise per sector (illustrative, from
    ``balkhash_sectors.csv``): what hosting scores and the allocation's required kinds read."""
    return {
        r.sector: {
            "area_ha": float(r.typical_area_ha),
            "hazard_class": int(r.hazard_class),
            "power": float(r.power_kw),
            "water": float(r.water_m3_day),
        }
        for r in balkhash_sectors().itertuples()
    }


def sector_density(sectors: pd.DataFrame, *, location: str = "kaz") -> dict[str, float]:
    """Density per sector: Kazakhstan's mean product density over the sector's SITC prefixes,
    else the sector's ``density_estimate`` (for services without traded goods)."""
    ind = world_indicators()
    c = list(ind.locations.astype(str)).index(location)
    prod_density = pd.Series(ind.density[c], index=ind.products.astype(str))
    conc = {
        r.sector: str(r.sitc_prefixes).split() if isinstance(r.sitc_prefixes, str) else []
        for r in sectors.itertuples()
    }
    dens = density_by_concordance(prod_density, conc)
    for r in sectors.itertuples():
        if r.sector not in dens and isinstance(r.density_estimate, str) and r.density_estimate:
            dens[r.sector] = float(r.density_estimate)
    return dens


def balkhash_analysis(
    purchases: pd.DataFrame | None = None,
    *,
    weights: dict | None = None,
    hosting: dict | None = None,
) -> BalkhashAnalysis:
    """The illustrative Balkhash growth-point analysis from the shipped files.

    ``purchases`` replaces the smelter's purchase table (same columns); ``hosting`` (a mapping,
    Series or DataFrame ``sector,hosting``) overrides the hosting scores of some of the demo's
    sectors (e.g. :func:`~promzona.core.growth_points.hosting_scores` of the zone's plots and free
    capacity; ``hosting_source`` then says ``"zone"``). It is checked as in
    :func:`~promzona.core.growth_points.growth_points` (no repeated sector, values in [0, 1]), and a
    sector the demo does not list is refused rather than silently unused.
    """
    sectors = balkhash_sectors()
    p = balkhash_purchases() if purchases is None else purchases
    host = {r.sector: float(r.hosting) for r in sectors.itertuples()}
    if hosting is not None:
        given = per_sector(hosting, "hosting", "hosting")
        unknown = sorted(set(given.index) - set(host))
        if unknown:
            raise InputError(
                f"hosting: sector(s) not in the demo: {', '.join(unknown[:10])}; "
                f"the demo's sectors are {', '.join(sorted(host))}",
                details={"reason": "unknown", "sectors": unknown},
            )
        host.update(given.to_dict())
    priority = [r.sector for r in sectors.itertuples() if isinstance(r.direction, str) and r.direction]
    names = dict(zip(sectors["sector"], sectors["name_en"], strict=True))
    gp = growth_points(
        p,
        density=sector_density(sectors),
        hosting=host,
        priority=priority,
        weights=weights,
        names=names,
    )
    directions = dict(zip(sectors["sector"], sectors["direction"].fillna(""), strict=True))
    gp.insert(3, "direction", [directions.get(s, "") for s in gp["sector"]])
    emp = balkhash_employment()
    years = sorted(emp["year"].unique())
    y0, y1 = years[0], years[-1]

    def series(area, year):
        e = emp[(emp["area"] == area) & (emp["year"] == year)]
        return pd.Series(e["employees"].to_numpy(dtype=float), index=e["sector"])

    ss = shift_share(series("balkhash", y0), series("balkhash", y1),
                     series("karaganda_region", y0), series("karaganda_region", y1))
    town, region = series("balkhash", y1), series("karaganda_region", y1)
    lq = location_quotient(pd.DataFrame([town, region]).fillna(0.0).to_numpy())[0]
    ss["lq_end"] = pd.Series(lq, index=pd.DataFrame([town, region]).columns).reindex(ss["sector"]).to_numpy()
    all_names = {**OTHER_OKED_NAMES, **names}
    ss.insert(1, "name", [all_names.get(s, "") for s in ss["sector"]])
    return BalkhashAnalysis(
        growth_points=gp,
        shift_share=ss,
        sectors=sectors,
        weights=dict(weights or DEFAULT_WEIGHTS),
        hosting_source="file" if hosting is None else "zone",
    )
