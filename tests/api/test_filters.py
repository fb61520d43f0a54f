"""Filters of every list, pagination, and bad input (a 400 naming the parameter)."""

import datetime

import pytest
from rest_framework.test import APIClient

from events.models import Claim, Entity
from tests.api_factories import build_archive
from tests.factories import ArticleFactory, CitationFactory, EntityFactory, EventFactory


def get(url, status=200):
    response = APIClient().get(url)
    assert response.status_code == status, (url, response.content[:300])
    return response.json()


def slugs(url):
    return [item["slug"] for item in get(url)["results"]]


@pytest.fixture
def events(db):
    return build_archive(6)


def test_event_filters(events):
    first, second = events[0], events[1]
    participant = first.claims.get(property="participant").value_entity
    assert set(slugs(f"/api/v1/events/?participant={participant.slug}")) == {
        e.slug for e in events if e.claims.filter(value_entity=participant).exists()
    }
    assert slugs("/api/v1/events/?year=2001") == [first.slug]
    assert set(slugs("/api/v1/events/?start_date_after=2006-01-01")) == {events[5].slug}
    assert set(slugs("/api/v1/events/?start_date_before=2001-12-31")) == {first.slug}
    assert set(slugs(f"/api/v1/events/?series={first.series.slug}")) == {e.slug for e in events}
    assert set(slugs(f"/api/v1/events/?place={first.place.slug}")) == {e.slug for e in events}
    assert slugs("/api/v1/events/?kind=exercise") == []
    assert len(slugs("/api/v1/events/?kind=meeting")) == 6
    assert slugs(f"/api/v1/events/?q={second.title.upper()}") == [second.slug]
    assert slugs("/api/v1/events/?series=no-such-series") == []


def test_event_ordering(events):
    undated = EventFactory(start_date=None, date_precision="unknown", title="Aaa")
    by_date = slugs("/api/v1/events/?ordering=start_date")
    assert by_date[0] == events[0].slug and by_date[-1] == undated.slug
    by_date_desc = slugs("/api/v1/events/?ordering=-start_date")
    assert by_date_desc[0] == events[-1].slug and by_date_desc[-1] == undated.slug
    assert slugs("/api/v1/events/?ordering=title")[0] == undated.slug
    assert slugs("/api/v1/events/?ordering=-title")[-1] == undated.slug


def test_claim_filters(events):
    event = events[2]
    claims = get(f"/api/v1/claims/?event={event.slug}")["results"]
    assert {c["id"] for c in claims} == set(event.claims.values_list("pk", flat=True))
    dates = get("/api/v1/claims/?property=date")["results"]
    assert len(dates) == 6 and all(c["property"] == "date" for c in dates)
    entity = event.claims.get(property="participant").value_entity
    by_entity = get(f"/api/v1/claims/?entity={entity.slug}")["results"]
    assert by_entity and all(c["value_entity"]["slug"] == entity.slug for c in by_entity)
    assert get("/api/v1/claims/?rank=deprecated")["count"] == 0
    assert get("/api/v1/claims/?rank=normal")["count"] == Claim.objects.count()
    article = event.claims.first().citations.first().quote.article
    by_article = get(f"/api/v1/claims/?article={article.slug}")["results"]
    assert {c["id"] for c in by_article} == set(event.claims.values_list("pk", flat=True))


def test_article_and_entity_filters(db):
    old = ArticleFactory(published_on=datetime.date(2019, 5, 1), language="ru")
    new = ArticleFactory(published_on=datetime.date(2023, 5, 1))
    assert slugs(f"/api/v1/articles/?outlet={old.outlet.slug}") == [old.slug]
    assert slugs("/api/v1/articles/?language=ru") == [old.slug]
    assert slugs("/api/v1/articles/?published_after=2020-01-01") == [new.slug]
    assert slugs("/api/v1/articles/?published_before=2020-01-01") == [old.slug]
    EntityFactory(kind=Entity.Kind.PERSON, slug="a-person")
    EntityFactory(kind=Entity.Kind.COUNTRY)
    assert slugs("/api/v1/entities/?kind=person") == ["a-person"]


