"""Public pages. Thin: parse input, call a selector, render."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.cache import cache, caches
from django.http import (
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.defaults import page_not_found

from promzona import l10n
from promzona.accounts.forms import ThrottledAuthenticationForm
from promzona.core import colours
from promzona.core.errors import InputError, NotFound
from promzona.core.filenames import safe_filename
from promzona.core.sinks import xlsx_bytes
from promzona.demo.accounts import DEMO_ACCOUNTS, demo_loaded
from promzona.enquiries.selectors import contacts_of
from promzona.web.feedback import message_of
from promzona.web.passport import passport_facts, provenance_facts
from promzona.zones import selectors as zsel
from promzona.zones.models import Zone

from . import maps, pagecache, pdf
from . import selectors as sel
from .links import passport_url
from .models import DEFAULT_COLOUR, Branding

PAGE_CACHE_SECONDS = 300
DOWNLOAD_FORMATS = [("geojson", "GeoJSON"), ("gpkg", "GeoPackage"), ("kml", "KML"),
                    ("shp", "Shapefile (ZIP)"), ("csv", "CSV")]


@require_GET
def home(request):
    """Map, filters and the plot list; ``?partial=list`` returns only the list (for the JS).

    Anonymous readers get the page without filters from the page cache (:mod:`pagecache`);
    for the others its body is cached per language and audience, keyed on a version of the
    zones' data (see :func:`selectors.page_version`), so a changed plot shows at once.
    """
    return pagecache.serve(request, lambda: _home(request))


def _body(request, key: str, render_body):
    """``render_body()``, cached under ``key`` and the zones' data version for signed-in users
    (for anonymous readers the whole page is cached by :mod:`pagecache`, so a second copy
    would only cost a write)."""
    if pagecache.cacheable(request):
        return render_body()
    key = f"{key}:{sel.page_version()}"
    body = cache.get(key)
    if body is None:
        body = render_body()
        cache.set(key, body, PAGE_CACHE_SECONDS)
    return body


def _home(request):
    zones = list(Zone.objects.all())
    if request.GET:
        body, status = _home_body(request, zones)
    else:
        audience = int(zsel.can_see_unpublished(request.user))
        key = f"portal:home:{get_language()}:{audience}"
        body, status = _body(request, key, lambda: _home_body(request, zones)[0]), 200
    if isinstance(body, HttpResponse):
        return body
    return render(request, "web/home.html", {"body": body, "zones": zones,
                                             "download_formats": DOWNLOAD_FORMATS}, status=status)


def _home_body(request, zones):
    today = timezone.localdate()
    form = sel.PlotFilterForm(request.GET or None)
    error = None
    try:
        filters = sel.parse_filters(request.GET)
    except InputError as exc:
        if request.GET.get("partial") == "list":
            raise
        filters, error = {}, message_of(exc)
    visible = list(zsel.plots_visible_to(request.user).order_by("zone__slug", "code"))
    if error:
        plots = []
    elif any(v not in (None, "", False) for v in filters.values()):
        plots = sel.plots_filtered(request.user, filters, today=today)
    else:
        plots = visible
    if request.GET.get("partial") == "list":
        return render(request, "web/_plot_list.html", {"plots": plots}), 200
    map_data = maps.home_map(zones, visible)
    body = render_to_string("web/_home_body.html", {
        "form": form, "error": error, "plots": plots, "map_data": map_data,
        "legend": maps.legend(map_data),
        "summaries": [sel.zone_summary(request.user, z) for z in zones],
    }, request=request)
    return mark_safe(body), 400 if error else 200  # noqa: S308 - our own rendered template


@require_GET
def passport(request, zone_slug: str, code: str):
    """The plot passport: for anonymous readers from the page cache (:mod:`pagecache`); for
    the others its body is cached per language and day under a key that changes with the
    zones' data (see :func:`selectors.page_version`)."""
    return pagecache.serve(request, lambda: _passport(request, zone_slug, code))


def _passport(request, zone_slug: str, code: str):
    plot = sel.plot_by_code(request.user, zone_slug, code)
    today = timezone.localdate()
    audience = int(zsel.can_see_unpublished(request.user))
    key = f"portal:passport:{get_language()}:{audience}:{plot.pk}:{today}"

    def render_body():
        neighbours = list(zsel.plots_visible_to(request.user).filter(zone=plot.zone))
        map_data = maps.passport_map(plot, neighbours)
        return mark_safe(render_to_string("web/_passport_body.html", {  # noqa: S308 - ours
            "plot": plot, "zone": plot.zone, "stale": plot.is_stale(today),
            "utilities": sel.plot_utilities(plot, today=today),
            "facts": passport_facts(plot), "provenance": provenance_facts(plot, today=today),
            "map_data": map_data, "legend": maps.legend(map_data),
        }, request=request))

    body = _body(request, key, render_body)
    return render(request, "web/passport.html", {"body": body, "plot": plot, "zone": plot.zone,
                                                 "contacts": contacts_of(plot.zone)})


