from django.urls import path

from . import staff, views

#: OGC API – Features: one address for every language (``OAPIF:http://host/ogc``), namespace
#: ``ogc``.
ogc_urlpatterns = [
    path("ogc/", views.landing, name="landing"),
    path("ogc", views.landing),
    path("ogc/conformance", views.conformance, name="conformance"),
    path("ogc/collections", views.collections, name="collections"),
    path("ogc/collections/<str:name>", views.collection, name="collection"),
    path("ogc/collections/<str:name>/items", views.items, name="items"),
    path("ogc/collections/<str:name>/items/<str:pk>", views.item, name="item"),
]

app_name = "geodata"
urlpatterns = [
    path("staff/import/", staff.import_page, name="import"),
    path("staff/import/<int:pk>/", staff.import_job, name="import-job"),
    path("staff/export/<str:layer>.<str:fmt>", staff.export_download, name="export"),
    path("download/plots.<str:fmt>", staff.public_plots, name="public-plots"),
]
