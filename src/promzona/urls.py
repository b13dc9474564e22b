from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from promzona.accounts.urls import password_reset_urlpatterns
from promzona.api.main import api
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
    path("optimise/", include("promzona.optimise.urls")),
    path("", include("promzona.web.urls")),
]

handler404 = "promzona.web.views.not_found"
