"""The sector analytics page, its pictures and exports: for managers and zone office staff."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import translation
from django.views.decorators.http import require_GET, require_POST

from promzona.accounts.decorators import role_required
from promzona.accounts.models import Role
from promzona.core.errors import InputError
from promzona.sectors import charts, reports, selectors
from promzona.web.feedback import message_of

#: Logged-in managers and zone office staff (and superusers); others get 403.
analysts_only = role_required(Role.MANAGER, Role.STAFF)


@analysts_only
@require_GET
def index(request):
    b, host = selectors.balkhash_live()
    ctx = {
        "hosting_from_zone": host is not None,
        "summary": selectors.kazakhstan_summary(),
        "top": selectors.kazakhstan_table().to_dict("records"),
        "growth": selectors.balkhash_table().assign(
            localisable_bn=lambda d: d["localisable_kzt"] / 1e9).to_dict("records"),
        "shift_share": selectors.shift_share_table(b).to_dict("records"),
        "weights": b.weights,
        "illustrative_note": reports.illustrative_note(),
        "formats": ["xlsx", "pdf"],
    }
    return render(request, "sectors/index.html", ctx)


@analysts_only
@require_GET
def figure(request, name: str):
    if name not in charts.RENDERERS:
        raise Http404
    lang = translation.get_language() or settings.LANGUAGE_CODE
    png = charts.figure_png(name, lang, settings.PROMZONA_VAR_DIR / "cache" / "sectors")
    resp = HttpResponse(png, content_type="image/png")
    resp["Cache-Control"] = "private, max-age=3600"
    return resp


@analysts_only
@require_GET
def export(request, table: str, fmt: str):
    """CSV at once (small and cheap)."""
    if table not in selectors.TABLES or fmt != "csv":
        raise Http404
    try:
        body = reports.render(table, fmt, sep=request.GET.get("sep"))
    except InputError as exc:
        return HttpResponseBadRequest(message_of(exc), content_type="text/plain; charset=utf-8")
    resp = HttpResponse(body, content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="promzona-{table}.{fmt}"'
    return resp


@analysts_only
@require_POST
def report_start(request):
    """Queue an XLSX or PDF report; its page (:mod:`promzona.ops.views`) follows it."""
    try:
        job = reports.report_start(actor=request.user, table=request.POST.get("table", ""),
                                   fmt=request.POST.get("fmt", ""))
    except InputError as exc:
        return HttpResponseBadRequest(message_of(exc), content_type="text/plain; charset=utf-8")
    return redirect("ops:report", pk=job.pk)

