"""Shift-share decomposition: a hand-computed example and the bad-input rules."""

from __future__ import annotations

import pandas as pd
import pytest

from promzona.core.complexity import shift_share
from promzona.core.errors import InputError

pytestmark = pytest.mark.nodb

REGION_0 = {"A": 100, "B": 50}
REGION_1 = {"A": 120, "B": 40, "C": 10}
REF_0 = {"A": 1000, "B": 2000, "C": 1000}
REF_1 = {"A": 1200, "B": 2100, "C": 1000}


def test_hand_computed_example():
    # reference grows 4000 -> 4300: g = 0.075; g_A = 0.2, g_B = 0.05, g_C = 0
    r = shift_share(REGION_0, REGION_1, REF_0, REF_1).set_index("sector")
    assert r.loc["A", ["national_growth", "industry_mix", "regional_shift"]].tolist() == pytest.approx(
        [7.5, 12.5, 0.0]
    )
    assert r.loc["B", ["national_growth", "industry_mix", "regional_shift"]].tolist() == pytest.approx(
        [3.75, -1.25, -12.5]
    )
    # a sector new in the region: all its change is regional shift
    assert r.loc["C", ["national_growth", "industry_mix", "regional_shift"]].tolist() == pytest.approx(
        [0.0, 0.0, 10.0]
    )


def test_components_sum_to_change():
    r = shift_share(REGION_0, REGION_1, REF_0, REF_1)
    total = r["national_growth"] + r["industry_mix"] + r["regional_shift"]
    assert total.tolist() == pytest.approx(r["change"].tolist())
    assert not r.isna().any().any()


def test_dataframe_input_equals_mapping_input():
    def frame(d):
        return pd.DataFrame({"sector": list(d), "value": list(d.values())})

    a = shift_share(REGION_0, REGION_1, REF_0, REF_1)
    b = shift_share(frame(REGION_0), frame(REGION_1), frame(REF_0), frame(REF_1))
    pd.testing.assert_frame_equal(a, b)


def test_sector_missing_from_reference_fails():
    with pytest.raises(InputError) as e:
        shift_share({"Z": 5}, {"Z": 6}, REF_0, REF_1)
    assert e.value.details["sectors"] == ["Z"]


def test_reference_without_base_employment_fails():
    with pytest.raises(InputError):
        shift_share({"A": 5}, {"A": 6}, {"A": 0, "B": 10}, {"A": 3, "B": 10})


def test_negative_employment_fails():
    with pytest.raises(InputError):
        shift_share({"A": -5}, {"A": 6}, REF_0, REF_1)


def test_missing_value_fails():
    with pytest.raises(InputError):
        shift_share({"A": None}, {"A": 6}, REF_0, REF_1)


def test_duplicate_sector_rows_fail():
    dup = pd.DataFrame({"sector": ["A", "A"], "value": [1, 2]})
    with pytest.raises(InputError):
        shift_share(dup, REGION_1, REF_0, REF_1)


def test_empty_input_fails():
    with pytest.raises(InputError):
        shift_share({}, {}, REF_0, REF_1)
