"""The result card's figures: the cost bar and the readiness timeline."""

from __future__ import annotations

import datetime as dt

import pytest

from promzona.core.matching.cards import cost_bar, timeline

pytestmark = pytest.mark.nodb
D = dt.date


def test_cost_bar_widths_are_in_proportion_and_fill_the_bar():
    bar = cost_bar({"land_kzt": 2_640_000.0, "connections_kzt": 4_700_000.0,
                    "utilities_kzt": 662_750_000.0, "incentives_kzt": -1_000_000.0})
    assert [s.key for s in bar] == ["land", "connections", "utilities"]
    assert bar[0].x == 0 and bar[1].x == bar[0].width
    assert bar[2].x == pytest.approx(bar[0].width + bar[1].width)
    assert sum(s.width for s in bar) == pytest.approx(100.0, abs=0.02)
    assert bar[2].width == pytest.approx(662_750_000 / 670_090_000 * 100, abs=0.01)
    assert bar[0].amount_kzt == 2_640_000.0


def test_cost_bar_leaves_out_empty_parts_and_draws_nothing_for_nothing():
    assert [s.key for s in cost_bar({"land_kzt": 0.0, "connections_kzt": 5.0})] == ["connections"]
    assert cost_bar({"land_kzt": 0.0, "connections_kzt": 0.0, "utilities_kzt": 0.0}) == []


def test_timeline_places_each_ready_date_and_flags_those_after_the_desired_start():
    t = timeline(today=D(2026, 11, 27), start_on=D(2027, 9, 23),
                 ready={"procedure": D(2027, 1, 11), "power": D(2027, 8, 24),
                        "water": D(2027, 7, 25)}, start_by=D(2027, 6, 1))
    x = {k.key: k.x for k in t.tracks}
    assert 0 < x["procedure"] < x["water"] < x["power"] < t.start_x < 100
    assert [k.late for k in t.tracks] == [False, True, True]
    assert x["procedure"] < t.desired_x < x["water"]
    assert t.first == D(2026, 11, 27) and t.last > t.start_on
    # Ten months: a tick on the first of every second month at most eight times.
    assert 4 <= len(t.ticks) <= 8 and t.ticks == sorted(t.ticks)


def test_timeline_of_a_start_today_still_has_an_axis_and_clamps_past_dates():
    t = timeline(today=D(2027, 1, 1), start_on=D(2027, 1, 1), ready={"power": D(2027, 1, 1)},
                 start_by=D(2026, 6, 1))
    assert t.start_x == 0 and t.tracks[0].x == 0 and t.desired_x == 0
    assert (t.last - t.first).days >= 30 and t.tracks[0].late


def test_timeline_ticks_thin_out_over_long_spans():
    t = timeline(today=D(2027, 1, 1), start_on=D(2036, 1, 1), ready={})
    assert 1 <= len(t.ticks) <= 8
