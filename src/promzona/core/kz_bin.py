"""Kazakhstan's 12-digit business and individual identification numbers (BIN / IIN).

The twelfth digit is a check digit: the weighted sum of the first eleven digits with weights
1..11, modulo 11; when that is 10, a second pass with weights 3..11, 1, 2; a second 10 means the
number cannot be valid.

>>> bin_check_digit("18014000522")
7
>>> bin_is_valid("180140005227")
True
>>> bin_is_valid("180140005228")
False
"""

from __future__ import annotations

from .errors import InputError, gettext_noop

_W1 = tuple(range(1, 12))
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_check_digit(first11: str) -> int | None:
    """The check digit for eleven digits, or ``None`` when no digit can make them valid."""
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise InputError("expected 11 digits", field="bin")
    digits = [int(c) for c in first11]
    for weights in (_W1, _W2):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def bin_validate(value: str) -> str:
    """Return the BIN stripped of spaces, or raise :class:`InputError` saying what is wrong."""
    value = (value or "").replace(" ", "")
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InputError(gettext_noop("A BIN has exactly 12 digits."), field="bin")
    if bin_check_digit(value[:11]) != int(value[11]):
        raise InputError(gettext_noop("The BIN's check digit (the 12th) is wrong."), field="bin")
    return value


def bin_is_valid(value: str) -> bool:
    try:
        bin_validate(value)
    except InputError:
        return False
    return True
