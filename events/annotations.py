"""Cited quotes as W3C Web Annotations (JSON-LD), at /api/v1/annotations/.

Each quote of a published article that at least one public claim cites is one
Annotation (https://www.w3.org/TR/annotation-model/):

- ``target``: a SpecificResource whose ``source`` is the article's clean body text,
  ``/sources/<slug>/body.txt`` (``text/plain; charset=utf-8``): the very characters the
  offsets count, so a generic client applying the selectors to the source selects the
  quote. It is selected by a TextQuoteSelector (exact words with prefix/suffix) and, as
  an alternative, a TextPositionSelector (character offsets into that text). ``scope``
  is the quote on the archive's HTML page of the article.
- ``body``: the claims the quote supports, each identified by its API URL.
- ``motivation`` is ``linking``: the quote is linked to the statements it is evidence for.

The list is an AnnotationCollection (W3C Web Annotation Protocol, 4.) embedding its first
AnnotationPage; ``?page=N`` answers that AnnotationPage with ``partOf``. Responses are
``application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"``.
"""

import datetime

from django.conf import settings
from django.core.paginator import EmptyPage
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from sources.api import (
    VALIDATION_ERROR_SCHEMA,
    ArchiveAutoSchema,
    ErrorSerializer,
    KnownParametersMixin,
)
from sources.counting import CachedCountPaginator
from sources.filters import ArchiveFilterSet, ordering_filter
from sources.models import Quote
from sources.pagination import ArchivePagination, _positive_int

from .models import Citation

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
RIGHTS = settings.SCO_DATA_LICENCE["url"]


class AnnotationRenderer(JSONRenderer):
    """JSON-LD with the Web Annotation profile."""

    media_type = ANNO_MEDIA_TYPE
    format = "jsonld"
    charset = None


class PlainJsonLdRenderer(AnnotationRenderer):
    """Answers ``Accept: application/ld+json`` (no profile) with the same profiled body."""

    media_type = "application/ld+json"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = ANNO_MEDIA_TYPE
        return super().render(data, accepted_media_type, renderer_context)


def _timestamp(value):
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def annotated_quotes():
    """Quotes of published articles cited by at least one public claim, with the ids of
    those claims prefetched into ``public_citations``."""
    cited = Citation.objects.public().filter(quote=OuterRef("pk"))
    citations = Citation.objects.public().only("id", "claim_id", "quote_id").order_by("claim_id")
    return (
        Quote.objects.published()
        .filter(Exists(cited))
        .select_related("article")
        .defer("article__original", "article__body", "article__note", "article__date_note")
        .prefetch_related(Prefetch("citations", queryset=citations, to_attr="public_citations"))
        .with_public_translations()
        .order_by("id")
    )


def annotation(quote, request, *, context=True):
    """One quote as a Web Annotation (a dict ready for JSON-LD)."""
    absolute = request.build_absolute_uri
    article = quote.article
    page = absolute(article.get_absolute_url())
    quote_selector = {"type": "TextQuoteSelector", "exact": quote.exact}
    if quote.prefix:
        quote_selector["prefix"] = quote.prefix
    if quote.suffix:
        quote_selector["suffix"] = quote.suffix
    data = {
        "id": absolute(reverse("annotation-detail", kwargs={"pk": quote.pk})),
        "type": "Annotation",
        "motivation": "linking",
        "created": _timestamp(quote.created_at),
        "modified": _timestamp(quote.updated_at),
        "rights": RIGHTS,
        "body": [
            {
                "id": absolute(reverse("claim-detail", kwargs={"pk": claim_id})),
                "type": "Dataset",
                "format": "application/json",
            }
            for claim_id in sorted({c.claim_id for c in quote.public_citations})
        ]
        + [
            # A published translation of the quoted words (issue #18).
            {
                "type": "TextualBody",
                "value": translation.text,
                "language": translation.language,
                "format": "text/plain",
            }
            for translation in getattr(quote, "public_translations", ())
        ],
        "target": {
            "type": "SpecificResource",
            "source": absolute(reverse("sources:article-body", kwargs={"slug": article.slug})),
            "scope": f"{page}#quote-{quote.pk}",
            "selector": [
                quote_selector,
                {"type": "TextPositionSelector", "start": quote.start, "end": quote.end},
            ],
        },
    }
    return {"@context": ANNO_CONTEXT, **data} if context else data


class AnnotationFilter(ArchiveFilterSet):
    ordering = ordering_filter({"id": ("id",)}, "Sort order: annotations are listed by id.")

    class Meta:
        model = Quote
        fields = ["ordering", "modified_after"]


class AnnotationSchema(ArchiveAutoSchema):
    def _is_list_view(self, serializer=None):
        # The collection is JSON-LD of its own shape, not a DRF paginated list.
        return False


