"""Writes of the newsroom. Each runs in one transaction, checks the actor, sanitises what it
stores and writes its audit entry. Comments have their own module (:mod:`.comments`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.applications import files
from promzona.audit.services import audit_record, changed, snapshot
from promzona.core import images, richtext
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.validation import validated

from .models import LANGS, Article, ArticleLink, Rubric, Tag

S = Article.Status
#: Status changes the newsroom may make: draft -> in review -> published -> unpublished.
TRANSITIONS = {
    (S.DRAFT, S.REVIEW), (S.REVIEW, S.DRAFT), (S.REVIEW, S.PUBLISHED),
    (S.PUBLISHED, S.UNPUBLISHED), (S.UNPUBLISHED, S.DRAFT), (S.UNPUBLISHED, S.PUBLISHED),
}
#: Paths of the site that an article's address must not shadow.
RESERVED_SLUGS = {"desk", "search", "rubric", "tag", "rss", "atom", "feed", "comments", "new"}
PLAIN_FIELDS = [f"{f}_{lang}" for f in ("title", "lead", "place", "photo_alt") for lang in LANGS] + [
    "byline", "photo_credit", "source_label"]
MAX_TAGS = 12
AUDITED = [f.name for f in Article._meta.concrete_fields
           if f.name not in ("search_text", "photo", "photo_thumb")]


def _snapshot(article: Article) -> dict[str, Any]:
    """The audited fields, with the tags, the related articles and what the article is about."""
    if article.pk is None:
        tags, related, about = [], [], []
    else:
        tags = sorted(article.tags.values_list("slug", flat=True))
        related = sorted(article.related.values_list("pk", flat=True))
        about = sorted(f"{app}.{model}:{pk}" for app, model, pk in article.links.values_list(
            "content_type__app_label", "content_type__model", "object_id"))
    return {**snapshot(article, AUDITED), "photo": article.photo.name or "", "tags": tags,
            "related": related, "about": about}


def require_newsroom(actor: Actor) -> None:
    if not (getattr(actor, "is_authenticated", False) and actor.writes_news):
        raise Forbidden(_("Only the newsroom (editors and zone office staff) may do this."))


def _clean_text(article: Article, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PLAIN_FIELDS) - {f"body_{lang}" for lang in LANGS} - {
        "rubric", "slug", "source_url", "comments_open", "is_illustrative"}
    if unknown:
        raise InputError(_("Unknown fields: %(f)s") % {"f": ", ".join(sorted(unknown))[:200]})
    for name, value in fields.items():
        if name in PLAIN_FIELDS:
            value = richtext.plain(str(value or ""))
        elif name.startswith("body_"):
            value = richtext.sanitise_html(str(value or ""))
            if len(value) > Article._meta.get_field(name).max_length:
                raise InputError(_("The text is too long (at most 100,000 characters)."), field=name)
        if name.startswith("lead_") and len(value) > 1000:
            raise InputError(_("A lead has at most 1,000 characters."), field=name)
        setattr(article, name, value)
    if not article.title_ru:
        raise InputError(_("The Russian title is required: it is what every reader falls back to."),
                         field="title_ru")


def unique_slug(article: Article) -> str:
    """A free address from the article's slug or title (a numeric suffix when taken)."""
    base = richtext.slugify_title(article.slug or article.title_en or article.title_ru) or "article"
    if base in RESERVED_SLUGS:
        base = f"{base}-news"
    slug, n = base, 1
    while Article.objects.filter(slug=slug).exclude(pk=article.pk).exists():
        n += 1
        slug = f"{base[:80]}-{n}"
    return slug


def _store_photo(article: Article, data: bytes) -> list[str]:
    """Re-encode ``data`` into the article's two photo files; returns the names written."""
    try:
        variants = images.photo_variants(data)
    except InputError as exc:
        raise InputError(exc.template, params=exc.params, field="photo") from exc
    token = uuid.uuid4().hex
    article.photo.save(f"{token}.jpg", ContentFile(variants["large"].data), save=False)
    article.photo_thumb.save(f"{token}-s.jpg", ContentFile(variants["thumb"].data), save=False)
    article.photo_width, article.photo_height = variants["large"].width, variants["large"].height
    article.photo_bytes = len(variants["large"].data)
    return [article.photo.name, article.photo_thumb.name]


def tags_from_names(names: list[str]) -> list[Tag]:
    """The tags named (created when new); a name is plain text of at most 60 characters."""
    out: dict[str, Tag] = {}
    for raw in names:
        name = richtext.plain(raw)[:60]
        slug = richtext.slugify_title(name)[:80]
        if not slug:
            continue
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag(slug=slug, name_ru=name)
            validated(tag)
            tag.save()
        out[slug] = tag
    if len(out) > MAX_TAGS:
        raise InputError(_("At most 12 tags."), field="tags")
    return list(out.values())


