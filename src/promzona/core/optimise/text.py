"""The optimisers' sentences (English source strings; interfaces pass a translating ``tr``).

A :class:`Reason` is plain data (a code and its parameters); :meth:`Reason.text` writes it in
the language of ``tr``, numbers and units as ``lang`` writes them.

>>> Reason("area", {"min": 1, "max": 5}).text()
'no free plot has an area between 1.00 and 5.00 ha'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from promzona.core.matching.text import TEXT as MATCH_TEXT
from promzona.core.matching.text import fmt_num, gettext_noop, texts

#: How many names a sentence lists before "and N more".
MAX_NAMES = 5

TEXT: dict[str, str] = {
    "no_eligible": gettext_noop("its list of eligible plots names no free plot"),
    "forbidden": gettext_noop("every plot it could have is forbidden for it"),
    "area": gettext_noop("no free plot has an area between {min} and {max} ha"),
    "area_eligible": gettext_noop("none of its eligible plots has an area between {min} and "
                                  "{max} ha"),
    "no_source": gettext_noop("no plot of fitting area is served by {kinds}"),
    "capacity_alone": gettext_noop("it needs {need} {unit} of {kind}; the most any source serving "
                                   "a fitting plot has free is {free} {unit} ({source})"),
    "capacity_mix": gettext_noop("no fitting plot has enough free capacity for all its needs at "
                                 "once"),
    "taken": gettext_noop("its fitting plots went to other applications: {pairs}"),
    "exhausted": gettext_noop("capacity of {source} exhausted by applications {apps}: {left} "
                              "{unit} left, {need} {unit} needed"),
    "more": gettext_noop("{names} and {n} more"),
    "unlocks": gettext_noop("completes in period {period} and unlocks {plots}"),
    "unlocks_with": gettext_noop("completes in period {period}; with the works completing after "
                                 "it, it unlocks {plots}"),
    "unlocks_later": gettext_noop("completes in period {period}; needed by later works"),
    "unlocks_nothing": gettext_noop("completes in period {period} but unlocks nothing: the "
                                    "other works its plots need are not complete by the "
                                    "horizon"),
    "baseline_fcfs": gettext_noop("first come, first served"),
    "baseline_greedy_value": gettext_noop("greedy by value"),
    "baseline_cheapest_first": gettext_noop("cheapest work first"),
    "baseline_best_value_per_cost": gettext_noop("best value per tenge first"),
}


def _digits(x: float) -> int:
    """Whole numbers and large ones without decimals; small ones with up to three."""
    if float(x).is_integer() or abs(x) >= 100:
        return 0
    return 1 if abs(x) >= 10 else 3


def _identity(text: str) -> str:
    return text


def names(items: Sequence[str], tr: Callable[[str], str] = _identity) -> str:
    """``A1, A2, A3`` — at most :data:`MAX_NAMES`, then "and N more"."""
    shown = ", ".join(items[:MAX_NAMES])
    if len(items) <= MAX_NAMES:
        return shown
    return tr(TEXT["more"]).format(names=shown, n=len(items) - MAX_NAMES)


@dataclass(frozen=True)
class Reason:
    """Why an application got nothing: ``code`` (stable, for programs) and its parameters.

    A reason with ``parts`` joins several sentences (plots taken and capacity exhausted).
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    parts: tuple[Reason, ...] = ()

    def text(self, tr: Callable[[str], str] = _identity, lang: str = "en") -> str:
        if self.parts:
            return "; ".join(p.text(tr, lang) for p in self.parts)
        T = texts(tr, lang)
        p = self.params
        values: dict[str, str] = {}
        for key, value in p.items():
            if key in ("min", "max"):
                values[key] = fmt_num(value, 2, T)
            elif key in ("need", "free", "left"):
                values[key] = fmt_num(value, _digits(value), T)
            elif key == "kind":
                values[key] = tr(MATCH_TEXT[f"kind_{value}"])
                values["unit"] = T[f"unit_{value}"]
            elif key == "kinds":
                values[key] = ", ".join(tr(MATCH_TEXT[f"kind_{k}"]) for k in value)
            elif key == "apps":
                values[key] = names([f"{a} ({fmt_num(v, 2, T)})" for a, v in value], tr)
            elif key == "pairs":
                values[key] = names([f"{plot} → {app}" for plot, app in value], tr)
            elif key == "plots":
                values[key] = names(list(value), tr)
            else:
                values[key] = str(value)
        return tr(TEXT[self.code]).format(**values)


def baseline_label(name: str, tr: Callable[[str], str] = _identity) -> str:
    return tr(TEXT[f"baseline_{name}"])


def rounded(x: float) -> float:
    return round(float(x), 6)


def baseline_json(name: str, objective: float, optimum: float, tr, **extra) -> dict:
    """A baseline's objective and how much the optimum gains over it (absolute and %)."""
    gain = optimum - objective
    return {"name": name, "label": baseline_label(name, tr), "objective": rounded(objective),
            **extra, "gain": rounded(gain),
            "gain_pct": rounded(100 * gain / objective) if objective > 0 else None}
