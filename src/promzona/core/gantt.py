"""A timeline (Gantt chart) as SVG markup, drawn from plain data on the server.

Each row is a bar from its planned start to its planned finish, filled to the share done, with
the baseline drawn thin underneath when it differs, and diamonds for milestones (filled when
done, red when overdue). A vertical line marks ``today``. Text is escaped; the caller passes
every word (the module never translates).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from .language import written_in


@dataclass(frozen=True)
class Marker:
    on: dt.date
    label: str
    done: bool = False
    overdue: bool = False


@dataclass(frozen=True)
class Row:
    label: str
    start: dt.date | None = None
    finish: dt.date | None = None
    baseline: tuple[dt.date, dt.date] | None = None
    done_share: float = 0.0
    late: bool = False
    href: str = ""
    markers: tuple[Marker, ...] = field(default_factory=tuple)


LABEL_W = 260
ROW_H = 26
AXIS_H = 34
COLOURS = {"bar": "#9cc3e6", "done": "#0b5cad", "late": "#c0392b", "base": "#5b6775",
           "today": "#e67e22", "grid": "#d9dee4", "text": "#1d2733", "ok": "#1a9850"}


def _span(rows: list[Row], today: dt.date) -> tuple[dt.date, dt.date]:
    dates = [today]
    for r in rows:
        dates += [d for d in (r.start, r.finish) if d]
        dates += list(r.baseline or ())
        dates += [m.on for m in r.markers]
    lo, hi = min(dates), max(dates)
    lo = dt.date(lo.year, lo.month, 1)
    hi = dt.date(hi.year + (hi.month == 12), hi.month % 12 + 1, 1)
    return lo, hi


def _months(lo: dt.date, hi: dt.date) -> list[dt.date]:
    out, d = [], lo
    while d <= hi:
        out.append(d)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def render(rows: list[Row], *, today: dt.date, title: str, today_label: str,
           width: int = 1100) -> str:
    """The chart as one ``<svg>`` element, titled; a ``group``, not an image, for its rows
    link to their works and projects."""
    lo, hi = _span(rows, today)
    days = max((hi - lo).days, 1)
    plot_w = width - LABEL_W - 10
    height = AXIS_H + ROW_H * max(len(rows), 1) + 10

    def x(d: dt.date) -> float:
        return round(LABEL_W + plot_w * (d - lo).days / days, 1)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" role="group" '
           f'aria-label={quoteattr(title)} '
           f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="DejaVu Sans, sans-serif" font-size="12">',
           f"<title>{escape(title)}</title>"]
    months = _months(lo, hi)
    step = max(1, len(months) // 12)  # at most about 12 labels on the axis
    for i, m in enumerate(months):
        out.append(f'<line x1="{x(m)}" y1="{AXIS_H - 6}" x2="{x(m)}" y2="{height}" '
                   f'stroke="{COLOURS["grid"]}"/>')
        if i % step == 0 and x(m) + 60 < width:
            out.append(f'<text x="{x(m) + 2}" y="{AXIS_H - 12}" fill="{COLOURS["text"]}">'
                       f"{m:%Y-%m}</text>")
    for i, r in enumerate(rows):
        y = AXIS_H + i * ROW_H
        label = escape(r.label if len(r.label) <= 34 else r.label[:33] + "…")
        lang = written_in(r.label)  # a name as typed: its language said (WCAG 3.1.2)
        lang_attr = f" lang={quoteattr(lang)}" if lang else ""
        text = f'<text x="4" y="{y + 17}" fill="{COLOURS["text"]}"{lang_attr}>{label}</text>'
        out.append(f"<a href={quoteattr(r.href)}>{text}</a>" if r.href else text)
        if r.baseline and (r.baseline[0], r.baseline[1]) != (r.start, r.finish):
            b0, b1 = r.baseline
            out.append(f'<rect class="baseline" x="{x(b0)}" y="{y + 20}" '
                       f'width="{max(x(b1) - x(b0), 1)}" height="3" fill="{COLOURS["base"]}"/>')
        if r.start and r.finish:
            x0, x1 = x(r.start), x(r.finish)
            w = max(x1 - x0, 2)
            share = min(max(r.done_share, 0.0), 1.0)
            edge = (f'stroke="{COLOURS["late"]}" stroke-width="2"' if r.late
                    else f'stroke="{COLOURS["done"]}"')
            out.append(f'<g class="bar"{lang_attr}><title>{label}: {r.start} – {r.finish}, '
                       f"{share * 100:.0f}%</title>"
                       f'<rect x="{x0}" y="{y + 5}" width="{w}" height="14" rx="2" '
                       f'fill="{COLOURS["bar"]}" {edge}/>'
                       f'<rect x="{x0}" y="{y + 5}" width="{round(w * share, 1)}" height="14" '
                       f'rx="2" fill="{COLOURS["done"]}"/></g>')
        for m in r.markers:
            cx, cy = x(m.on), y + 12
            colour = COLOURS["late"] if m.overdue else COLOURS["ok"] if m.done else "#fff"
            out.append(f'<g class="milestone"><title>{escape(m.label)}: {m.on}</title>'
                       f'<path d="M{cx} {cy - 7} L{cx + 7} {cy} L{cx} {cy + 7} L{cx - 7} {cy} Z" '
                       f'fill="{colour}" stroke="{COLOURS["text"]}"/></g>')
    tx = x(today)
    out.append(f'<line class="today" x1="{tx}" y1="{AXIS_H - 6}" x2="{tx}" y2="{height}" '
               f'stroke="{COLOURS["today"]}" stroke-width="2"/>'
               f'<text x="{tx + 3}" y="{AXIS_H - 1}" fill="{COLOURS["today"]}">'
               f"{escape(today_label)} {today}</text>")
    out.append("</svg>")
    return "".join(out)
