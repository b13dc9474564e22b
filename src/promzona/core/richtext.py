"""Text of news articles and comments: rich text sanitised with nh3, plain text, slugs, links.

Plain data in, plain data out (no Django). nh3 (the Ammonia sanitiser) keeps only the tags,
attributes and link schemes listed here; everything else (script, style, event handlers,
``javascript:`` links, images) is removed.

>>> sanitise_html('<p onclick="x()">Hi<script>alert(1)</script></p>')
'<p>Hi</p>'
>>> slugify_title("Аким области посетил Караганду")
'akim-oblasti-posetil-karagandu'
>>> count_links("see https://a.example and www.b.example")
2
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "b", "em", "i", "u", "s", "blockquote", "ul", "ol", "li",
    "h2", "h3", "h4", "a", "abbr", "sub", "sup",
})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINK = re.compile(r"(?:https?://|ftp://|www\.)|\[url|<a\s", re.IGNORECASE)

# Russian and Kazakh letters in Latin, for addresses (a reading aid, not a standard).
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "iu", "ia", "a", "g",
     "q", "ng", "o", "u", "u", "h", "i"], strict=True))


def sanitise_html(markup: str) -> str:
    """Only the allowed tags, attributes and link schemes survive; links get ``rel``."""
    return nh3.clean(_CONTROL.sub("", markup or ""), tags=set(ALLOWED_TAGS),
                     attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                     url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True)


def html_to_text(markup: str) -> str:
    """The words of sanitised HTML, for search and feed summaries."""
    text = nh3.clean(re.sub(r"<(br|/p|/li|/h\d)\s*/?>", " ", markup or "", flags=re.I), tags=set())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def plain(text: str) -> str:
    """One line of plain text: control characters removed, whitespace collapsed."""
    return re.sub(r"\s+", " ", _CONTROL.sub("", text or "")).strip()


def plain_block(text: str) -> str:
    """Plain text that keeps its line breaks (comments): control characters removed."""
    lines = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).split("\n")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in lines)).strip()


def count_links(text: str) -> int:
    """How many links a text carries (URLs, ``www.`` addresses, BBCode or HTML links)."""
    return len(_LINK.findall(text or ""))


def slugify_title(title: str, *, max_length: int = 80) -> str:
    """A lower-case ASCII slug of a Russian, Kazakh or English title."""
    text = "".join(_TRANSLIT.get(ch, ch) for ch in (title or "").lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-")


def search_key(*parts: str) -> str:
    """Case-folded text to match search words against (the same on SQLite and PostgreSQL)."""
    return plain(" ".join(p for p in parts if p)).casefold()
