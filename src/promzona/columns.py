"""Columns read without the ORM's conversion of every value: the region's dashboard figures
and the matching index read tens of thousands of instants and decimals, and converting each
was most of their time. And :func:`paused_collector` for the work that makes so many rows."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator

from django.db.models import CharField, FloatField
from django.db.models.functions import Cast
from django.utils import timezone


def utc_text(name: str) -> Cast:
    """A datetime column as the text the database keeps it in, in UTC (``YYYY-MM-DD HH:MM…``),
    for :class:`TextDays`; a date column as its ISO text, for :class:`TextDates`: reading tens
    of thousands of instants and dates through the ORM's conversions was most of the funnel's
    and the works' time."""
    return Cast(name, CharField())


class TextDays(dict):
    """``day(text)``: the site's calendar day of an instant read with :func:`utc_text`,
    converted once per distinct minute (time zones differ from UTC by whole minutes)."""

    def __init__(self) -> None:
        super().__init__()
        self.zone = timezone.get_current_timezone()

    def __call__(self, text: str) -> dt.date:
        return self[text[:16]]

    def __missing__(self, minute: str) -> dt.date:
        day = self[minute] = dt.datetime.fromisoformat(minute).replace(
            tzinfo=dt.UTC).astimezone(self.zone).date()
        return day


class TextDates(dict):
    """``date(text)``: a date column read with :func:`utc_text` (``YYYY-MM-DD``, or ``None``)
    as a date, each distinct one converted once."""

    def __call__(self, text: str | None) -> dt.date | None:
        return None if text is None else self[text]

    def __missing__(self, text: str) -> dt.date:
        day = self[text] = dt.date.fromisoformat(text[:10])
        return day


def as_float(name: str) -> Cast:
    """A decimal column read as a float (what the figures compute with), without the ORM's
    Decimal conversion of every value."""
    return Cast(name, FloatField())


@contextlib.contextmanager
def paused_collector() -> Iterator[None]:
    """Pause the cyclic garbage collector (a context manager or a decorator): reading, building
    or computing over many rows makes hundreds of thousands of short-lived objects and no
    garbage cycles, and each full pass of the collector over a large process took a third of
    such work's time (the region's dashboard, the matching index, the plot import). Reference
    counting still frees everything; the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
