from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("invite/", views.invite, name="invite"),
    path("join/<str:token>/", views.join, name="join"),
]
