"""The matcher's index: everything about the dataset that does not depend on the request.

Plot attributes as numpy arrays; lines grouped by (source, status); for every plot and group
of its zone within ``max_connection_m``, the distance to the group's nearest line (found in
bulk, :mod:`.nearest`) and the connection cost (fixed + per km × distance). These pairs are a
plot's connection *options*; :func:`promzona.core.connections.choose` picks the one that
serves. Lines without a recorded source are not options: their capacity cannot be checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

import numpy as np

from promzona.core.connections import NEVER, LineLink, connection_cost
from promzona.core.utilities import ledger_sum

from .data import PlotColumns, PlotIn, SourceIn, UpgradeIn, ZoneIn
from .nearest import nearest_lines
from .request import KINDS

STATUS_OK = "published"


def sector_within(sector: str, code: str) -> bool:
    """True when ``sector`` is ``code`` or a subdivision of it (OKED codes are prefixes)."""
    return sector == code or sector.startswith(code)


def _ord(d: dt.date | None, default: int) -> int:
    return d.toordinal() if d is not None else default


class PlotRows:
    """The index's plots as :class:`PlotIn` rows, made on demand from its columns (no
    geometry: the index does not keep it)."""

    def __init__(self, ix: MatchIndex):
        self._ix = ix

    def __len__(self) -> int:
        return self._ix.size

    def __iter__(self) -> Iterator[PlotIn]:
        return (self[i] for i in range(len(self)))

    def __getitem__(self, i: int) -> PlotIn:
        ix = self._ix

        def opt(a: np.ndarray) -> float | None:
            return None if np.isnan(a[i]) else float(a[i])

        return PlotIn(
            id=int(ix.plot_id[i]), code=ix.plot_code[i], zone_id=ix.zones[ix.plot_zone[i]].id,
            status=ix.status_names[ix.status_code[i]], area_ha=float(ix.area[i]), geometry=None,
            permitted_sectors=ix.sectorsets[ix.plot_sectorset[i]],
            hazard_class_max=int(ix.hazard_max[i]), lease_price_kzt_ha_year=opt(ix.lease),
            sale_price_kzt=opt(ix.sale), free_use=bool(ix.free_use[i]),
            rail_spur=bool(ix.rail_spur[i]), dist_rail_m=opt(ix.d_rail),
            dist_road_m=opt(ix.d_road), dist_airport_m=opt(ix.d_airport),
            available_from=dt.date.fromordinal(int(ix.avail[i])) if ix.avail[i] else None,
        )


class Positions(Mapping):
    """Plot id → position in the index, read from the sorted id column (no dict per plot)."""

    def __init__(self, ids: np.ndarray):
        self._ids = ids

    def __getitem__(self, plot_id: int) -> int:
        i = int(np.searchsorted(self._ids, plot_id))
        if i < self._ids.size and self._ids[i] == plot_id:
            return i
        raise KeyError(plot_id)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids.tolist())

    def __len__(self) -> int:
        return self._ids.size


class MatchIndex:
    """Everything about the dataset that does not depend on the request."""

    def __init__(
        self,
        *,
        zones: list[ZoneIn],
        plots: list[PlotIn] | PlotColumns,
        sources: list[SourceIn],
        upgrades: list[UpgradeIn],
        lines: list[LineLink],
        max_connection_m: float = 10_000.0,
    ):
        self.max_connection_m = float(max_connection_m)
        self.zones = sorted(zones, key=lambda z: z.id)
        self.zone_pos = {z.id: i for i, z in enumerate(self.zones)}
        self.sources = sorted(sources, key=lambda s: s.id)
        self.source_pos = {s.id: i for i, s in enumerate(self.sources)}
        self.source_tariff = np.array([s.tariff_kzt for s in self.sources], dtype=float)
        self.sources_of_kind: dict[str, list[int]] = {}
        for i, s in enumerate(self.sources):
            self.sources_of_kind.setdefault(s.kind, []).append(i)
        self.upgrades: dict[int, list[UpgradeIn]] = {}
        for u in sorted(upgrades, key=lambda u: (u.completion, u.id)):
            if u.source_id in self.source_pos and u.capacity_added > 0:
                self.upgrades.setdefault(u.source_id, []).append(u)
        geometry = self._plots(plots if isinstance(plots, PlotColumns) else PlotColumns.of(plots))
        self.admin_days = np.array([z.admin_procedure_days for z in self.zones], dtype=np.int64)

        # Lines: keep those whose source is known and of the same kind.
        self.lines = sorted(
            (ln for ln in lines if ln.source_id in self.source_pos
             and self.sources[self.source_pos[ln.source_id]].kind == ln.kind),
            key=lambda ln: ln.id,
        )
        self.line_pos = {ln.id: i for i, ln in enumerate(self.lines)}
        self.line_fixed = np.array([ln.fixed_cost_kzt for ln in self.lines], dtype=float)
        self.line_perkm = np.array([ln.cost_per_km_kzt for ln in self.lines], dtype=float)
        self.line_lead = np.array([ln.lead_days for ln in self.lines], dtype=np.int64)
        self.line_done = np.array([_ord(ln.completion, 0) for ln in self.lines], dtype=np.int64)
        self.group_keys = sorted({(self.source_pos[ln.source_id], ln.status)
                                  for ln in self.lines})
        groups = {key: gi for gi, key in enumerate(self.group_keys)}
        self.group_source = np.array([g[0] for g in self.group_keys], dtype=np.int64)
        line_group = np.array([groups[self.source_pos[ln.source_id], ln.status]
                               for ln in self.lines], dtype=np.int64)
        group_zone = np.array([self.zone_pos.get(self.sources[s].zone_id, -1)
                               for s, _ in self.group_keys], dtype=np.int64)
        line_geometry = np.empty(len(self.lines), dtype=object)
        line_geometry[:] = [ln.geometry for ln in self.lines]
        plot_i, grp, line, dist = nearest_lines(geometry, self.plot_zone, line_geometry,
                                                line_group, group_zone, self.max_connection_m)
        kind_of_group = np.array([KINDS.index(self.sources[s].kind) for s, _ in self.group_keys],
                                 dtype=np.int64)
        self.pairs: dict[str, dict[str, np.ndarray]] = {}
        for k, kind in enumerate(KINDS):
            mine = kind_of_group[grp] == k
            self.pairs[kind] = self._pairs(plot_i[mine], grp[mine], line[mine], dist[mine])

    def _plots(self, cols: PlotColumns) -> np.ndarray:
        """Take the plots' columns in id order; return their geometries (not kept)."""
        order = np.argsort(cols.id, kind="stable")
        self.size = int(order.size)
        self.plot_id = cols.id[order]
        self.plot_pos = Positions(self.plot_id)
        self.plots = PlotRows(self)
        self.plot_code = [cols.code[i] for i in order.tolist()]
        zone_ids = np.array([z.id for z in self.zones], dtype=np.int64)
        zone_id = cols.zone_id[order]
        zone = np.searchsorted(zone_ids, zone_id)
        known = zone < zone_ids.size
        known[known] = zone_ids[zone[known]] == zone_id[known]
        if not known.all():
            raise KeyError(f"plot zones not among the zones: {set(zone_id[~known].tolist())}")
        self.plot_zone = zone.astype(np.int64)
        names, code = np.unique(np.array(cols.status, dtype=object)[order].astype(str),
                                return_inverse=True)
        self.status_names, self.status_code = names.tolist(), code.astype(np.int64)
        self.published = self.status_code == (self.status_names.index(STATUS_OK)
                                              if STATUS_OK in self.status_names else -1)
        self.area = cols.area_ha[order].astype(float)
        self.hazard_max = cols.hazard_class_max[order].astype(np.int64)
        self.lease = cols.lease_price_kzt_ha_year[order].astype(float)
        self.sale = cols.sale_price_kzt[order].astype(float)
        self.free_use = cols.free_use[order].astype(bool)
        self.rail_spur = cols.rail_spur[order].astype(bool)
        self.d_rail = cols.dist_rail_m[order].astype(float)
        self.d_road = cols.dist_road_m[order].astype(float)
        self.d_airport = cols.dist_airport_m[order].astype(float)
        self.avail = cols.available_from[order].astype(np.int64)
        self.plot_sectorset = cols.sectorset[order].astype(np.int64)
        self.sectorsets = list(cols.sectorsets)
        return cols.geometry[order]

    def _pairs(self, plot_i: np.ndarray, grp: np.ndarray, line: np.ndarray,
               dist: np.ndarray) -> dict[str, np.ndarray]:
        """One kind's options, sorted by plot then line, with a segment per plot; positions
        and days as int32 (a million options or more at 100,000 plots)."""
        seg_plot, seg_start = np.unique(plot_i, return_index=True)
        small = np.int32
        return {
            "plot": plot_i.astype(small), "group": grp.astype(small), "line": line.astype(small),
            "dist": dist, "cost": connection_cost(self.line_fixed[line], self.line_perkm[line], dist),
            "lead": self.line_lead[line].astype(small), "done": self.line_done[line].astype(small),
            "seg_plot": seg_plot, "seg_start": seg_start,
            "seg_len": np.diff(np.append(seg_start, plot_i.size)),
        }

    def status_mask(self, statuses: tuple[str, ...]) -> np.ndarray:
        """Plots (in index order) whose status is one of ``statuses``."""
        codes = [i for i, name in enumerate(self.status_names) if name in statuses]
        return np.isin(self.status_code, codes)

    def source_ready(self, source_pos: int, need: float, today_ord: int) -> int:
        """Day ordinal from which the source can supply ``need`` more, or NEVER."""
        s = self.sources[source_pos]
        free = s.free
        if free >= need:
            return today_ord
        for u in self.upgrades.get(s.id, []):
            free = ledger_sum(free, u.capacity_added)
            if free >= need:
                return max(today_ord, u.completion.toordinal())
        return NEVER

    def segment(self, kind: str, plot_pos: int) -> slice:
        """The options (pairs) of the plot at ``plot_pos`` for ``kind``, as a slice."""
        p = self.pairs[kind]
        seg = int(np.searchsorted(p["seg_plot"], plot_pos))
        if seg >= p["seg_plot"].size or p["seg_plot"][seg] != plot_pos:
            return slice(0, 0)
        lo = int(p["seg_start"][seg])
        return slice(lo, lo + int(p["seg_len"][seg]))
