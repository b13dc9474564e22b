"""File names from untrusted text (an upload's name, a plot code), safe in a header and on disk.

>>> safe_filename('../../x\\r\\nSet-Cookie: a=1 "plan".pdf')
'x_Set-Cookie_ a_1 _plan_.pdf'
>>> safe_filename("Отчёт 2026.docx")
'Отчёт 2026.docx'
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

#: Kept: letters and digits of any script, space, and ``_ - . ( )``.
_UNSAFE = re.compile(r"[^\w .()\-]+")


def safe_filename(name: str | None, *, max_length: int = 200) -> str:
    """``name`` without directories, control characters, quotes or other punctuation, at most
    ``max_length`` characters; ``""`` if nothing is left."""
    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/")
    text = _UNSAFE.sub("_", PurePosixPath(text).name)
    return text.strip(" ._")[:max_length].strip(" ._")
