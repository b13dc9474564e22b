from django.urls import path

from . import views

app_name = "ops"
urlpatterns = [
    path("<int:pk>/", views.report, name="report"),
    path("<int:pk>/file", views.report_file, name="report-file"),
]
