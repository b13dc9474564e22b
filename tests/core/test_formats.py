"""One formatter for numbers, quantities and dates in ru, kk and en (CLDR via Babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from promzona.core import formats

pytestmark = pytest.mark.nodb
NB = "\xa0"


@pytest.mark.parametrize("lang,big,small,day,month", [
    ("ru", f"2{NB}640{NB}000", "1,20", "12 мая 2027\u202fг.", "июнь 2027\u202fг."),
    ("kk", f"2{NB}640{NB}000", "1,20", "2027\u202fж. 12 мамыр", "2027\u202fж. маусым"),
    ("en", "2,640,000", "1.20", "May 12, 2027", "June 2027"),
])
def test_each_language_writes_numbers_and_dates_its_own_way(lang, big, small, day, month):
    assert formats.number(2640000, lang) == big
    assert formats.number(Decimal("1.2"), lang, digits=2) == small
    assert formats.date(dt.date(2027, 5, 12), lang) == day
    assert formats.month(dt.date(2027, 6, 1), lang) == month


def test_unknown_values_are_a_dash_and_zero_never_negative():
    assert [formats.number(v, "ru") for v in (None, "", float("nan"), float("inf"))] == ["—"] * 4
    assert formats.number(-0.0001, "en", digits=2) == "0.00"
    assert formats.date(None, "kk") == formats.quantity(None, "kW", "en") == "—"


def test_quantities_drop_trailing_zeros_and_keep_their_unit_on_the_line():
    assert formats.quantity(Decimal("8.500"), "Гкал/ч", "ru") == f"8,5{NB}Гкал/ч"
    assert formats.quantity(4500, "m³/day", "en") == f"4,500{NB}m³/day"
    assert formats.signed(10000, "ru") == f"+10{NB}000" and formats.signed(-2.5, "en") == "\u22122.5"


def test_a_date_and_time_joins_them_as_the_language_does():
    at = dt.datetime(2027, 5, 12, 14, 3)
    assert formats.moment(at, "ru") == "12 мая 2027\u202fг., 14:03"
    assert formats.moment(at, "en") == "May 12, 2027, 2:03\u202fPM"


@pytest.mark.parametrize("code,lang", [("kk-KZ", "kk"), ("EN", "en"), ("de", "ru"), (None, "ru")])
def test_a_language_we_do_not_speak_falls_back_to_russian(code, lang):
    assert formats.lang_of(code) == lang


@given(st.decimals(min_value=-10**12, max_value=10**12, places=3), st.sampled_from(formats.LANGUAGES))
def test_numbers_read_back_to_the_same_value(value, lang):
    text = formats.number(value, lang, digits=3)
    group, point = ("\xa0", ",") if lang != "en" else (",", ".")
    assert Decimal(text.replace(group, "").replace(point, ".").replace("\u2212", "-")) == value
