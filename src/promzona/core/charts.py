"""Small charts drawn from plain data: laid out once as shapes, rendered as SVG for the pages
and as a reportlab drawing for the PDF reports, so both show the same picture.

The caller passes every word (this module never translates) and the language the numbers are
written in (``lang``: grouping and decimal mark as :mod:`promzona.core.formats` writes them).
In SVG, text is escaped and a shape with ``href`` becomes a link to the list behind it; the
markup uses presentation attributes only (no ``style``, no script), as the site's
Content-Security-Policy requires.

>>> c = bars("Plots", [Bar("free", 3.0, "/x"), Bar("taken", 1.0)], unit="ha")
>>> svg(c).count("<a ")  # the label and the bar of "free"
2
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from promzona.core import formats

INK = "#1d2733"
GRID = "#d9dee4"
MUTED = "#5b6775"
PALETTE = ("#0b5cad", "#e67e22", "#1a9850", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")
ALERT = "#c0392b"
FONT_SIZE = 11


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    href: str = ""
    tip: str = ""
    stroke: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline, from the top
    text: str
    size: float = FONT_SIZE
    anchor: str = "start"  # start, middle, end
    fill: str = INK
    bold: bool = False
    href: str = ""


@dataclass(frozen=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str = GRID
    width: float = 1.0
    dash: bool = False


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str
    tip: str = ""
    href: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    width: float
    height: float
    shapes: tuple[Rect | Text | Line | Dot, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    href: str = ""
    colour: str = ""
    note: str = ""  # printed after the value


@dataclass(frozen=True)
class Meter:
    """A whole and the part of it used (a source's capacity and what is committed)."""

    label: str
    whole: float
    part: float
    href: str = ""
    alert: bool = False
    note: str = ""


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:chars - 1] + "…"


def _digits(values: Sequence[float]) -> int:
    """Whole numbers print without decimals; anything else with two."""
    return 0 if all(float(v).is_integer() for v in values) else 2


def bars(title: str, items: Sequence[Bar], *, unit: str = "", width: float = 560,
         label_w: float = 170, lang: str = formats.DEFAULT) -> Chart:
    """Horizontal bars, one per item, the value printed at the end of each."""
    row, top = 22, 8
    height = top + row * max(len(items), 1) + 6
    top_value = max((b.value for b in items), default=0.0) or 1.0
    room = width - label_w - (200 if any(b.note for b in items) else 110)
    digits = _digits([b.value for b in items])
    shapes: list = []
    for i, b in enumerate(items):
        y = top + i * row
        shapes.append(Text(label_w - 6, y + 14, _clip(b.label, 28), anchor="end", href=b.href))
        w = max(room * max(b.value, 0.0) / top_value, 0.0)
        colour = b.colour or PALETTE[0]
        value = formats.number(b.value, lang, digits=digits)
        tip = f"{b.label}: {value} {unit}".strip()
        shapes.append(Rect(label_w, y + 3, max(w, 1.0), 14, colour, href=b.href, tip=tip))
        text = f"{value} {unit}".strip() + (f" · {b.note}" if b.note else "")
        shapes.append(Text(label_w + w + 5, y + 14, text, fill=MUTED))
    return Chart(title, width, height, tuple(shapes))


def meters(title: str, items: Sequence[Meter], *, width: float = 560,
           label_w: float = 120, lang: str = formats.DEFAULT) -> Chart:
    """For each item a bar of its whole, filled to the part used; red where ``alert``."""
    row, top = 24, 8
    height = top + row * max(len(items), 1) + 6
    room = width - label_w - 170
    shapes: list = []
    for i, m in enumerate(items):
        y = top + i * row
        share = 0.0 if m.whole <= 0 else min(max(m.part / m.whole, 0.0), 1.0)
        colour = ALERT if m.alert else PALETTE[0]
        shapes.append(Text(label_w - 6, y + 15, _clip(m.label, 16), anchor="end", href=m.href,
                           fill=ALERT if m.alert else INK, bold=m.alert))
        part, whole = (formats.figure(v, "qty", lang) for v in (m.part, m.whole))
        tip = f"{m.label}: {part} / {whole} {m.note}".strip()
        shapes.append(Rect(label_w, y + 4, room, 14, "#e8edf3", href=m.href, tip=tip,
                           stroke=colour))
        if share > 0:
            shapes.append(Rect(label_w, y + 4, room * share, 14, colour, href=m.href, tip=tip))
        shapes.append(Text(label_w + room + 6, y + 15,
                           f"{share * 100:.0f}% · {m.note}".strip(" ·"), fill=MUTED))
    return Chart(title, width, height, tuple(shapes))


