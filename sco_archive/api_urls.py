"""The JSON API: one router for both apps, at /api/v1/, plus the schema and its docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from events import reconcile
from events.annotations import AnnotationViewSet
from events.api import (
    ChangesViewSet,
    ClaimViewSet,
    EntityViewSet,
    EventViewSet,
    SeriesViewSet,
)
from events.exports import EXPORT_VIEWS, DataPackageView
from sources.api import ArticleViewSet, QuoteViewSet, api_not_found

router = DefaultRouter()
router.register("events", EventViewSet, basename="event")
router.register("claims", ClaimViewSet, basename="claim")
router.register("articles", ArticleViewSet, basename="article")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("entities", EntityViewSet, basename="entity")
router.register("series", SeriesViewSet, basename="series")
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("changes", ChangesViewSet, basename="change")

urlpatterns = [
    *(
        path(f"v1/export/{name}.{fmt}", view.as_view(), name=f"export-{name}-{fmt}")
        for (name, fmt), view in EXPORT_VIEWS.items()
    ),
    path("v1/datapackage.json", DataPackageView.as_view(), name="datapackage"),
    path("v1/", include(router.urls)),
    re_path(r"^v1/", api_not_found),
    path("reconcile", reconcile.service, name="reconcile"),
    path("reconcile/preview", reconcile.preview, name="reconcile-preview"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        # Swagger UI without inline script or style, for the site's CSP (issue #16).
        SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
