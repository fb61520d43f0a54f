"""factory_boy factories for every model. Defaults build published, consistent data."""

import datetime

import factory
from django.contrib.auth import get_user_model

from events.models import Citation, Claim, Entity, Event, Series
from sources.models import Article, Outlet, Quote

BODY = (
    "On 28 July 2021, Tajikistan chaired a meeting of\xa0the defence ministers of the "
    "Shanghai Cooperation Organisation (SCO) member states in\xa0Dushanbe.\n"
    "The ministers agreed to hold their next meeting in the Republic of Uzbekistan in 2022.\n"
    "They approved a new Plan for\xa0Cooperation between the SCO Defence Ministries."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("secret-pass-123")
    is_staff = True


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    slug = factory.Sequence(lambda n: f"outlet-{n}")
    kind = Outlet.Kind.NEWSPAPER


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"SCO defence ministers meet, report {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    outlet = factory.SubFactory(OutletFactory)
    url = factory.Sequence(lambda n: f"https://news.example.org/{n}")
    published_on = datetime.date(2021, 7, 29)
    published_precision = "day"
    language = "en"
    original = factory.LazyAttribute(lambda o: f"Home | News\n{o.body}\nLeave a Reply")
    body = BODY
    status = "published"


class QuoteFactory(factory.django.DjangoModelFactory):
    """A quote of the words `words` of its article's body (the first occurrence)."""

    class Meta:
        model = Quote
        exclude = ("words",)

    article = factory.SubFactory(ArticleFactory)
    words = "Tajikistan chaired a meeting"
    start = factory.LazyAttribute(lambda o: o.article.body.index(o.words))
    end = factory.LazyAttribute(lambda o: o.start + len(o.words))
    exact = factory.LazyAttribute(lambda o: o.article.body[o.start : o.end])


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    kind = Entity.Kind.COUNTRY
    name = factory.Sequence(lambda n: f"Country {n}")
    slug = factory.Sequence(lambda n: f"entity-{n}")
    aliases = factory.LazyAttribute(lambda o: [f"Republic of {o.name}"])


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    aliases = factory.LazyAttribute(lambda o: [f"{o.name} (alias)"])


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"SCO Defence Ministers' Meeting {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.MEETING
    series = factory.SubFactory(SeriesFactory)
    start_date = datetime.date(2021, 7, 28)
    date_precision = "day"
    place = factory.SubFactory(EntityFactory, kind=Entity.Kind.PLACE)
    summary = "Defence ministers of the SCO member states met."
    status = "published"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    event = factory.SubFactory(EventFactory)
    property = Claim.Property.CHAIR
    value_entity = factory.SubFactory(EntityFactory)
    rank = Claim.Rank.NORMAL
    status = "published"


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    quote = factory.SubFactory(QuoteFactory)
