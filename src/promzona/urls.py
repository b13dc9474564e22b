"""The URLconf. Pages carry their language in the address: ``/kk/…``, ``/en/…``, Russian
without a prefix; a link opens in the language it was shared in. The API, OGC API – Features,
the sitemap and stored photos keep addresses without a language (contracts and files), and
old Russian links under ``/ru/`` redirect to the same page without the prefix."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from promzona.accounts.urls import password_reset_urlpatterns
from promzona.api.main import api
from promzona.geodata.urls import ogc_urlpatterns
from promzona.news import views as news_views
from promzona.news.feeds import SITEMAPS
from promzona.ops.views import metrics
from promzona.web import views as web_views

#: Addresses without a language; the language of what they say is negotiated (cookie,
#: Accept-Language), see :class:`promzona.middleware.LocaleMiddleware`.
unprefixed_urlpatterns = [
    path("api/", api.urls),
    path("", include((ogc_urlpatterns, "ogc"))),
    path("news-photo/<int:pk>/<str:name>", news_views.photo, name="news-photo"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("metrics", metrics, name="metrics"),
    path("brand/<slug:version>.css", web_views.brand_css, name="brand-css"),
    path("brand/logo-<slug:sha>.png", web_views.brand_logo, name="brand-logo"),
    re_path(r"^ru(?:/.*)?\Z", web_views.russian_unprefixed),
]

urlpatterns = unprefixed_urlpatterns + i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/login/", web_views.LoginView.as_view(), name="login"),
    path("accounts/", include(password_reset_urlpatterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("promzona.accounts.urls")),
    path("applications/", include("promzona.applications.urls")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("promzona.geodata.urls")),
    path("", include("promzona.matching.urls")),
    path("sectors/", include("promzona.sectors.urls")),
    path("instructions/", include("promzona.instructions.urls")),
    path("news/", include("promzona.news.urls")),
    path("works/", include("promzona.works.urls")),
    path("projects/", include("promzona.projects.urls")),
    path("optimise/", include("promzona.optimise.urls")),
    path("dashboard/", include("promzona.dashboard.urls")),
    path("reports/", include("promzona.ops.urls")),
    path("enquiries/", include("promzona.enquiries.urls")),
    path("", include("promzona.web.urls")),
    prefix_default_language=False,
)

handler404 = "promzona.web.views.not_found"
