"""The one error hierarchy of the business layer.

Interfaces turn these into HTTP responses (``{"error": {"code", "message", "details"}}``), page
messages and CLI errors in one place each; services and algorithms raise them.

``core`` cannot translate (it never imports Django), so its messages are English templates
marked with :func:`gettext_noop` and their values go in ``params``; the edge translates the
template and fills it in (:meth:`PromzonaError.translated`), writing numeric values the way the
language writes numbers. Django code passes messages it already translated, which come out
unchanged.

>>> e = InputError(gettext_noop("'%(field)s' is larger than '%(other)s'."),
...                params={"field": "area_ha.min", "other": "area_ha.max"})
>>> e.message
"'area_ha.min' is larger than 'area_ha.max'."
>>> e.translated({"'%(field)s' is larger than '%(other)s'.": "«%(field)s» больше «%(other)s»."}.get)
'«area_ha.min» больше «area_ha.max».'
>>> InputError(gettext_noop("At most %(max)s."), params={"max": 1_000_000}).translated(str, "ru")
'At most 1\xa0000\xa0000.'
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from promzona.core import formats


def gettext_noop(s: str) -> str:
    """Marks ``s`` for the translation catalogues (``make messages``) without translating it."""
    return s


def _fill(template: str, params: dict[str, Any], lang: str = "en") -> str | None:
    """``template`` filled with ``params``, numbers written as ``lang`` writes them (up to six
    decimals, no trailing zeros: ``1,000,000``, ``2.5``)."""
    if not params:
        return template
    values = {k: formats.number(v, lang, digits=6, trim=True)
              if isinstance(v, int | float | Decimal) and not isinstance(v, bool) else v
              for k, v in params.items()}
    try:
        return template % values
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return None


class PromzonaError(Exception):
    """Base of every business error. ``code`` is stable and machine-readable."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None, details: Any = None,
                 params: dict[str, Any] | None = None):
        self.template = message
        self.params = params or {}
        self.message = _fill(message, self.params) or message
        super().__init__(self.message)
        self.field = field
        self.details = details

    def translated(self, tr: Callable[[str], str | None], lang: str = "en") -> str:
        """The message in the language of ``tr`` (a catalogue lookup such as ``gettext``), its
        numbers written as ``lang`` writes them."""
        return _fill(tr(self.template) or self.template, self.params, lang) or self.message

    def as_dict(self, tr: Callable[[str], str | None] | None = None,
                lang: str = "en") -> dict[str, Any]:
        """The JSON error body, its message in the language of ``tr`` when given."""
        details = self.details
        if details is None and self.field:
            details = {"field": self.field}
        message = self.translated(tr, lang) if tr is not None else self.message
        return {"error": {"code": self.code, "message": message, "details": details}}


class InputError(PromzonaError, ValueError):
    """The caller's data is wrong: nothing was changed."""

    code = "invalid"
    http_status = 400


class GeometryError(InputError):
    """A geometry is malformed, invalid or out of range."""

    code = "invalid_geometry"


class NotFound(PromzonaError):
    code = "not_found"
    http_status = 404


class Forbidden(PromzonaError):
    code = "forbidden"
    http_status = 403


class Conflict(PromzonaError):
    """The operation collides with the current state (plot taken, capacity exhausted)."""

    code = "conflict"
    http_status = 409


class CapacityExceeded(Conflict):
    code = "capacity_exceeded"


class MethodNotAllowed(PromzonaError):
    code = "method_not_allowed"
    http_status = 405


class TooLarge(PromzonaError):
    code = "too_large"
    http_status = 413


class RateLimited(PromzonaError):
    """Too many requests of this kind from this caller; ``retry_after`` seconds to wait."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, *, retry_after: int, **kw: Any):
        super().__init__(message, **kw)
        self.retry_after = retry_after
