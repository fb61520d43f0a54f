"""Root URLs: public pages of both apps, feeds, sitemap, the admin and the JSON API.

The reader pages and the feed answer in English unprefixed and under /ru/ and /zh-hans/
(``i18n_patterns``; the language comes from the path alone: sco_archive/locale.py). The
admin, the API, the sitemap (an index of files, each page with its languages as alternates) and
robots.txt are unprefixed and English.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path
from django.views.generic import TemplateView

from events.feeds import LatestEventsFeed
from events.sitemaps import SITEMAPS
from events.views import SourceDetailView

# Error pages build no absolute URL (templates/errors/base.html); a database fault raised
# anywhere is a 503, not a 500 (sco_archive/faults.py, issue #16).
handler500 = "sco_archive.faults.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sco_archive.api_urls")),
    # An index of sections, each in files of at most ReaderSitemap.limit URLs.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

urlpatterns += i18n_patterns(
    path("feeds/events/", LatestEventsFeed(), name="feed-events"),
    # The source page with the claims behind its quotes: events' view, answering the
    # URL that sources.urls names "sources:article-detail" (sources never imports events).
    path("sources/<slug:slug>/", SourceDetailView.as_view()),
    path("", include("sources.urls")),
    path("", include("events.urls")),
    prefix_default_language=False,
)
