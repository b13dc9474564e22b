"""The answer of ``GET /api/kpi`` (a contract: keys are added, never removed or renamed), also
what snapshots store and what the XLSX report lists."""

from __future__ import annotations

from typing import Any

from promzona.core import kpi


def _money(value: float) -> float:
    return round(value, 2) + 0.0


def _share(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def kpi_json(f: kpi.Figures, *, zone: str | None, bodies: dict[int, str]) -> dict[str, Any]:
    """The answer of ``/api/kpi`` for the figures ``f``."""
    inv, ins = f.investment, f.instructions

    def by_body(counts: dict[int, int]) -> list[dict[str, Any]]:
        return [{"id": pk, "name": bodies.get(pk, ""), "overdue": n} for pk, n in counts.items()]

    return {
        "zone": zone, "as_of": f.as_of,
        "plots": {"count_by_status": f.land.count_by_status,
                  "area_ha_by_status": f.land.area_ha_by_status,
                  "count": f.land.count, "area_ha": round(f.land.area_ha, 4)},
        "occupancy_share": round(f.land.occupancy_share, 4),
        "capacity": [{
            "source": s.code, "kind": s.kind, "unit": s.unit, "zone": s.zone,
            "capacity": s.capacity, "committed": s.committed, "free": s.free,
            "near_exhaustion": s.near_exhaustion,
            "upgrades": [{"name": u.name, "capacity_added": u.capacity_added,
                          "planned_completion": u.planned_completion, "status": u.status}
                         for u in s.upgrades],
        } for s in f.sources],
        "investment_kzt": {
            "planned": _money(inv.total.planned), "actual": _money(inv.total.actual),
            "projects": inv.total.projects,
            "by_year": [{"year": y, "planned": _money(p.planned), "actual": _money(p.actual),
                         "planned_jobs": p.planned_jobs, "actual_jobs": p.actual_jobs}
                        for y, p in inv.by_year.items()],
            "by_direction": [{"direction": d, "planned": _money(p.planned),
                              "actual": _money(p.actual), "planned_jobs": p.planned_jobs,
                              "actual_jobs": p.actual_jobs, "projects": p.projects}
                             for d, p in inv.by_direction.items()],
        },
        "jobs": {"planned": inv.total.planned_jobs, "actual": inv.total.actual_jobs},
        "instructions": {"open": ins.open, "overdue": ins.overdue,
                         "closed_on_time": ins.closed_on_time, "closed_late": ins.closed_late,
                         "off_control": ins.off_control,
                         "overdue_by_executor": by_body(ins.overdue_by_executor),
                         "overdue_by_issuer": by_body(ins.overdue_by_issuer)},
        "works": {"total": f.works.total, "late": f.works.late,
                  "on_schedule": f.works.on_schedule, "by_status": f.works.by_status,
                  "spi": _share(f.works.spi), "cpi": _share(f.works.cpi)},
        "funnel": {**f.funnel.counts,
                   "conversion": {k: _share(v) for k, v in f.funnel.conversion.items()},
                   "median_days": f.funnel.median_days},
    }
