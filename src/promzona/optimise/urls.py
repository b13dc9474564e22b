from django.urls import path

from . import views

app_name = "optimise"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:zone_slug>/plan/", views.plan, name="plan"),
    path("<slug:zone_slug>/plan/works/", views.plan_works, name="plan_works"),
    path("<slug:zone_slug>/scenarios/", views.scenarios, name="scenarios"),
    path("<slug:zone_slug>/scenarios/new/", views.scenario_new, name="scenario_new"),
    path("<slug:zone_slug>/scenarios/<int:pk>/", views.scenario_detail, name="scenario"),
    path("<slug:zone_slug>/scenarios/<int:pk>/delete/", views.scenario_delete,
         name="scenario_delete"),
    path("<slug:zone_slug>/allocation/", views.allocation, name="allocation"),
    path("<slug:zone_slug>/allocation/confirm/", views.allocation_confirm,
         name="allocation_confirm"),
    path("<slug:zone_slug>/<slug:what>.<str:fmt>", views.export, name="export"),
]
