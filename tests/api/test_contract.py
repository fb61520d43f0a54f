"""The public API contract (BRIEF.md, "API contract (v1…)"): exact field names.

These tests fail when a contract field is renamed, dropped or added unannounced; adding
one is a contract change to make on purpose (update BRIEF.md and these sets together).
"""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

PAGE = {"count", "next", "previous", "results"}
EVENT = {
    "id",
    "slug",
    "title",
    "names",  # {en, ru, zh-hans}: names per language (#18)
    "kind",
    "start_date",
    "end_date",
    "date_precision",
    "place",
    "series",
    "summary",
    "url",
    "updated_at",
}
CLAIM = {
    "id",
    "event",
    "property",
    "value",
    "value_date",
    "value_date_precision",
    "value_entity",
    "value_event",
    "independent_sources",  # one per outlet and per syndication cluster (#17)
    "rank",
    "rank_reason",
    "citations",
    "updated_at",
}
CITATION = {"quote", "article"}
CITED_QUOTE = {"id", "exact", "start", "end"}
CITED_ARTICLE = {"slug", "title", "url", "outlet", "published_on"}
ARTICLE = {
    "id",
    "slug",
    "title",
    "outlet",
    "url",
    "published_on",
    "published_precision",
    "language",
    "updated_at",
}
SLUG_NAME = {"slug", "name"}
SLUG_TITLE = {"slug", "title"}


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


@pytest.fixture
def api():
    return APIClient()


def get(api, url):
    response = api.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return response.json()


def check_claim(claim):
    assert set(claim) == CLAIM
    assert set(claim["event"]) == SLUG_TITLE
    assert isinstance(claim["value"], str) and claim["value"]
    if claim["value_entity"] is not None:
        assert set(claim["value_entity"]) == {"slug", "name", "kind"}
    if claim["value_event"] is not None:
        assert set(claim["value_event"]) == SLUG_TITLE
    for citation in claim["citations"]:
        assert set(citation) == CITATION
        assert set(citation["quote"]) == CITED_QUOTE
        assert set(citation["article"]) == CITED_ARTICLE


def test_event_list_and_detail(seed, api):
    page = get(api, "/api/v1/events/")
    assert set(page) == PAGE
    assert page["count"] == 19
    for event in page["results"]:
        assert set(event) == EVENT
        if event["place"] is not None:
            assert set(event["place"]) == SLUG_NAME
        if event["series"] is not None:
            assert set(event["series"]) == SLUG_NAME
        assert event["url"] == f"http://testserver/events/{event['slug']}/"
    detail = get(api, f"/api/v1/events/{page['results'][0]['slug']}/")
    assert set(detail) == EVENT | {"claims"}
    assert detail["claims"]
    for claim in detail["claims"]:
        check_claim(claim)


def test_claims(seed, api):
    page = get(api, "/api/v1/claims/?page_size=200")
    assert set(page) == PAGE
    assert page["count"] == 117
    kinds = set()
    for claim in page["results"]:
        check_claim(claim)
        kinds.add(
            "entity"
            if claim["value_entity"]
            else "date"
            if claim["value_date"]
            else "event"
            if claim["value_event"]
            else "text"
        )
        if claim["value_date"]:
            assert claim["value_date_precision"] in {"day", "month", "year"}
        else:
            assert claim["value_date_precision"] is None
    assert kinds == {"entity", "date", "event", "text"}
    claim = page["results"][0]
    assert get(api, f"/api/v1/claims/{claim['id']}/") == claim


def test_articles(seed, api):
    page = get(api, "/api/v1/articles/")
    assert set(page) == PAGE
    for article in page["results"]:
        assert set(article) == ARTICLE
        if article["outlet"] is not None:
            assert set(article["outlet"]) == SLUG_NAME
        assert article["url"] is None or article["url"].startswith("http")
    detail = get(api, f"/api/v1/articles/{page['results'][0]['slug']}/")
    assert set(detail) == ARTICLE | {"body", "quotes"}
    for quote in detail["quotes"]:
        assert {"id", "exact", "start", "end", "updated_at"} <= set(quote)
        assert detail["body"][quote["start"] : quote["end"]] == quote["exact"]


def test_quotes_entities_series(seed, api):
    for url, extra in [
        ("/api/v1/quotes/", {"id", "exact", "start", "end", "article"}),
        ("/api/v1/entities/", {"id", "slug", "name", "names", "kind", "url"}),
        ("/api/v1/series/", {"id", "slug", "name", "names", "url"}),
    ]:
        page = get(api, url)
        assert set(page) == PAGE
        for item in page["results"]:
            assert extra | {"updated_at"} <= set(item)
    entity = get(api, "/api/v1/entities/")["results"][0]
    assert get(api, f"/api/v1/entities/{entity['slug']}/") == entity
    series = get(api, "/api/v1/series/")["results"][0]
    assert get(api, f"/api/v1/series/{series['slug']}/") == series


def test_citation_article_url_null_when_unknown(db, api):
    from tests.factories import CitationFactory

    citation = CitationFactory(quote__article__url="")
    claim = get(api, f"/api/v1/claims/{citation.claim_id}/")
    article = claim["citations"][0]["article"]
    assert article["url"] is None
    assert article["outlet"] == citation.quote.article.outlet.name


def test_schema_matches_contract(api, db):
    """The OpenAPI components list exactly the contract's fields."""
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    components = response.json()["components"]["schemas"]

    def props(name):
        return set(components[name]["properties"])

    assert props("Event") == EVENT
    assert props("EventDetail") == EVENT | {"claims"}
    assert props("Claim") == CLAIM
    assert props("Citation") == CITATION
    assert props("Article") == ARTICLE
    assert props("ArticleDetail") == ARTICLE | {"body", "quotes"}
    assert props("PaginatedEventList") == PAGE


def test_renamed_slug_redirects(db, api):
    from tests.factories import EventFactory

    event = EventFactory(slug="old-slug")
    event.slug = "new-slug"
    event.save()
    response = api.get("/api/v1/events/old-slug/")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/events/new-slug/")
