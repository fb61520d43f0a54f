"""Query filters of the sources API, and the filter pieces both apps share.

Every bad value is a 400 whose JSON body names the parameter (django-filter's form
errors). A slug naming no published object gives an empty list, not an error.
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import Article, Language, Quote


class StrictDateTimeField(forms.DateTimeField):
    """ISO 8601 datetimes; out-of-range values (after time-zone conversion) are invalid."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_datetime(value.strip())
        except (ValueError, TypeError):
            parsed = None
        if parsed is None:
            try:
                parsed = datetime.datetime.combine(
                    datetime.date.fromisoformat(value.strip()), datetime.time()
                )
            except (ValueError, TypeError):
                raise forms.ValidationError(
                    "Enter an ISO 8601 date-time, e.g. 2024-01-31T12:00:00Z.", code="invalid"
                ) from None
        try:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed, datetime.UTC)
            return parsed.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise forms.ValidationError("This date-time is out of range.", code="invalid") from None


@extend_schema_field(OpenApiTypes.DATETIME)
class ModifiedAfterFilter(django_filters.Filter):
    """``modified_after``: objects whose ``updated_at`` is later than this ISO date-time."""

    field_class = StrictDateTimeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gt")
        kwargs.setdefault(
            "label", "Only objects changed after this ISO 8601 date-time (e.g. 2024-01-31T12:00Z)."
        )
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(IntegerFilter):
    """An id: a whole number; one no database row can have (outside 64 bits) matches
    nothing, as an unknown slug does, instead of overflowing the database driver."""

    def filter(self, qs, value):
        if value is not None and not -(2**63) <= value < 2**63:
            return qs.none()
        return super().filter(qs, value)


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.CharFilter):
    """A filter naming another object by its slug (no such object: an empty list)."""


def ordering_filter(orderings, label="Sort order."):
    """``ordering``: one of ``orderings`` (name → order_by arguments); any other value is
    a 400 naming the parameter, on every list of the API (issue #16)."""

    def order(queryset, name, value):
        return queryset.order_by(*orderings[value])

    return django_filters.ChoiceFilter(
        choices=[(key, key) for key in orderings], method=order, label=label
    )


class ArchiveFilterSet(django_filters.FilterSet):
    """Adds ``modified_after``; a typed parameter given empty (``?year=``) is a 400."""

    modified_after = ModifiedAfterFilter()

    def is_valid(self):
        form = self.form
        if form.is_bound:
            for name, filter_ in self.filters.items():
                typed = not isinstance(filter_, django_filters.CharFilter)
                if typed and name in self.data and self.data.get(name) == "":
                    if name not in form.errors:
                        form.add_error(name, "Give a value, or leave the parameter out.")
        return form.is_valid()


ARTICLE_ORDERINGS = {
    "published_on": ("published_on", "title", "id"),
    "-published_on": ("-published_on", "title", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}


class ArticleFilter(ArchiveFilterSet):
    outlet = SlugFilter(field_name="outlet__slug", label="Outlet slug.")
    language = django_filters.ChoiceFilter(choices=Language.choices, label="Language code.")
    published_after = django_filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label="Published on or after (YYYY-MM-DD)."
    )
    published_before = django_filters.DateFilter(
        field_name="published_on", lookup_expr="lte", label="Published on or before (YYYY-MM-DD)."
    )
    ordering = ordering_filter(ARTICLE_ORDERINGS, "Sort order (default: latest first).")

    class Meta:
        model = Article
        fields = [
            "outlet",
            "language",
            "published_after",
            "published_before",
            "ordering",
            "modified_after",
        ]


class QuoteFilter(ArchiveFilterSet):
    article = SlugFilter(field_name="article__slug", label="Article slug.")
    ordering = ordering_filter({"id": ("id",)}, "Sort order: quotes are listed by id.")

    class Meta:
        model = Quote
        fields = ["article", "ordering", "modified_after"]
