"""The sector analytics page, its pictures and exports: for managers and zone office staff."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.decorators import role_required
from promzona.accounts.models import Role
from promzona.core.errors import InputError
from promzona.sectors import charts, exports, selectors

#: Logged-in managers and zone office staff (and superusers); others get 403.
analysts_only = role_required(Role.MANAGER, Role.STAFF)


def _illustrative_note() -> str:
    return _("Illustrative data: the Balkhash employment, purchases and hosting scores are "
             "invented for the demo, not official statistics.")


@analysts_only
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
        "illustrative_note": _illustrative_note(),
        "formats": ["csv", "xlsx", "pdf"],
    }
    return render(request, "sectors/index.html", ctx)


@analysts_only
def figure(request, name: str):
    if name not in charts.RENDERERS:
        raise Http404
    lang = translation.get_language() or settings.LANGUAGE_CODE
    png = charts.figure_png(name, lang, settings.PROMZONA_VAR_DIR / "cache" / "sectors")
    resp = HttpResponse(png, content_type="image/png")
    resp["Cache-Control"] = "private, max-age=3600"
    return resp


@analysts_only
def export(request, table: str, fmt: str):
    if table not in selectors.TABLES or fmt not in ("csv", "xlsx", "pdf"):
        raise Http404
    df, title, illustrative = selectors.export_table(table)
    note = _illustrative_note() if illustrative else _(
        "Source: world trade 1998-2000 (R package economiccomplexity 2.0.0, Open Trade Statistics); "
        "computed by promzona.")
    headers = {c: str(selectors.COLUMNS[c][0]) for c in df.columns}
    digits = {c: selectors.COLUMNS[c][1] for c in df.columns}
    if fmt == "csv":
        try:
            sep, decimal = l10n.csv_style(request.GET.get("sep"))
        except InputError as exc:
            return HttpResponseBadRequest(exc.message, content_type="text/plain; charset=utf-8")
        body = exports.csv_bytes(df.rename(columns=headers), note=note, sep=sep, decimal=decimal)
        ctype = "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = exports.xlsx_file(df.rename(columns=headers), title=title, note=note,
                                 digits={headers[c]: d for c, d in digits.items()})
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        images = []
        if table == "kazakhstan":
            lang = translation.get_language() or settings.LANGUAGE_CODE
            cache = settings.PROMZONA_VAR_DIR / "cache" / "sectors"
            images = [charts.figure_png(name, lang, cache) for name in charts.RENDERERS]
        body = exports.pdf_file(df, title=title, note=note, columns=selectors.PDF_COLUMNS[table],
                                images=images, digits=digits, headers=headers)
        ctype = "application/pdf"
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="promzona-{table}.{fmt}"'
    return resp
