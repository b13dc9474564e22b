from django.urls import path

from . import views

app_name = "works"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("new/", views.work_create, name="create"),
    path("timeline/", views.timeline, name="timeline"),
    path("<int:pk>/", views.work_detail, name="detail"),
    path("<int:pk>/progress/", views.work_progress, name="progress"),
    path("<int:pk>/replan/", views.work_replan, name="replan"),
    path("<int:pk>/inspect/", views.work_inspect, name="inspect"),
    path("<int:pk>/accept/", views.work_accept, name="accept"),
    path("<int:pk>/cancel/", views.work_cancel, name="cancel"),
    path("inspections/<int:pk>/fix/", views.inspection_fix, name="fix"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
