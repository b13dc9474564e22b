"""Shift-share decomposition of employment change."""

from __future__ import annotations

import pandas as pd

from promzona.core.complexity._matrix import _fail


def _series(data, name: str) -> pd.Series:
    if isinstance(data, pd.Series):
        s = data.copy()
    elif isinstance(data, dict):
        s = pd.Series(data, dtype=float)
    elif isinstance(data, pd.DataFrame):
        if not {"sector", "value"} <= set(data.columns):
            raise _fail(f"{name}: expected columns sector,value", "columns")
        if data["sector"].duplicated().any():
            dup = sorted(set(data.loc[data["sector"].duplicated(), "sector"].astype(str)))
            raise _fail(f"{name}: sector(s) appear more than once: {', '.join(dup)}", "duplicate")
        s = data.set_index("sector")["value"]
    else:
        raise TypeError(f"{name}: expected a Series, a dict or a DataFrame with sector,value")
    s.index = s.index.astype(str)
    if s.index.has_duplicates:
        raise _fail(f"{name}: sectors repeat", "duplicate")
    s = pd.to_numeric(s, errors="coerce")
    if s.isna().any():
        bad = ", ".join(s.index[s.isna()][:10])
        raise _fail(f"{name}: missing or non-numeric value(s) for {bad}", "missing")
    if (s < 0).any():
        raise _fail(f"{name}: negative employment", "negative")
    return s.astype(float)


def shift_share(region_start, region_end, reference_start, reference_end) -> pd.DataFrame:
    """Decompose each sector's change of regional employment into three effects.

    For sector i, with ``E`` the region's and ``N`` the reference's (nation or larger region)
    employment at the start (0) and end (1)::

        national growth  NG_i = E_i0 * g              g   = N1 / N0 - 1 (all sectors)
        industry mix     IM_i = E_i0 * (g_i - g)      g_i = N_i1 / N_i0 - 1
        regional shift   RS_i = (E_i1 - E_i0) - NG_i - IM_i   (= E_i0 * (e_i - g_i) when E_i0 > 0)

    so ``NG + IM + RS = change`` exactly, also for a sector new in the region (E_i0 = 0: all its
    change is regional shift). Inputs are Series/dicts ``sector -> employment`` or DataFrames with
    ``sector,value``; a sector missing from one year counts as 0 there. Raises InputError if a
    region sector is absent from the reference, the reference has no employment in it at the start,
    or a value is missing or negative.

    Examples
    --------
    >>> r = shift_share({"A": 100, "B": 50}, {"A": 120, "B": 40},
    ...                 {"A": 1000, "B": 1000}, {"A": 1100, "B": 1100})
    >>> r[["national_growth", "industry_mix", "regional_shift", "change"]].round(6).values.tolist()
    [[10.0, 0.0, 10.0, 20.0], [5.0, 0.0, -15.0, -10.0]]
    """
    e0 = _series(region_start, "region start")
    e1 = _series(region_end, "region end")
    n0 = _series(reference_start, "reference start")
    n1 = _series(reference_end, "reference end")
    sectors = sorted(set(e0.index) | set(e1.index))
    ref = sorted(set(n0.index) | set(n1.index))
    if not sectors or not ref:
        raise _fail("shift-share needs employment for the region and the reference", "empty")
    absent = [s for s in sectors if s not in ref]
    if absent:
        raise _fail(
            f"sector(s) not in the reference: {', '.join(absent[:10])}", "missing", sectors=absent
        )
    e0, e1 = e0.reindex(sectors, fill_value=0.0), e1.reindex(sectors, fill_value=0.0)
    n0a, n1a = n0.reindex(ref, fill_value=0.0), n1.reindex(ref, fill_value=0.0)
    if n0a.sum() <= 0:
        raise _fail("the reference has no employment at the start", "empty")
    no_base = [s for s in sectors if n0a[s] <= 0]
    if no_base:
        raise _fail(
            f"the reference has no employment at the start in: {', '.join(no_base[:10])}",
            "empty_product",
            sectors=no_base,
        )
    g = n1a.sum() / n0a.sum() - 1.0
    g_i = (n1a[sectors] / n0a[sectors] - 1.0).to_numpy()
    start, end = e0.to_numpy(), e1.to_numpy()
    ng = start * g
    im = start * (g_i - g)
    change = end - start
    rs = change - ng - im
    return pd.DataFrame(
        {
            "sector": sectors,
            "start": start,
            "end": end,
            "change": change,
            "national_growth": ng,
            "industry_mix": im,
            "regional_shift": rs,
            "reference_growth": g_i,
        }
    )
