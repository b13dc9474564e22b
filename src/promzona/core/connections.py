"""Connecting a plot to the utility networks: what a line is to a plot, and **the one rule that
chooses which option serves it** (the matcher, the reservation, the passport and the build plan
all use :func:`choose`).

An *option* is a line with a known source near the plot: its cost over the horizon (connection
plus the bill) and the day it can be ready (the line exists, the source has the capacity, plus
the connection lead time). The rule, per utility of one plot:

1. the cheapest option ready by the desired start date, when one is;
2. otherwise (or when no date is asked) the earliest option;

ties go to the earlier, then the cheaper, then the first option. Without a desired start date
every option that can ever serve meets it, so the cheapest serves. Options that can never serve
(cost ``inf`` or ready :data:`NEVER`) are chosen only when nothing can serve.

>>> import numpy as np
>>> cost = np.array([10.0, 12.0, 8.0])          # one plot, three options
>>> ready = np.array([100, 90, 300])            # day ordinals
>>> start = np.array([0]); size = np.array([3])
>>> int(choose(cost, ready, seg_start=start, seg_len=size)[0])            # no date: cheapest
2
>>> int(choose(cost, ready, seg_start=start, seg_len=size, start_by=120)[0])  # cheapest in time
0
>>> int(choose(cost, ready, seg_start=start, seg_len=size, start_by=50)[0])   # none: earliest
1
>>> connection_cost(1_000_000, 10_000_000, 400.0)
5000000.0
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

NEVER = 10**8  # a day ordinal later than any real date: the option can never serve


@dataclass(frozen=True)
class LineLink:
    """What connecting needs to know of a utility line."""

    id: int
    code: str
    kind: str
    status: str  # existing | under_construction | planned
    completion: dt.date | None  # planned completion; None for existing lines
    fixed_cost_kzt: float
    cost_per_km_kzt: float
    lead_days: int
    source_id: int | None
    geometry: Any  # shapely geometry in metres


def connection_cost(fixed_kzt: Any, per_km_kzt: Any, distance_m: Any) -> Any:
    """A line's fixed cost plus its cost per km times the distance from the plot boundary: of
    one line (numbers) or of many options at once (arrays, as the index prices them)."""
    return fixed_kzt + per_km_kzt * distance_m / 1000.0


def choose(cost: np.ndarray, ready: np.ndarray, *, seg_start: np.ndarray, seg_len: np.ndarray,
           start_by: int | None = None) -> np.ndarray:
    """Per segment (the options of one plot, consecutive), the index of the option that serves.

    ``cost``: cost over the horizon (``inf``: can never serve); ``ready``: day ordinal
    (:data:`NEVER`: never); ``start_by``: the desired start as a day ordinal, or None.
    """
    if cost.size == 0:
        return np.zeros(0, dtype=np.int64)
    feasible = np.isfinite(cost) & (ready < NEVER)
    meets = feasible & (ready <= start_by) if start_by is not None else feasible
    seg_meets = np.repeat(np.maximum.reduceat(meets, seg_start), seg_len)
    seg_feasible = np.repeat(np.maximum.reduceat(feasible, seg_start), seg_len)
    cand = np.where(seg_meets, meets, np.where(seg_feasible, feasible, True))
    ready_f = ready.astype(float)
    keys = (np.where(seg_meets, cost, ready_f), np.where(seg_meets, ready_f, cost))
    for key in keys:
        k = np.where(cand, key, np.inf)
        cand &= k == np.repeat(np.minimum.reduceat(k, seg_start), seg_len)
    idx = np.where(cand, np.arange(cand.size), cand.size)
    return np.minimum.reduceat(idx, seg_start)
