"""Query filters of the events API, and what "public" means for claims.

Filters naming another object take its slug; a slug that names no published object gives
an empty list (never an error). Any value that does not parse — a year that is not a
number, a bad date, an unknown choice — is a 400 whose JSON body names the parameter.
"""

import django_filters
from django.db.models import Exists, F, OuterRef, Q
from drf_spectacular.utils import extend_schema_field

from sources.filters import (
    ArchiveFilterSet,
    IntegerFilter,
    ModifiedAfterFilter,
    SlugFilter,
    ordering_filter,
)

from .models import Citation, Claim, Entity, Event, FeedObject, PublicChange, Series

EVENT_ORDERINGS = {
    "start_date": (F("start_date").asc(nulls_last=True), "title", "id"),
    "-start_date": (F("start_date").desc(nulls_last=True), "title", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}

NAME_ORDERINGS = {"name": ("name", "id"), "-name": ("-name", "-id")}


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(IntegerFilter):
    pass


class EventFilter(ArchiveFilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices, label="Kind of event.")
    series = SlugFilter(field_name="series__slug", label="Series slug.")
    place = SlugFilter(field_name="place__slug", label="Place (entity) slug.")
    participant = SlugFilter(
        method="filter_participant",
        label="Entity slug: events with a public, not deprecated `participant` claim naming it.",
    )
    year = YearFilter(
        field_name="start_date",
        lookup_expr="year",
        min_value=1,
        max_value=9999,
        label="Year the event started.",
    )
    start_date_after = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label="Started on or after (YYYY-MM-DD)."
    )
    start_date_before = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Started on or before (YYYY-MM-DD)."
    )
    q = django_filters.CharFilter(
        method="filter_q", label="Words in the title or summary (case-insensitive)."
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for key in EVENT_ORDERINGS],
        method="filter_ordering",
        label="Sort order (default: latest first). Undated events come last.",
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "series",
            "place",
            "participant",
            "year",
            "start_date_after",
            "start_date_before",
            "q",
            "ordering",
            "modified_after",
        ]

    def filter_participant(self, queryset, name, value):
        claims = (
            Claim.objects.public()
            .standing()
            .filter(
                event=OuterRef("pk"), property=Claim.Property.PARTICIPANT, value_entity__slug=value
            )
        )
        return queryset.filter(Exists(claims))

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))

    def filter_ordering(self, queryset, name, value):
        return queryset.order_by(*EVENT_ORDERINGS[value])


class ClaimFilter(ArchiveFilterSet):
    event = SlugFilter(field_name="event__slug", label="Event slug.")
    property = django_filters.ChoiceFilter(choices=Claim.Property.choices, label="Property.")
    entity = SlugFilter(field_name="value_entity__slug", label="Slug of the entity it names.")
    rank = django_filters.ChoiceFilter(choices=Claim.Rank.choices, label="Rank.")
    article = SlugFilter(method="filter_article", label="Slug of an article it cites.")
    # Claims are listed in id order (the keyset and page modes agree on it).
    ordering = ordering_filter({"id": ("id",)}, "Sort order: claims are listed by id.")

    class Meta:
        model = Claim
        fields = ["event", "property", "entity", "rank", "article", "ordering", "modified_after"]

    def filter_article(self, queryset, name, value):
        citations = Citation.objects.published().filter(
            claim=OuterRef("pk"), quote__article__slug=value
        )
        return queryset.filter(Exists(citations))


class EntityFilter(ArchiveFilterSet):
    kind = django_filters.ChoiceFilter(choices=Entity.Kind.choices, label="Kind of entity.")
    ordering = ordering_filter(NAME_ORDERINGS, "Sort order (default: by kind, then name).")

    class Meta:
        model = Entity
        fields = ["kind", "ordering", "modified_after"]


class SeriesFilter(ArchiveFilterSet):
    ordering = ordering_filter(NAME_ORDERINGS, "Sort order (default: by name).")

    class Meta:
        model = Series
        fields = ["ordering", "modified_after"]


class ChangeFilter(ArchiveFilterSet):
    modified_after = None  # entries are only ever added: `since` says from when
    since = ModifiedAfterFilter(
        field_name="at",
        label="Only changes taken after this ISO 8601 date-time (e.g. 2024-01-31T12:00Z).",
    )
    object = django_filters.ChoiceFilter(choices=FeedObject.choices, label="Kind of object.")

    class Meta:
        model = PublicChange
        fields = ["since", "object"]
