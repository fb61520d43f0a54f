"""Public pages of events, entities and series (placeholders until the reader site lands)."""

from django.shortcuts import render
from django.views.generic import DetailView, ListView

from .models import Entity, Event, Series


def home(request):
    events = Event.objects.published().select_related("series", "place")[:10]
    return render(request, "events/home.html", {"events": events})


class PublishedEventMixin:
    def get_queryset(self):
        return Event.objects.published().select_related("series", "place")


class EventListView(PublishedEventMixin, ListView):
    paginate_by = 50


class EventDetailView(PublishedEventMixin, DetailView):
    pass


class EntityDetailView(DetailView):
    model = Entity


class SeriesDetailView(DetailView):
    model = Series
