"""Who an organisation is: a Kazakh company by its BIN, a foreign one by its country and the
registration number it has there. Country names come from CLDR (Babel) in the reader's language.

>>> registration_number_normalise(" hrb-12 345 ")
'HRB12345'
>>> registration_number_normalise("--") is None
True
>>> dict(countries("en"))["DE"]
'Germany'
"""

from __future__ import annotations

import functools
import re
import unicodedata

from babel import Locale

HOME_COUNTRY = "KZ"
#: CLDR territory codes that are no country a company is registered in.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
)
#: Separators people type inside registration numbers; dropped so "HRB 12345" = "HRB-12345".
_SEPARATORS = re.compile(r"[\s./\-]+")
_NUMBER = re.compile(r"[0-9A-Z]{2,30}")


@functools.lru_cache(maxsize=8)
def countries(lang: str) -> tuple[tuple[str, str], ...]:
    """(ISO 3166 code, name in ``lang``) of every country: Kazakhstan first, then by name."""
    names = Locale.parse((lang or "en").replace("-", "_")).territories
    codes = [c for c in names if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES]
    rest = sorted((c for c in codes if c != HOME_COUNTRY), key=lambda c: names[c].casefold())
    return tuple((c, names[c]) for c in [HOME_COUNTRY, *rest])


def country_is_valid(code: str) -> bool:
    return code in dict(countries("en"))


def registration_number_normalise(text: str | None) -> str | None:
    """A foreign registration number in capitals without spaces or separators, or ``None`` when
    it is not 2–30 Latin letters and digits with at least one digit."""
    value = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or "")).upper()
    if not _NUMBER.fullmatch(value) or not any(ch.isdigit() for ch in value):
        return None
    return value
