"""RSS 2.0 and Atom feeds, one per language (the language comes from the address, e.g.
``/kk/news/rss.xml``), with the photo as an enclosure; and the sitemap with hreflang alternates."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import selectors
from .models import LANGS, Article

FEED_SIZE = 30


class Rss201rev2Feed(Rss201rev2Feed):
    """RSS 2.0 served as such (Django's default says application/rss+xml too, but keep it)."""

    content_type = "application/rss+xml; charset=utf-8"


class NewsRss(Feed):
    feed_type = Rss201rev2Feed

    def title(self):
        return _("promzona news")

    def description(self):
        return _("News of the industrial zone")

    def link(self):
        return reverse("news:index")

    def feed_url(self):
        return reverse("news:rss" if self.feed_type is Rss201rev2Feed else "news:atom")

    def get_object(self, request, *args, **kwargs):
        return request  # the feed instance is shared by all requests; the request is not

    def items(self, request):
        items = list(selectors.articles_public(timezone.now())[:FEED_SIZE])
        for item in items:
            item.photo_url = request.build_absolute_uri(item.photo_path()) if item.photo else ""
        return items

    def item_title(self, item: Article):
        return item.version(get_language()).title

    def item_description(self, item: Article):
        return item.version(get_language()).lead

    def item_link(self, item: Article):
        return reverse("news:article", args=[item.slug])

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article):
        return item.byline or None

    def item_categories(self, item: Article):
        return [item.rubric.translated("name", get_language())]

    def item_enclosures(self, item: Article):
        return [Enclosure(item.photo_url, str(item.photo_bytes or 0), "image/jpeg")] \
            if item.photo_url else []


class NewsAtom(NewsRss):
    feed_type = Atom1Feed
    subtitle = NewsRss.description


class ArticleSitemap(Sitemap):
    """Every public article in each language, each with its alternates (hreflang)."""

    i18n = True
    languages = list(LANGS)
    alternates = True
    x_default = True

    def items(self):
        return selectors.articles_public(timezone.now())

    def location(self, item: Article):
        return reverse("news:article", args=[item.slug])

    def lastmod(self, item: Article):
        return item.updated_at


class NewsIndexSitemap(Sitemap):
    i18n = True
    languages = list(LANGS)
    alternates = True
    x_default = True
    changefreq = "daily"

    def items(self):
        return ["news:index"]

    def location(self, item: str):
        return reverse(item)


SITEMAPS = {"news": NewsIndexSitemap, "articles": ArticleSitemap}
