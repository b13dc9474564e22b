"""Refuse NUL characters in a request's path, query string and form or JSON body.

No text we store may contain one (PostgreSQL refuses them with a server error), so a request
carrying one is answered 400 before any view or query sees it.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from promzona.core.errors import InputError


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


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _carries_nul(request):
            return self.get_response(request)
        error = InputError(_("The request contains a NUL character, which no field accepts."))
        if request.path_info.startswith("/api/"):
            return JsonResponse(error.as_dict(), status=400)
        return render(request, "web/error.html", {"message": error.message}, status=400)
