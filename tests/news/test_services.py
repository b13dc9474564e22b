"""Articles: who may write, the status flow, scheduled publishing, fallback, photos."""

from __future__ import annotations

import datetime as dt
import io
import os

import pytest
from PIL import Image

from promzona.accounts.models import User
from promzona.audit.models import AuditEntry
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.news import selectors, services
from promzona.news.events import rubric_for
from promzona.news.models import Article
from promzona.zones.selectors import data_version

from .conftest import jpeg, make_article


@pytest.mark.parametrize("username", ["demo-investor", "demo-manager"])
def test_outside_the_newsroom_writing_is_forbidden(demo, username, now):
    user = User.objects.get(username=username)
    with pytest.raises(Forbidden):
        services.article_save(actor=user, now=now, fields={"rubric": rubric_for(slug="investors"),
                                                           "title_ru": "x"})
    assert not Article.objects.filter(title_ru="x").exists()


def test_staff_write_news_too(staff_user, now):
    assert make_article(staff_user, title_ru="От отдела").status == "published"


def test_body_is_sanitised_on_save_and_plain_fields_flattened(editor, now):
    a = make_article(editor, publish=False, body_ru='<p onclick="x()">a<script>alert(1)</script></p>',
                     title_ru="  Заголовок\n\x00 ", byline="<b>Автор</b>")
    a.refresh_from_db()
    assert a.body_ru == "<p>a</p>"
    assert a.title_ru == "Заголовок"
    assert a.byline == "<b>Автор</b>"  # plain text: stored as typed, escaped when shown


def test_russian_title_is_required(editor, now):
    with pytest.raises(InputError) as exc:
        services.article_save(actor=editor, now=now, fields={"rubric": rubric_for(slug="investors"),
                                                             "title_en": "Only English"})
    assert exc.value.field == "title_ru"


@pytest.mark.parametrize("fields, field", [
    ({"title_ru": "x" * 201}, "title_ru"),
    ({"lead_ru": "x" * 1001}, "lead_ru"),
    ({"body_ru": "<p>" + "x" * 100_001 + "</p>"}, "body_ru"),
    ({"source_url": "javascript:alert(1)"}, "source_url"),
    ({"unknown": "x"}, None),
])
def test_bad_fields_are_refused_and_nothing_is_saved(editor, now, fields, field):
    count = Article.objects.count()
    with pytest.raises(InputError) as exc:
        services.article_save(actor=editor, now=now, fields={
            "rubric": rubric_for(slug="investors"), "title_ru": "t", **fields})
    assert exc.value.field == field
    assert Article.objects.count() == count


def test_slugs_are_unique_and_never_shadow_pages(editor, now):
    a = make_article(editor, publish=False, title_ru="Поиск", slug="search")
    b = make_article(editor, publish=False, title_ru="Поиск", slug="search")
    assert a.slug == "search-news" and b.slug == "search-news-2"


def test_status_flow_and_refused_jumps(editor, now):
    a = make_article(editor, publish=False)
    with pytest.raises(Conflict):
        services.article_set_status(actor=editor, article=a, status="published", now=now)
    services.article_set_status(actor=editor, article=a, status="review", now=now)
    services.article_set_status(actor=editor, article=a, status="published", now=now)
    assert a.publish_at == now and selectors.is_public(a, now=now)
    services.article_set_status(actor=editor, article=a, status="unpublished", now=now)
    assert not selectors.articles_public(now).filter(pk=a.pk).exists()
    actions = list(AuditEntry.objects.filter(object_type="news.article", object_id=str(a.pk))
                   .values_list("action", flat=True))
    assert {"article.created", "article.review", "article.published",
            "article.unpublished"} <= set(actions)


def test_publishing_needs_the_russian_text(editor, now):
    a = make_article(editor, publish=False, lead_ru="", body_ru="")
    services.article_set_status(actor=editor, article=a, status="review", now=now)
    with pytest.raises(InputError):
        services.article_set_status(actor=editor, article=a, status="published", now=now)


def test_a_scheduled_article_is_public_only_from_its_time(editor, now):
    later = now + dt.timedelta(hours=2)
    a = make_article(editor, publish_at=later)
    assert a.status == "published"
    assert not selectors.articles_public(now).filter(pk=a.pk).exists()
    assert selectors.articles_public(later).filter(pk=a.pk).exists()


def test_a_missing_translation_falls_back_to_russian_whole(editor):
    a = make_article(editor, publish=False, title_kk="Тақырып", lead_kk="", body_kk="<p>x</p>",
                     title_en="Title", lead_en="Lead", body_en="<p>Text</p>")
    kk, en, ru = a.version("kk"), a.version("en"), a.version("ru")
    assert kk.fallback and kk.lang == "ru" and kk.title == "Новости зоны"
    assert not en.fallback and en.title == "Title"
    assert not ru.fallback


def test_a_photo_is_stored_resized_without_metadata_and_needs_a_credit(editor, now):
    with pytest.raises(InputError) as exc:
        services.article_save(actor=editor, now=now, photo=jpeg(), fields={
            "rubric": rubric_for(slug="investors"), "title_ru": "С фото"})
    assert exc.value.field == "photo_credit"
    assert not Article.objects.filter(title_ru="С фото").exists()
    a = make_article(editor, photo=jpeg(exif=b""), publish=False)
    assert (a.photo_width, a.photo_height) == (1280, 853)
    with a.photo.open("rb") as f, Image.open(io.BytesIO(f.read())) as img:
        assert img.format == "JPEG" and not img.getexif()


