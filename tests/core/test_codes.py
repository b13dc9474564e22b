"""The character set of codes used in URLs."""

import pytest

from promzona.core.codes import is_code

pytestmark = pytest.mark.nodb


@pytest.mark.parametrize("code", ["BLK-05", "A", "7", "ПС-1", "Уч.12_а", "ҚАЗ-Ә1", "x" * 32])
def test_letters_digits_and_inner_separators_are_codes(code):
    assert is_code(code)


@pytest.mark.parametrize("code", [
    "SLASH/1", "12/3", "", ".", "..", ".hidden", "end.", "-1", "a b", "tab\t1", "x?y", "x#y",
    "50%", "<img src=x onerror=alert(7)>", "a\u202eb", "а\u0483б", "x" * 33, "日本", "a\nb",
    None, 5, ["A"],
])
def test_anything_else_is_not_a_code(code):
    assert not is_code(code)
