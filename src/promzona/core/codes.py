"""Codes that name objects in URLs (plots, utility sources and lines): one character set.

A code is 1 to 32 characters: Latin or Cyrillic letters (Kazakh letters included), digits 0-9,
and ``-``, ``_`` or ``.`` between them; it starts and ends with a letter or a digit. So it is
one URL path segment that needs no escaping and can never be ``.``, ``..`` or contain ``/``.
"""

from __future__ import annotations

import re

MAX_CODE_LENGTH = 32
#: Letters and digits: ASCII and the Cyrillic block without its sign and combining marks
#: (U+0482-U+0489).
_ALNUM = "0-9A-Za-z\u0400-\u0481\u048a-\u04ff"
CODE_RE = re.compile(rf"^[{_ALNUM}](?:[{_ALNUM}._-]*[{_ALNUM}])?\Z")


def is_code(text: object) -> bool:
    """Whether ``text`` is a valid code (the type is checked too)."""
    return isinstance(text, str) and len(text) <= MAX_CODE_LENGTH and bool(CODE_RE.match(text))
