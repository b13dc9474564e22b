from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("plots/<slug:zone_slug>/<str:code>/", views.passport, name="passport"),
    path("plots/<slug:zone_slug>/<str:code>/passport.pdf", views.passport_pdf, name="passport_pdf"),
    path("compare/", views.compare, name="compare"),
    path("zones/<slug:slug>/", views.zone_page, name="zone"),
]
