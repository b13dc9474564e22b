"""The dashboard's charts write their numbers as the page's language does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from promzona.core import kpi
from promzona.dashboard import charts


def _figures(*sources: kpi.Source) -> kpi.Figures:
    none = kpi.funnel([], enquiries=None, as_of=dt.date(2026, 1, 1))
    return kpi.Figures(dt.date(2026, 1, 1), kpi.land([]), sources, none,
                       kpi.investment([]), kpi.works([]), kpi.instructions([], today=dt.date(2026, 1, 1)))


@pytest.mark.nodb
@pytest.mark.parametrize("lang, free, written", [
    ("en", 2330.0, "2,330 kW free"), ("ru", 2330.0, "2\xa0330 кВт"), ("en", 0.0, "0 kW free"),
    ("en", 12.5, "12.5 kW free")])
def test_a_meter_s_free_capacity_is_written_as_the_language_writes_numbers(lang, free, written):
    source = kpi.Source(1, "PS-2", "power", "kW", "z", 16000.0, 16000.0 - free)
    with translation.override(lang):
        [text] = [s.text for s in charts.capacity(_figures(source)).shapes
                  if "·" in getattr(s, "text", "")]  # "98% · 2,330 kW free"
    assert written in text and ".0 " not in text