def columns(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
            *, hrefs: Sequence[str] = (), width: float = 560, height: float = 220,
            lang: str = formats.DEFAULT) -> Chart:
    """Grouped columns: one group per category, one column per series, with a legend."""
    left, bottom, top = 86, 36, 24
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max((v for _n, vs in series for v in vs), default=0.0) or 1.0
    scale = _nice(peak)
    shapes: list = _y_axis(left, top, plot_w, plot_h, scale, lang=lang)
    group = plot_w / max(len(categories), 1)
    col = group * 0.8 / max(len(series), 1)
    for c, name in enumerate(categories):
        x0 = left + c * group + group * 0.1
        href = hrefs[c] if c < len(hrefs) else ""
        for s, (label, values) in enumerate(series):
            v = values[c] if c < len(values) else 0.0
            h = plot_h * max(v, 0.0) / scale
            shapes.append(Rect(x0 + s * col, top + plot_h - h, max(col - 2, 1), h,
                               PALETTE[s % len(PALETTE)], href=href,
                               tip=f"{name} · {label}: {formats.number(v, lang)}"))
        shapes.append(Text(x0 + group * 0.4, height - bottom + 14, _clip(name, 12),
                           anchor="middle", size=10))
    shapes += _legend([n for n, _v in series], left, height - 8)
    return Chart(title, width, height, tuple(shapes))


def lines(title: str, x_labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
          *, percent: bool = False, width: float = 560, height: float = 200,
          lang: str = formats.DEFAULT) -> Chart:
    """One line per series over the ``x_labels`` (months), with dots and a legend."""
    left, bottom, top = 86, 36, 16
    plot_w, plot_h = width - left - 16, height - bottom - top
    peak = max((v for _n, vs in series for v in vs), default=0.0)
    scale = 1.0 if percent and peak <= 1.0 else _nice(peak or 1.0)
    shapes: list = _y_axis(left, top, plot_w, plot_h, scale, percent=percent, lang=lang)
    n = max(len(x_labels), 1)
    step = plot_w / max(n - 1, 1)
    every = max(1, math.ceil(n / 7))
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            shapes.append(Text(left + i * step, height - bottom + 14, label, size=10,
                               anchor="end" if i == n - 1 and n > 1 else "middle"))
    for s, (name, values) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        points = tuple((left + i * step, top + plot_h * (1 - max(v, 0.0) / scale))
                       for i, v in enumerate(values))
        if len(points) > 1:
            shapes.append(Line(points, stroke=colour, width=2))
        for (x, y), label, v in zip(points, x_labels, values, strict=False):
            shown = formats.figure(v, "share", lang) if percent else \
                formats.number(v, lang, digits=_digits([v]))
            shapes.append(Dot(x, y, 3, colour, tip=f"{name}, {label}: {shown}"))
    shapes += _legend([n for n, _v in series], left, height - 6)
    return Chart(title, width, height, tuple(shapes))


def _nice(peak: float) -> float:
    """The round number just above ``peak`` (1, 2 or 5 times a power of ten)."""
    power = 10 ** math.floor(math.log10(peak))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= peak)


def _y_axis(left, top, plot_w, plot_h, scale, *, percent=False, lang=formats.DEFAULT) -> list:
    out: list = []
    for k in range(5):
        value = scale * k / 4
        y = top + plot_h * (1 - k / 4)
        out.append(Line(((left, y), (left + plot_w, y))))
        label = f"{value * 100:.0f}%" if percent else _short(value, lang)
        out.append(Text(left - 6, y + 4, label, anchor="end", size=9, fill=MUTED))
    return out


