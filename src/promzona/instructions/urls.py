from django.urls import path

from . import views

app_name = "instructions"
urlpatterns = [
    path("", views.instruction_list, name="list"),
    path("execute/", views.instruction_list, {"box": "execute"}, name="execute"),
    path("control/", views.instruction_list, {"box": "control"}, name="control"),
    path("new/", views.instruction_create, name="create"),
    path("<int:pk>/", views.instruction_detail, name="detail"),
    path("<int:pk>/edit/", views.instruction_edit, name="edit"),
    path("<int:pk>/report/", views.instruction_report, name="report"),
    path("<int:pk>/extend/", views.instruction_extend, name="extend"),
    path("<int:pk>/do/<slug:action>/", views.instruction_action, name="action"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("calendar/", views.calendar_manage, name="calendar"),
    path("calendar/<str:key>.ics", views.calendar_feed, name="feed"),
]
