"""The JSON API: one router for both apps, at /api/v1/, plus the schema and its docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from events.annotations import AnnotationViewSet
from events.api import ClaimViewSet, EntityViewSet, EventViewSet, SeriesViewSet
from events.exports import ClaimsCsvExport, ClaimsJsonLinesExport, EventsCsvExport
from sources.api import ArticleViewSet, QuoteViewSet, api_not_found

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
router.register("claims", ClaimViewSet, basename="claim")
router.register("articles", ArticleViewSet, basename="article")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("entities", EntityViewSet, basename="entity")
router.register("series", SeriesViewSet, basename="series")
router.register("annotations", AnnotationViewSet, basename="annotation")

urlpatterns = [
    path("v1/export/claims.csv", ClaimsCsvExport.as_view(), name="export-claims-csv"),
    path("v1/export/claims.jsonl", ClaimsJsonLinesExport.as_view(), name="export-claims-jsonl"),
    path("v1/export/events.csv", EventsCsvExport.as_view(), name="export-events-csv"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", api_not_found),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # Swagger UI without inline script or style, for the site's CSP (issue #16).
        SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
