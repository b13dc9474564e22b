"""Checks of the values the works and projects services take: dates, money, text.

Each returns the clean value or raises :class:`InputError` naming the field; nothing is written
before every check has passed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.core.errors import InputError

FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
MAX_MONEY = Decimal(10) ** 15
MAX_TEXT = 5000


def person(actor: Actor) -> Any:
    """The user to record as the author (None for the system)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def day(value: Any, field: str, *, latest: dt.date | None = None) -> dt.date:
    """A date from 2000 to 2100, and not after ``latest`` when given (no future reports)."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InputError(_("%(field)s must be a date.") % {"field": field}, field=field)
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InputError(_("%(field)s must lie between 2000 and 2100.") % {"field": field},
                         field=field)
    if latest is not None and value > latest:
        raise InputError(_("%(field)s cannot lie in the future.") % {"field": field}, field=field)
    return value


def decimal(value: Any, field: str, *, upper: Decimal = MAX_MONEY, places: int = 2,
            message: str | None = None) -> Decimal | None:
    """A finite number from 0 below ``upper`` with at most ``places`` decimals, or None."""
    if value is None or value == "":
        return None
    try:
        number = None if isinstance(value, bool) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not 0 <= number < upper \
            or number != number.quantize(Decimal(1).scaleb(-places)):
        raise InputError(message or _("%(field)s must be an amount from 0 with at most two "
                                      "decimals.") % {"field": field}, field=field)
    return number


def money(value: Any, field: str, *, optional: bool = True) -> Decimal | None:
    """An amount of tenge (two decimals, below 10¹⁵); required unless ``optional``."""
    number = decimal(value, field)
    if number is None and not optional:
        raise InputError(_("%(field)s is required.") % {"field": field}, field=field)
    return number


def text(value: Any, field: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """Text of at most ``limit`` characters, stripped; non-empty when ``required``."""
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit:
        raise InputError(_("%(field)s is text of at most %(n)s characters.")
                         % {"field": field, "n": limit}, field=field)
    value = value.strip()
    if required and not value:
        raise InputError(_("%(field)s is required.") % {"field": field}, field=field)
    return value


def whole(value: Any, field: str, *, lower: int, upper: int) -> int:
    """A whole number (not a boolean) from ``lower`` to ``upper``."""
    if isinstance(value, bool) or not isinstance(value, int) or not lower <= value <= upper:
        raise InputError(_("%(field)s must be a whole number from %(lower)s to %(upper)s.")
                         % {"field": field, "lower": lower, "upper": upper}, field=field)
    return value
