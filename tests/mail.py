"""Links in the mail the product sends: each absolute, on ``PROMZONA_BASE_URL``."""

from __future__ import annotations

import re

#: An attribute link (href/src), a URL with a scheme, or a path starting a word.
_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']*)["']|((?:https?:)?//[^\s"'<>]+)"""
                   r"""|(?:^|(?<=\s))(/[\w%~.-][^\s"'<>]*)""", re.MULTILINE)


def bad_links(text: str, base: str) -> list[str]:
    """The links of ``text`` that are not absolute on ``base`` (relative ones, other hosts)."""
    return [link for groups in _LINK.findall(text) for link in groups
            if link and not link.startswith(base + "/")]