def test_a_broken_photo_is_refused_and_nothing_is_written(editor, now, settings):
    with pytest.raises(InputError) as exc:
        services.article_save(actor=editor, now=now, photo=b"not an image", fields={
            "rubric": rubric_for(slug="investors"), "title_ru": "Битое", "photo_credit": "x"})
    assert exc.value.field == "photo"
    media = settings.MEDIA_ROOT / "news"
    assert not media.exists() or not any(media.iterdir())


def test_a_replaced_photo_leaves_no_old_files(editor, now, settings, django_capture_on_commit_callbacks):
    a = make_article(editor, photo=jpeg(), publish=False)
    old = a.photo.path
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(actor=editor, now=now, article=a, fields={}, photo=jpeg((800, 600)))
    a.refresh_from_db()
    assert a.photo_width == 800
    assert not os.path.exists(old)


def test_only_a_draft_can_be_discarded(editor, now):
    a = make_article(editor)
    with pytest.raises(Conflict):
        services.article_discard(actor=editor, article=a, now=now)
    d = make_article(editor, publish=False)
    pk = d.pk
    services.article_discard(actor=editor, article=d, now=now)
    assert not Article.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="article.discarded", object_id=str(pk)).exists()


def test_related_are_chosen_then_shared_tags_then_rubric(editor, now):
    base = make_article(editor, title_ru="База")
    services.article_save(actor=editor, now=now, article=base, fields={}, tags=["кварц", "гранит"])
    chosen = make_article(editor, title_ru="Выбрано", rubric=rubric_for(slug="governance"))
    two_tags = make_article(editor, title_ru="Два тега", publish_at=now - dt.timedelta(days=30))
    services.article_save(actor=editor, now=now, article=two_tags, fields={},
                          tags=["кварц", "гранит"])
    one_tag = make_article(editor, title_ru="Один тег", rubric=rubric_for(slug="governance"))
    services.article_save(actor=editor, now=now, article=one_tag, fields={}, tags=["кварц"])
    services.article_save(actor=editor, now=now, article=base, fields={}, related=[chosen])
    related = selectors.related(base, now=now, n=4)
    # the editor's choice; then by shared tags, most first (two before a newer one), whatever
    # the rubric; then the newest of the same rubric
    assert related[:3] == [chosen, two_tags, one_tag]
    assert related[3].rubric_id == base.rubric_id
    assert not related[3].tags.filter(pk__in=base.tags.values("pk")).exists()


@pytest.mark.parametrize("query, found", [("балхаш", True), ("БАЛХАШ АЭРОПОРТ", True),
                                          ("airport", True), ("нет-такого", False)])
def test_search_matches_titles_and_leads_in_any_language_and_case(editor, now, query, found):
    a = make_article(editor, title_ru="Аэропорт Балхаша", lead_en="The airport grows")
    assert selectors.search(query, now=now).filter(pk=a.pk).exists() is found


def test_a_search_too_long_is_refused(now):
    with pytest.raises(InputError):
        selectors.search("x" * 101, now=now)


def test_the_next_publication_is_the_earliest_scheduled_article(editor, now):
    assert selectors.next_publication(now) is None
    soon = now + dt.timedelta(hours=1)
    make_article(editor, publish_at=now + dt.timedelta(hours=3))
    make_article(editor, publish_at=soon)
    make_article(editor, publish=False)
    assert selectors.next_publication(now) == soon
    assert selectors.next_publication(soon) == now + dt.timedelta(hours=3)


def test_every_newsroom_write_changes_the_news_version_not_the_zones(editor, now):
    a = make_article(editor)
    before, zones_before = data_version("news"), data_version()
    services.article_save(actor=editor, now=now, article=a, fields={"lead_ru": "Новый лид"})
    assert data_version("news") != before and data_version() == zones_before


def test_changed_tags_are_in_the_audit_trail(editor, now):
    a = make_article(editor, publish=False)
    services.article_save(actor=editor, now=now, article=a, fields={}, tags=["Медь", "медь "])
    entry = AuditEntry.objects.filter(action="article.updated", object_id=str(a.pk)).first()
    assert entry.before["tags"] == [] and entry.after["tags"] == ["med"]


def test_changed_related_articles_and_subjects_are_in_the_audit_trail(editor, now, demo):
    """The related articles and what the article is about are many-to-many too: a change of
    either alone is an entry saying what changed; saving them unchanged writes none."""
    other = make_article(editor)
    a = make_article(editor, publish=False)
    services.article_save(actor=editor, now=now, article=a, fields={}, related=[other],
                          about=[demo])
    entry = AuditEntry.objects.filter(action="article.updated", object_id=str(a.pk)).latest("pk")
    keys = ("related", "about")
    assert [{k: e[k] for k in keys} for e in (entry.before, entry.after)] == [
        {"related": [], "about": []}, {"related": [other.pk], "about": [f"zones.zone:{demo.pk}"]}]
    n = AuditEntry.objects.filter(object_id=str(a.pk), object_type="news.article").count()
    services.article_save(actor=editor, now=now, article=a, fields={}, related=[other],
                          about=[demo])
    assert AuditEntry.objects.filter(object_id=str(a.pk), object_type="news.article").count() == n
