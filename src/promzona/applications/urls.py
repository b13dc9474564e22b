from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/comment/", views.comment_add, name="comment"),
    path("<int:pk>/reserve/", views.plot_reserve, name="reserve"),
    path("<int:pk>/upload/", views.attachment_upload, name="upload"),
    path("<int:pk>/<slug:name>/", views.application_transition, name="transition"),
    path("reservations/<int:pk>/release/", views.reservation_release, name="release"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("plots/<int:plot_id>/history/", views.plot_history, name="plot_history"),
]
