"""Root URLs: public pages of both apps, the admin and the JSON API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("sco_archive.api_urls")),
    path("", include("sources.urls")),
    path("", include("events.urls")),
]
