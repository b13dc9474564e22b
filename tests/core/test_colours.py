import doctest

import pytest

from promzona.core import colours
from promzona.core.errors import InputError

pytestmark = pytest.mark.nodb


def test_doctests():
    assert doctest.testmod(colours).failed == 0


@pytest.mark.parametrize(("a", "b", "ratio"), [
    ("#ffffff", "#ffffff", 1.0), ("#000000", "#ffffff", 21.0), ("#767676", "#ffffff", 4.54),
    ("#ffffff", "#767676", 4.54),  # symmetric
])
def test_contrast_follows_wcag(a, b, ratio):
    assert round(colours.contrast_ratio(a, b), 2) == ratio


@pytest.mark.parametrize("bad", ["", "red", "#fff", "#gggggg", "0b5cad", "#0b5cad00", None, "#0b5cad\n;"])
def test_only_hex_colours_are_read(bad):
    with pytest.raises(InputError):
        colours.parse_hex(bad)


def test_shades_are_darker_and_paler_than_the_brand():
    s = colours.shades("#0b5cad")
    assert colours.contrast_ratio(s["brand-dark"], "#ffffff") > colours.contrast_ratio(s["brand"], "#ffffff")
    assert colours.contrast_ratio(s["brand-soft"], "#1d2733") > 12  # dark text on the pale one
