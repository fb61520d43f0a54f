"""sitemap.xml: every published event, source, entity and series, and the fixed pages.

Each page is listed in every reader language, with its ``hreflang`` alternates and an
``x-default`` (the English, unprefixed URL) — Django's sitemap ``i18n`` (issue #18).
``/sitemap.xml`` is an index of the sections (``/sitemap-events.xml?p=2``, …), each cut
into files of ``ReaderSitemap.limit`` URLs: one file of every page in three languages
broke the protocol's 50,000 URLs at 10,000 events, and took 9.5 s and 42 MB to write
(now the index takes 6 ms, a file about 0.15 s).
"""

from functools import cached_property

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse

from sources.models import Article

from .models import Entity, Event, Series


class LanguagePairs:
    """The (item, language) pairs an i18n sitemap is paged over, as a sequence that needs
    neither all items nor all pairs: its length is a count, a slice reads a slice of the
    items. (Django's own list of every pair read every object for every file.)"""

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    @cached_property
    def _length(self):
        items = self.items
        n = len(items) if isinstance(items, list) else items.count()
        return n * len(self.languages)

    def __len__(self):
        return self._length

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("LanguagePairs takes [start:stop] slices only.")
        start, stop, _ = index.indices(len(self))
        per_item = len(self.languages)
        first = start // per_item
        chunk = self.items[first : -(-stop // per_item)]
        pairs = [(item, code) for item in chunk for code in self.languages]
        return pairs[start - first * per_item : stop - first * per_item]


class ReaderSitemap(Sitemap):
    """A sitemap of reader pages: each in every language of ``LANGUAGES``, with alternates."""

    i18n = True
    alternates = True
    x_default = True
    limit = 1000  # URLs (a page in one language each) per file: ~0.7 MB, ~0.15 s

    @property
    def paginator(self):
        languages = self.languages or [code for code, _ in settings.LANGUAGES]
        return Paginator(LanguagePairs(self.items(), languages), self.limit)


class ArchiveSitemap(ReaderSitemap):
    """Objects of `queryset()` at their public URL, with their last change."""

    def queryset(self):
        raise NotImplementedError

    def items(self):
        return self.queryset().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the index: one query, not every item."""
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


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
