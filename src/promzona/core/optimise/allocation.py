"""The allocation instance: competing applications, free plots and the sources serving them.

:func:`parse_allocation` reads the JSON contract (``docs/optimisation.md``) strictly;
:func:`candidates` lists, for each application, the plots it could have on its own (eligible,
area in range, every needed kind served, each need within its source's free capacity) — the
only pairs the model has variables for.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS

from .checks import (
    fail,
    identifier,
    items,
    label,
    mapping,
    number,
    references,
    unique_ids,
)

KINDS: tuple[str, ...] = tuple(UTILITY_KINDS)
MAX_APPLICATIONS = 100_000
MAX_PLOTS = 200_000
MAX_SOURCES = 20_000
#: A need counts as met when it exceeds free capacity by no more than this share (float noise).
TOLERANCE = 1e-9


def fits(need: float, free: float) -> bool:
    return need <= free + TOLERANCE * max(1.0, abs(free))


def fit_mask(need: np.ndarray, src: np.ndarray, free: np.ndarray) -> np.ndarray:
    """Per element: ``need`` fits in the free capacity of source ``src`` (−1: no source,
    which only a need of 0 fits)."""
    ok = need <= 0
    has = (src >= 0) & ~ok
    room = free[src[has]]
    ok[has] = need[has] <= room + TOLERANCE * np.maximum(1.0, np.abs(room))
    return ok


@dataclass(frozen=True)
class Application:
    id: str
    value: float
    area_min: float = 0.0
    area_max: float = math.inf
    needs: dict[str, float] = field(default_factory=dict)  # kind -> positive amount
    eligible: tuple[str, ...] | None = None  # None: every plot
    submitted: dt.datetime | None = None  # UTC; None: after the dated ones, in list order
    has_area: bool = False
    #: plot -> kind -> source: where a reservation of that plot for this application would
    #: commit (its needs and dates can pick another connection); other kinds: the plot's own
    sources: dict[str, dict[str, str]] = field(default_factory=dict)

    def source(self, plot: Plot, kind: str) -> str | None:
        """The source that would serve this application's ``kind`` need on ``plot``."""
        return self.sources.get(plot.id, {}).get(kind) or plot.sources.get(kind)


@dataclass(frozen=True)
class Plot:
    id: str
    area_ha: float
    sources: dict[str, str] = field(default_factory=dict)  # kind -> source id


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    free: float


@dataclass(frozen=True)
class AllocationInstance:
    applications: tuple[Application, ...]
    plots: tuple[Plot, ...]
    sources: tuple[Source, ...]
    pinned: tuple[tuple[str, str], ...] = ()  # (application, plot) that must be assigned
    forbidden: tuple[tuple[str, str], ...] = ()  # (application, plot) that must not


def _submitted(value: Any, where: str) -> dt.datetime | None:
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value) if isinstance(value, str) and len(value) <= 40 \
            else None
    except ValueError:
        when = None
    if when is None:
        raise fail(where, "must be an ISO 8601 date and time such as 2026-03-01T09:30:00+05:00")
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC)


def _sources(raw: Any) -> tuple[Source, ...]:
    entries = items(raw, "sources", maximum=MAX_SOURCES)
    for i, s in enumerate(entries):
        mapping(s, label("sources", i, s), required=("id", "kind", "free"))
    unique_ids(entries, "sources")
    out = []
    for i, s in enumerate(entries):
        where = label("sources", i, s)
        if s["kind"] not in KINDS:
            raise fail(f"{where}.kind", f"must be one of {', '.join(KINDS)}")
        out.append(Source(id=s["id"], kind=s["kind"], free=number(s["free"], f"{where}.free")))
    return tuple(out)


