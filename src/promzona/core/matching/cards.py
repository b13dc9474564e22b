"""The figures of a result card, as plain data: the cost-breakdown bar and the readiness timeline.

Positions are percentages of the drawing's width (0–100), so a page can draw them as SVG
without knowing dates or money; the numbers come from the engine's result unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The parts of the cost of location, in the order they are drawn.
COST_PARTS = (("land", "land_kzt"), ("connections", "connections_kzt"),
              ("utilities", "utilities_kzt"))


@dataclass(frozen=True)
class Segment:
    key: str  # land | connections | utilities
    amount_kzt: float
    x: float  # percent from the left
    width: float  # percent


def cost_bar(breakdown: dict[str, float]) -> list[Segment]:
    """The positive parts of the cost breakdown side by side, widths in proportion.

    >>> [(s.key, s.x, s.width) for s in cost_bar(
    ...     {"land_kzt": 25.0, "connections_kzt": 0.0, "utilities_kzt": 75.0})]
    [('land', 0.0, 25.0), ('utilities', 25.0, 75.0)]
    """
    parts = [(key, float(breakdown.get(field) or 0.0)) for key, field in COST_PARTS]
    parts = [(k, v) for k, v in parts if v > 0]
    total = sum(v for _k, v in parts)
    out, x = [], 0.0
    for key, amount in parts:
        width = round(amount / total * 100.0, 2)
        out.append(Segment(key=key, amount_kzt=amount, x=round(x, 2), width=width))
        x += width
    return out


@dataclass(frozen=True)
class Track:
    key: str  # a utility kind, "procedure" (the zone's administrative procedure) or "plot"
    ready_on: dt.date
    x: float  # percent of the axis where it is ready
    late: bool  # ready after the desired start


@dataclass(frozen=True)
class Timeline:
    first: dt.date  # today, the left end
    last: dt.date  # the right end
    tracks: list[Track]
    start_on: dt.date
    start_x: float
    desired_x: float | None
    ticks: list[float]  # the first day of each month, quarter or year on the axis


_TICK_MONTHS = (1, 2, 3, 6, 12, 24, 60)


def _month_starts(first: dt.date, last: dt.date, step: int) -> list[dt.date]:
    """The first days of the months after ``first`` up to ``last`` whose number (months since
    year 0) is a multiple of ``step``: every month, quarter, half-year, year..."""
    out = []
    index = first.year * 12 + first.month  # the month after first's, counted from 0
    while True:
        year, month = divmod(index, 12)
        d = dt.date(year, month + 1, 1)
        if d > last:
            return out
        if index % step == 0:
            out.append(d)
        index += 1


def timeline(*, today: dt.date, start_on: dt.date, ready: dict[str, dt.date],
             start_by: dt.date | None = None) -> Timeline:
    """When each thing the start waits for is ready, on one axis from ``today``.

    ``ready`` maps a track's key to its date; the axis ends a little after the latest of them,
    the start and the desired start.

    >>> t = timeline(today=dt.date(2027, 1, 1), start_on=dt.date(2027, 5, 1),
    ...              ready={"power": dt.date(2027, 5, 1)}, start_by=dt.date(2027, 3, 1))
    >>> t.tracks[0].late, t.start_x == t.tracks[0].x, t.desired_x < t.start_x
    (True, True, True)
    """
    last = max([start_on, *ready.values()] + ([start_by] if start_by else []))
    span = max((last - today).days, 30)
    last = today + dt.timedelta(days=span + max(span // 20, 1))
    width = (last - today).days

    def x(d: dt.date) -> float:
        return round(min(max((d - today).days / width, 0.0), 1.0) * 100.0, 2)

    tracks = [Track(key=k, ready_on=d, x=x(d), late=bool(start_by and d > start_by))
              for k, d in ready.items()]
    months = width / 30.4
    step = next((s for s in _TICK_MONTHS if months / s <= 8), _TICK_MONTHS[-1])
    return Timeline(
        first=today, last=last, tracks=tracks, start_on=start_on, start_x=x(start_on),
        desired_x=x(start_by) if start_by else None,
        ticks=[x(d) for d in _month_starts(today, last, step)],
    )