_URI = {"type": "string", "format": "uri"}
ANNOTATION_SCHEMA = {
    "type": "object",
    "required": ["id", "type", "motivation", "body", "target"],
    "properties": {
        "@context": {"type": "string", "enum": [ANNO_CONTEXT]},
        "id": _URI,
        "type": {"type": "string", "enum": ["Annotation"]},
        "motivation": {"type": "string", "enum": ["linking"]},
        "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "rights": _URI,
        "body": {
            "type": "array",
            "description": "The claims this quote supports (their API URLs, `Dataset`), "
            "then the quote's published translations (`TextualBody` with its `language`).",
            "items": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "id": _URI,
                    "type": {"type": "string", "enum": ["Dataset", "TextualBody"]},
                    "format": {"type": "string"},
                    "value": {"type": "string"},
                    "language": {"type": "string"},
                },
            },
        },
        "target": {
            "type": "object",
            "required": ["source", "selector"],
            "properties": {
                "type": {"type": "string", "enum": ["SpecificResource"]},
                "source": _URI,
                "scope": _URI,
                "selector": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["type"],
                        "properties": {
                            "type": {
                                "type": "string",
                                "enum": ["TextQuoteSelector", "TextPositionSelector"],
                            },
                            "exact": {"type": "string"},
                            "prefix": {"type": "string"},
                            "suffix": {"type": "string"},
                            "start": {"type": "integer", "minimum": 0},
                            "end": {"type": "integer", "minimum": 0},
                        },
                    },
                },
            },
        },
    },
}
_PAGE_PROPERTIES = {
    "id": _URI,
    "type": {"type": "string", "enum": ["AnnotationPage"]},
    "startIndex": {"type": "integer", "minimum": 0},
    "next": _URI,
    "prev": _URI,
    "items": {"type": "array", "items": ANNOTATION_SCHEMA},
}
COLLECTION_SCHEMA = {
    "type": "object",
    "description": "An AnnotationCollection (no `page`) or one AnnotationPage (`page=N`).",
    "required": ["@context", "id", "type"],
    "properties": {
        "@context": {
            "oneOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
            ]
        },
        "id": _URI,
        "type": {"type": "string", "enum": ["AnnotationCollection", "AnnotationPage"]},
        "label": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "first": {"type": "object", "properties": _PAGE_PROPERTIES},
        "last": _URI,
        "partOf": {
            "type": "object",
            "properties": {"id": _URI, "total": {"type": "integer", "minimum": 0}},
        },
        **{key: value for key, value in _PAGE_PROPERTIES.items() if key not in ("id", "type")},
    },
}
_LIST_PARAMETERS = [
    OpenApiParameter(
        "page",
        {"type": "integer", "minimum": 1},
        description="Answer this AnnotationPage (from 1) instead of the collection.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1},
        description="Annotations per page (default 50; values above 200 are capped).",
    ),
    OpenApiParameter(
        "modified_after",
        OpenApiTypes.DATETIME,
        description="Only quotes changed after this ISO 8601 date-time.",
    ),
    OpenApiParameter(
        "ordering", {"type": "string", "enum": ["id"]}, description="Sort order: by id."
    ),
]


MEDIA_TYPES = (ANNO_MEDIA_TYPE, "application/ld+json", "application/json")


def _ld(code, schema, description):
    """One response documented for each media type the annotations can be served as."""
    response = OpenApiResponse(schema, description=description)
    return {(code, media_type): response for media_type in MEDIA_TYPES}


class AnnotationViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Cited quotes as W3C Web Annotations."""

    renderer_classes = [AnnotationRenderer, PlainJsonLdRenderer, JSONRenderer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AnnotationFilter
    pagination_class = None
    schema = AnnotationSchema()
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return annotated_quotes()

    @extend_schema(
        operation_id="v1_annotations_list",
        summary="Cited quotes as a W3C AnnotationCollection",
        parameters=_LIST_PARAMETERS,
        responses={
            **_ld(200, COLLECTION_SCHEMA, "AnnotationCollection or -Page."),
            **_ld(400, VALIDATION_ERROR_SCHEMA, "A parameter did not parse."),
            **_ld(404, ErrorSerializer, "A page past the end."),
        },
    )
    def list(self, request, *args, **kwargs):
        filterset = AnnotationFilter(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        size = min(_positive_int(request, "page_size", ArchivePagination.page_size), 200)
        page_number = _positive_int(request, "page", None)
        paginator = CachedCountPaginator(filterset.qs, size)
        base = remove_query_param(request.build_absolute_uri(), "page")

        def page_url(number):
            return replace_query_param(base, "page", number)

        def page_data(number):
            try:
                page = paginator.page(number)
            except EmptyPage:
                raise NotFound("Invalid page.") from None
            data = {"id": page_url(number), "type": "AnnotationPage"}
            if page.has_next():
                data["next"] = page_url(number + 1)
            if page.has_previous():
                data["prev"] = page_url(number - 1)
            data["startIndex"] = page.start_index() - 1 if page.object_list else 0
            data["items"] = [annotation(q, request, context=False) for q in page.object_list]
            return data

        if page_number is None:
            collection = {
                "@context": [ANNO_CONTEXT, LDP_CONTEXT],
                "id": base,
                "type": "AnnotationCollection",
                "label": "SCO Archive: quotes cited as evidence for claims",
                "total": paginator.count,
            }
            if paginator.count:
                collection["first"] = page_data(1)
                collection["last"] = page_url(paginator.num_pages)
            return Response(collection)
        data = page_data(page_number)
        return Response(
            {
                "@context": ANNO_CONTEXT,
                **data,
                "partOf": {"id": base, "total": paginator.count},
            }
        )

    @extend_schema(
        summary="One cited quote as a W3C Web Annotation",
        responses={
            **_ld(200, ANNOTATION_SCHEMA, "A Web Annotation."),
            **_ld(400, VALIDATION_ERROR_SCHEMA, "A parameter did not parse."),
            **_ld(404, ErrorSerializer, "No such annotation."),
        },
    )
    def retrieve(self, request, *args, **kwargs):
        return Response(annotation(self.get_object(), request))
