"""Dates as CLDR writes them (Babel), sanitised rich text, and the news blocks other pages show
(the home page's latest articles, a passport's news, feed autodiscovery)."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_time
from django import template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from promzona.core.richtext import sanitise_html

from .. import selectors
from ..models import LANGS

register = template.Library()


def _lang() -> str:
    return (translation.get_language() or "ru")[:2]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(value) if value and timezone.is_aware(value) else value


@register.filter
def news_date(value: dt.datetime | None) -> str:
    """The date with its weekday: "понедельник, 8 сентября 2025 г.", "Monday, September 8, 2025"."""
    value = _local(value)
    return format_date(value, format="full", locale=_lang()) if value else ""


@register.filter
def news_short_date(value: dt.datetime | None) -> str:
    value = _local(value)
    return format_date(value, format="long", locale=_lang()) if value else ""


@register.filter
def news_time(value: dt.datetime | None) -> str:
    value = _local(value)
    return format_time(value, format="short", locale=_lang()) if value else ""


@register.filter
def sanitised(value: str) -> str:
    """Rich text cleaned once more on the way out (stored text was cleaned when saved)."""
    return mark_safe(sanitise_html(value))  # noqa: S308 - nh3 output


@register.filter
def title_in(article, lang: str | None = None) -> str:
    """The title in the reader's language; a Russian fallback is marked as such (``lang``)."""
    v = article.version(lang or _lang())
    return format_html('<span lang="{}">{}</span>', v.lang, v.title) if v.fallback else v.title


@register.filter
def lead_in(article, lang: str | None = None) -> str:
    return article.version(lang or _lang()).lead


@register.inclusion_tag("news/_latest.html")
def news_latest(n: int = 3):
    return {"articles": selectors.articles_latest(timezone.now(), n)}


@register.inclusion_tag("news/_about.html")
def news_about(obj):
    return {"articles": selectors.articles_about(obj, now=timezone.now())}


@register.inclusion_tag("news/_feeds.html")
def news_feed_links():
    """``<link rel="alternate">`` to the RSS and Atom feed of every language (autodiscovery)."""
    feeds = []
    for lang in LANGS:
        with translation.override(lang):
            feeds.append((lang, reverse("news:rss"), reverse("news:atom")))
    return {"feeds": feeds, "current": _lang()}
