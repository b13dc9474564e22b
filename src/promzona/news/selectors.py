"""Reads of the newsroom. What the public sees is decided here, at the moment of reading: a
published article whose publication time has come (so scheduled publishing needs no job)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Min, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from promzona.core import richtext
from promzona.core.errors import InputError, NotFound
from promzona.instructions.selectors import instructions_visible_to
from promzona.works.selectors import works_visible_to
from promzona.zones.selectors import PUBLIC_PLOT_STATUSES, can_see_unpublished

from .models import Article, ArticleLink, Comment, Rubric, Tag

MAX_QUERY = 100


def writes_news(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.writes_news)


def next_publication(now: dt.datetime) -> dt.datetime | None:
    """When the next scheduled article comes due (None if none is scheduled): the public pages
    cached now are good until then (see :mod:`promzona.web.pagecache`)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__gt=now) \
        .aggregate(m=Min("publish_at"))["m"]


def articles_public(now: dt.datetime) -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED, publish_at__lte=now) \
        .select_related("rubric")


def is_public(article: Article, *, now: dt.datetime) -> bool:
    return article.status == Article.Status.PUBLISHED and article.publish_at is not None \
        and article.publish_at <= now


def article_get(*, user: Any, slug: str, now: dt.datetime) -> Article:
    """A public article; the newsroom also sees drafts, scheduled and unpublished ones."""
    qs = Article.objects.select_related("rubric") if writes_news(user) else articles_public(now)
    article = qs.filter(slug=slug).first()
    if article is None:
        raise NotFound("No such article.")
    return article


def front_page(now: dt.datetime) -> dict[str, Any]:
    """The lead story (the latest with a photo, else the latest), and per rubric its latest."""
    public = articles_public(now)
    lead = public.exclude(photo="").first() or public.first()
    rubrics = []
    for rubric in Rubric.objects.annotate(n=Count(
            "articles", filter=Q(articles__status=Article.Status.PUBLISHED,
                                 articles__publish_at__lte=now))).filter(n__gt=0):
        rubrics.append((rubric, list(public.filter(rubric=rubric)[:3])))
    return {"lead": lead, "rubrics": rubrics}


def feed_column(now: dt.datetime, n: int = 10) -> list[Article]:
    return list(articles_public(now)[:n])


def articles_latest(now: dt.datetime, n: int = 3) -> list[Article]:
    return list(articles_public(now)[:n])


def related(article: Article, *, now: dt.datetime, n: int = 4) -> list[Article]:
    """The editor's choice first; then articles sharing most tags; then the same rubric."""
    public = articles_public(now).exclude(pk=article.pk)
    chosen = list(public.filter(pk__in=article.related.values("pk"))[:n])
    seen = {a.pk for a in chosen}
    tag_ids = list(article.tags.values_list("pk", flat=True))
    if tag_ids and len(chosen) < n:
        by_tags = public.exclude(pk__in=seen).filter(tags__in=tag_ids).annotate(
            shared=Count("tags")).order_by("-shared", "-publish_at")[: n - len(chosen)]
        chosen += list(by_tags)
        seen |= {a.pk for a in chosen}
    if len(chosen) < n:
        chosen += list(public.exclude(pk__in=seen).filter(rubric=article.rubric_id)[: n - len(chosen)])
    return chosen


def search(query: str, *, now: dt.datetime) -> QuerySet[Article]:
    """Public articles whose titles or leads (in any language) contain every word."""
    query = richtext.plain(query)
    if len(query) > MAX_QUERY:
        raise InputError(_("A search has at most %(n)s characters.") % {"n": MAX_QUERY},
                         field="q")
    qs = articles_public(now)
    words = richtext.search_key(query).split()
    if not words:
        return qs.none()
    for word in words[:10]:
        qs = qs.filter(search_text__contains=word)
    return qs


def approved_comments(article: Article) -> QuerySet[Comment]:
    return article.comments.filter(status=Comment.Status.APPROVED)


def moderation_queue(status: str = Comment.Status.PENDING) -> QuerySet[Comment]:
    return Comment.objects.filter(status=status).select_related("article").order_by("created_at")


def desk_articles(status: str | None = None) -> QuerySet[Article]:
    qs = Article.objects.select_related("rubric").order_by("-updated_at", "-id")
    return qs.filter(status=status) if status else qs


def articles_about(obj: models.Model, *, now: dt.datetime, n: int = 5) -> list[Article]:
    """Public articles linked to ``obj`` (a plot, a zone, a work...), newest first."""
    ids = ArticleLink.objects.filter(content_type=ContentType.objects.get_for_model(obj),
                                     object_id=str(obj.pk)).values("article_id")
    return list(articles_public(now).filter(pk__in=ids)[:n])


#: How to link to an object an article is about: its page, and (where only some may open it)
#: the selector of what a user may see. Other objects are named without a link.
_LINKS = {
    "zones.plot": (lambda o: reverse("web:passport", args=[o.zone.slug, o.code]), None),
    "zones.zone": (lambda o: reverse("web:zone", args=[o.slug]), None),
    "works.work": (lambda o: reverse("works:detail", args=[o.pk]), works_visible_to),
    "instructions.instruction": (lambda o: reverse("instructions:detail", args=[o.pk]),
                                 instructions_visible_to),
}


def links_of(article: Article, user: Any) -> list[tuple[str, str | None]]:
    """(label, URL or None) of what the article is about, as far as ``user`` may see it:
    objects since deleted, and plots taken off the portal, are left out; works and
    instructions are linked only for those who may open their cards."""
    out = []
    for link in article.links.select_related("content_type"):
        obj = link.target()
        if obj is None:
            continue
        model = type(obj)
        kind = model._meta.label_lower
        if kind == "zones.plot" and obj.status not in PUBLIC_PLOT_STATUSES \
                and not can_see_unpublished(user):
            continue
        label = f"{model._meta.verbose_name.capitalize()}: {getattr(obj, 'name', None) or obj}"
        make, visible_to = _LINKS.get(kind, (None, None))
        if visible_to and not visible_to(user).filter(pk=obj.pk).exists():
            make = None
        try:
            url = make(obj) if make else None
        except NoReverseMatch:
            url = None
        out.append((label, url))
    return out


def rubric_get(slug: str) -> Rubric:
    rubric = Rubric.objects.filter(slug=slug).first()
    if rubric is None:
        raise NotFound("No such rubric.")
    return rubric


def tag_get(slug: str) -> Tag:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise NotFound("No such tag.")
    return tag
