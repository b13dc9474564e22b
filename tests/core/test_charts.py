"""Charts drawn from plain data: the same shapes as SVG (links, escaped text, no styles) and as
a reportlab drawing."""

import doctest
import re

import pytest

from promzona.core import charts as c

pytestmark = pytest.mark.nodb


def test_a_bar_links_to_its_list_and_prints_its_value():
    svg = c.svg(c.bars("Land", [c.Bar("free", 12.5, "/list/free?x=1&y=2"), c.Bar("taken", 2.0)],
                       unit="ha", lang="en"))
    assert svg.count('<a href="/list/free?x=1&amp;y=2">') == 2  # the label and the bar
    assert "12.50 ha" in svg and "2.00 ha" in svg
    # Links inside an image are lost to screen readers (axe: nested-interactive).
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="group"')
    assert "<title>Land</title>" in svg


def test_a_chart_without_links_is_an_image():
    svg = c.svg(c.bars("Land", [c.Bar("free", 12.5), c.Bar("taken", 2.0, "javascript:x")]))
    assert '<a ' not in svg and 'role="img"' in svg


def test_text_from_data_is_escaped_and_no_style_or_script_is_written():
    hostile = '<script>alert(1)</script>" onload="x'
    svg = c.svg(c.bars(hostile, [c.Bar(hostile, 1.0, 'javascript:"x"')]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert not re.search(r"<[^>]*\sonload=|\sstyle=|<style|<script|javascript:", svg)


def test_only_links_on_the_site_are_written():
    svg = c.svg(c.bars("t", [c.Bar("a", 1.0, "https://evil.example/"), c.Bar("b", 1.0, "//x.example"),
                             c.Bar("c", 1.0, "/dashboard/list/plots/draft/")]))
    assert svg.count("<a ") == 2 and "evil" not in svg.split("<title>")[0]
    assert '<a href="/dashboard/list/plots/draft/">' in svg


def test_bar_lengths_are_proportional_to_the_values():
    chart = c.bars("t", [c.Bar("a", 10.0), c.Bar("b", 5.0)])
    widths = [s.w for s in chart.shapes if isinstance(s, c.Rect)]
    assert widths[0] == pytest.approx(2 * widths[1])


def test_a_meter_is_red_where_it_alerts_and_filled_to_its_share():
    chart = c.meters("cap", [c.Meter("PS-1", 100.0, 95.0, alert=True), c.Meter("PS-2", 100.0, 25.0)])
    fills = [s for s in chart.shapes if isinstance(s, c.Rect) and s.fill != "#e8edf3"]
    assert fills[0].fill == c.ALERT and fills[1].fill == c.PALETTE[0]
    assert fills[0].w == pytest.approx(fills[1].w * 95 / 25)


def test_lines_put_higher_values_higher_and_percent_axes_end_at_100():
    chart = c.lines("t", ["2026-01", "2026-02"], [("occ", [0.2, 0.6])], percent=True)
    dots = [s for s in chart.shapes if isinstance(s, c.Dot)]
    assert dots[1].y < dots[0].y
    assert any(isinstance(s, c.Text) and s.text == "100%" for s in chart.shapes)


def test_the_drawing_has_the_same_words_as_the_svg():
    from reportlab.graphics.shapes import String

    from promzona.core.pdf_fonts import FONT, FONT_BOLD, register_fonts

    register_fonts()
    chart = c.columns("Инвестиции", ["2025", "2026"], [("план", [1.0, 2.0]), ("факт", [1.0, 0.5])])
    drawing = c.drawing(chart, font=FONT, bold_font=FONT_BOLD, scale=0.5)
    words = {s.text for g in drawing.contents for s in g.contents if isinstance(s, String)}
    assert {"2025", "2026", "план", "факт"} <= words
    assert drawing.width == chart.width * 0.5


def test_doctests():
    assert doctest.testmod(c).failed == 0


def _words(chart: c.Chart) -> list[str]:
    return [getattr(s, "tip", "") or getattr(s, "text", "") for s in chart.shapes]


@pytest.mark.parametrize(("lang", "written"), [("en", "13,670"), ("ru", "13\u00a0670"),
                                              ("kk", "13\u00a0670")])
def test_a_meter_tip_writes_its_numbers_as_the_language_does(lang, written):
    chart = c.meters("cap", [c.Meter("PS-2", 16000.0, 13670.0, note="free")], lang=lang)
    tips = {s.tip for s in chart.shapes if isinstance(s, c.Rect)}
    assert tips == {f"PS-2: {written} / {'16,000' if lang == 'en' else '16' + chr(160) + '000'} free"}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_chart_number_is_written_by_the_language_never_with_a_bare_point(lang):
    charts = [c.bars("b", [c.Bar("x", 12345.5), c.Bar("y", 2.0)], lang=lang),
              c.meters("m", [c.Meter("x", 12345.5, 2345.25)], lang=lang),
              c.columns("c", ["2026"], [("p", [12345.5])], lang=lang),
              c.lines("l", ["2026-01", "2026-02"], [("p", [12345.5, 0.5])], lang=lang),
              c.lines("s", ["2026-01", "2026-02"], [("p", [0.125, 0.5])], percent=True, lang=lang)]
    words = " | ".join(w for chart in charts for w in _words(chart))
    grouped = "12,345" if lang == "en" else "12\u00a0345"
    assert words.count(grouped) >= 4  # bar, meter, column and dot tips
    assert "12 345" not in words and "12345" not in words  # the old, plain writing
    if lang != "en":
        assert "." not in words.replace("2026-0", "")  # a decimal comma everywhere
        assert "12,5" in words  # the percent of a dot, with its decimal comma
