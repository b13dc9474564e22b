"""The server-side timeline: well-formed SVG, bars where the dates say, text escaped."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from promzona.core.gantt import LABEL_W, Marker, Row, render

pytestmark = pytest.mark.nodb
D = dt.date
NS = {"s": "http://www.w3.org/2000/svg"}


JUNE = D(2026, 6, 1)


def parse(svg: str):
    return ET.fromstring(svg)  # noqa: S314 - our own output, under test


def _svg(rows, today=JUNE):
    return parse(render(rows, today=today, title="Works <&>", today_label="today"))


def test_bars_are_placed_by_date_and_filled_by_share_done():
    root = _svg([Row("A", D(2026, 1, 1), D(2026, 12, 31), done_share=0.25),
                 Row("B", D(2026, 7, 1), D(2026, 12, 31), done_share=0.0)])
    bars = root.findall(".//s:g[@class='bar']", NS)
    assert len(bars) == 2
    outer, inner = bars[0].findall("s:rect", NS)
    assert float(outer.get("x")) == LABEL_W  # the axis starts on the first month of the data
    assert float(inner.get("width")) == pytest.approx(float(outer.get("width")) * 0.25, abs=0.1)
    b_outer = bars[1].findall("s:rect", NS)[0]
    assert float(b_outer.get("x")) > float(outer.get("x"))


def test_late_rows_are_outlined_in_red_and_a_moved_baseline_is_drawn():
    root = _svg([Row("A", D(2026, 1, 1), D(2027, 3, 1), baseline=(D(2026, 1, 1), D(2026, 12, 31)),
                     late=True)])
    outer = root.findall(".//s:g[@class='bar']/s:rect", NS)[0]
    assert outer.get("stroke") == "#c0392b" and outer.get("stroke-width") == "2"
    assert len(root.findall(".//s:rect[@class='baseline']", NS)) == 1
    same = _svg([Row("A", D(2026, 1, 1), D(2026, 12, 31), baseline=(D(2026, 1, 1), D(2026, 12, 31)))])
    assert same.findall(".//s:rect[@class='baseline']", NS) == []


def test_milestones_are_diamonds_coloured_by_state():
    root = _svg([Row("P", markers=(Marker(D(2026, 2, 1), "design", done=True),
                                   Marker(D(2026, 3, 1), "permits", overdue=True),
                                   Marker(D(2026, 9, 1), "start")))])
    fills = [p.get("fill") for p in root.findall(".//s:g[@class='milestone']/s:path", NS)]
    assert fills == ["#1a9850", "#c0392b", "#fff"]


def test_text_is_escaped_and_links_kept():
    svg = render([Row('<script>alert(1)</script>"', D(2026, 1, 1), D(2026, 2, 1), href="/works/1/")],
                 today=D(2026, 1, 15), title="T", today_label="today")
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find(".//s:a", NS).get("href") == "/works/1/"


def test_today_line_is_drawn_even_without_rows():
    root = _svg([])
    assert root.find(".//s:line[@class='today']", NS) is not None
