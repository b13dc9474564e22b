"""Near misses: plots left out by exactly one criterion, and what it would take to let them in.

Computed from the engine's exclusions (:class:`~promzona.core.matching.engine.MatchOutcome`),
never by a rule of its own: a plot is a near miss when its only reason is one criterion other
than its status (a reserved plot is not the investor's to change). Where the investor could
change the request (a larger maximum area, a smaller need, a higher budget...), the near miss
carries that change as a *patch* of the request's JSON, and the patch is checked by matching
again: a near miss with a patch is a promise the engine keeps. Criteria only the zone office can
change (permitted sectors, price, a line in reach) carry no patch; the remedy says whom to ask.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from promzona.core.utilities import UTILITY_KINDS, ledger_sum

from .engine import match
from .outcome import DISTANCES, R_STATUS, REASON_CODES, MatchOutcome
from .request import MatchRequest
from .text import fmt_num, gettext_noop, texts

NEAR_TEXT: dict[str, str] = {
    "unit_power": gettext_noop("kW"),
    "unit_water": gettext_noop("m³/day"),
    "unit_sewage": gettext_noop("m³/day"),
    "unit_heat": gettext_noop("Gcal/h"),
    "unit_gas": gettext_noop("m³/h"),
    "n_area_small": gettext_noop("fits with a minimum area of {area} ha"),
    "n_area_large": gettext_noop("fits with a maximum area of {area} ha"),
    "n_sector": gettext_noop("the zone office decides which sectors a plot takes"),
    "n_hazard": gettext_noop("the plot takes production of hazard classes {max}–5 only"),
    "n_rail_spur": gettext_noop("fits without a rail spur"),
    "n_dist_rail": gettext_noop("fits with rail at most {dist} m away"),
    "n_dist_road": gettext_noop("fits with a road at most {dist} m away"),
    "n_dist_airport": gettext_noop("fits with the airport at most {dist} m away"),
    "n_dist_unknown": gettext_noop("fits without a limit on this distance (not measured for "
                                   "this plot)"),
    "n_no_price": gettext_noop("no published price: ask the zone office for the terms"),
    "n_budget": gettext_noop("fits with a budget of {cost} KZT"),
    "n_gap_short": gettext_noop("{source} lacks {short} {unit} even with every planned upgrade; "
                                "fits with {kind} up to {most} {unit}"),
    "n_gap_none": gettext_noop("{source} has no {kind} capacity free or planned; ask the zone "
                               "office"),
    "n_gap_no_line": gettext_noop("no {kind} line within reach; ask the zone office about a "
                                  "connection"),
}

@dataclass(frozen=True)
class NearMiss:
    """A plot left out by one criterion: the engine's ``reason`` and what would let it in.

    ``patch`` is the change to the request's JSON (``None`` values remove a key) that makes the
    plot a result, checked by matching again; ``None`` when the criterion is not the
    investor's to change. ``size`` orders near misses: the relative size of the change.
    """

    plot_id: int
    plot_code: str
    code: str
    reason: str
    remedy: str
    patch: dict[str, Any] | None
    size: float


def apply_patch(body: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``body`` with ``patch`` merged in (nested objects merged, ``None`` removes a key).

    >>> apply_patch({"area_ha": {"min": 1, "max": 5}, "rail_spur": True},
    ...             {"area_ha": {"max": 6.2}, "rail_spur": None})
    {'area_ha': {'min': 1, 'max': 6.2}}
    """
    out = dict(body)
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = apply_patch(out[key], value)
        else:
            out[key] = value
    return out


def _ceil(x: float, digits: int) -> float:
    """Rounded up to ``digits`` decimals (negative: to tens, thousands...)."""
    if digits < 0:
        step = 10 ** -digits
        return float(math.ceil(x / step - 1e-9) * step)
    return round(math.ceil(x * 10 ** digits - 1e-9) / 10 ** digits, digits)


def _floor(x: float, digits: int) -> float:
    return round(math.floor(x * 10 ** digits + 1e-9) / 10 ** digits, digits)


def _qty(x: float, T: dict[str, str]) -> str:
    """A capacity as people write it: 13,200 or 12.5 (no trailing zeros)."""
    if abs(x - round(x)) < 1e-9:
        return fmt_num(x, T=T)
    text = fmt_num(x, 3, T=T)
    return text.rstrip("0").rstrip(".,")


def _rel(new: float, old: float) -> float:
    return abs(new - old) / max(abs(old), 1e-9)


Remedy = tuple[Callable[[], str], dict[str, Any] | None, float]  # (its words, patch, size)


