"""The one error hierarchy of the business layer.

Interfaces turn these into HTTP responses (``{"error": {"code", "message", "details"}}``) and CLI
errors in one place each; services and algorithms raise them.
"""

from __future__ import annotations

from typing import Any


class PromzonaError(Exception):
    """Base of every business error. ``code`` is stable and machine-readable."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, field: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        details = self.details
        if details is None and self.field:
            details = {"field": self.field}
        return {"error": {"code": self.code, "message": self.message, "details": details}}


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
