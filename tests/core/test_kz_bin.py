import pytest
from hypothesis import given
from hypothesis import strategies as st

from promzona.core.errors import InputError
from promzona.core.kz_bin import bin_check_digit, bin_is_valid, bin_validate

pytestmark = pytest.mark.nodb


def test_known_valid_bin_passes():
    assert bin_validate(" 180140005227 ") == "180140005227"


@pytest.mark.parametrize(
    ("value", "reason"),
    [("180140005228", "check digit"), ("18014000522", "12 digits"), ("1801400052a7", "12 digits"),
     ("", "12 digits"), ("１８０１４０００５２２７", "12 digits")],
)
def test_bad_bin_is_refused_with_reason(value, reason):
    with pytest.raises(InputError, match=reason):
        bin_validate(value)


def test_second_weight_pass_is_used_when_first_gives_ten():
    # Weights 1..11 on these digits give 10 (mod 11); the second weights give 5.
    digits = "00000000019"
    assert sum(int(d) * w for d, w in zip(digits, range(1, 12), strict=True)) % 11 == 10
    assert bin_check_digit(digits) == (1 * 1 + 9 * 2) % 11


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_exactly_one_check_digit_is_valid_when_any_is(first11):
    valid = [d for d in range(10) if bin_is_valid(first11 + str(d))]
    assert valid == ([] if bin_check_digit(first11) in (None, 10) else [bin_check_digit(first11)])
