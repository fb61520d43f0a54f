"""Read-only API of the events app: events, claims, entities and series.

Only published material: published events; published claims of published events (and
not naming an unpublished event as their value), each with only its citations of quotes
of published articles.
"""

from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema, extend_schema_view

from sources.api import ArchiveViewSet

from . import rows
from .filters import (
    ClaimFilter,
    EntityFilter,
    EventFilter,
    SeriesFilter,
)
from .models import Claim, Entity, Event, Series
from .serializers import LANGUAGE_PARAMETER as LANG
from .serializers import (
    ClaimSerializer,
    EntitySerializer,
    EventDetailSerializer,
    EventSerializer,
    SeriesSerializer,
    request_language,
)

IN_LANGUAGE = extend_schema_view(
    list=extend_schema(parameters=[LANG]), retrieve=extend_schema(parameters=[LANG])
)


class InLanguage:
    """Names follow `?lang=` or `Accept-Language` (issue #18): the answer varies on it."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if "lang" not in request.query_params:
            patch_vary_headers(response, ["Accept-Language"])
        return response


def claims_queryset():
    """Public claims with what a claim's JSON names (its citations come from
    events.rows, one query)."""
    return Claim.objects.public().select_related("event", "value_entity", "value_event")


@IN_LANGUAGE
class EventViewSet(InLanguage, ArchiveViewSet):
    """Published events; the detail adds their public `claims` with citations."""

    queryset = Event.objects.published().select_related("place", "series")
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer


@IN_LANGUAGE
class ClaimViewSet(InLanguage, ArchiveViewSet):
    """Public claims, each with its citations (quote and article)."""

    queryset = claims_queryset()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter

    def list(self, request, *args, **kwargs):
        # The hot path: plain rows shaped by events.rows, the same JSON as ClaimSerializer.
        # In id order: offset pages walk the (status, id) index instead of sorting every
        # claim, and page and cursor modes list claims in the same order.
        if set(request.query_params) & set(ClaimFilter.base_filters):
            # Building the FilterSet costs ~2 ms: only when a filter is given.
            claims = self.filter_queryset(self.get_queryset())
            claims = claims.order_by("id").values(*rows.CLAIM_FIELDS)
        else:
            claims = rows.PublicClaimRows()
        page = self.paginate_queryset(claims)
        return self.get_paginated_response(rows.claim_dicts(page, request_language(request)))


@IN_LANGUAGE
class EntityViewSet(InLanguage, ArchiveViewSet):
    """Countries, organisations, people and places (merged entities left out)."""

    queryset = Entity.objects.active()
    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    lookup_field = "slug"


@IN_LANGUAGE
class SeriesViewSet(InLanguage, ArchiveViewSet):
    """Recurring kinds of event."""

    queryset = Series.objects.all()
    serializer_class = SeriesSerializer
    filterset_class = SeriesFilter
    lookup_field = "slug"