def _short(value: float, lang: str) -> str:
    """An axis label: whole numbers grouped, fractions with the decimals they have.

    >>> _short(2_500_000_000.0, "en"), _short(0.25, "ru")
    ('2,500,000,000', '0,25')
    """
    return formats.number(value, lang, digits=6, trim=True)


def _legend(names: Sequence[str], x: float, y: float) -> list:
    out: list = []
    for i, name in enumerate(names):
        out.append(Rect(x, y - 9, 10, 10, PALETTE[i % len(PALETTE)]))
        out.append(Text(x + 14, y, _clip(name, 30), size=10))
        x += 24 + 6.5 * min(len(name), 30)
    return out


# --- renderers -----------------------------------------------------------------------------


def _local(href: str) -> bool:
    """Links stay on the site (paths of our own lists); anything else is not a link."""
    return href.startswith(("/", "?")) and not href.startswith("//")


def svg(chart: Chart) -> str:
    """The chart as one ``<svg>`` element, titled, links where given: ``role="img"`` without
    links, ``role="group"`` with them (links inside an image are lost to screen readers)."""
    linked = any(_local(getattr(s, "href", "")) for s in chart.shapes)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
           f'role="{"group" if linked else "img"}" '
           f'width="{chart.width:g}" height="{chart.height:g}" '
           f'viewBox="0 0 {chart.width:g} {chart.height:g}" '
           f'font-family="DejaVu Sans, sans-serif" font-size="{FONT_SIZE}">',
           f"<title>{escape(chart.title)}</title>"]
    for s in chart.shapes:
        if isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}"' if s.stroke else ""
            tip = f"<title>{escape(s.tip)}</title>" if s.tip else ""
            mark = (f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" height="{s.h:.1f}" '
                    f'fill="{s.fill}"{stroke}>{tip}</rect>')
        elif isinstance(s, Text):
            weight = ' font-weight="bold"' if s.bold else ""
            mark = (f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size:g}" '
                    f'text-anchor="{s.anchor}" fill="{s.fill}"{weight}>{escape(s.text)}</text>')
        elif isinstance(s, Line):
            dash = ' stroke-dasharray="4 3"' if s.dash else ""
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in s.points)
            mark = (f'<polyline points="{pts}" fill="none" stroke="{s.stroke}" '
                    f'stroke-width="{s.width:g}"{dash}/>')
        else:
            tip = f"<title>{escape(s.tip)}</title>" if s.tip else ""
            mark = f'<circle cx="{s.x:.1f}" cy="{s.y:.1f}" r="{s.r:g}" fill="{s.fill}">{tip}</circle>'
        href = getattr(s, "href", "")
        out.append(f"<a href={quoteattr(href)}>{mark}</a>" if _local(href) else mark)
    out.append("</svg>")
    return "".join(out)


def drawing(chart: Chart, *, font: str, bold_font: str, scale: float = 1.0):
    """The chart as a reportlab ``Drawing`` (y grows upwards there), ``scale``d."""
    from reportlab.graphics.shapes import Circle, Drawing, Group, PolyLine, String
    from reportlab.graphics.shapes import Rect as RLRect
    from reportlab.lib import colors

    h = chart.height
    group = Group()
    for s in chart.shapes:
        if isinstance(s, Rect):
            group.add(RLRect(s.x, h - s.y - s.h, s.w, s.h, fillColor=colors.HexColor(s.fill),
                             strokeColor=colors.HexColor(s.stroke) if s.stroke else None,
                             strokeWidth=0.6))
        elif isinstance(s, Text):
            group.add(String(s.x, h - s.y, s.text, fontName=bold_font if s.bold else font,
                             fontSize=s.size, fillColor=colors.HexColor(s.fill),
                             textAnchor=s.anchor))
        elif isinstance(s, Line):
            group.add(PolyLine([c for x, y in s.points for c in (x, h - y)],
                               strokeColor=colors.HexColor(s.stroke), strokeWidth=s.width,
                               strokeDashArray=[4, 3] if s.dash else None))
        else:
            group.add(Circle(s.x, h - s.y, s.r, fillColor=colors.HexColor(s.fill),
                             strokeColor=None))
    group.scale(scale, scale)
    d = Drawing(chart.width * scale, chart.height * scale)
    d.add(group)
    return d