@transaction.atomic
def article_save(
    *, actor: Actor, now: dt.datetime, article: Article | None = None, fields: dict[str, Any],
    tags: list[str] | None = None, related: list[Article] | None = None,
    about: list[models.Model] | None = None, photo: bytes | None = None,
    remove_photo: bool = False,
) -> Article:
    """Create or edit an article (any status); the body is sanitised, plain fields flattened.

    ``about`` replaces the objects the article is about (plots, zones, works...); ``None``
    keeps them. A new photo is re-encoded without its metadata and needs a credit.
    """
    require_newsroom(actor)
    creating = article is None
    if creating:
        article = Article(created_by=actor, created_at=now)
        before = None
    else:
        article = Article.objects.select_for_update().get(pk=article.pk)
        before = _snapshot(article)
    if "rubric" in fields and not isinstance(fields["rubric"], Rubric):
        raise InputError(_("Choose a rubric."), field="rubric")
    _clean_text(article, fields)
    article.slug = unique_slug(article)
    article.updated_at = now
    old_files = [article.photo.name, article.photo_thumb.name] if article.photo else []
    with files.stored_with_rows() as written:
        if photo is not None:
            written += _store_photo(article, photo)
        elif remove_photo and article.photo:
            article.photo = article.photo_thumb = ""
            article.photo_width = article.photo_height = article.photo_bytes = None
        if article.photo and not article.photo_credit:
            raise InputError(_("A photo needs its credit (who took or made it)."),
                             field="photo_credit")
        validated(article)
        article.search_text = richtext.search_key(
            *(getattr(article, f"{f}_{lang}") for f in ("title", "lead") for lang in LANGS))
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError as exc:
            raise Conflict(_("Another article has this address; choose another.")) from exc
        if tags is not None:
            article.tags.set(tags_from_names(tags))
        if related is not None:
            article.related.set([a for a in related if a.pk != article.pk][:6])
        if about is not None:
            links_set(article=article, objects=about)
        after = _snapshot(article)
        if creating:
            audit_record(actor=actor, action="article.created", obj=article, after=after, now=now)
        else:
            b, a = changed(before, after)
            if a:
                audit_record(actor=actor, action="article.updated", obj=article, before=b,
                             after=a, now=now)
    if written and old_files:
        transaction.on_commit(lambda: files.delete_stored(old_files))
    return article


def links_set(*, article: Article, objects: list[models.Model]) -> None:
    """Make ``objects`` the things ``article`` is about."""
    article.links.all().delete()
    ArticleLink.objects.bulk_create([
        ArticleLink(article=article, content_type=ContentType.objects.get_for_model(o),
                    object_id=str(o.pk)) for o in {(type(o), o.pk): o for o in objects}.values()])


@transaction.atomic
def article_set_status(*, actor: Actor, article: Article, status: str, now: dt.datetime,
                       publish_at: dt.datetime | None = None) -> Article:
    """Move an article along draft -> in review -> published -> unpublished.

    Publishing takes ``publish_at`` (a later time schedules it: it is public from then on) or,
    failing that, keeps an earlier publication time or uses ``now``.
    """
    require_newsroom(actor)
    before = article.status
    if (before, status) not in TRANSITIONS:
        raise Conflict(_("An article cannot go from %(a)s to %(b)s.") % {
            "a": S(before).label, "b": S(status).label if status in S.values else status[:20]})
    when = article.publish_at
    if status == S.PUBLISHED:
        when = publish_at or article.publish_at or now
        if not (article.lead_ru and article.body_ru):
            raise InputError(_("Write the Russian lead and text before publishing."),
                             field="body_ru")
    rows = Article.objects.filter(pk=article.pk, status=before).update(
        status=status, publish_at=when, updated_at=now)
    if not rows:
        raise Conflict(_("The article changed meanwhile; reload and try again."))
    article.status, article.publish_at, article.updated_at = status, when, now
    audit_record(actor=actor, action=f"article.{status}", obj=article, now=now,
                 before={"status": before}, after={"status": status, "publish_at": when})
    return article


@transaction.atomic
def article_discard(*, actor: Actor, article: Article, now: dt.datetime) -> None:
    """Delete a draft (e.g. one drafted from an event that is not worth a story)."""
    require_newsroom(actor)
    if not Article.objects.filter(pk=article.pk, status=S.DRAFT).exists():
        raise Conflict(_("Only a draft can be discarded; unpublish a published article."))
    names = [article.photo.name, article.photo_thumb.name]
    audit_record(actor=actor, action="article.discarded", obj=article, now=now,
                 before=snapshot(article, ["slug", "title_ru", "event_code"]))
    article.delete()
    transaction.on_commit(lambda: files.delete_stored(names))
