"""The one place pages turn business errors into what the reader sees, translated here at the
edge (core's messages are English templates; see :mod:`promzona.core.errors`).

* :func:`refused`: a refusal after a POST becomes a message on the next page;
* :func:`form_refused`: a refusal of a form's service call becomes the form's error;
* :func:`form_errors`: an invalid form's errors become messages;
* :class:`BusinessErrorsMiddleware`: whatever a page's view lets through becomes the page for
  its kind (403, or the error page with the message and the error's status).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from promzona import l10n
from promzona.core.errors import Forbidden, PromzonaError


def message_of(exc: PromzonaError) -> str:
    """The error's message in the active language, its numbers written as that language writes
    them."""
    return exc.translated(gettext, l10n.lang())


def refused(request, exc: PromzonaError) -> None:
    """A business error becomes a message on the next page; a role refusal is a 403."""
    if isinstance(exc, Forbidden):
        raise PermissionDenied(message_of(exc)) from exc
    messages.error(request, message_of(exc))


def form_refused(form, exc: PromzonaError) -> None:
    """A business error becomes the error of the field it names (else of the form); a role
    refusal is a 403."""
    if isinstance(exc, Forbidden):
        raise PermissionDenied(message_of(exc)) from exc
    form.add_error(exc.field if exc.field in form.fields else None, message_of(exc))


def declared_length(request) -> int | None:
    """The request's Content-Length as a number (0 when absent), None when it is malformed."""
    text = request.META.get("CONTENT_LENGTH") or "0"
    return int(text) if text.isascii() and text.isdigit() else None


def body_over(request, limit: int) -> bool:
    """Whether the declared body is over ``limit`` bytes, or of a length that is not a number:
    asked before Django reads an upload and spools it to disk."""
    length = declared_length(request)
    return length is None or length > limit


#: What the form around uploads may add to them (its fields, the multipart boundaries).
FORM_SLACK = 1024 * 1024


def uploads_over(request, *, files: int, each: int) -> bool:
    """Whether the declared body is over what ``files`` uploads of at most ``each`` bytes and
    their form may take (see :func:`body_over`)."""
    return body_over(request, files * each + FORM_SLACK)


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


class BusinessErrorsMiddleware:
    """A :class:`PromzonaError` raised through a page's view: :class:`Forbidden` is the 403
    page, any other the error page with its message and status (404 for :class:`NotFound`).
    The JSON API answers its own (``api.main``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not isinstance(exc, PromzonaError) or request.path_info.startswith("/api/"):
            return None
        if isinstance(exc, Forbidden):
            return response_for_exception(request, PermissionDenied(message_of(exc)))
        return render(request, "web/error.html", {"message": message_of(exc)},
                      status=exc.http_status)
