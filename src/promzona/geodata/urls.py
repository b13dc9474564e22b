from django.urls import path

from . import staff, views

app_name = "geodata"
urlpatterns = [
    path("ogc/", views.landing, name="ogc-landing"),
    path("ogc", views.landing),
    path("ogc/conformance", views.conformance, name="ogc-conformance"),
    path("ogc/collections", views.collections, name="ogc-collections"),
    path("ogc/collections/<str:name>", views.collection, name="ogc-collection"),
    path("ogc/collections/<str:name>/items", views.items, name="ogc-items"),
    path("ogc/collections/<str:name>/items/<str:pk>", views.item, name="ogc-item"),
    path("staff/import/", staff.import_page, name="import"),
    path("staff/import/<int:pk>/", staff.import_job, name="import-job"),
    path("staff/export/<str:layer>.<str:fmt>", staff.export_download, name="export"),
    path("download/plots.<str:fmt>", staff.public_plots, name="public-plots"),
]
