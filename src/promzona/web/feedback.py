"""How pages turn business refusals and form errors into what the user sees."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from promzona.core.errors import Forbidden, PromzonaError


def refused(request, exc: PromzonaError) -> None:
    """A business error becomes a message on the next page; a role refusal is a 403."""
    if isinstance(exc, Forbidden):
        raise PermissionDenied(exc.message) from exc
    messages.error(request, exc.message)


def form_errors(request, form) -> None:
    """Each error of an invalid form as a message, prefixed by its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for e in errors:
            messages.error(request, f"{label}: {e}" if label else e)


def form_error_text(form) -> str:
    """The errors of an invalid form as one line: "Label: message; ..." (no field names)."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        parts += [f"{label}: {e}" if label else str(e) for e in errors]
    return "; ".join(parts)


def too_many_requests(request, message: str, *, retry_after: int) -> HttpResponse:
    """429 on the site's own page, with ``Retry-After`` in seconds."""
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
