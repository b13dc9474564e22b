"""JSON values as strict pydantic types, for core's models and the API's schemas alike."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator


def _iso_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return dt.date.fromisoformat(value)  # ValueError for 2026-02-30


#: A calendar date written ``YYYY-MM-DD`` (no timestamps, no numbers).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
