"""Long tables to location x product matrices, with the bad-input rules.

Rules (each raises :class:`~promzona.core.errors.InputError` with ``details["reason"]``):

- ``empty``: no rows, or no positive value at all;
- ``columns``: a required column is missing;
- ``missing``: a location, product or value is missing (NaN/None/empty string);
- ``not_numeric``: a value cannot be read as a number;
- ``negative``: a value is negative (or infinite);
- ``duplicate``: the same (location, product) pair appears twice (pass ``duplicates="sum"`` to add
  them up instead, a documented choice, never a silent one);
- ``empty_location`` / ``empty_product``: a location whose values are all zero (a location with no
  products) or a product nobody has. With ``drop_empty=True`` they are dropped instead and listed
  in :attr:`Matrix.dropped_locations` / :attr:`Matrix.dropped_products`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from promzona.core.errors import InputError

_SHOW = 10  # how many offending keys an error message lists


def _fail(message: str, reason: str, **details) -> InputError:
    return InputError(message, details={"reason": reason, **details})


@dataclass(frozen=True)
class Matrix:
    """A dense location x product matrix with its labels.

    ``dropped_locations`` / ``dropped_products`` list what the ``drop_empty`` rule removed.
    """

    values: np.ndarray
    locations: pd.Index
    products: pd.Index
    dropped_locations: list = field(default_factory=list)
    dropped_products: list = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.values, index=self.locations, columns=self.products)


def as_dense(m) -> np.ndarray:
    """A float ndarray from an ndarray, a DataFrame or a scipy.sparse matrix."""
    if sparse.issparse(m):
        return np.asarray(m.toarray(), dtype=float)
    if isinstance(m, pd.DataFrame):
        return m.to_numpy(dtype=float)
    return np.asarray(m, dtype=float)


def _check_values(v: np.ndarray, where: str) -> None:
    if v.size == 0:
        raise _fail(f"{where}: the table is empty", "empty")
    if np.isnan(v).any():
        raise _fail(f"{where}: {int(np.isnan(v).sum())} value(s) are missing", "missing")
    if (v < 0).any() or np.isinf(v).any():
        raise _fail(f"{where}: negative or infinite values are not allowed", "negative")


def from_long(
    table: pd.DataFrame,
    *,
    location: str = "location",
    product: str = "product",
    value: str = "value",
    duplicates: str = "raise",
    drop_empty: bool = False,
) -> Matrix:
    """Pivot a long table ``location,product,value`` into a :class:`Matrix`.

    Absent pairs are zeros. Labels are read as strings and sorted, so results do not depend on row
    order.

    Examples
    --------
    >>> t = pd.DataFrame({"location": ["a", "a", "b"], "product": ["x", "y", "x"],
    ...                   "value": [1.0, 2.0, 3.0]})
    >>> from_long(t).values
    array([[1., 2.],
           [3., 0.]])
    """
    if duplicates not in ("raise", "sum"):
        raise ValueError("duplicates must be 'raise' or 'sum'")
    if table is None or len(table) == 0:
        raise _fail("the input table is empty", "empty")
    missing_cols = [c for c in (location, product, value) if c not in table.columns]
    if missing_cols:
        raise _fail(
            f"missing column(s): {', '.join(missing_cols)}; expected {location},{product},{value}",
            "columns",
            columns=missing_cols,
        )
    t = table[[location, product, value]]
    # labels are stripped strings; work on the unique labels only (fast on large tables)
    loc_raw, loc_u = pd.factorize(t[location], use_na_sentinel=True)
    prod_raw, prod_u = pd.factorize(t[product], use_na_sentinel=True)
    loc_u = pd.Index(loc_u).astype(str).str.strip()
    prod_u = pd.Index(prod_u).astype(str).str.strip()
    keys_missing = pd.Series((loc_raw < 0) | (prod_raw < 0), index=t.index)
    keys_missing |= np.isin(loc_raw, np.flatnonzero(loc_u == ""))
    keys_missing |= np.isin(prod_raw, np.flatnonzero(prod_u == ""))
    if keys_missing.any():
        rows = [int(i) for i in np.flatnonzero(keys_missing.to_numpy())[:_SHOW]]
        raise _fail(f"{int(keys_missing.sum())} row(s) lack a location or a product", "missing", rows=rows)
    vals = pd.to_numeric(t[value], errors="coerce")
    not_num = vals.isna() & t[value].notna()
    if not_num.any():
        rows = [int(i) for i in np.flatnonzero(not_num.to_numpy())[:_SHOW]]
        raise _fail(f"{int(not_num.sum())} value(s) are not numbers", "not_numeric", rows=rows)
    if vals.isna().any():
        rows = [int(i) for i in np.flatnonzero(vals.isna().to_numpy())[:_SHOW]]
        raise _fail(f"{int(vals.isna().sum())} value(s) are missing", "missing", rows=rows)
    v = vals.to_numpy(dtype=float)
    if (v < 0).any() or np.isinf(v).any():
        bad = (v < 0) | np.isinf(v)
        rows = [int(i) for i in np.flatnonzero(bad)[:_SHOW]]
        raise _fail(f"{int(bad.sum())} value(s) are negative or infinite", "negative", rows=rows)

    loc = loc_u.to_numpy()[loc_raw]
    prod = prod_u.to_numpy()[prod_raw]
    loc_codes, loc_labels = pd.factorize(loc, sort=True)
    prod_codes, prod_labels = pd.factorize(prod, sort=True)
    flat = loc_codes.astype(np.int64) * len(prod_labels) + prod_codes
    if duplicates == "raise":
        dup = pd.Series(flat).duplicated(keep=False).to_numpy()
        if dup.any():
            pairs = sorted({(loc[i], prod[i]) for i in np.flatnonzero(dup)})[:_SHOW]
            raise _fail(
                f"{len(set(flat[dup]))} (location, product) pair(s) appear more than once, "
                f"e.g. {pairs[0][0]},{pairs[0][1]}",
                "duplicate",
                pairs=[list(p) for p in pairs],
            )
    dense = np.bincount(flat, weights=v, minlength=len(loc_labels) * len(prod_labels)).reshape(
        len(loc_labels), len(prod_labels)
    )
    return _finish(dense, pd.Index(loc_labels, name="location"), pd.Index(prod_labels, name="product"),
                   drop_empty)


def from_matrix(values, locations=None, products=None, *, drop_empty: bool = False) -> Matrix:
    """Wrap a matrix (ndarray, DataFrame or scipy.sparse) with the same checks as :func:`from_long`."""
    if isinstance(values, pd.DataFrame):
        locations = values.index if locations is None else locations
        products = values.columns if products is None else products
    v = as_dense(values)
    if v.ndim != 2:
        raise _fail("expected a two-dimensional location x product matrix", "empty")
    _check_values(v, "matrix")
    locs = pd.Index(range(v.shape[0]) if locations is None else list(locations), name="location")
    prods = pd.Index(range(v.shape[1]) if products is None else list(products), name="product")
    if len(locs) != v.shape[0] or len(prods) != v.shape[1]:
        raise _fail("labels do not match the matrix shape", "columns")
    if locs.has_duplicates or prods.has_duplicates:
        raise _fail("location or product labels repeat", "duplicate")
    return _finish(v, locs, prods, drop_empty)


def _finish(v: np.ndarray, locs: pd.Index, prods: pd.Index, drop_empty: bool) -> Matrix:
    if v.size == 0 or not (v > 0).any():
        raise _fail("the table has no positive value", "empty")
    row_empty = ~(v > 0).any(axis=1)
    col_empty = ~(v > 0).any(axis=0)
    dropped_l: list = []
    dropped_p: list = []
    if row_empty.any() or col_empty.any():
        if not drop_empty:
            if row_empty.any():
                names = [str(x) for x in locs[row_empty][:_SHOW]]
                raise _fail(
                    f"{int(row_empty.sum())} location(s) have no products (all values zero): "
                    f"{', '.join(names)}",
                    "empty_location",
                    locations=names,
                )
            names = [str(x) for x in prods[col_empty][:_SHOW]]
            raise _fail(
                f"{int(col_empty.sum())} product(s) have zero value everywhere: {', '.join(names)}",
                "empty_product",
                products=names,
            )
        dropped_l = list(locs[row_empty])
        dropped_p = list(prods[col_empty])
        v = v[~row_empty][:, ~col_empty]
        locs = locs[~row_empty]
        prods = prods[~col_empty]
    return Matrix(v, locs, prods, dropped_l, dropped_p)
