"""The Atom feed of published events, newest publication first.

Valid Atom 1.0 (RFC 4287): an ``atom:author`` on the feed and on every entry, each entry
with its own ``published`` (when it was published) and ``updated`` (its last change).
Summaries are ``type="text"``: an event summary is plain words, so whatever characters it
holds (``<script>``, ``<img onerror=…>``) a feed reader shows them as text, never as
markup.

The feed answers in each reader language (``/ru/feeds/events/``, ``/zh-hans/…``): its
title, subtitle, categories and dates in that language, its links to that language's pages.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Event
from .templatetags.archive import local_date

AUTHOR = "SCO Archive"


class TextSummaryAtomFeed(Atom1Feed):
    """Atom 1.0 whose entry summaries are plain text (``type="text"``)."""

    def add_item_elements(self, handler, item):
        description = item["description"]
        item["description"] = None  # Atom1Feed would write it as type="html"
        super().add_item_elements(handler, item)
        item["description"] = description
        if description is not None:
            handler.addQuickElement("summary", description, {"type": "text"})

    def latest_post_date(self):
        # The feed's <updated>: its latest entry change, not only its latest publication.
        dates = [item["updateddate"] or item["pubdate"] for item in self.items]
        dates = [date for date in dates if date is not None]
        return max(dates) if dates else super().latest_post_date()


class LatestEventsFeed(Feed):
    feed_type = TextSummaryAtomFeed
    title = _("SCO Archive — events")
    author_name = AUTHOR
    subtitle = _("Events of SCO defence and security cooperation, each claim tied to its source.")
    limit = 50

    def link(self):
        return reverse("events:event-list")

    def items(self):
        return (
            Event.objects.published()
            .select_related("place", "series")
            .order_by("-published_at", "-pk")[: self.limit]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        when = local_date(item.start_date, item.date_precision)
        where = f", {item.place}" if item.place else ""
        return f"{when}{where}. {item.summary}"

    def item_author_name(self, item):
        return AUTHOR

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [str(item.get_kind_display()), *([item.series.name] if item.series else [])]
