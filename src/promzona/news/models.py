"""The zone's newsroom: articles in Russian, Kazakh and English, rubrics, tags, links to the
objects an article is about, and pre-moderated comments.

Writes go through :mod:`promzona.news.services` (sanitised, audited); reads through
:mod:`promzona.news.selectors`, which decide what is public at the moment of reading (a
scheduled article becomes public when its time comes, with no job to run). Every write, in bulk
too (:class:`VersionedQuerySet`), gives the newsroom's data a new version: its page cache keys
on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from promzona.zones.models import Translated
from promzona.zones.models.version import VersionedQuerySet

LANGS = ("ru", "kk", "en")
FALLBACK = "ru"


class Rubric(Translated):
    slug = models.SlugField(_("slug"), unique=True)

    objects = VersionedQuerySet.as_manager()
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        ordering = ["position", "slug"]


class Tag(Translated):
    slug = models.SlugField(_("slug"), unique=True, max_length=80)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]


@dataclass(frozen=True)
class Version:
    """One language version of an article as a reader gets it."""

    lang: str
    title: str
    lead: str
    body: str
    place: str
    photo_alt: str
    fallback: bool  # the reader's language is missing: this is the Russian text


#: The events drafts are written from, as the newsroom reads them.
EVENT_LABELS = {
    "plot.published": _("a plot offered to investors"),
    "application.approved": _("an application approved"),
    "work.accepted": _("works accepted"),
    "instruction.accepted": _("an instruction executed"),
}


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("article status", "Draft")
        REVIEW = "review", pgettext_lazy("article status", "In review")
        PUBLISHED = "published", pgettext_lazy("article status", "Published")
        UNPUBLISHED = "unpublished", pgettext_lazy("article status", "Unpublished")

    slug = models.SlugField(_("address"), unique=True, max_length=90)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("publication time"), null=True, blank=True, db_index=True,
        help_text=_("A published article is public from this time on (a later time schedules it)."))
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT,
                               related_name="articles")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_kk = models.CharField(_("title (Kazakh)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    lead_ru = models.TextField(_("lead (Russian)"), max_length=1000, blank=True)
    lead_kk = models.TextField(_("lead (Kazakh)"), max_length=1000, blank=True)
    lead_en = models.TextField(_("lead (English)"), max_length=1000, blank=True)
    body_ru = models.TextField(_("text (Russian)"), max_length=100_000, blank=True)
    body_kk = models.TextField(_("text (Kazakh)"), max_length=100_000, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=100_000, blank=True)
    place_ru = models.CharField(_("place (Russian)"), max_length=100, blank=True)
    place_kk = models.CharField(_("place (Kazakh)"), max_length=100, blank=True)
    place_en = models.CharField(_("place (English)"), max_length=100, blank=True)
    byline = models.CharField(_("author (byline)"), max_length=150, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("typed by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    photo = models.FileField(_("photo"), upload_to="news/", blank=True)
    photo_thumb = models.FileField(_("photo (small)"), upload_to="news/", blank=True)
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_bytes = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt_ru = models.CharField(_("photo description (Russian)"), max_length=300, blank=True)
    photo_alt_kk = models.CharField(_("photo description (Kazakh)"), max_length=300, blank=True)
    photo_alt_en = models.CharField(_("photo description (English)"), max_length=300, blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    source_url = models.URLField(_("source link"), blank=True, max_length=500)
    source_label = models.CharField(_("source"), max_length=200, blank=True)
    related = models.ManyToManyField("self", verbose_name=_("related articles"), blank=True,
                                     symmetrical=False, related_name="+")
    comments_open = models.BooleanField(_("comments open"), default=True)
    is_illustrative = models.BooleanField(
        _("illustrative (demo)"), default=False,
        help_text=_("A demo article: shown with a note that it is illustrative."))
    search_text = models.TextField(editable=False, blank=True)
    event_code = models.CharField(_("drafted from event"), max_length=100, blank=True)
    event_object_type = models.CharField(max_length=100, blank=True, editable=False)
    event_object_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-publish_at", "-id"]
        constraints = [
            # One draft per event: the key that makes drafting from events idempotent.
            models.UniqueConstraint(
                fields=["event_code", "event_object_type", "event_object_id"],
                condition=~Q(event_code=""), name="article_one_draft_per_event"),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_credit=""), name="article_photo_has_credit"),
        ]

    def __str__(self) -> str:
        return self.title_ru

    def photo_path(self, *, thumb: bool = False) -> str:
        """The photo's address on this site ("" without a photo)."""
        stored = self.photo_thumb if thumb else self.photo
        return reverse("news-photo", args=[self.pk, stored.name.rsplit("/", 1)[-1]]) if stored else ""

    @property
    def event_label(self) -> str:
        """The event this draft was written from, in the reader's language."""
        return str(EVENT_LABELS.get(self.event_code, self.event_code))

    @property
    def thumb_path(self) -> str:
        return self.photo_path(thumb=True)

    def has_language(self, lang: str) -> bool:
        """A language version exists when its title, lead and text are all written."""
        return all(getattr(self, f"{f}_{lang}", "") for f in ("title", "lead", "body"))

    def version(self, lang: str | None = None) -> Version:
        """The reader's language, or the whole Russian version (``fallback``) if it is missing."""
        lang = (lang or get_language() or FALLBACK)[:2]
        use = lang if lang in LANGS and (lang == FALLBACK or self.has_language(lang)) else FALLBACK
        return Version(
            lang=use, fallback=use != lang,
            **{f: getattr(self, f"{f}_{use}") for f in ("title", "lead", "body", "place")},
            photo_alt=getattr(self, f"photo_alt_{use}") or self.photo_alt_ru,
        )


class ArticleLink(models.Model):
    """An object the article is about: a plot, a zone, a work, an instruction (any model)."""

    article = models.ForeignKey(Article,
                                verbose_name=_("article"), on_delete=models.CASCADE, related_name="links")
    content_type = models.ForeignKey(ContentType, verbose_name=_("content type"), on_delete=models.CASCADE)
    object_id = models.CharField(_("object id"), max_length=64)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("article link")
        verbose_name_plural = _("article links")
        constraints = [models.UniqueConstraint(fields=["article", "content_type", "object_id"],
                                               name="article_link_unique")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.app_label}.{self.content_type.model} {self.object_id}"

    def target(self) -> models.Model | None:
        """The object the article is about; None if it has since been deleted."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first() if model else None


class Comment(models.Model):
    """A reader's comment: invisible until the newsroom approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("comment status", "Awaiting moderation")
        APPROVED = "approved", pgettext_lazy("comment status", "Approved")
        REJECTED = "rejected", pgettext_lazy("comment status", "Rejected")

    article = models.ForeignKey(Article,
                                verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("email (never shown)"), blank=True)
    text = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, db_index=True)
    created_at = models.DateTimeField(_("written at"), db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("moderated by"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.text[:40]}"

    @property
    def shown_when_created(self) -> bool:
        """Whether this new comment is on a page at once: one awaiting moderation is not, so
        posting it keeps the news' data version, and every cached page (see zones.signals)."""
        return self.status == self.Status.APPROVED


class BannedAddress(models.Model):
    """An address whose comments are refused."""

    address = models.GenericIPAddressField(_("address"), unique=True)
    created_at = models.DateTimeField(_("banned at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("banned by"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    objects = VersionedQuerySet.as_manager()

    class Meta:
        verbose_name = _("banned address")
        verbose_name_plural = _("banned addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.address
