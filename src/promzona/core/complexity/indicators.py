"""The whole pipeline in one call, and the three tables of the file contract (docs/sectors.md)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from promzona.core.complexity._matrix import Matrix, _fail, from_long, from_matrix
from promzona.core.complexity._matrix import _finish as _finish_matrix
from promzona.core.complexity.eci import EciPci, eci_pci
from promzona.core.complexity.fitness import fitness_complexity
from promzona.core.complexity.measures import mcp as _mcp
from promzona.core.complexity.measures import rca as _rca
from promzona.core.complexity.outlook import cog as _cog
from promzona.core.complexity.outlook import coi as _coi
from promzona.core.complexity.proximity import density as _density
from promzona.core.complexity.proximity import proximity as _proximity

#: Default weights of :meth:`Indicators.opportunities` (applied to z-scores among candidates).
OPPORTUNITY_WEIGHTS = {"density": 0.5, "pci": 0.2, "cog": 0.3}


@dataclass(frozen=True)
class Indicators:
    """Every indicator for one location x product matrix (arrays aligned with the labels)."""

    locations: pd.Index
    products: pd.Index
    values: np.ndarray
    rca: np.ndarray
    mcp: np.ndarray
    diversity: np.ndarray
    ubiquity: np.ndarray
    proximity: np.ndarray
    density: np.ndarray
    complexity: EciPci
    coi: np.ndarray
    cog: np.ndarray
    fitness: np.ndarray
    product_fitness_complexity: np.ndarray
    conventions: dict = field(default_factory=dict)
    dropped_locations: list = field(default_factory=list)
    dropped_products: list = field(default_factory=list)

    @property
    def eci(self) -> np.ndarray:
        return self.complexity.eci

    @property
    def pci(self) -> np.ndarray:
        return self.complexity.pci

    def locations_frame(self) -> pd.DataFrame:
        """``location,diversity,eci,coi`` (the contract's ``locations.csv``)."""
        return pd.DataFrame(
            {
                "location": self.locations.astype(str),
                "diversity": self.diversity.astype(int),
                "eci": self.eci,
                "coi": self.coi,
            }
        )

    def products_frame(self) -> pd.DataFrame:
        """``product,ubiquity,pci`` (the contract's ``products.csv``)."""
        return pd.DataFrame(
            {"product": self.products.astype(str), "ubiquity": self.ubiquity.astype(int), "pci": self.pci}
        )

    def location_products_frame(self) -> pd.DataFrame:
        """``location,product,rca,mcp,density,cog`` for every pair (``location_products.csv``)."""
        n_c, n_p = self.mcp.shape
        return pd.DataFrame(
            {
                "location": np.repeat(self.locations.astype(str).to_numpy(), n_p),
                "product": np.tile(self.products.astype(str).to_numpy(), n_c),
                "rca": self.rca.ravel(),
                "mcp": self.mcp.ravel().astype(int),
                "density": self.density.ravel(),
                "cog": self.cog.ravel(),
            }
        )

    def opportunities(
        self,
        location,
        *,
        weights: dict | None = None,
        n: int | None = None,
        only_more_complex: bool = True,
    ) -> pd.DataFrame:
        """Rank the products ``location`` does not have yet (M_cp = 0).

        With ``only_more_complex`` (default) the candidates are further restricted to products
        whose PCI exceeds the location's ECI: diversification that raises complexity (the Atlas'
        goal), rather than more raw materials next to the ones already exported.

        score = sum of ``weights[f] * z(f)`` for f in density, pci, cog, where ``z`` is the
        z-score (ddof 0) among the candidates; the default weights (:data:`OPPORTUNITY_WEIGHTS`)
        favour what is near (density), then what opens new doors (COG), then complexity, in the
        spirit of the Atlas' "balanced portfolio". Ties are broken by product code. Each weighted
        term is a column ``contrib_<f>``; they sum to ``score``.
        """
        w = dict(OPPORTUNITY_WEIGHTS if weights is None else weights)
        unknown = set(w) - set(OPPORTUNITY_WEIGHTS)
        if unknown:
            raise _fail(f"unknown weight(s): {', '.join(sorted(unknown))}", "columns")
        if any(v < 0 for v in w.values()):
            raise _fail("weights must be non-negative", "negative")
        labels = self.locations.astype(str)
        if str(location) not in set(labels):
            raise _fail(f"unknown location: {location}", "missing")
        c = int(np.flatnonzero(labels == str(location))[0])
        cand = self.mcp[c] == 0
        if only_more_complex:
            cand &= self.pci > self.eci[c]
        df = pd.DataFrame(
            {
                "product": self.products.astype(str)[cand],
                "density": self.density[c, cand],
                "pci": self.pci[cand],
                "cog": self.cog[c, cand],
                "rca": self.rca[c, cand],
            }
        )
        score = np.zeros(len(df))
        for f, wf in w.items():
            col = df[f].to_numpy()
            sd = col.std()
            z = (col - col.mean()) / sd if sd > 0 else np.zeros_like(col)
            df[f"contrib_{f}"] = wf * z
            score = score + wf * z
        df["score"] = score
        df = df.sort_values(["score", "product"], ascending=[False, True], kind="mergesort")
        df.insert(0, "rank", np.arange(1, len(df) + 1))
        df = df.reset_index(drop=True)
        return df if n is None else df.head(n)


def compute_indicators(  # noqa: PLR0913 - keyword-only options, one per convention the reference library offers
    data,
    *,
    threshold: float = 1.0,
    presence: str = "rca",
    population=None,
    rpop_threshold: float = 1.0,
    proximity_diagonal: float | None = 1.0,
    ddof: int = 0,
    pci_normalisation: str = "eci",
    cog_variant: str = "atlas",
    fitness_iterations: int = 19,
    drop_empty: bool = False,
    duplicates: str = "raise",
    min_location_total: float = 0.0,
) -> Indicators:
    """Compute every indicator from a long table ``location,product,value`` or a matrix.

    ``data`` may be a DataFrame with columns ``location,product,value``, a location x product
    DataFrame, an ndarray, a scipy.sparse matrix or a :class:`Matrix`. ``population`` (for
    ``presence="rpop"``/``"both"``) is a mapping or Series ``location -> population`` or an array
    in location order. See :mod:`promzona.core.complexity` for every convention.

    ``min_location_total`` drops locations whose total value is below it before anything is
    computed (the Atlas leaves out very small exporters, whose mirror-trade noise otherwise tops
    the ECI ranking); products only they had are dropped too. Both are listed in
    ``dropped_locations`` / ``dropped_products``. The default 0 keeps every location.

    Raises :class:`InputError` on bad input (see :func:`from_long`) and when, after the presence
    test, a location or a product has no M_cp = 1 (pass a lower threshold or drop them first).

    Examples
    --------
    >>> t = pd.DataFrame({"location": list("aabbbc"), "product": list("xyxyzx"),
    ...                   "value": [5.0, 1.0, 2.0, 2.0, 3.0, 9.0]})
    >>> ind = compute_indicators(t)
    >>> ind.locations_frame().columns.tolist()
    ['location', 'diversity', 'eci', 'coi']
    """
    if isinstance(data, Matrix):
        mat = data
    elif isinstance(data, pd.DataFrame) and {"location", "product", "value"} & set(data.columns):
        # a long table (possibly missing a column: from_long says which)
        mat = from_long(data, duplicates=duplicates, drop_empty=drop_empty)
    else:
        mat = from_matrix(data, drop_empty=drop_empty)
    if min_location_total > 0:
        small = mat.values.sum(axis=1) < min_location_total
        if small.all():
            raise _fail(f"every location's total is below {min_location_total}", "empty")
        if small.any():
            kept = _finish_matrix(mat.values[~small], mat.locations[~small], mat.products, True)
            mat = Matrix(
                kept.values,
                kept.locations,
                kept.products,
                list(mat.dropped_locations) + list(mat.locations[small]),
                list(mat.dropped_products) + list(kept.dropped_products),
            )
    x = mat.values
    pop = None
    if population is not None:
        if isinstance(population, dict | pd.Series):
            ps = pd.Series(population)
            ps.index = ps.index.astype(str)
            missing = [str(loc) for loc in mat.locations.astype(str) if loc not in ps.index]
            if missing:
                raise _fail(f"population missing for: {', '.join(missing[:10])}", "missing")
            pop = ps.reindex(mat.locations.astype(str)).to_numpy(dtype=float)
        else:
            pop = np.asarray(population, dtype=float)
    r = _rca(x)
    m = _mcp(x, threshold=threshold, presence=presence, population=pop, rpop_threshold=rpop_threshold)
    k_c = m.sum(axis=1)
    k_p = m.sum(axis=0)
    phi = _proximity(m, kind="product", diagonal=proximity_diagonal)
    ep = eci_pci(m, ddof=ddof, pci_normalisation=pci_normalisation)
    dens = _density(m, phi)
    coi = _coi(m, phi, ep.pci, density=dens)
    cog = _cog(m, phi, ep.pci, variant=cog_variant, density=dens)
    fit, qual = fitness_complexity(m, iterations=fitness_iterations)
    conventions = {
        "presence": presence,
        "threshold": threshold,
        "rpop_threshold": rpop_threshold,
        "proximity_diagonal": proximity_diagonal,
        "ddof": ddof,
        "pci_normalisation": pci_normalisation,
        "cog_variant": cog_variant,
        "fitness_iterations": fitness_iterations,
    }
    return Indicators(
        locations=mat.locations,
        products=mat.products,
        values=x,
        rca=r,
        mcp=m,
        diversity=k_c,
        ubiquity=k_p,
        proximity=phi,
        density=dens,
        complexity=ep,
        coi=coi,
        cog=cog,
        fitness=fit,
        product_fitness_complexity=qual,
        conventions=conventions,
        dropped_locations=list(mat.dropped_locations),
        dropped_products=list(mat.dropped_products),
    )
