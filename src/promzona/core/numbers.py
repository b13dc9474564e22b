"""Whole numbers from untrusted text (query strings, form fields)."""

from __future__ import annotations

#: Beyond any id or count we store (PostgreSQL's bigint and SQLite's integer are 64-bit).
MAX_WHOLE = 2**62


def whole_number(text: str | None, *, maximum: int = MAX_WHOLE) -> int | None:
    """``text`` as a whole number 0..``maximum`` when it is ASCII digits only, else None.

    ``str.isdigit`` alone is not enough: it accepts "²" and other Unicode digits that ``int``
    refuses, and a thousand-digit number overflows the database.
    """
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 20:
        return None
    value = int(text)
    return value if value <= maximum else None