def _served(raw: Any, where: str, sources: dict[str, Source]) -> dict[str, str]:
    """A ``{kind: source id}`` mapping, each source known and of its kind."""
    served = mapping(raw, where, optional=KINDS)
    for kind, sid in served.items():
        identifier(sid, f"{where}.{kind}")
        if sid not in sources:
            raise fail(f"{where}.{kind}", f"unknown source {sid!r}", id=sid)
        if sources[sid].kind != kind:
            raise fail(f"{where}.{kind}",
                       f"source {sid!r} is of kind {sources[sid].kind}, not {kind}", id=sid)
    return dict(served)


def _plots(raw: Any, sources: dict[str, Source]) -> tuple[Plot, ...]:
    entries = items(raw, "plots", maximum=MAX_PLOTS)
    for i, p in enumerate(entries):
        mapping(p, label("plots", i, p), required=("id", "area_ha", "sources"))
    unique_ids(entries, "plots")
    out = []
    for i, p in enumerate(entries):
        where = label("plots", i, p)
        out.append(Plot(id=p["id"], area_ha=number(p["area_ha"], f"{where}.area_ha",
                                                    above_minimum=True),
                        sources=_served(p["sources"], f"{where}.sources", sources)))
    return tuple(out)


def _application(a: dict[str, Any], where: str, plot_ids: dict[str, int],
                 sources: dict[str, Source]) -> Application:
    value = number(a["value"], f"{where}.value")
    area_min, area_max, has_area = 0.0, math.inf, "area_ha" in a
    if has_area:
        area = mapping(a["area_ha"], f"{where}.area_ha", required=("min", "max"))
        area_min = number(area["min"], f"{where}.area_ha.min")
        area_max = number(area["max"], f"{where}.area_ha.max")
        if area_min > area_max:
            raise fail(f"{where}.area_ha", f"min {area_min:g} is larger than max {area_max:g}")
    needs: dict[str, float] = {}
    for key, amount in mapping(a.get("needs", {}), f"{where}.needs", optional=NEED_KEYS).items():
        amount = number(amount, f"{where}.needs.{key}")
        if amount > 0:  # a need of 0 is no need
            needs[NEED_KEYS[key]] = amount
    eligible = None
    if "eligible" in a:
        eligible = references(a["eligible"], f"{where}.eligible", plot_ids, "plot",
                              maximum=MAX_PLOTS)
    own = {}
    for plot, served in mapping(a.get("sources", {}), f"{where}.sources",
                                optional=plot_ids).items():
        own[plot] = _served(served, f"{where}.sources.{plot}", sources)
    return Application(id=a["id"], value=value, area_min=area_min, area_max=area_max,
                       needs=needs, eligible=eligible,
                       submitted=_submitted(a.get("submitted"), f"{where}.submitted"),
                       has_area=has_area, sources=own)


def _pairs(raw: Any, where: str, apps: dict[str, int], plots: dict[str, int]) -> list[tuple]:
    out = []
    for i, pair in enumerate(items(raw, where, maximum=MAX_APPLICATIONS)):
        w = f"{where}[{i}]"
        mapping(pair, w, required=("application", "plot"))
        app = identifier(pair["application"], f"{w}.application")
        plot = identifier(pair["plot"], f"{w}.plot")
        if app not in apps:
            raise fail(f"{w}.application", f"unknown application {app!r}", id=app)
        if plot not in plots:
            raise fail(f"{w}.plot", f"unknown plot {plot!r}", id=plot)
        out.append((app, plot))
    return out


def parse_allocation(data: Any) -> AllocationInstance:
    """The instance in ``data`` (parsed JSON), or :class:`InputError` naming the culprit.

    Beyond the contract's keys an application may carry ``submitted`` (ISO 8601; the order of
    first come, first served) and the instance ``pinned`` and ``forbidden`` pairs
    (``{"application", "plot"}``), which staff set when they review a proposal.
    """
    top = mapping(data, "instance", required=("applications", "plots", "sources"),
                  optional=("pinned", "forbidden"))
    sources = _sources(top["sources"])
    by_id = {s.id: s for s in sources}
    plots = _plots(top["plots"], by_id)
    plot_ids = {p.id: i for i, p in enumerate(plots)}
    entries = items(top["applications"], "applications", maximum=MAX_APPLICATIONS)
    for i, a in enumerate(entries):
        mapping(a, label("applications", i, a), required=("id", "value"),
                optional=("area_ha", "needs", "eligible", "submitted", "sources"))
    app_ids = unique_ids(entries, "applications")
    apps = tuple(_application(a, label("applications", i, a), plot_ids, by_id)
                 for i, a in enumerate(entries))
    pinned = _pairs(top.get("pinned", []), "pinned", app_ids, plot_ids)
    forbidden = _pairs(top.get("forbidden", []), "forbidden", app_ids, plot_ids)
    instance = AllocationInstance(apps, plots, sources, tuple(pinned), tuple(set(forbidden)))
    _check_pins(instance, app_ids, plot_ids)
    return instance


