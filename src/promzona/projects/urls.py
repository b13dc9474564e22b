from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/<int:application_id>/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/report/", views.project_report, name="report"),
    path("<int:pk>/status/", views.project_status, name="status"),
    path("<int:pk>/terminate/", views.project_terminate, name="terminate"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("milestones/<int:pk>/reschedule/", views.milestone_reschedule, name="reschedule"),
    path("reports/<int:pk>/<slug:decision>/", views.report_review, name="review"),
]
