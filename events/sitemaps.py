"""sitemap.xml: every published event, source, entity and series, and the fixed pages.

Each page is listed in every reader language, with its ``hreflang`` alternates and an
``x-default`` (the English, unprefixed URL) — Django's sitemap ``i18n`` (issue #18).
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sources.models import Article

from .models import Entity, Event, Series


class ReaderSitemap(Sitemap):
    """A sitemap of reader pages: each in every language of ``LANGUAGES``, with alternates."""

    i18n = True
    alternates = True
    x_default = True


class ArchiveSitemap(ReaderSitemap):
    """Objects of `queryset()` at their public URL, with their last change."""

    def queryset(self):
        raise NotImplementedError

    def items(self):
        return self.queryset().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class EventSitemap(ArchiveSitemap):
    changefreq = "weekly"
    priority = 0.8

    def queryset(self):
        return Event.objects.published()


class ArticleSitemap(ArchiveSitemap):
    changefreq = "monthly"

    def queryset(self):
        return Article.objects.published()


class EntitySitemap(ArchiveSitemap):
    changefreq = "weekly"

    def queryset(self):
        return Entity.objects.active()


class SeriesSitemap(ArchiveSitemap):
    def queryset(self):
        return Series.objects.all()


class PageSitemap(ReaderSitemap):
    def items(self):
        return [
            "events:home",
            "events:event-list",
            "sources:article-list",
            "events:entity-list",
            "events:series-list",
            "events:participation",
            "events:map",
            "events:about",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "events": EventSitemap,
    "sources": ArticleSitemap,
    "entities": EntitySitemap,
    "series": SeriesSitemap,
}
