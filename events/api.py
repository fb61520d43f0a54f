"""Read-only API of the events app: events, claims, entities and series.

Only published material: published events; published claims of published events (and
not naming an unpublished event as their value), each with only its citations of quotes
of published articles.
"""

from django.http import Http404
from django.utils.cache import patch_vary_headers
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from sources.api import (
    VALIDATION_ERROR_SCHEMA,
    ArchiveAutoSchema,
    ArchiveViewSet,
    ErrorSerializer,
    KnownParametersMixin,
)
from sources.pagination import ArchivePagination

from . import asof, changes, cite, rows
from .filters import (
    ChangeFilter,
    ClaimFilter,
    EntityFilter,
    EventFilter,
    SeriesFilter,
)
from .models import Claim, Entity, Event, PublicChange, Series
from .serializers import LANGUAGE_PARAMETER as LANG
from .serializers import (
    ChangeSerializer,
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
    """Names follow `?lang=` or `Accept-Language` (issue #18): the answer varies on it.
    An unknown `?lang=` is a 400 before anything else, even for an empty page, where no
    name would be read."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        request_language(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if "lang" not in request.query_params:
            patch_vary_headers(response, ["Accept-Language"])
        return response


AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATETIME,
    description="Answer the public state at this ISO 8601 date-time (from the archive's "
    "history), e.g. 2024-01-31T12:00:00Z.",
)
CITE_FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["csl", "bibtex", "ris"],
    description="csl (CSL-JSON, the default), bibtex or ris.",
)
CITE_RESPONSES = {
    (200, cite.CslRenderer.media_type): OpenApiResponse(
        {"type": "array", "items": {"type": "object"}, "minItems": 1, "maxItems": 1},
        description="A CSL-JSON array of one item.",
    ),
    (200, cite.BibtexRenderer.media_type): OpenApiResponse(
        OpenApiTypes.STR, description="One BibTeX @misc entry."
    ),
    (200, cite.RisRenderer.media_type): OpenApiResponse(
        OpenApiTypes.STR, description="One RIS record."
    ),
    (400, "application/json"): OpenApiResponse(
        VALIDATION_ERROR_SCHEMA, description="An undocumented query parameter."
    ),
    (404, "application/json"): OpenApiResponse(
        ErrorSerializer, description="No such public object, or an unknown format."
    ),
}


class CiteMixin:
    """The ``cite`` action takes ``format`` (and ``lang``) only; its errors (and OPTIONS)
    are JSON, whichever citation format was asked for."""

    def allowed_parameters(self):
        if getattr(self, "action", None) == "cite":
            return {"format", "lang"}
        return super().allowed_parameters()

    def finalize_response(self, request, response, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        not_a_citation = response.status_code >= 400 or request.method not in ("GET", "HEAD")
        citing = isinstance(renderer, tuple(cite.CITE_RENDERERS)) or (
            renderer is None and getattr(self, "action", None) == "cite"  # e.g. ?format=AAA
        )
        if not_a_citation and citing:
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


def _filtered(filterset_class, params, queryset):
    filterset = filterset_class(params, queryset=queryset)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs


def claims_queryset():
    """Public claims with what a claim's JSON names (its citations come from
    events.rows, one query)."""
    return Claim.objects.public().select_related("event", "value_entity", "value_event")


@IN_LANGUAGE
@extend_schema(parameters=[AS_OF], methods=["GET"])
class EventViewSet(InLanguage, CiteMixin, ArchiveViewSet):
    """Published events; the detail adds their public `claims` with citations.
    ``?as_of=`` answers the public state at that moment (events/asof.py)."""

    queryset = Event.objects.published().select_related("place", "series")
    serializer_class = EventSerializer
    filterset_class = EventFilter
    lookup_field = "slug"

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    def list(self, request, *args, **kwargs):
        at = asof.parse(request.query_params)
        if at is None:
            return super().list(request, *args, **kwargs)
        queryset = _filtered(EventFilter, request.query_params, Event.objects.published())
        events = asof.events(queryset, at)
        if "cursor" in request.query_params:
            events = asof.Listing(sorted(events, key=lambda event: event.pk))
        page = self.paginate_queryset(events)
        serializer = EventSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        at = asof.parse(request.query_params)
        if at is None:
            return super().retrieve(request, *args, **kwargs)
        found = asof.events(Event.objects.published().filter(slug=kwargs["slug"]), at)
        if not found:
            raise Http404
        context = {**self.get_serializer_context(), "as_of": at}
        return Response(EventDetailSerializer(found[0], context=context).data)

    @extend_schema(
        operation_id="v1_events_cite",
        summary="Cite this event page",
        parameters=[CITE_FORMAT, OpenApiParameter("as_of", exclude=True)],
        responses=CITE_RESPONSES,
    )
    @action(detail=True, renderer_classes=cite.CITE_RENDERERS, pagination_class=None)
    def cite(self, request, *args, **kwargs):
        event = self.get_object()
        url = request.build_absolute_uri(event.get_absolute_url())
        return Response(cite.event_citation(event, url))


@IN_LANGUAGE
@extend_schema(parameters=[AS_OF], methods=["GET"])
class ClaimViewSet(InLanguage, CiteMixin, ArchiveViewSet):
    """Public claims, each with its citations (quote and article). ``?as_of=`` answers
    the public state at that moment (events/asof.py)."""

    queryset = claims_queryset()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter

    def retrieve(self, request, *args, **kwargs):
        at = asof.parse(request.query_params)
        if at is None:
            return super().retrieve(request, *args, **kwargs)
        try:
            pk = int(kwargs["pk"])
        except ValueError:
            raise Http404 from None
        found = asof.public_claims(at, pk=pk)
        if not found:
            raise Http404
        return Response(found[0])

    @extend_schema(
        operation_id="v1_claims_cite",
        summary="Cite this claim",
        parameters=[CITE_FORMAT, OpenApiParameter("as_of", exclude=True)],
        responses=CITE_RESPONSES,
    )
    @action(detail=True, renderer_classes=cite.CITE_RENDERERS, pagination_class=None)
    def cite(self, request, *args, **kwargs):
        claim = ClaimSerializer(self.get_object()).data
        url = request.build_absolute_uri(self.get_object().get_absolute_url())
        return Response(cite.claim_citation(claim, url))

    def list(self, request, *args, **kwargs):
        at = asof.parse(request.query_params)
        if at is not None:
            queryset = _filtered(ClaimFilter, request.query_params, Claim.objects.public())
            page = self.paginate_queryset(asof.claims(queryset, at))
            return self.get_paginated_response(page)
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


class ChangesPagination(ArchivePagination):
    """Keyset pages, oldest first: always in cursor mode (no cursor: from the start)."""

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param not in request.query_params:
            request.query_params._mutable = True
            request.query_params[self.cursor_query_param] = ""
            request.query_params._mutable = False
        return super().paginate_queryset(queryset, request, view)


class ChangesViewSet(KnownParametersMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """What changed in the public set, oldest first, with ``removed`` tombstones
    (events/changes.py). Replaying it from the start gives the public set."""

    queryset = PublicChange.objects.order_by("id")
    serializer_class = ChangeSerializer
    filterset_class = ChangeFilter
    pagination_class = ChangesPagination
    filter_backends = [DjangoFilterBackend]
    schema = ArchiveAutoSchema()

    @extend_schema(
        operation_id="v1_changes_list",
        summary="Changes of the public set since a moment",
        description=(
            "One entry per change of the public set: `created`, `updated` (for a claim, "
            "also when its citations change) or a `removed` tombstone when something "
            "leaves it (unpublished, deleted, merged away, its only source unpublished). "
            "Keyset-paginated, oldest first: follow `next`."
        ),
    )
    def list(self, request, *args, **kwargs):
        changes.refresh()
        return super().list(request, *args, **kwargs)
