"""Shared pieces of the API's schemas: strict request bodies, the error answer, pages.

Request bodies derive from :class:`StrictIn`: an unknown key is refused (``extra="forbid"``)
and values are not coerced (``"5"`` is not a number, ``1`` is not ``true``, a number is not a
date). Every refusal is a 422 in the API's error format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, Strict

MAX_PAGE = 200


def _iso_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return dt.date.fromisoformat(value)  # ValueError for 2026-02-30


#: A calendar date written ``YYYY-MM-DD`` (no timestamps, no numbers).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
#: A JSON number (not a string, not a boolean).
Number = Annotated[float, Strict()]
Integer = Annotated[int, Strict()]
Text = Annotated[str, Strict()]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid", strict=True)


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
