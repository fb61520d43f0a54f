from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("entities/<slug:slug>/", views.EntityDetailView.as_view(), name="entity-detail"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series-detail"),
]