def _check_pins(inst: AllocationInstance, app_ids: dict[str, int], plot_ids: dict[str, int]):
    """Pins are possible on their own, hold one plot per application and together fit."""
    seen_apps: dict[str, int] = {}
    seen_plots: dict[str, int] = {}
    forbidden = set(inst.forbidden)
    use: dict[str, float] = {}
    free = {s.id: s.free for s in inst.sources}
    for i, (a, p) in enumerate(inst.pinned):
        where = f"pinned[{i}]"
        if a in seen_apps:
            raise fail(where, f"application {a!r} is pinned twice (also pinned[{seen_apps[a]}])")
        if p in seen_plots:
            raise fail(where, f"plot {p!r} is pinned twice (also pinned[{seen_plots[p]}])")
        if (a, p) in forbidden:
            raise fail(where, f"{a!r} on {p!r} is both pinned and forbidden")
        seen_apps[a], seen_plots[p] = i, i
        app, plot = inst.applications[app_ids[a]], inst.plots[plot_ids[p]]
        problem = obstacle(app, plot, free)
        if problem:
            raise fail(where, f"{a!r} cannot have {p!r}: {problem}")
        for kind, need in app.needs.items():
            sid = app.source(plot, kind)
            use[sid] = use.get(sid, 0.0) + need
            if not fits(use[sid], free[sid]):
                raise fail(where, f"the pinned pairs need {use[sid]:g} of {sid!r}, which has "
                                  f"{free[sid]:g} free")


def obstacle(app: Application, plot: Plot, free: dict[str, float]) -> str | None:
    """Why ``plot`` cannot serve ``app`` on its own, in words; None when it can."""
    if app.eligible is not None and plot.id not in app.eligible:
        return "not in its eligible list"
    if not app.area_min <= plot.area_ha <= app.area_max:
        return f"area {plot.area_ha:g} ha is outside {app.area_min:g}–{app.area_max:g} ha"
    for kind, need in app.needs.items():
        sid = app.source(plot, kind)
        if sid is None:
            return f"no {kind} source serves the plot"
        if not fits(need, free[sid]):
            return f"needs {need:g} of {kind}; {sid} has {free[sid]:g} free"
    return None