@require_GET
def passport_pdf(request, zone_slug: str, code: str):
    plot = sel.plot_by_code(request.user, zone_slug, code)
    today = timezone.localdate()
    url = request.build_absolute_uri(passport_url(plot))
    key = f"portal:passport.pdf:{get_language()}:{plot.pk}:{today}:{sel.page_version()}:{url}"
    body = caches["offers"].get(key)
    if body is None:
        body = pdf.passport_pdf(plot, sel.plot_utilities(plot, today=today), today=today, url=url)
        caches["offers"].set(key, body, PAGE_CACHE_SECONDS)
    resp = HttpResponse(body, content_type="application/pdf")
    name = safe_filename(f"passport-{plot.zone.slug}-{plot.code}.pdf")
    resp["Content-Disposition"] = content_disposition_header(True, name)
    return resp


@require_GET
def compare(request):
    raw = request.GET.getlist("plots")
    fmt = request.GET.get("format", "html")
    if fmt not in ("html", "csv", "xlsx"):
        raise InputError(_("Unknown format."), field="format")
    plots = sel.plots_for_compare(request.user, raw)
    rows = sel.compare_rows(plots, today=timezone.localdate())
    table = [[_("Plot"), *(p.code for p in plots)]] + [[r.label, *r.values] for r in rows]
    if fmt == "csv":
        resp = HttpResponse(l10n.csv_bytes(table, choice=request.GET.get("sep")),
                            content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = 'attachment; filename="plots-compared.csv"'
        return resp
    if fmt == "xlsx":
        body = xlsx_bytes(table, sheet=_("Comparison"), bold_rows=[0], widths={"A": 34},
                          fill_rows=[n for n, r in enumerate(rows, 1) if r.differs],
                          row_formats={n: l10n.number_format(r.digits)
                                       for n, r in enumerate(rows, 1)})
        resp = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        resp["Content-Disposition"] = 'attachment; filename="plots-compared.xlsx"'
        return resp
    return render(request, "web/compare.html", {
        "plots": plots, "rows": rows, "ids": ",".join(str(p.pk) for p in plots)})


@require_GET
def zone_page(request, slug: str):
    zone = get_object_or_404(zsel.zones_visible_to(request.user), slug=slug)
    return render(request, "web/zone.html", {
        "zone": zone, "summary": sel.zone_summary(request.user, zone),
        "anchors": zone.anchors.select_related("sector"),
        "directions": zone.directions.prefetch_related("sectors"),
        "sectors": zone.priority_sectors.all(), "contacts": contacts_of(zone),
    })


class LoginView(auth_views.LoginView):
    """Django's login (throttled), listing the demo accounts while the demo is loaded."""

    http_method_names = ["get", "post"]

    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["demo_accounts"] = DEMO_ACCOUNTS if demo_loaded() else []
        return ctx

    def get_default_redirect_url(self):
        """Staff and managers land on the dashboard; everybody else on the map."""
        if zsel.can_see_unpublished(self.request.user):
            return reverse("dashboard:index")
        return super().get_default_redirect_url()


IMMUTABLE = "public, max-age=31536000, immutable"


@require_GET
def brand_css(request, version: str):
    """The branding's colours as CSS variables over ``site.css``'s defaults (a style sheet, as
    the Content-Security-Policy allows no inline style). Its address carries the colour."""
    branding = Branding.objects.first()
    colour = branding.colour if branding else DEFAULT_COLOUR
    try:
        values = colours.shades(colour)
    except InputError:  # only a raw database edit can store a bad colour
        values = colours.shades(DEFAULT_COLOUR)
    css = ":root{" + ";".join(f"--{k}:{v}" for k, v in values.items()) + "}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    if version == colour.lstrip("#").lower():
        response["Cache-Control"] = IMMUTABLE
    return response


@require_GET
def brand_logo(request, sha: str):
    """The branding's logo (PNG re-encoded on upload); its address changes with the logo."""
    branding = Branding.objects.filter(logo_sha=sha).exclude(logo_sha="").first()
    if branding is None:
        raise Http404
    response = HttpResponse(bytes(branding.logo), content_type="image/png")
    response["Cache-Control"] = IMMUTABLE
    return response


def russian_unprefixed(request):
    """An old Russian link (``/ru/news/…``): Russian pages have no prefix now. A permanent
    redirect to the same page and query; other methods than GET and HEAD keep theirs (308)."""
    # From the quoted full path, and never "//host": a redirect stays on this site.
    target = "/" + request.get_full_path()[len("/ru"):].lstrip("/")
    response = HttpResponsePermanentRedirect(target)
    if request.method not in ("GET", "HEAD"):
        response.status_code = 308
    return response


def not_found(request, exception):
    """404: the API answers in its JSON error format, the site with its own page."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(NotFound(_("No such API endpoint.")).as_dict(), status=404)
    return page_not_found(request, exception)
