"""Read-only API of the sources app, and the base every API view set of the archive uses.

Only published material is served: articles with status ``published`` and the quotes of
such articles. Detail URLs take the slug; a renamed object's old slug answers with a
permanent redirect to its current URL.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpResponsePermanentRedirect, JsonResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError

from sources.pagination import ArchivePagination

from .filters import ArticleFilter, QuoteFilter
from .models import Article, FormerSlug, Quote
from .serializers import ArticleDetailSerializer, ArticleSerializer, QuoteSerializer

VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Each invalid query parameter, with what is wrong with its value.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ArchiveAutoSchema(AutoSchema):
    """Documents the error answers every read-only endpoint can give.

    400 (a query parameter that does not parse, named in the body), 404 (no such object,
    or a page past the end) and, for slug lookups, 301 (a renamed object's old slug).
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method != "GET" or direction != "response":
            return responses
        if "400" not in responses and (
            self._is_list_view() or getattr(self.view, "filterset_class", None)
        ):
            responses["400"] = self._get_response_for_code(VALIDATION_ERROR_SCHEMA, "400")
        if "404" not in responses:
            responses["404"] = self._get_response_for_code(ErrorSerializer, "404")
        if not self._is_list_view() and getattr(self.view, "lookup_field", None) == "slug":
            responses.setdefault(
                "301",
                {
                    "description": "A former slug: `Location` gives the object's current URL.",
                },
            )
        return responses


# Query parameters every /api/v1/ endpoint accepts besides its own filters (``lang`` is
# the names' language, ``as_of`` and ``since`` are read by the endpoints that document them).
COMMON_PARAMETERS = frozenset(
    {
        "format",
        "page",
        "page_size",
        "cursor",
        "ordering",
        "lang",
        "as_of",
        "modified_after",
        "since",
    }
)


class KnownParametersMixin:
    """A query parameter the endpoint does not document is a 400 naming it, never silently
    ignored: a misspelt filter (``?evnt=``) would otherwise answer the whole list.

    Allowed: :data:`COMMON_PARAMETERS`, the endpoint's FilterSet's filters and its own
    ``extra_parameters``."""

    extra_parameters = ()

    def allowed_parameters(self):
        filterset_class = getattr(self, "filterset_class", None)
        filters = filterset_class.base_filters if filterset_class else ()
        return COMMON_PARAMETERS | set(filters) | set(self.extra_parameters)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(set(request.query_params) - self.allowed_parameters())
        if unknown:
            allowed = ", ".join(sorted(self.allowed_parameters()))
            raise ValidationError(
                {
                    name: [f"Unknown query parameter. This endpoint takes: {allowed}."]
                    for name in unknown
                }
            )


class ArchiveViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Read-only, paginated, filtered by django-filter (which also does ``ordering``);
    an undocumented query parameter is a 400 (:class:`KnownParametersMixin`)."""

    pagination_class = ArchivePagination
    filter_backends = [DjangoFilterBackend]
    schema = ArchiveAutoSchema()
    # Anything up to the next slash reaches the view (a dot too), so that every bad id or
    # slug is DRF's JSON 404, not the site's HTML one.
    lookup_value_regex = "[^/]+"

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            if self.lookup_field != "slug":
                raise
            current = FormerSlug.current(self.get_queryset(), kwargs.get("slug", ""))
            if current is None:
                raise
            url = self.reverse_action("detail", kwargs={"slug": current.slug})
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


class ArticleViewSet(ArchiveViewSet):
    """Published source articles; the detail adds the clean `body` and its `quotes`."""

    queryset = Article.objects.published().select_related("outlet")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    lookup_field = "slug"

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            return queryset.prefetch_related(
                Prefetch("quotes", queryset=Quote.objects.order_by("start", "end"))
            )
        return queryset.defer("original", "body", "date_note", "note")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer


class QuoteViewSet(ArchiveViewSet):
    """Quotes of published articles: the exact words and where they are in the body."""

    queryset = (
        Quote.objects.published()
        .select_related("article")
        .with_public_translations()
        .order_by("id")
    )
    serializer_class = QuoteSerializer
    filterset_class = QuoteFilter


def api_not_found(request, *args, **kwargs):
    """JSON 404 for any other path under /api/v1/ (instead of the site's HTML page)."""
    return JsonResponse({"detail": "Not found."}, status=404)
