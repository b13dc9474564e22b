"""What every API operation shares: strict request bodies, JSON numbers and dates, the one
error format, pages.

Request bodies derive from :class:`StrictIn`: an unknown key is refused (``extra="forbid"``)
and values are not coerced (``"5"`` is not a number, ``1`` is not ``true``, a number is not a
date). Every refusal is a 422 in the API's error format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, WithJsonSchema

MAX_PAGE = 200


class StrictIn(Schema):
    """A request body: a JSON object with exactly the documented keys and types (no unknown
    keys, no "5" for 5, no 1 for true)."""

    model_config = ConfigDict(extra="forbid", strict=True)


#: A JSON number (not a string, not a boolean).
Number = Annotated[float, Strict()]
Integer = Annotated[int, Strict()]
Text = Annotated[str, Strict()]
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


#: The error answers an operation may give, for the OpenAPI schema.
ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 409, 422)}


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_PAGE, description="Items per page (1–200).")
    offset: int = Field(0, ge=0, le=10**9, description="Items to skip.")


def page(rows: Sequence, query: PageQuery, render: Callable[[Any], Any]) -> dict[str, Any]:
    """One page: ``{"count", "limit", "offset", "items"}``, rendering only that page's rows."""
    return {"count": len(rows), "limit": query.limit, "offset": query.offset,
            "items": [render(r) for r in rows[query.offset:query.offset + query.limit]]}


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's documented answers: ``ok`` plus each error status in the error format
    that the rules of :func:`promzona.api.main._error_answers` do not already give it."""
    return ok | {status: ErrorOut for status in errors}


#: Request bodies an operation parses itself, documented under ``components`` by name.
BODY_MODELS: dict[str, type[BaseModel]] = {}


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """``openapi_extra`` of an operation whose JSON body ``model`` parses in the operation
    itself (its refusals are the model's own 400s, not ninja's 422): documents the body."""
    BODY_MODELS[model.__name__] = model
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


def body_schemas() -> dict[str, Any]:
    """The JSON schemas of :data:`BODY_MODELS` and of the models they contain, by name."""
    out: dict[str, Any] = {}
    for name, model in BODY_MODELS.items():
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        out |= schema.pop("$defs", {}) | {name: schema}
    return out
