"""An exact quantity for the capacity ledger: a ``Decimal`` with three decimals in Python, a
whole number of thousandths in the database.

SQLite keeps ``DecimalField`` values as floating point, so sums in SQL drift (0.001 + 1.002 −
1.002 − 0.001 is not 0 there). Integers add exactly on every database, so the conditional
UPDATE and the check constraints of the ledger compare exact amounts.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable, register_combinable_fields
from django.utils.translation import gettext_lazy as _

DECIMALS = 3
MAX_DIGITS = 16  # 13 digits before the point: far below a 64-bit integer of thousandths


def to_thousandths(value: Decimal | int | str) -> int:
    """``value`` as a whole number of thousandths; ``ValueError`` if it is not a finite number
    with at most three decimals (nothing is rounded)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"{value!r}: give a Decimal, an int or a string, not a float or bool.")
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"{value!r} is not a number.") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number.")
    scaled = number.scaleb(DECIMALS)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value!r} has more than {DECIMALS} decimals.")
    return int(scaled)


def from_thousandths(value: int) -> Decimal:
    """A whole number of thousandths as a ``Decimal`` with three decimals (exact)."""
    return Decimal(int(value)).scaleb(-DECIMALS)


class ThousandthsField(models.Field):
    """A non-negative or signed quantity with at most three decimals, exact on every database."""

    description = _("Number with at most three decimals")
    default_validators = [validators.DecimalValidator(MAX_DIGITS, DECIMALS)]
    default_error_messages = {
        "invalid": _("“%(value)s” must be a number with at most three decimals."),
    }

    def get_internal_type(self) -> str:
        return "BigIntegerField"

    def from_db_value(self, value, expression, connection):
        return None if value is None else from_thousandths(value)

    def to_python(self, value):
        if value is None or (isinstance(value, Decimal) and value.as_tuple().exponent == -DECIMALS):
            return value
        try:
            return from_thousandths(to_thousandths(str(value) if isinstance(value, float) else value))
        except ValueError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else to_thousandths(value)

    def formfield(self, **kwargs):
        return super().formfield(**{
            "form_class": forms.DecimalField, "max_digits": MAX_DIGITS,
            "decimal_places": DECIMALS, **kwargs,
        })


# Sums and differences of two quantities are quantities; any other mix (a product, an int)
# has no unit the ledger knows and must name its output_field.
for _connector in (Combinable.ADD, Combinable.SUB):
    register_combinable_fields(ThousandthsField, _connector, ThousandthsField, ThousandthsField)
