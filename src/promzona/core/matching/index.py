"""The matcher's index: everything about the dataset that does not depend on the request.

Plot attributes as numpy arrays; lines grouped by (source, status); for every plot and group of
its zone within ``max_connection_m``, the distance to the group's nearest line (STRtree) and
the connection cost (fixed + per km × distance). These pairs are a plot's connection *options*;
:func:`promzona.core.connections.choose` picks the one that serves. Lines without a recorded
source are not options: their capacity cannot be checked.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely

from promzona.core.connections import NEVER, LineLink

from .data import PlotIn, SourceIn, UpgradeIn, ZoneIn
from .request import KINDS

STATUS_OK = "published"


def sector_within(sector: str, code: str) -> bool:
    """True when ``sector`` is ``code`` or a subdivision of it (OKED codes are prefixes)."""
    return sector == code or sector.startswith(code)


def _ord(d: dt.date | None, default: int) -> int:
    return d.toordinal() if d is not None else default


class MatchIndex:
    """Everything about the dataset that does not depend on the request."""

    def __init__(
        self,
        *,
        zones: list[ZoneIn],
        plots: list[PlotIn],
        sources: list[SourceIn],
        upgrades: list[UpgradeIn],
        lines: list[LineLink],
        max_connection_m: float = 10_000.0,
    ):
        self.max_connection_m = float(max_connection_m)
        self.zones = sorted(zones, key=lambda z: z.id)
        self.zone_pos = {z.id: i for i, z in enumerate(self.zones)}
        self.plots = sorted(plots, key=lambda p: p.id)
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
        P = len(self.plots)
        self.plot_pos = {p.id: i for i, p in enumerate(self.plots)}
        self.plot_id = np.array([p.id for p in self.plots], dtype=np.int64)
        self.plot_zone = np.array([self.zone_pos[p.zone_id] for p in self.plots], dtype=np.int64)
        self.published = np.array([p.status == STATUS_OK for p in self.plots], dtype=bool)
        self.area = np.array([p.area_ha for p in self.plots], dtype=float)
        self.hazard_max = np.array([p.hazard_class_max for p in self.plots], dtype=np.int64)

        def opt(vals):
            return np.array([np.nan if v is None else float(v) for v in vals], dtype=float)

        self.lease = opt(p.lease_price_kzt_ha_year for p in self.plots)
        self.sale = opt(p.sale_price_kzt for p in self.plots)
        self.free_use = np.array([p.free_use for p in self.plots], dtype=bool)
        self.rail_spur = np.array([p.rail_spur for p in self.plots], dtype=bool)
        self.d_rail = opt(p.dist_rail_m for p in self.plots)
        self.d_road = opt(p.dist_road_m for p in self.plots)
        self.d_airport = opt(p.dist_airport_m for p in self.plots)
        self.avail = np.array([_ord(p.available_from, 0) for p in self.plots], dtype=np.int64)
        sets: dict[tuple[str, ...], int] = {}
        self.plot_sectorset = np.array(
            [sets.setdefault(tuple(sorted(p.permitted_sectors)), len(sets)) for p in self.plots],
            dtype=np.int64,
        )
        self.sectorsets = list(sets)
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
        groups: dict[tuple[int, str], list[int]] = {}
        for i, ln in enumerate(self.lines):
            groups.setdefault((self.source_pos[ln.source_id], ln.status), []).append(i)
        self.group_keys = sorted(groups)
        self.group_source = np.array([g[0] for g in self.group_keys], dtype=np.int64)
        plots_of_zone: dict[int, np.ndarray] = {
            zi: np.flatnonzero(self.plot_zone == zi) for zi in range(len(self.zones))
        }
        geoms = np.array([p.geometry for p in self.plots], dtype=object)
        acc: dict[str, list[tuple[np.ndarray, ...]]] = {k: [] for k in KINDS}
        for gi, key in enumerate(self.group_keys):
            src = self.sources[key[0]]
            members = plots_of_zone.get(self.zone_pos.get(src.zone_id, -1))
            if members is None or members.size == 0:
                continue
            line_idx = np.array(groups[key], dtype=np.int64)
            tree = shapely.STRtree([self.lines[i].geometry for i in line_idx])
            (inp, hit), dist = tree.query_nearest(
                geoms[members], max_distance=self.max_connection_m, return_distance=True,
                all_matches=True,
            )
            # Equidistant lines: keep the lowest line index (hits come in any order).
            order = np.lexsort((line_idx[hit], inp))
            inp, hit, dist = inp[order], hit[order], dist[order]
            first = np.ones(inp.size, dtype=bool)
            first[1:] = inp[1:] != inp[:-1]
            acc[src.kind].append((members[inp[first]], np.full(first.sum(), gi, dtype=np.int64),
                                  line_idx[hit[first]], dist[first]))
        self.pairs: dict[str, dict[str, np.ndarray]] = {}
        for kind in KINDS:
            if acc[kind]:
                plot_i, grp, line, dist = (np.concatenate(c) for c in zip(*acc[kind], strict=True))
            else:
                plot_i = grp = line = np.zeros(0, dtype=np.int64)
                dist = np.zeros(0)
            order = np.lexsort((line, plot_i))
            plot_i, grp, line, dist = plot_i[order], grp[order], line[order], dist[order]
            seg_plot, seg_start = np.unique(plot_i, return_index=True)
            self.pairs[kind] = {
                "plot": plot_i, "group": grp, "line": line, "dist": dist,
                "cost": self.line_fixed[line] + self.line_perkm[line] * dist / 1000.0,
                "lead": self.line_lead[line], "done": self.line_done[line],
                "seg_plot": seg_plot, "seg_start": seg_start,
                "seg_len": np.diff(np.append(seg_start, plot_i.size)),
            }
        self.size = P

    def status_mask(self, statuses: tuple[str, ...]) -> np.ndarray:
        """Plots (in index order) whose status is one of ``statuses``."""
        return np.array([p.status in statuses for p in self.plots], dtype=bool)

    def source_ready(self, source_pos: int, need: float, today_ord: int) -> int:
        """Day ordinal from which the source can supply ``need`` more, or NEVER."""
        s = self.sources[source_pos]
        free = s.capacity - s.committed
        if free >= need:
            return today_ord
        for u in self.upgrades.get(s.id, []):
            free += u.capacity_added
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
