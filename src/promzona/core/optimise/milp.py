"""One maximisation MILP solved by HiGHS (highspy), optionally from a known feasible point.

Models are built row by row into sparse triplets (:class:`Rows`), so only the coefficients
that exist are stored. :func:`maximise` reports the solver's status as ``optimal`` or
``time_limit``, the proven bound and the seconds spent. The solver runs on one thread, so the
same instance always gets the same answer.

HiGHS rather than :func:`scipy.optimize.milp` (the same solver inside): highspy accepts a
starting solution (a baseline's, so a time-limited answer is never worse than the rules in use
today) and its HiGHS no longer prints debugging lines to standard output.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np
from scipy.sparse import csr_array

#: HiGHS stops when the incumbent is proven within this relative gap of the bound (its own
#: default is 1e-4); small enough that "optimal" means optimal for a zone's values.
DEFAULT_GAP = 1e-6


class Rows:
    """Constraints ``row · x <= upper`` collected as sparse triplets."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.upper: list[float] = []

    def add(self, cols, vals, upper: float) -> None:
        cols = np.asarray(cols, dtype=np.int64)
        self.rows.append(np.full(len(cols), len(self.upper), dtype=np.int64))
        self.cols.append(cols)
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), cols.shape))
        self.upper.append(float(upper))

    def add_block(self, rows, cols, vals, upper) -> None:
        """Many rows at once: ``rows`` are 0-based within the block, ``upper`` one per row."""
        rows = np.asarray(rows, dtype=np.int64)
        self.rows.append(rows + len(self.upper))
        self.cols.append(np.asarray(cols, dtype=np.int64))
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), rows.shape))
        self.upper.extend(float(u) for u in np.atleast_1d(upper))

    def __len__(self) -> int:
        return len(self.upper)

    def matrix(self, n: int) -> csr_array:
        if not self.upper:
            return csr_array((0, n))
        return csr_array((np.concatenate(self.vals), (np.concatenate(self.rows),
                                                      np.concatenate(self.cols))),
                         shape=(len(self.upper), n))


@dataclass(frozen=True)
class MilpResult:
    status: str  # "optimal" | "time_limit"
    x: np.ndarray | None  # None when no feasible point was found in time
    objective: float | None
    bound: float | None  # proven upper bound on the maximum
    seconds: float


def maximise(value: np.ndarray, matrix, upper: np.ndarray, *, integer: np.ndarray,
             time_limit: float, gap: float = DEFAULT_GAP, start: np.ndarray | None = None,
             heuristic_effort: float = 0.05) -> MilpResult:
    """Maximise ``value · x`` subject to ``matrix · x <= upper``, ``0 <= x <= 1`` and
    ``x[integer]`` whole; ``start``, when given, is a feasible point to improve on;
    ``heuristic_effort`` is HiGHS's share of effort spent looking for better points."""
    n = len(value)
    started = time.perf_counter()
    if n == 0:
        return MilpResult("optimal", np.zeros(0), 0.0, 0.0, 0.0)
    # The plain binding: highspy.Highs registers Python callbacks (unused here), which prints
    # a banner to standard output before output_flag can be turned off.
    h = highspy._Highs()
    for option, setting in (("output_flag", False), ("threads", 1), ("mip_rel_gap", gap),
                            ("time_limit", max(float(time_limit), 0.01)),
                            ("mip_heuristic_effort", heuristic_effort)):
        h.setOptionValue(option, setting)
    csc = matrix.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, csc.shape[0]
    lp.col_cost_ = -np.asarray(value, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
    lp.row_lower_ = np.full(csc.shape[0], -highspy.kHighsInf)
    lp.row_upper_ = np.asarray(upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = csc.indptr.astype(np.int32)
    lp.a_matrix_.index_ = csc.indices.astype(np.int32)
    lp.a_matrix_.value_ = csc.data.astype(float)
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    lp.integrality_ = [kinds[int(i)] for i in integer]
    h.passModel(lp)
    if start is not None:
        point = highspy.HighsSolution()
        point.col_value = np.asarray(start, dtype=float).tolist()
        point.value_valid = True
        h.setSolution(point)
    h.run()
    seconds = time.perf_counter() - started
    info = h.getInfo()
    x = None
    if info.primal_solution_status == int(highspy.kSolutionStatusFeasible):
        x = np.asarray(h.getSolution().col_value)
    objective = None if x is None else float(np.dot(value, x))
    bound = -info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return MilpResult("optimal", x, objective, objective if bound is None else bound, seconds)
    if x is not None or status in (highspy.HighsModelStatus.kTimeLimit,
                                   highspy.HighsModelStatus.kInterrupt):
        return MilpResult("time_limit", x, objective, bound, seconds)
    raise RuntimeError(f"HiGHS failed: {h.modelStatusToString(status)}")  # a modelling bug


def relative_gap(objective: float, bound: float | None) -> float | None:
    """``(bound − objective) / |objective|``, 0 when they meet, None without a bound."""
    if bound is None:
        return None
    diff = max(0.0, bound - objective)
    if diff <= 1e-9 * max(1.0, abs(bound)):
        return 0.0
    return diff / max(abs(objective), 1e-9)
