"""Builders of small archives for the API tests (on top of tests/factories.py)."""

import datetime

from events.models import Claim, Entity
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    QuoteFactory,
    SeriesFactory,
)

WORDS = (
    "Tajikistan chaired a meeting",
    "next meeting in the Republic of Uzbekistan",
    "approved a new Plan",
)


def build_archive(n_events, *, start_year=2001):
    """`n_events` published events, each with three claims citing three quotes of its own
    article (one entity, one date and one event-valued claim), sharing a few entities."""
    series = SeriesFactory()
    countries = [EntityFactory(kind=Entity.Kind.COUNTRY) for _ in range(3)]
    place = EntityFactory(kind=Entity.Kind.PLACE)
    events = []
    previous = None
    for i in range(n_events):
        event = EventFactory(
            series=series, place=place, start_date=datetime.date(start_year + i % 20, 7, 28)
        )
        article = ArticleFactory()
        quotes = [QuoteFactory(article=article, words=w) for w in WORDS]
        chair = ClaimFactory(
            event=event, property=Claim.Property.PARTICIPANT, value_entity=countries[i % 3]
        )
        date = ClaimFactory(
            event=event,
            property=Claim.Property.DATE,
            value_entity=None,
            value_date=event.start_date,
            value_date_precision="day",
        )
        CitationFactory(claim=chair, quote=quotes[0])
        CitationFactory(claim=date, quote=quotes[1])
        if previous is not None:
            linked = ClaimFactory(
                event=event,
                property=Claim.Property.PART_OF,
                value_entity=None,
                value_event=previous,
            )
            CitationFactory(claim=linked, quote=quotes[2])
        previous = event
        events.append(event)
    return events
