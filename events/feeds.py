"""The Atom feed of published events, newest publication first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from sources.models import format_date

from .models import Event


class LatestEventsFeed(Feed):
    feed_type = Atom1Feed
    title = "SCO Archive — events"
    subtitle = "Events of SCO defence and security cooperation, each claim tied to its source."
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
        when = format_date(item.start_date, item.date_precision)
        where = f", {item.place}" if item.place else ""
        return f"{when}{where}. {item.summary}"

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.get_kind_display(), *([item.series.name] if item.series else [])]
