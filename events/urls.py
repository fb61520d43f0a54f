from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("entities/", views.EntityListView.as_view(), name="entity-list"),
    path("entities/<slug:slug>/", views.EntityDetailView.as_view(), name="entity-detail"),
    path("series/", views.SeriesListView.as_view(), name="series-list"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
    path("participation/", views.participation, name="participation"),
    path("map/", views.event_map_page, name="map"),
    path("search/", views.search, name="search"),
    path("about/", views.AboutView.as_view(), name="about"),
]
