from django.urls import path

from . import views

app_name = "enquiries"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.enquiry_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:status>/", views.mark, name="mark"),
]
