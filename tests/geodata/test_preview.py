"""The import's area warnings (``preview.area_warnings``), found for all rows at once."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from django.utils import translation

from promzona.geodata.preview import area_warnings


def test_area_warnings_warn_only_rows_off_by_over_5pc_each_in_its_own_numbers():
    declared = [Decimal("0.6"), Decimal("0.6"), None, Decimal("12.5"), Decimal("0.6")]
    computed = np.array([0.6123, 0.70004, 3.0, 10.0, 0.69996])
    got = area_warnings(declared, computed)
    assert got[0] == [] and got[2] == []
    assert got[1] == ["the declared area 0.6000 ha differs from the computed 0.7000 ha by 17%"]
    assert got[3] == ["the declared area 12.50 ha differs from the computed 10.00 ha by 20%"]
    assert got[4] == got[1]  # a different area that rounds alike reads alike


def test_area_warnings_use_the_current_languages_number_format():
    with translation.override("ru"):
        [[warning]] = area_warnings([Decimal("1234.5")], np.array([1000.25]))
    assert "1234,50" in warning and "1000,25" in warning
