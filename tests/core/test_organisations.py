"""Organisation identifiers and the country list (CLDR names through Babel)."""

import doctest

import pytest

from promzona.core import organisations
from promzona.core.organisations import (
    countries,
    country_is_valid,
    registration_number_normalise,
)

pytestmark = pytest.mark.nodb


def test_doctests():
    assert doctest.testmod(organisations).failed == 0


@pytest.mark.parametrize("lang,kz,de", [("ru", "Казахстан", "Германия"),
                                        ("kk", "Қазақстан", "Германия"),
                                        ("en", "Kazakhstan", "Germany"), ("en-us", "Kazakhstan",
                                                                          "Germany")])
def test_countries_are_named_in_the_language_with_kazakhstan_first(lang, kz, de):
    listed = countries(lang)
    assert listed[0] == ("KZ", kz) and ("DE", de) in listed
    names = [name for _, name in listed[1:]]
    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize("code", ["EU", "UN", "ZZ", "QO", "001", "kz", "", "KAZ"])
def test_groupings_and_unknown_codes_are_no_country(code):
    assert not country_is_valid(code)


@pytest.mark.parametrize("text,expected", [
    ("HRB 12345", "HRB12345"), ("hrb-12.345/6", "HRB123456"), ("\u00a01027700132195\t",
                                                               "1027700132195"),
    ("９１３１", "9131"),  # full-width digits are digits
    ("ABCDEF", None), ("1", None), ("1" * 31, None), ("Ж12345", None), ("12<script>", None),
    ("", None), (None, None),
])
def test_registration_numbers_are_normalised_or_refused(text, expected):
    assert registration_number_normalise(text) == expected
