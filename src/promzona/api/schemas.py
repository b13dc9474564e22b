"""What every API operation shares: strict request bodies and the one error format."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class StrictIn(Schema):
    """A request body: a JSON object with exactly the documented keys and types (no unknown
    keys, no "5" for 5, no 1 for true). Decimals and datetimes name ``strict=False`` to take
    their JSON spellings (numbers, ISO strings)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorBody(Schema):
    code: str
    message: str
    details: dict | list | None = None


class ErrorOut(Schema):
    error: ErrorBody


def answers(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's documented answers: ``ok`` plus each error status in the error format.
    The statuses every operation can give (400, 401, 413, 422) are added for all of them by
    :class:`promzona.api.main.PromzonaAPI`."""
    return ok | {status: ErrorOut for status in errors}