def test_modified_after(db):
    citation = CitationFactory()
    past = "2000-01-01T00:00:00Z"
    future = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1)).isoformat()
    for url in [
        "/api/v1/events/",
        "/api/v1/claims/",
        "/api/v1/articles/",
        "/api/v1/quotes/",
        "/api/v1/entities/",
        "/api/v1/series/",
    ]:
        assert get(f"{url}?modified_after={past}")["count"] >= 1, url
        assert get(f"{url}?modified_after={future.replace('+', '%2B')}")["count"] == 0, url
    assert get(f"/api/v1/annotations/?modified_after={past}")["total"] == 1
    assert citation


def test_pagination_and_cursor(events):
    page = get("/api/v1/claims/?page_size=5")
    assert page["count"] == 17 and len(page["results"]) == 5 and page["previous"] is None
    assert "page=2" in page["next"]
    assert len(get("/api/v1/claims/?page_size=500")["results"]) == 17  # capped at 200
    get("/api/v1/claims/?page=99", status=404)
    seen = []
    url = "/api/v1/claims/?cursor=&page_size=4"
    while url:
        page = get(url)
        assert page["count"] == 17 and page["previous"] is None
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert seen == sorted(Claim.objects.values_list("pk", flat=True))


BAD = [
    ("/api/v1/events/", "kind", "nonsense"),
    ("/api/v1/events/", "year", "abc"),
    ("/api/v1/events/", "year", "99999"),
    ("/api/v1/events/", "year", "1.5"),
    ("/api/v1/events/", "start_date_after", "2021-13-45"),
    ("/api/v1/events/", "start_date_before", "yesterday"),
    ("/api/v1/events/", "ordering", "summary"),
    ("/api/v1/events/", "q", "a\x00b"),
    ("/api/v1/claims/", "property", "colour"),
    ("/api/v1/claims/", "rank", "best"),
    ("/api/v1/articles/", "language", "klingon"),
    ("/api/v1/articles/", "published_after", "2021-02-30"),
    ("/api/v1/articles/", "published_before", "x"),
    ("/api/v1/entities/", "kind", "planet"),
    ("/api/v1/export/claims.csv", "rank", "best"),
    ("/api/v1/export/claims.jsonl", "property", "colour"),
    ("/api/v1/annotations/", "modified_after", "soon"),
    ("/api/v1/annotations/", "page", "first"),
    ("/api/v1/annotations/", "page_size", "0"),
]
BAD += [
    (url, param, value)
    for url in [
        "/api/v1/events/",
        "/api/v1/claims/",
        "/api/v1/articles/",
        "/api/v1/quotes/",
        "/api/v1/entities/",
        "/api/v1/series/",
    ]
    for param, value in [
        ("modified_after", "not-a-date"),
        ("modified_after", "0001-01-01T00:00:00+05:00"),
        ("page", "abc"),
        ("page", "0"),
        ("page_size", "-3"),
        ("cursor", "zz"),
    ]
]


@pytest.mark.parametrize(("url", "param", "value"), BAD)
def test_bad_input_is_400_naming_the_parameter(db, url, param, value):
    response = APIClient().get(url, {param: value})
    assert response.status_code == 400, response.content[:300]
    # JSON everywhere; the annotations answer JSON-LD (a JSON media type) even for errors.
    assert response["Content-Type"].split(";")[0] in {"application/json", "application/ld+json"}
    assert param in response.json()


def test_unknown_slug_filters_give_an_empty_list(db):
    CitationFactory()
    for url in [
        "/api/v1/events/?series=nope",
        "/api/v1/events/?place=nope",
        "/api/v1/events/?participant=nope",
        "/api/v1/claims/?event=nope",
        "/api/v1/claims/?entity=nope",
        "/api/v1/claims/?article=nope",
        "/api/v1/articles/?outlet=nope",
        "/api/v1/quotes/?article=nope",
    ]:
        assert get(url)["count"] == 0, url
