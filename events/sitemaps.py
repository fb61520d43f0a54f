"""sitemap.xml: every published event, source, entity and series, and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from sources.models import Article

from .models import Entity, Event, Series


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Event.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class ArticleSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class EntitySitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Entity.objects.active().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class SeriesSitemap(Sitemap):
    def items(self):
        return Series.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class PageSitemap(Sitemap):
    def items(self):
        return [
            "events:home",
            "events:event-list",
            "sources:article-list",
            "events:entity-list",
            "events:series-list",
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
