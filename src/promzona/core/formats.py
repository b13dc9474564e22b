"""Numbers, quantities and dates as each language writes them, from CLDR (Babel): the one
formatter behind pages, PDFs, emails and exports (Django ships no Kazakh formats).

>>> number(1234567.5, "ru", digits=1), number(1234567.5, "en", digits=1)
('1\\xa0234\\xa0567,5', '1,234,567.5')
>>> quantity(8.5, "Гкал/ч", "ru"), quantity(4500, "kW", "en")
('8,5\\xa0Гкал/ч', '4,500\\xa0kW')
>>> import datetime as dt
>>> date(dt.date(2027, 5, 12), "kk")
'2027\\u202fж. 12 мамыр'

Unknown values (``None``, NaN) print as a dash; numbers never print as "-0".
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"
DASH = "—"
NBSP = "\u00a0"

Number = int | float | Decimal


def lang_of(code: str | None) -> str:
    """``"kk-kz"`` → ``"kk"``; anything we do not speak → Russian, the default."""
    code = (code or "")[:2].lower()
    return code if code in LANGUAGES else DEFAULT


def number(value: Number | None, lang: str, *, digits: int = 0, trim: bool = False) -> str:
    """``value`` with the language's separators and ``digits`` decimals (``trim``: at most
    ``digits``, without trailing zeros)."""
    if value is None or value == "":
        return DASH
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not value.is_finite():
        return DASH
    pattern = "#,##0" + ("." + ("#" if trim else "0") * digits if digits else "")
    quantum = Decimal(1).scaleb(-digits)
    value = value.quantize(quantum) + 0  # "+ 0" turns -0 into 0
    return _written(value, pattern, lang_of(lang))


@functools.lru_cache(maxsize=4096)
def _written(value: Decimal, pattern: str, lang: str) -> str:
    """Babel's writing of a quantized value, remembered: a region's dashboard writes a thousand
    figures, mostly the same few, and Babel takes a fifth of a millisecond for each."""
    return format_decimal(value, format=pattern, locale=lang, decimal_quantization=True)


def quantity(value: Number | None, unit: str, lang: str, *, digits: int = 3) -> str:
    """A capacity or amount with its (already translated) unit: ``8,5 Гкал/ч``."""
    if value is None or value == "":
        return DASH
    return f"{number(value, lang, digits=digits, trim=True)}{NBSP}{unit}" if unit else \
        number(value, lang, digits=digits, trim=True)


def signed(value: Number, lang: str, *, digits: int = 3) -> str:
    """A change with its sign: ``+10 000``, ``−2,5`` (a true minus sign)."""
    text = number(abs(value), lang, digits=digits, trim=True)
    return text if value == 0 else ("+" if value > 0 else "\u2212") + text


#: Decimals of each kind of figure (:func:`figure`); a quantity's are at most that many.
FIGURE_DIGITS = {"count": 0, "money": 0, "days": 1, "ha": 2, "index": 2, "qty": 3}


def figure(value: Number | None, kind: str, lang: str) -> str:
    """A figure of the dashboard as the page, the report's PDF and its labels write it: counts
    and money whole, days with at most one decimal, hectares with two, an index (SPI) with two,
    a quantity without trailing zeros, a share as a percentage with one decimal.

    >>> figure(2 / 3, "share", "en"), figure(1000.0, "qty", "en"), figure(7.5, "days", "en")
    ('66.7%', '1,000', '7.5')
    """
    if value is None or value == "":
        return DASH
    if kind == "share":
        return format_percent(value, "#,##0.0%", locale=lang_of(lang))
    return number(value, lang, digits=FIGURE_DIGITS[kind], trim=kind in ("days", "qty"))


def csv_style(lang: str) -> tuple[str, str]:
    """(separator, decimal mark) of a CSV file that the reader's spreadsheet opens in columns:
    where numbers have a decimal comma (ru, kk) the list separator is ``;``, else ``,``.

    >>> csv_style("ru"), csv_style("en")
    ((';', ','), (',', '.'))
    """
    decimal = Locale.parse(lang_of(lang)).number_symbols["latn"]["decimal"]
    return (";" if decimal == "," else ","), decimal


def date(value: dt.date | None, lang: str) -> str:
    """A calendar date without abbreviations: ``12 мая 2027 г.``, ``May 12, 2027``."""
    return DASH if value is None else format_date(value, format="long", locale=lang_of(lang))


def month(value: dt.date | None, lang: str) -> str:
    """A month and year: ``июнь 2027 г.``, ``June 2027``."""
    return DASH if value is None else format_skeleton("yMMMM", value, locale=lang_of(lang))


def moment(value: dt.datetime | None, lang: str) -> str:
    """A date and time of day (in the time zone ``value`` carries): ``12 мая 2027 г., 14:03``."""
    if value is None:
        return DASH
    locale = Locale.parse(lang_of(lang))
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{1}", date(value.date(), lang)).replace(
        "{0}", format_time(value, format="short", locale=locale))
