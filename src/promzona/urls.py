from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from promzona.accounts.urls import password_reset_urlpatterns
from promzona.api.main import api
from promzona.news import views as news_views
from promzona.news.feeds import SITEMAPS
from promzona.web import views as web_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/login/", web_views.LoginView.as_view(), name="login"),
    path("accounts/", include(password_reset_urlpatterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("promzona.accounts.urls")),
    path("applications/", include("promzona.applications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("promzona.geodata.urls")),
    path("", include("promzona.matching.urls")),
    path("sectors/", include("promzona.sectors.urls")),
    path("instructions/", include("promzona.instructions.urls")),
    path("news-photo/<int:pk>/<str:name>", news_views.photo, name="news-photo"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("works/", include("promzona.works.urls")),
    path("projects/", include("promzona.projects.urls")),
    path("optimise/", include("promzona.optimise.urls")),
    path("dashboard/", include("promzona.dashboard.urls")),
    path("", include("promzona.web.urls")),
]
urlpatterns += i18n_patterns(path("news/", include("promzona.news.urls")))

handler404 = "promzona.web.views.not_found"