class _Builder:
    """What it would take to let excluded plot ``i`` in: the patch and its size at once, the
    words only when the near miss is offered."""

    def __init__(self, outcome: MatchOutcome, T: dict[str, str]):
        self.o, self.T = outcome, T
        self.ix, self.req = outcome.index, outcome.request

    def code(self, i: int, bit: int) -> str:
        code = REASON_CODES[bit]
        if bit in DISTANCES and np.isnan(getattr(self.ix, DISTANCES[bit])[i]):
            return f"{code}_unknown"
        return code

    def remedy(self, i: int, code: str) -> Remedy:
        """Read from the index's columns: it runs for every plot left out by one reason."""
        T, req, ix = self.T, self.req, self.ix
        if code == "area_small":
            area = _floor(float(ix.area[i]), 2)
            return (lambda: T["n_area_small"].format(area=fmt_num(area, 2, T=T)),
                    {"area_ha": {"min": area}}, _rel(area, req.area_ha.min or 0.0))
        if code == "area_large":
            area = _ceil(float(ix.area[i]), 2)
            return (lambda: T["n_area_large"].format(area=fmt_num(area, 2, T=T)),
                    {"area_ha": {"max": area}}, _rel(area, req.area_ha.max or 0.0))
        if code == "rail_spur":
            return lambda: T["n_rail_spur"], {"rail_spur": False}, 0.5
        if code.startswith("dist_"):
            name = code.removeprefix("dist_").removesuffix("_unknown")
            if code.endswith("_unknown"):
                return lambda: T["n_dist_unknown"], {"max_distance_m": {name: None}}, 1.0
            dist = _ceil(float(getattr(ix, f"d_{name}")[i]), -1)
            limit = getattr(req.max_distance_m, name) or 0.0
            return (lambda: T[f"n_dist_{name}"].format(dist=fmt_num(dist, T=T)),
                    {"max_distance_m": {name: dist}}, _rel(dist, limit))
        if code == "budget":
            cost = _ceil(float(self.o.total[i]), -3)
            return (lambda: T["n_budget"].format(cost=fmt_num(cost, T=T)),
                    {"budget_kzt": cost}, _rel(cost, req.budget_kzt or 0.0))
        if code.startswith("gap_"):
            return self._gap(i, code.removeprefix("gap_"))
        if code == "hazard":
            hazard = int(ix.hazard_max[i])
            return lambda: T["n_hazard"].format(max=hazard), None, math.inf
        return lambda: T[f"n_{code}"], None, math.inf

    def _gap(self, i: int, kind: str) -> Remedy:
        """The most any source in reach can give, with every planned upgrade."""
        T, ix = self.T, self.ix
        label = T[f"kind_{kind}"]
        pairs = ix.pairs[kind]
        seg = int(np.searchsorted(pairs["seg_plot"], i))
        if seg >= pairs["seg_plot"].size or pairs["seg_plot"][seg] != i:
            return lambda: T["n_gap_no_line"].format(kind=label), None, math.inf
        lo = int(pairs["seg_start"][seg])
        best, best_source = -math.inf, None
        for k in range(lo, lo + int(pairs["seg_len"][seg])):
            src = ix.sources[int(ix.group_source[pairs["group"][k]])]
            most = ledger_sum(src.free, *(u.capacity_added for u in ix.upgrades.get(src.id, [])))
            if most > best:
                best, best_source = most, src
        unit = T[f"unit_{kind}"]
        most = _floor(max(best, 0.0), 3)
        if most <= 0:
            return (lambda: T["n_gap_none"].format(source=best_source.code, kind=label), None,
                    math.inf)
        need = self.req.need(kind)
        return (lambda: T["n_gap_short"].format(source=best_source.code,
                                                short=_qty(need - most, T), unit=unit,
                                                kind=label, most=_qty(most, T)),
                {"needs": {UTILITY_KINDS[kind].need_key: most}}, _rel(most, need))


def _single_reason(bits: np.ndarray) -> np.ndarray:
    """Exactly one bit set, and it is not the status."""
    return (bits != 0) & ((bits & (bits - 1)) == 0) & (bits != R_STATUS)


def near_misses(outcome: MatchOutcome, *, limit: int = 10, tr: Callable[[str], str] = str,
                lang: str = "en", max_checks: int | None = None) -> list[NearMiss]:
    """Up to ``limit`` near misses of ``outcome``, those with the smallest change first.

    Each patch is checked by matching the patched request over the same plots; a near miss
    whose patch would not let the plot in (another criterion would then fail, e.g. the budget
    after a larger need) is not offered. At most ``max_checks`` (3 × ``limit``) different
    patches are checked, so a large dataset costs a bounded number of matches. Sentences are
    translated by ``tr``, numbers written as ``lang`` writes them.
    """
    T = texts(tr, lang) | {k: tr(v) for k, v in NEAR_TEXT.items()}
    positions = outcome.excluded_pos[_single_reason(outcome.reasons[outcome.excluded_pos])]
    if positions.size == 0:
        return []
    builder = _Builder(outcome, T)
    candidates = []
    for i, bit in zip(positions.tolist(), outcome.reasons[positions].tolist(), strict=True):
        code = builder.code(i, bit)
        words, patch, size = builder.remedy(i, code)
        candidates.append((size, int(outcome.index.plot_id[i]), i, code, words, patch))
    candidates.sort(key=lambda c: (c[0], c[1]))
    checker = _Checker(outcome, max_checks=3 * limit if max_checks is None else max_checks)
    out = []
    for size, plot_id, i, code, words, patch in candidates:
        if patch is not None and not checker.admits(patch, plot_id):
            continue
        [reason] = outcome._reasons(i, T)  # the engine's own sentence for its one reason
        assert reason.code == code, (reason.code, code)  # noqa: S101 - REASON_CODES follows it
        out.append(NearMiss(plot_id=plot_id, plot_code=outcome.index.plot_code[i], code=code,
                            reason=reason.text, remedy=words(), patch=patch, size=size))
        if len(out) >= limit:
            break
    return out


class _Checker:
    """Matches patched requests over the outcome's plots, once per distinct patch."""

    def __init__(self, outcome: MatchOutcome, *, max_checks: int):
        self.o, self.checks_left = outcome, max_checks
        ix = outcome.index
        self.visible = np.zeros(ix.size, dtype=bool)
        self.visible[outcome.ranked] = True
        self.visible[outcome.excluded_pos] = True
        self.body = outcome.request.to_json()
        self.results: dict[str, set[int]] = {}

    def admits(self, patch: dict[str, Any], plot_id: int) -> bool:
        key = repr(sorted(patch.items()))
        if key not in self.results:
            if self.checks_left <= 0:
                return False  # not checked: not offered
            self.checks_left -= 1
            request = MatchRequest.parse(apply_patch(self.body, patch))
            again = match(self.o.index, request, today=self.o.today, visible=self.visible)
            self.results[key] = set(again.result_ids)
        return plot_id in self.results[key]
