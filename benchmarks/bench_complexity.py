"""Time the full sector indicators for 226 x 785 and compare with the Growth Lab's ``ecomplexity``.

Run: ``.venv/bin/python benchmarks/bench_complexity.py`` (``make bench`` runs every bench_*.py).

Our timing: :func:`promzona.core.complexity.compute_indicators` on the shipped world trade table
(long table in, every indicator out: RCA, M_cp, diversity, ubiquity, proximity, ECI, PCI,
density, COI, COG, fitness), median of 5 runs; goal < 0.5 s.

Baseline: ``ecomplexity`` from PyPI on the same long table, median of 5 runs. It is installed
only for the benchmark, with ``pip install --target benchmarks/out/pydeps`` (git-ignored;
searched last, so the project's numpy/scipy/pandas are used and its environment is not
touched). If it cannot be installed or imported we say so and still print our timings.

Conventions are aligned before comparing (see promzona.core.complexity): ECI, PCI and density are
the same definitions; ``ecomplexity`` computes COI and COG from the *raw* PCI eigenvector, then
z-scores COI and divides COG by ECI's standard deviation, and its COG has no own-product term (our
``cog_variant="growthlab"``). We reproduce that from our public functions and report the
largest absolute difference per indicator.
"""

from __future__ import annotations

import importlib
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from promzona.core.complexity import cog, coi, compute_indicators
from promzona.core.sector_data import world_trade

RUNS = 5
GOAL_S = 0.5
PYDEPS = Path(__file__).resolve().parent / "out" / "pydeps"


def median_time(fn, runs=RUNS):
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def load_ecomplexity():
    """Import ecomplexity, installing it with its dependencies into PYDEPS.

    PYDEPS goes at the *end* of sys.path, so numpy, scipy and pandas still come from the project's
    environment; only what is missing there (ecomplexity, scikit-learn, ...) comes from PYDEPS.
    """
    sys.path.append(str(PYDEPS))
    try:
        return importlib.import_module("ecomplexity").ecomplexity, None
    except ImportError:
        print("ecomplexity: not installed yet; installing it for the benchmark only")
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
           "--target", str(PYDEPS), "ecomplexity"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return None, f"pip install failed: {proc.stderr.strip().splitlines()[-1:] or proc.returncode}"
    importlib.invalidate_caches()
    try:
        return importlib.import_module("ecomplexity").ecomplexity, None
    except Exception as exc:  # noqa: BLE001
        return None, f"import failed after install: {exc!r}"


def main() -> int:
    table = world_trade()
    n_c, n_p = table["location"].nunique(), table["product"].nunique()
    print(f"data: world trade 1998-2000, {n_c} locations x {n_p} products, {len(table)} rows")

    compute_indicators(table)  # warm-up (imports, BLAS threads)
    ours_s, ind = median_time(lambda: compute_indicators(table))
    verdict = "OK" if ours_s < GOAL_S else "SLOWER THAN GOAL"
    print(f"promzona compute_indicators: median of {RUNS} = {ours_s * 1000:.1f} ms "
          f"(goal < {GOAL_S * 1000:.0f} ms: {verdict})")

    ecx, why = load_ecomplexity()
    if ecx is None:
        print(f"ecomplexity: NOT AVAILABLE ({why}); no comparison, our timing above stands")
        return 0
    data = table.assign(year=2000)
    cols = {"time": "year", "loc": "location", "prod": "product", "val": "value"}

    def run_ecx():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ecx(data, cols, presence_test="rca", check_logsupermodularity=False, verbose=False)

    run_ecx()
    ecx_s, out = median_time(run_ecx)
    from importlib.metadata import version

    print(f"ecomplexity {version('ecomplexity')} (PyPI): median of {RUNS} = "
          f"{ecx_s * 1000:.1f} ms; speed ratio ecomplexity / promzona = {ecx_s / ours_s:.1f}x")

    locs, prods = ind.locations.astype(str), ind.products.astype(str)
    out = out.astype({"location": str, "product": str})

    def mat(col):
        return out.pivot(index="location", columns="product", values=col).reindex(
            index=locs, columns=prods).to_numpy(dtype=float)

    def vec(col, key):
        return out.groupby(key)[col].first().reindex(locs if key == "location" else prods).to_numpy(float)

    m = ind.mcp
    raw = ind.complexity.pci_raw
    r = (m @ raw) / m.sum(axis=1)  # each location's mean raw PCI, ecomplexity's "kc"
    coi_aligned = coi(m, ind.proximity, raw)
    coi_aligned = (coi_aligned - coi_aligned.mean()) / coi_aligned.std()
    cog_aligned = cog(m, ind.proximity, ind.pci + r.mean() / r.std(), variant="growthlab")
    rows = [
        ("rca", ind.rca, mat("rca")),
        ("mcp", m, mat("mcp")),
        ("diversity", ind.diversity, vec("diversity", "location")),
        ("ubiquity", ind.ubiquity, vec("ubiquity", "product")),
        ("eci", ind.eci, vec("eci", "location")),
        ("pci", ind.pci, vec("pci", "product")),
        ("density", ind.density, mat("density")),
        ("coi (ecomplexity convention)", coi_aligned, vec("coi", "location")),
        ("cog (ecomplexity convention)", cog_aligned, mat("cog")),
        ("cog (our Atlas default vs theirs, not aligned)", ind.cog, mat("cog")),
    ]
    print("largest absolute difference per indicator (promzona vs ecomplexity):")
    for name, a, b in rows:
        if np.isnan(b).any():
            print(f"  {name:48s} ecomplexity has {int(np.isnan(b).sum())} NaN")
            continue
        print(f"  {name:48s} {np.abs(np.asarray(a, float) - b).max():.3e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
