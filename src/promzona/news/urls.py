"""News pages, under a language prefix (``/ru/news/``, ``/kk/news/``, ``/en/news/``): each
language version of a page has its own address, for feeds, hreflang and sharing."""

from django.urls import path
from django.views.decorators.http import require_GET

from . import desk, views
from .feeds import NewsAtom, NewsRss

app_name = "news"
urlpatterns = [
    path("", views.index, name="index"),
    path("rss.xml", require_GET(NewsRss()), name="rss"),
    path("atom.xml", require_GET(NewsAtom()), name="atom"),
    path("search/", views.search, name="search"),
    path("rubric/<slug:slug>/", views.rubric, name="rubric"),
    path("tag/<slug:slug>/", views.tag, name="tag"),
    path("desk/", desk.desk, name="desk"),
    path("desk/new/", desk.edit, name="desk-new"),
    path("desk/<int:pk>/", desk.edit, name="desk-edit"),
    path("desk/<int:pk>/status/", desk.status, name="desk-status"),
    path("desk/<int:pk>/discard/", desk.discard, name="desk-discard"),
    path("desk/comments/", desk.moderation, name="moderation"),
    path("desk/comments/<int:pk>/<slug:action>/", desk.moderate, name="moderate"),
    path("<slug:slug>/", views.article, name="article"),
    path("<slug:slug>/comment/", views.comment, name="comment"),
]
