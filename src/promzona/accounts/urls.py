from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

#: Django's password views with ours where they write (outside the ``accounts`` namespace:
#: Django reverses these names itself). Included before ``django.contrib.auth.urls``.
password_reset_urlpatterns = [
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/password_reset_done.html"), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"), name="password_reset_complete"),
]

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/resend/", views.verify_resend, name="verify_resend"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("invite/", views.invite, name="invite"),
    path("join/<str:token>/", views.join, name="join"),
    path("organisation/", views.organisation, name="organisation"),
    path("registrations/", views.queue, name="queue"),
    path("registrations/<int:pk>/<slug:decision>/", views.join_request_decide,
         name="join_request_decide"),
    path("organisations/<int:pk>/confirm/", views.organisation_confirm,
         name="organisation_confirm"),
]
