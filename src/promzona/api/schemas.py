"""What every API operation shares: strict request bodies, JSON numbers, the one error format."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema


class StrictIn(Schema):
    """A request body: a JSON object with exactly the documented keys and types (no unknown
    keys, no "5" for 5, no 1 for true)."""

    model_config = ConfigDict(extra="forbid", strict=True)


def _json_number(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("must be a JSON number")
    return Decimal(str(value))


def _json_whole(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():  # JSON Schema: 5.0 is an integer
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("must be a whole number")
    return value


def number(*, below: int, places: int) -> Any:
    """A JSON number from 0 to below ``below`` with at most ``places`` decimals, as an exact
    ``Decimal`` — validated and documented alike."""
    return Annotated[Decimal, BeforeValidator(_json_number),
                     Field(ge=0, lt=below, decimal_places=places),
                     WithJsonSchema({"type": "number", "minimum": 0, "exclusiveMaximum": below,
                                     "multipleOf": 10**-places})]


def whole(*, minimum: int, maximum: int) -> Any:
    """A JSON integer from ``minimum`` to ``maximum``."""
    return Annotated[int, BeforeValidator(_json_whole), Field(ge=minimum, le=maximum),
                     WithJsonSchema({"type": "integer", "minimum": minimum, "maximum": maximum})]


#: A row id.
Id = whole(minimum=1, maximum=2**62)


class ErrorBody(Schema):
    code: str
    message: str
    details: dict | list | None = None


class ErrorOut(Schema):
    error: ErrorBody


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's documented answers: ``ok`` plus each error status in the error format
    that the rules of :func:`promzona.api.main._error_answers` do not already give it."""
    return ok | {status: ErrorOut for status in errors}
