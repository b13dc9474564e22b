"""Growth points: which sectors could localise what the anchor enterprises buy from outside.

For each sector (OKED code) four factors, each in [0, 1]:

``demand``
    the anchor's purchases the region could localise, ``sum(value_kzt * share_outside)``, divided
    by the largest such sum in the table (``scale="max"``) or ``log1p`` of it divided by the
    largest ``log1p`` (``scale="log"``, which keeps a few huge contracts from flattening the rest);
``density``
    how related the sector is to what the region already does well (relatedness density,
    0..1), divided by the largest in the table (``density_scale="max"``) or as given (``"none"``);
``hosting``
    the zone's ability to host the sector: a score 0..1 for plots and free utility capacity that
    fit the sector's typical needs, passed in as data;
``priority``
    1 for a priority direction of the zone, else 0.

``score = sum_f weight_f * factor_f`` with the weights normalised to sum 1 (default
:data:`DEFAULT_WEIGHTS`), so scores lie in [0, 1]. Each term is a column ``contrib_<f>`` and the
four sum to ``score``. Ties are broken by the localisable value (larger first), then the sector
code, so the order is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from promzona.core.errors import InputError

DEFAULT_WEIGHTS = {"demand": 0.4, "density": 0.25, "hosting": 0.2, "priority": 0.15}
FACTORS = tuple(DEFAULT_WEIGHTS)


def _fail(message: str, reason: str, **details) -> InputError:
    return InputError(message, details={"reason": reason, **details})


def per_sector(data, name: str, column: str) -> pd.Series:
    """A Series sector -> value in [0, 1] from a mapping, a Series or a DataFrame ``sector,<column>``.

    Raises :class:`InputError` on a missing column, a repeated sector, a missing value or a value
    outside [0, 1].
    """
    if isinstance(data, pd.DataFrame):
        if "sector" not in data.columns or column not in data.columns:
            raise _fail(f"{name}: expected columns sector,{column}", "columns")
        if data["sector"].duplicated().any():
            raise _fail(f"{name}: a sector appears more than once", "duplicate")
        s = data.set_index("sector")[column]
    elif isinstance(data, pd.Series):
        s = data
    elif isinstance(data, Mapping):
        s = pd.Series(dict(data), dtype=object)
    else:
        raise TypeError(f"{name}: expected a mapping, a Series or a DataFrame")
    s = pd.to_numeric(s, errors="coerce")
    s.index = s.index.astype(str)
    if s.index.has_duplicates:
        raise _fail(f"{name}: a sector appears more than once", "duplicate")
    if s.isna().any():
        raise _fail(f"{name}: missing value for {', '.join(s.index[s.isna()][:10])}", "missing")
    if ((s < 0) | (s > 1)).any():
        bad = ", ".join(s.index[(s < 0) | (s > 1)][:10])
        raise _fail(f"{name}: values must lie in [0, 1] ({bad})", "out_of_range")
    return s.astype(float)


def _weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    w = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = set(w) - set(FACTORS)
    if unknown:
        raise _fail(f"unknown weight(s): {', '.join(sorted(unknown))}", "columns")
    w = {f: float(w.get(f, 0.0)) for f in FACTORS}
    if any(not np.isfinite(v) or v < 0 for v in w.values()):
        raise _fail("weights must be finite and non-negative", "negative")
    total = sum(w.values())
    if total <= 0:
        raise _fail("at least one weight must be positive", "empty")
    return {f: v / total for f, v in w.items()}


def aggregate_purchases(purchases: pd.DataFrame) -> pd.DataFrame:
    """Sum an anchor's purchase lines per sector.

    Input columns ``sector, value_kzt, share_outside`` (others are ignored); several lines per
    sector are normal and are added up. Returns ``sector, value_kzt, localisable_kzt,
    share_outside`` (the value-weighted share), sorted by sector.
    """
    if purchases is None or len(purchases) == 0:
        raise _fail("the purchase table is empty", "empty")
    need = ["sector", "value_kzt", "share_outside"]
    missing = [c for c in need if c not in purchases.columns]
    if missing:
        raise _fail(f"purchases: missing column(s) {', '.join(missing)}", "columns", columns=missing)
    p = purchases[need].copy()
    if p["sector"].isna().any() or p["sector"].astype(str).str.strip().eq("").any():
        raise _fail("purchases: a line has no sector", "missing")
    p["sector"] = p["sector"].astype(str).str.strip()
    for c in ("value_kzt", "share_outside"):
        v = pd.to_numeric(p[c], errors="coerce")
        if v.isna().any():
            rows = [int(i) for i in np.flatnonzero(v.isna().to_numpy())[:10]]
            raise _fail(f"purchases: {c} missing or not a number", "missing", rows=rows)
        p[c] = v.astype(float)
    if (p["value_kzt"] < 0).any() or np.isinf(p["value_kzt"]).any():
        raise _fail("purchases: value_kzt must be non-negative", "negative")
    if ((p["share_outside"] < 0) | (p["share_outside"] > 1)).any():
        raise _fail("purchases: share_outside must lie in [0, 1]", "out_of_range")
    p["localisable_kzt"] = p["value_kzt"] * p["share_outside"]
    g = p.groupby("sector", sort=True)[["value_kzt", "localisable_kzt"]].sum()
    g["share_outside"] = np.divide(
        g["localisable_kzt"], g["value_kzt"], out=np.zeros(len(g)), where=g["value_kzt"].to_numpy() > 0
    )
    return g.reset_index()


def growth_points(
    purchases: pd.DataFrame,
    *,
    density,
    hosting,
    priority: Iterable[str] | Mapping[str, bool] = (),
    weights: Mapping[str, float] | None = None,
    names: Mapping[str, str] | None = None,
    scale: str = "max",
    density_scale: str = "max",
) -> pd.DataFrame:
    """Rank sectors by localisation potential, with each factor's contribution.

    Parameters
    ----------
    purchases : DataFrame
        ``sector, value_kzt, share_outside`` (annual purchases of the anchor enterprise(s)).
    density, hosting : mapping, Series or DataFrame (``sector,density`` / ``sector,hosting``)
        per-sector values in [0, 1]; every purchased sector needs one (else :class:`InputError`).
    priority : iterable of sector codes or mapping sector -> bool
        the zone's priority directions.
    weights : mapping
        weights for ``demand, density, hosting, priority`` (non-negative; normalised to sum 1).
    names : mapping, optional
        sector -> display name (a ``name`` column; missing names are empty strings).
    scale, density_scale : {"max", "log"} / {"max", "none"}
        see the module docstring.

    Returns
    -------
    DataFrame
        ``rank, sector, [name], value_kzt, share_outside, localisable_kzt, demand, density,
        hosting, priority, contrib_demand, contrib_density, contrib_hosting, contrib_priority,
        score``, best first.

    Examples
    --------
    >>> p = pd.DataFrame({"sector": ["C25", "H49"], "value_kzt": [100.0, 200.0],
    ...                   "share_outside": [1.0, 0.25]})
    >>> r = growth_points(p, density={"C25": 0.2, "H49": 0.1}, hosting={"C25": 1, "H49": 0.5},
    ...                   priority=["C25"])
    >>> [(s, round(v, 6)) for s, v in zip(r.sector, r.score)]
    [('C25', 1.0), ('H49', 0.425)]
    """
    if scale not in ("max", "log") or density_scale not in ("max", "none"):
        raise ValueError("scale must be 'max' or 'log'; density_scale 'max' or 'none'")
    w = _weights(weights)
    agg = aggregate_purchases(purchases)
    dens = per_sector(density, "density", "density")
    host = per_sector(hosting, "hosting", "hosting")
    sectors = agg["sector"].tolist()
    for name, s in (("density", dens), ("hosting", host)):
        absent = [x for x in sectors if x not in s.index]
        if absent:
            raise _fail(f"{name} is missing for sector(s): {', '.join(absent[:10])}", "missing",
                        sectors=absent)
    if isinstance(priority, Mapping):
        flagged = {str(k) for k, v in priority.items() if v}
    elif isinstance(priority, str):
        flagged = {priority}
    else:
        flagged = {str(x) for x in priority}

    loc = agg["localisable_kzt"].to_numpy()
    if scale == "log":
        loc = np.log1p(loc)
    top = loc.max()
    demand = loc / top if top > 0 else np.zeros_like(loc)
    d = dens.reindex(sectors).to_numpy()
    if density_scale == "max":
        d = d / d.max() if d.max() > 0 else np.zeros_like(d)
    out = agg.copy()
    if names is not None:
        out.insert(1, "name", [str(names.get(s, "")) for s in sectors])
    out = out[[c for c in ("sector", "name", "value_kzt", "share_outside", "localisable_kzt") if c in out]]
    out["demand"] = demand
    out["density"] = d
    out["hosting"] = host.reindex(sectors).to_numpy()
    out["priority"] = [1.0 if s in flagged else 0.0 for s in sectors]
    score = np.zeros(len(out))
    for f in FACTORS:
        out[f"contrib_{f}"] = w[f] * out[f].to_numpy()
        score = score + out[f"contrib_{f}"].to_numpy()
    out["score"] = score
    out = out.sort_values(
        ["score", "localisable_kzt", "sector"], ascending=[False, False, True], kind="mergesort"
    ).reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


def density_by_concordance(product_density: Mapping[str, float] | pd.Series,
                           concordance: Mapping[str, Iterable[str]]) -> dict[str, float]:
    """Average a location's product densities over the products each sector maps to.

    ``concordance`` maps a sector code to product-code prefixes (e.g. ``{"C25": ["69"]}``: every
    SITC product starting with 69). Sectors with no prefix or no matching product are left out,
    so the caller must supply them another way (an explicit error later, never a silent 0).

    Examples
    --------
    >>> density_by_concordance({"6911": 0.2, "6912": 0.4, "7111": 0.1}, {"C25": ["69"], "H49": []})
    {'C25': 0.3...}
    """
    pd_ = pd.Series(product_density, dtype=float)
    pd_.index = pd_.index.astype(str)
    out: dict[str, float] = {}
    for sector, prefixes in concordance.items():
        prefixes = tuple(str(p) for p in prefixes if str(p))
        if not prefixes:
            continue
        hit = pd_[pd_.index.str.startswith(prefixes)]
        if len(hit):
            out[str(sector)] = float(hit.mean())
    return out


UTILITY_KINDS = ("power", "water", "sewage", "heat", "gas")


def _permits(permitted: Iterable[str], sector: str) -> bool:
    permitted = [str(x) for x in permitted]
    if not permitted:  # an empty list means any sector the zone allows
        return True
    return any(sector == p or sector.startswith(p + ".") for p in permitted)


def hosting_scores(
    plots: Iterable[Mapping],
    needs: Mapping[str, Mapping],
    free_capacity: Mapping[str, float],
    *,
    enough_plots: int = 3,
) -> pd.DataFrame:
    """The zone's ability to host each sector, 0..1, from its plots and free utility capacity.

    ``plots``: mappings with ``area_ha``, ``hazard_class_max`` (1 = most hazardous class the plot
    allows; classes up to 5 are allowed), ``permitted_sectors`` (OKED codes; empty = any; ``C24``
    also permits ``C24.44``) and ``available`` (free to offer). ``needs``: sector -> typical
    ``area_ha``, ``hazard_class`` and per-kind utility needs (``power`` kW, ``water`` m³/day,
    ``sewage``, ``heat``, ``gas``). ``free_capacity``: kind -> free capacity of the zone's sources.

    A plot fits a sector when it is available, permits it, is at least the typical area and allows
    its hazard class (``hazard_class >= hazard_class_max``). Then::

        plot_fit     = min(1, fitting plots / enough_plots)
        capacity_fit = min over needed kinds of min(1, free / need)    (1 if nothing is needed)
        hosting      = plot_fit * capacity_fit

    Examples
    --------
    >>> plots = [{"area_ha": 5, "hazard_class_max": 3, "permitted_sectors": ["C25"], "available": True}]
    >>> hosting_scores(plots, {"C25": {"area_ha": 2, "hazard_class": 4, "power": 1000}},
    ...                {"power": 500}, enough_plots=2)["hosting"].tolist()
    [0.25]
    """
    if enough_plots < 1:
        raise _fail("enough_plots must be at least 1", "out_of_range")
    plot_list = [dict(p) for p in plots]
    for i, p in enumerate(plot_list):
        for key in ("area_ha", "hazard_class_max"):
            v = p.get(key)
            if v is None or not np.isfinite(float(v)) or float(v) < 0:
                raise _fail(f"plot {i}: {key} missing or negative", "missing")
    free = {k: float(v) for k, v in free_capacity.items()}
    if any(not np.isfinite(v) for v in free.values()):
        raise _fail("free capacity must be finite", "missing")
    rows = []
    for sector in sorted(needs):
        need = needs[sector]
        area = float(need.get("area_ha", 0.0))
        hazard = int(need.get("hazard_class", 5))
        if area < 0 or not 1 <= hazard <= 5:
            raise _fail(f"needs of {sector}: area must be >= 0 and hazard_class 1..5", "out_of_range")
        fitting = sum(
            1
            for p in plot_list
            if p.get("available", True)
            and _permits(p.get("permitted_sectors") or [], str(sector))
            and float(p["area_ha"]) >= area
            and hazard >= int(p["hazard_class_max"])
        )
        cap = 1.0
        for kind in UTILITY_KINDS:
            q = float(need.get(kind, 0.0))
            if q < 0:
                raise _fail(f"needs of {sector}: {kind} must be >= 0", "negative")
            if q > 0:
                cap = min(cap, max(0.0, min(1.0, free.get(kind, 0.0) / q)))
        plot_fit = min(1.0, fitting / enough_plots)
        rows.append({"sector": str(sector), "fitting_plots": fitting, "plot_fit": plot_fit,
                     "capacity_fit": cap, "hosting": plot_fit * cap})
    return pd.DataFrame(rows, columns=["sector", "fitting_plots", "plot_fit", "capacity_fit", "hosting"])
