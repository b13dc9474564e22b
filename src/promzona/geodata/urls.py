from django.urls import path

from . import views

app_name = "geodata"
urlpatterns = [
    path("ogc/", views.landing, name="ogc-landing"),
    path("ogc", views.landing),
    path("ogc/conformance", views.conformance, name="ogc-conformance"),
    path("ogc/collections", views.collections, name="ogc-collections"),
    path("ogc/collections/<str:name>", views.collection, name="ogc-collection"),
    path("ogc/collections/<str:name>/items", views.items, name="ogc-items"),
    path("ogc/collections/<str:name>/items/<str:pk>", views.item, name="ogc-item"),
]
