"""Whole pages cached for anonymous readers: every write shows at once, a scheduled article
appears when it comes due, each language keeps its own text, the per-reader comment form stays
out of the cache, and signed-in users, messages and odd query strings are never served from it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from promzona.accounts.models import User
from promzona.news import comments, services
from promzona.news.models import Article, Comment
from promzona.zones import services as zones
from promzona.zones.models import Plot
from promzona.zones.selectors import data_version
from tests.news.conftest import make_article

pytestmark = pytest.mark.usefixtures("fresh_caches")

EN = {"title_en": "Copper for the zone", "lead_en": "An English lead",
      "body_en": "<p>English body</p>"}


@pytest.fixture
def editor(demo):
    return User.objects.get(username="demo-editor")


@pytest.fixture
def article(editor):
    return make_article(editor, slug="copper-story", title_ru="Медь для зоны", **EN)


def page(client, path: str, lang: str = "en") -> str:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, path
    return response.content.decode()


def cached_pages() -> int:
    with connection.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM promzona_cache WHERE cache_key LIKE %s", ["%page:%"])
        return cur.fetchone()[0]


def test_a_second_anonymous_read_comes_from_the_cache(client, article):
    page(client, "/news/copper-story/")
    with CaptureQueriesContext(connection) as fresh:
        cache.clear()
        page(client, "/news/copper-story/")
    with CaptureQueriesContext(connection) as hit:
        page(client, "/news/copper-story/")
    assert len(hit) <= 3 < len(fresh)  # versions, the cache row, the comment form's article


@pytest.mark.parametrize("path", ["/news/", "/news/copper-story/", "/news/rubric/investors/"])
def test_a_published_edit_shows_at_once(client, editor, article, path):
    assert "Copper for the zone" in page(client, path)
    services.article_save(actor=editor, now=timezone.now(), article=article,
                          fields={"title_en": "Copper, edited"})
    shown = page(client, path)
    assert "Copper, edited" in shown and "Copper for the zone" not in shown


def test_an_unpublished_article_disappears_at_once(client, editor, article):
    assert "Copper for the zone" in page(client, "/news/")
    page(client, "/news/copper-story/")
    services.article_set_status(actor=editor, article=article, status="unpublished",
                                now=timezone.now())
    assert client.get("/news/copper-story/").status_code == 404
    assert "Copper for the zone" not in page(client, "/news/")
    assert "Copper for the zone" not in page(client, "/")  # the home page's latest news


def test_an_approved_comment_shows_at_once(client, editor, article):
    now = timezone.now()
    assert "A comment from Balkhash" not in page(client, "/news/copper-story/")
    c = comments.comment_post(article=article, name="Ерлан", text="A comment from Balkhash",
                              address="203.0.113.9", now=now,
                              token=comments.form_token(article=article,
                                                        now=now - dt.timedelta(seconds=30)))
    assert "A comment from Balkhash" not in page(client, "/news/copper-story/")  # pending
    comments.comment_moderate(actor=editor, comment=c, decision="approve", now=now)
    assert "A comment from Balkhash" in page(client, "/news/copper-story/")


def test_a_moderation_by_queryset_update_still_changes_the_page(client, article):
    now = timezone.now()
    c = Comment.objects.create(article=article, name="Ерлан", text="Written in bulk",
                               created_at=now)
    assert "Written in bulk" not in page(client, "/news/copper-story/")
    Comment.objects.filter(pk=c.pk).update(status=Comment.Status.APPROVED)
    assert "Written in bulk" in page(client, "/news/copper-story/")


def test_each_language_gets_its_own_text_from_the_cache(client, article):
    for _round in range(2):  # the second round is served from the cache
        en, ru = page(client, "/news/copper-story/", "en"), page(client, "/news/copper-story/", "ru")
        kk = page(client, "/news/copper-story/", "kk")
        assert "Copper for the zone" in en and "Медь для зоны" not in en
        assert "Медь для зоны" in ru and "Copper for the zone" not in ru
        assert 'lang="kk"' in kk and "Медь для зоны" in kk  # Russian, marked as the fallback


def test_a_scheduled_article_appears_when_it_comes_due(client, editor, monkeypatch):
    now = timezone.now()
    make_article(editor, slug="due-soon", publish_at=now + dt.timedelta(hours=1),
                 **{**EN, "title_en": "Due in an hour"})
    assert "Due in an hour" not in page(client, "/news/")
    assert "Due in an hour" not in page(client, "/news/")  # cached, still not due
    monkeypatch.setattr(timezone, "now", lambda: now + dt.timedelta(hours=2))
    assert "Due in an hour" in page(client, "/news/")


def test_a_plot_taken_off_the_portal_leaves_the_article_page_at_once(client, editor, demo,
                                                                     article):
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    services.article_save(actor=editor, now=timezone.now(), article=article, fields={},
                          about=[plot])
    assert f"/{plot.code}/" in page(client, "/news/copper-story/")
    plot.status = Plot.Status.WITHDRAWN
    zones.feature_save(actor=User.objects.get(username="demo-staff"), obj=plot)
    assert f"/{plot.code}/" not in page(client, "/news/copper-story/")


def test_every_reader_gets_a_form_of_their_own_that_posts(article):
    tokens = set()
    for _reader in range(2):
        reader = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
        shown = reader.get("/en/news/copper-story/").content.decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', shown).group(1)
        token = re.search(r'name="token" value="([^"]+)"', shown).group(1)
        tokens.add(csrf)
        signed = comments.form_token(article=article,
                                     now=timezone.now() - dt.timedelta(seconds=30))
        assert token and signed  # the page's token is fresh; post one old enough to pass
        r = reader.post("/en/news/copper-story/comment/", {
            "csrfmiddlewaretoken": csrf, "name": "Reader", "text": "Hello", "token": signed})
        assert r.status_code == 302, r.content[:300]
    assert len(tokens) == 2
    assert Comment.objects.filter(article=article, name="Reader").count() == 2


def test_the_message_after_posting_is_shown_though_the_page_is_cached(client, article):
    page(client, "/news/copper-story/")
    signed = comments.form_token(article=article, now=timezone.now() - dt.timedelta(seconds=30))
    r = client.post("/en/news/copper-story/comment/", {"name": "Reader", "text": "Hello",
                                                       "token": signed}, follow=True)
    assert "awaiting moderation" in r.content.decode()
    assert "awaiting moderation" not in page(client, "/news/copper-story/")  # shown once


def test_the_newsroom_sees_drafts_and_never_the_cached_page(client, editor, article):
    page(client, "/news/")
    make_article(editor, slug="a-draft", publish=False, **{**EN, "title_en": "Draft story"})
    assert client.login(username="demo-editor", password="balkhash-demo-2026")
    assert "Draft story" in page(client, "/news/a-draft/")
    assert "logout" in page(client, "/news/")


def test_a_signed_in_reader_never_gets_an_anonymous_page(client, demo, article):
    anonymous = page(client, "/news/copper-story/")
    assert client.login(username="demo-investor", password="balkhash-demo-2026")
    mine = page(client, "/news/copper-story/")
    assert "logout" in mine and "logout" not in anonymous


@pytest.mark.parametrize("query", ["?page=abc", "?page=12345", "?utm=1", "?page=1&x=2",
                                   "?page=" + "9" * 5000, "?page=%00"])
def test_odd_query_strings_are_rendered_not_cached(client, article, query):
    r = client.get("/en/news/" + query)
    assert r.status_code in (200, 400)
    assert cached_pages() == 0


def test_a_page_number_is_cached_per_page(client, editor, article):
    page(client, "/news/?page=1")
    page(client, "/news/?page=2")
    assert cached_pages() == 2


def test_a_404_is_not_cached(client, article):
    assert client.get("/en/news/no-such-story/").status_code == 404
    assert cached_pages() == 0


def test_an_article_edit_by_queryset_update_changes_the_page(client, article):
    assert "Copper for the zone" in page(client, "/news/copper-story/")
    Article.objects.filter(pk=article.pk).update(title_en="Copper, in bulk")
    assert "Copper, in bulk" in page(client, "/news/copper-story/")


def test_a_burst_of_comments_empties_no_cached_page_until_one_is_approved(client, editor, article):
    """Comments waiting for moderation are shown nowhere, so posting them keeps every cached
    page (the news, the map, passports) and the zones' version (the matching index)."""
    plot = Plot.objects.filter(status="published").select_related("zone").first()
    paths = ["/news/", "/news/copper-story/", "/", f"/plots/{plot.zone.slug}/{plot.code}/"]
    for path in paths:
        page(client, path)
    versions = data_version("zones", "news")
    now = timezone.now()
    posted = [comments.comment_post(article=article, name=f"Reader {i}", text=f"Burst {i}",
                                    address=f"203.0.113.{i}", now=now,
                                    token=comments.form_token(article=article,
                                                              now=now - dt.timedelta(seconds=30)))
              for i in range(1, 21)]
    assert data_version("zones", "news") == versions
    for path in paths:
        with CaptureQueriesContext(connection) as read:
            page(client, path)
        assert len(read) <= 3, path  # from the cache: nothing was rendered again
    comments.comment_moderate(actor=editor, comment=posted[0], decision="approve", now=now)
    assert data_version("zones", "news").split(":")[0] == versions.split(":")[0]
    assert "Burst 1" in page(client, "/news/copper-story/")
