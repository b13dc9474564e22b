from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("match/", views.match_page, name="match"),
    path("match/offer.pdf", views.offer_pdf, name="offer"),
    path("match/saved/<int:pk>/delete/", views.saved_search_remove, name="saved-delete"),
]
