"""Request hygiene around every view: the language from the address; NUL characters refused up
front; oversized API bodies refused before they are read; API errors that Django or ninja
answer themselves put into the API's JSON error format; the Permissions-Policy header."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.conf import settings
from django.http import JsonResponse
from django.middleware import locale
from django.shortcuts import render
from django.urls import Resolver404, URLResolver, get_urlconf
from django.urls.resolvers import RegexPattern
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from promzona.core.errors import InputError, MethodNotAllowed, PromzonaError, TooLarge
from promzona.web.feedback import declared_length


@cache
def _unprefixed(urlconf) -> URLResolver | None:
    """The URLconf's addresses without a language (its ``unprefixed_urlpatterns``), if any."""
    module = import_module(urlconf) if isinstance(urlconf, str) else urlconf
    patterns = getattr(module, "unprefixed_urlpatterns", None)
    return URLResolver(RegexPattern(r"^/"), patterns) if patterns else None


def without_language(path: str, urlconf=None) -> bool:
    """Whether ``path`` is an address without language versions: the API (its own 404s too),
    OGC API, the sitemap, stored files; not a language prefix or a page."""
    resolver = _unprefixed(urlconf or get_urlconf() or settings.ROOT_URLCONF)
    if resolver is None or translation.get_language_from_path(path):
        return False
    try:
        resolver.resolve(path)
    except Resolver404:
        return path.startswith("/api/")
    return True


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's, with the language from the address (``/kk/…``, ``/en/…``, Russian without a
    prefix). Addresses that have no language version (the API, OGC API, the sitemap) keep the
    negotiation by cookie and Accept-Language, so an API client still reads its messages in
    the language it asks for."""

    def process_request(self, request):
        super().process_request(request)
        if not without_language(request.path_info, getattr(request, "urlconf", None)):
            return
        translation.activate(translation.get_language_from_request(request))
        request.LANGUAGE_CODE = translation.get_language()


def _carries_nul(request) -> bool:
    if "\x00" in request.path_info or any("\x00" in k + "".join(v)
                                          for k, v in request.GET.lists()):
        return True
    content_type = request.content_type or ""
    if content_type == "application/json":
        return b"\\u0000" in request.body or b"\x00" in request.body
    if content_type == "application/x-www-form-urlencoded":
        return any("\x00" in k + "".join(v) for k, v in request.POST.lists())
    return False


class RefuseMalformedMiddleware:
    """A request whose Content-Length is not a number, or that carries a NUL (no text we store
    may contain one: PostgreSQL refuses them with a server error), is answered 400 before any
    view, query or metric reads it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if declared_length(request) is None:
            error = InputError(_("The Content-Length header is not a number."))
        elif _carries_nul(request):
            error = InputError(_("The request contains a NUL character, which no field accepts."))
        else:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse(error.as_dict(), status=400)
        return render(request, "web/error.html", {"message": error.message}, status=400)


#: Error pages Django renders itself under /api/ (a suspicious request, a crash), in the API's
#: format (an unknown path is answered by ``web.views.not_found``).
_STATUS_ERRORS = {
    400: ("invalid", gettext_lazy("The request is malformed.")),
    403: ("forbidden", gettext_lazy("You may not do this.")),
    500: ("server_error", gettext_lazy("An internal error occurred; it has been logged.")),
}


class ApiJsonErrorsMiddleware:
    """Every answer under ``/api/`` is JSON, errors included. A body larger than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused with 413 before anything reads it; an error page
    that Django or ninja render themselves (a wrong method — keeping ``Allow`` —, a suspicious
    request, a crash) becomes ``{"error": {"code", "message", "details"}}`` with its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        refusal = self._refuse_unread(request)
        if refusal is not None:
            return JsonResponse(refusal.as_dict(), status=refusal.http_status)
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
                "application/json"):
            return response
        if response.status_code == 405:
            body = MethodNotAllowed(_("Method %(method)s is not allowed here; use %(allowed)s.") % {
                "method": request.method[:10], "allowed": response.get("Allow", "—")}).as_dict()
        else:
            code, message = _STATUS_ERRORS.get(
                response.status_code, ("error", gettext_lazy("The request failed.")))
            body = {"error": {"code": code, "message": str(message), "details": None}}
        json_response = JsonResponse(body, status=response.status_code)
        if response.has_header("Allow"):
            json_response["Allow"] = response["Allow"]
        return json_response

    @staticmethod
    def _refuse_unread(request) -> PromzonaError | None:
        """A body that must not be read (too large, or of an unreadable length), as an error."""
        length = declared_length(request)
        with translation.override(translation.get_language_from_request(request)):
            if length is None:
                return InputError(_("The Content-Length header is not a number."))
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                return TooLarge(_("The request body is larger than %(mb)s MB.") % {
                    "mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20})
        return None

class PermissionsPolicyMiddleware:
    """Sends ``settings.PERMISSIONS_POLICY`` as the ``Permissions-Policy`` header on every
    response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
