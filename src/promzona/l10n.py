""":mod:`promzona.core.formats` in the active language, and units translated: what templates
(the ``portal`` filters), PDFs, emails and exports call to write a number, an amount or a date.

Every function takes ``None`` (and prints a dash for it).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext

from promzona.core import formats
from promzona.core.errors import InputError
from promzona.core.formats import DASH, Number
from promzona.core.sinks import csv_text
from promzona.core.utilities import UTILITY_KINDS

#: The reader's choice of CSV separator (``?sep=``), each with the decimal mark that goes with it.
CSV_CHOICES = {"comma": (",", "."), "semicolon": (";", ",")}


def lang() -> str:
    """The active language as :mod:`promzona.core.formats` knows it (ru, kk or en); English
    where translation is switched off (management commands), as the messages then are."""
    code = translation.get_language()
    return "en" if code is None else formats.lang_of(code)


def num(value: Number | None, digits: int = 0, *, trim: bool = False) -> str:
    return formats.number(value, lang(), digits=digits, trim=trim)


def money(value: Number | None) -> str:
    """Whole tenge: ``1 250 000`` (ru, kk), ``1,250,000`` (en)."""
    return formats.number(value, lang())


def unit(text: str) -> str:
    """A unit (``kW``, ``m³/day``, ``Gcal/h``, ``ha``…) in the active language."""
    return gettext(text) if text else ""


def kind_unit(kind: str) -> str:
    """The capacity unit of a utility kind (``power`` → ``кВт``)."""
    return unit(UTILITY_KINDS[kind].unit)


def qty(value: Number | None, unit_text: str = "", *, digits: int = 3) -> str:
    """A capacity or amount without trailing zeros, with its unit translated: ``8,5 Гкал/ч``."""
    return formats.quantity(value, unit(unit_text), lang(), digits=digits)


def signed(value: Number | None, unit_text: str = "") -> str:
    """A change with its sign and unit: ``+10 000 кВт``."""
    if value is None:
        return DASH
    text = formats.signed(value, lang())
    return f"{text}{formats.NBSP}{unit(unit_text)}" if unit_text else text


def km(metres: float | None) -> str:
    """Metres as kilometres with one decimal: ``2,7``."""
    return DASH if metres is None else formats.number(metres / 1000, lang(), digits=1)


def day(value: dt.date | str | None) -> str:
    """A date as the language writes it: ``12 мая 2027 г.``, ``2027 ж. 12 мамыр``. Takes the
    ISO dates of JSON answers (``"2027-05-12"``) too."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value) if value else None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.date(value, lang())


def month(value: dt.date | None) -> str:
    return formats.month(value, lang())


def moment(value: dt.datetime | None) -> str:
    """A date and time in the site's time zone: ``12 мая 2027 г., 14:03``."""
    if value is not None and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.moment(value, lang())


def noted(obj, field: str) -> str:
    """``obj.translated(field)``, with "(in Russian)" after the Russian original when the page's
    language has no text of its own (plain text: PDFs, exports)."""
    text = obj.translated(field)
    return f"{text} ({gettext('in Russian')})" if text and obj.is_fallback(field) else text


def cell(value, digits: int = 0) -> str:
    """A table cell: numbers with ``digits`` decimals, dates, text as it is."""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, int | float | Decimal):
        return num(value, digits)
    if isinstance(value, dt.date):
        return day(value)
    return DASH if value is None else str(value)


def number_format(digits: int) -> str:
    """The spreadsheet number format of ``digits`` decimals: ``#,##0.00``."""
    return "#,##0" + ("." + "0" * digits if digits else "")


def csv_style(choice: str | None = None) -> tuple[str, str]:
    """(separator, decimal mark) for a CSV download: the reader's ``choice`` (``comma`` or
    ``semicolon``) or, by default, what a spreadsheet in the page's language expects."""
    if not choice:
        return formats.csv_style(lang())
    if choice not in CSV_CHOICES:
        raise InputError(gettext("Unknown CSV separator; choose comma or semicolon."), field="sep")
    return CSV_CHOICES[choice]


def csv_bytes(rows, *, choice: str | None = None) -> bytes:
    """Rows as a CSV file that opens in columns: UTF-8 with a byte order mark (without it
    Excel reads Cyrillic as a legacy code page), the separator of :func:`csv_style`."""
    sep, decimal = csv_style(choice)
    return csv_text(rows, sep=sep, decimal=decimal).encode("utf-8-sig")