@dataclass
class Arrays:
    """The instance as arrays: plots × kinds → source index (−1: none), and so on."""

    inst: AllocationInstance
    app_index: dict[str, int]
    plot_index: dict[str, int]
    source_index: dict[str, int]
    area: np.ndarray  # per plot
    source_of: np.ndarray  # plots × kinds, −1 when no source
    free: np.ndarray  # per source
    value: np.ndarray  # per application
    need: np.ndarray  # applications × kinds
    own_keys: np.ndarray  # sorted application × plots + plot of the pairs with sources of their own
    own_sources: np.ndarray  # those pairs × kinds → source index
    by_area: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.by_area = np.argsort(self.area, kind="stable")

    def src(self, a: int | np.ndarray, p: int | np.ndarray, k: int) -> np.ndarray:
        """The source index serving application ``a``'s kind ``k`` on plot ``p`` (−1: none),
        element-wise over arrays: the application's own source for that plot, else the plot's."""
        out = np.array(self.source_of[p, k])
        if not len(self.own_keys):
            return out
        key = np.asarray(a, dtype=np.int64) * len(self.area) + np.asarray(p, dtype=np.int64)
        key, out = np.broadcast_arrays(key, out)
        out = out.copy()
        at = np.minimum(np.searchsorted(self.own_keys, key), len(self.own_keys) - 1)
        hit = self.own_keys[at] == key
        own = self.own_sources[at[hit], k]
        out[hit] = np.where(own >= 0, own, out[hit])
        return out

    @classmethod
    def of(cls, inst: AllocationInstance) -> Arrays:
        source_index = {s.id: i for i, s in enumerate(inst.sources)}
        source_of = np.full((len(inst.plots), len(KINDS)), -1, dtype=np.int64)
        for i, p in enumerate(inst.plots):
            for k, kind in enumerate(KINDS):
                if kind in p.sources:
                    source_of[i, k] = source_index[p.sources[kind]]
        need = np.zeros((len(inst.applications), len(KINDS)))
        plot_index = {p.id: i for i, p in enumerate(inst.plots)}
        own: dict[int, list[int]] = {}
        for i, a in enumerate(inst.applications):
            for k, kind in enumerate(KINDS):
                need[i, k] = a.needs.get(kind, 0.0)
            for plot, served in a.sources.items():
                own[i * len(inst.plots) + plot_index[plot]] = [
                    source_index[served[kind]] if kind in served else -1 for kind in KINDS]
        keys = np.array(sorted(own), dtype=np.int64)
        return cls(
            inst=inst, app_index={a.id: i for i, a in enumerate(inst.applications)},
            plot_index=plot_index, source_index=source_index,
            area=np.array([p.area_ha for p in inst.plots], dtype=float).reshape(-1),
            source_of=source_of, free=np.array([s.free for s in inst.sources], dtype=float),
            value=np.array([a.value for a in inst.applications], dtype=float), need=need,
            own_keys=keys, own_sources=np.array([own[k] for k in keys], dtype=np.int64
                                                ).reshape(-1, len(KINDS)),
        )

    def listed(self, a: int) -> np.ndarray:
        """The plots ``a`` names (in its order), or every plot, smallest area first."""
        app = self.inst.applications[a]
        if app.eligible is not None:
            return np.array([self.plot_index[p] for p in app.eligible], dtype=np.int64)
        return self.by_area

    def fitting(self, a: int, plots: np.ndarray, free: np.ndarray) -> np.ndarray:
        """The subset of ``plots`` whose area fits ``a`` and whose sources can take its needs
        out of ``free`` (a per-source array)."""
        app = self.inst.applications[a]
        area = self.area[plots]
        keep = (area >= app.area_min) & (area <= app.area_max)
        for k in np.nonzero(self.need[a] > 0)[0]:
            keep &= fit_mask(np.full(len(plots), self.need[a, k]), self.src(a, plots, k), free)
        return plots[keep]


def candidates(arr: Arrays) -> list[np.ndarray]:
    """Per application, the plots it could have on its own, in the baselines' order of
    preference (its eligible list's order, else smallest area first); pins and forbidden
    pairs applied (a pinned application or plot has only its pin)."""
    inst = arr.inst
    forbidden: dict[int, set[int]] = {}
    for a, p in inst.forbidden:
        forbidden.setdefault(arr.app_index[a], set()).add(arr.plot_index[p])
    pinned_app = {arr.app_index[a]: arr.plot_index[p] for a, p in inst.pinned}
    pinned_plots = np.zeros(len(inst.plots), dtype=bool)
    pinned_plots[list(pinned_app.values())] = True
    out = []
    for a in range(len(inst.applications)):
        if a in pinned_app:
            out.append(np.array([pinned_app[a]], dtype=np.int64))
            continue
        plots = arr.listed(a)
        plots = plots[~pinned_plots[plots]]
        if a in forbidden:
            plots = plots[~np.isin(plots, list(forbidden[a]))]
        out.append(arr.fitting(a, plots, arr.free))
    return out
