from django.urls import path

from . import views

app_name = "sectors"
urlpatterns = [
    path("", views.index, name="index"),
    path("figure/<slug:name>.png", views.figure, name="figure"),
    path("export/<slug:table>.<str:fmt>", views.export, name="export"),
    path("reports/", views.report_start, name="report-start"),
]
