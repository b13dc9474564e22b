from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("list/<slug:kind>/<slug:key>/", views.listing, name="list"),
    path("report/<int:year>-<int:month>.<slug:fmt>", views.monthly, name="monthly"),
    path("register/<slug:what>.<slug:fmt>", views.register, name="register"),
]
