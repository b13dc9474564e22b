"""Which language a text is written in, told by its letters (for ru, kk and en only).

Text kept as people typed it (a project's name, an instruction's title, a comment) is shown as
it is; where its language is not the page's, the page marks it (``lang``) so that screen
readers, hyphenation and translation tools treat it right (WCAG 2.2, 3.1.2 Language of Parts).

>>> written_in("Цех металлоконструкций")
'ru'
>>> written_in("Құрылыс материалдары")
'kk'
>>> written_in("Copper wire plant")
'en'
>>> written_in("АО «QazaqGaz Aimaq»")
'ru'
>>> written_in("2027-06-30 · 500") is None
True
"""

from __future__ import annotations

KAZAKH_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def written_in(text: str) -> str | None:
    """``ru`` or ``kk`` for text with Cyrillic letters (Kazakh when one of them is a letter only
    Kazakh has; a Latin brand inside, as in «QazaqGaz Aimaq», does not make it English), ``en``
    for Latin letters alone, ``None`` without letters."""
    cyrillic = latin = 0
    kazakh = False
    for c in str(text):
        if "\u0400" <= c <= "\u04ff":
            cyrillic += 1
            kazakh = kazakh or c in KAZAKH_LETTERS
        elif c.isascii() and c.isalpha():
            latin += 1
    if not cyrillic and not latin:
        return None
    if cyrillic:
        return "kk" if kazakh else "ru"
    return "en"
