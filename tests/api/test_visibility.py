"""Only published material, anywhere in the API: lists, details, nesting, exports, annotations."""

import json

import pytest
from rest_framework.test import APIClient

from events.models import Claim
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    EventFactory,
    QuoteFactory,
)

HIDDEN = "HIDDEN-MARK"


@pytest.fixture
def archive(db):
    """One public event and claim, and hidden material of every kind next to it."""
    public = CitationFactory()
    event = public.claim.event
    hidden = {}
    for status in ("draft", "review"):
        draft_event = EventFactory(status=status, title=f"{HIDDEN} event {status}")
        hidden[f"event-{status}"] = draft_event
        # a published claim of an unpublished event
        CitationFactory(
            claim__event=draft_event,
            claim__value_text=f"{HIDDEN} 1",
            claim__value_entity=None,
            claim__property=Claim.Property.THEME,
        )
        # an unpublished claim of the public event
        CitationFactory(
            claim__event=event,
            claim__status=status,
            claim__value_text=f"{HIDDEN} 2",
            claim__value_entity=None,
            claim__property=Claim.Property.THEME,
        )
        # an unpublished article, its quote cited by the public claim
        article = ArticleFactory(status=status, title=f"{HIDDEN} article {status}")
        hidden[f"article-{status}"] = article
        CitationFactory(claim=public.claim, quote=QuoteFactory(article=article))
        # a published claim of the public event naming an unpublished event
        ClaimFactory(
            event=event, property=Claim.Property.PART_OF, value_entity=None, value_event=draft_event
        )
    return {"public": public, "event": event, "hidden": hidden}


def fetch(url):
    response = APIClient().get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body.decode()


LISTS = [
    "/api/v1/events/",
    "/api/v1/claims/",
    "/api/v1/articles/",
    "/api/v1/quotes/",
    "/api/v1/annotations/",
    "/api/v1/export/claims.csv",
    "/api/v1/export/claims.jsonl",
]


@pytest.mark.parametrize("url", LISTS)
def test_lists_show_nothing_unpublished(archive, url):
    response, body = fetch(url)
    assert response.status_code == 200
    assert HIDDEN not in body
    for obj in archive["hidden"].values():
        assert f"/{obj.slug}/" not in body and f'"{obj.slug}"' not in body


def test_public_event_detail_hides_unpublished_claims_and_citations(archive):
    response, body = fetch(f"/api/v1/events/{archive['event'].slug}/")
    assert response.status_code == 200
    assert HIDDEN not in body
    claims = json.loads(body)["claims"]
    assert [c["id"] for c in claims] == [archive["public"].claim_id]
    assert len(claims[0]["citations"]) == 1


def test_details_of_unpublished_are_404(archive):
    hidden = archive["hidden"]
    for status in ("draft", "review"):
        assert fetch(f"/api/v1/events/{hidden[f'event-{status}'].slug}/")[0].status_code == 404
        assert fetch(f"/api/v1/articles/{hidden[f'article-{status}'].slug}/")[0].status_code == 404
    for claim in Claim.objects.exclude(pk=archive["public"].claim_id):
        assert fetch(f"/api/v1/claims/{claim.pk}/")[0].status_code == 404
    for quote_id in hidden["article-draft"].quotes.values_list("pk", flat=True):
        assert fetch(f"/api/v1/quotes/{quote_id}/")[0].status_code == 404
        assert fetch(f"/api/v1/annotations/{quote_id}/")[0].status_code == 404


def test_claim_detail_hides_citations_of_unpublished_articles(archive):
    response, body = fetch(f"/api/v1/claims/{archive['public'].claim_id}/")
    assert response.status_code == 200
    assert HIDDEN not in body
    assert len(json.loads(body)["citations"]) == 1


def test_uncited_or_hidden_only_quote_is_not_an_annotation(archive):
    lonely = QuoteFactory(words="approved a new Plan")
    hidden_only = CitationFactory(claim__status="draft").quote
    for quote in (lonely, hidden_only):
        assert fetch(f"/api/v1/annotations/{quote.pk}/")[0].status_code == 404
    collection = json.loads(fetch("/api/v1/annotations/")[1])
    assert collection["total"] == 1


def test_filters_do_not_reveal_unpublished(archive):
    hidden = archive["hidden"]
    response, body = fetch(f"/api/v1/claims/?article={hidden['article-draft'].slug}")
    assert json.loads(body)["count"] == 0
    response, body = fetch(f"/api/v1/claims/?event={hidden['event-draft'].slug}")
    assert json.loads(body)["count"] == 0
