"""The streamed claim exports: CSV (one row per claim; citations are their own export) and
JSON Lines (each line a claim as the API shows it)."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from events.exports import EXPORTS
from events.models import Citation, Claim


def fetch(url):
    response = APIClient().get(url)
    assert response.status_code == 200, response.content[:300]
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


def test_csv_has_one_row_per_claim_and_citations_their_own(seed):
    response, body = fetch("/api/v1/export/claims.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == EXPORTS["claims"].column_names
    assert [int(row["id"]) for row in rows] == sorted(
        Claim.objects.public().values_list("pk", flat=True)
    )
    row = next(r for r in rows if r["value_entity_slug"])
    claim = Claim.objects.select_related("event", "value_entity").get(pk=row["id"])
    assert row["event_slug"] == claim.event.slug
    assert row["value"] == claim.value
    assert row["value_entity_slug"] == claim.value_entity.slug
    assert row["qualifier"] == claim.qualifier
    _, body = fetch("/api/v1/export/citations.csv")
    citations = list(csv.DictReader(io.StringIO(body)))
    assert len(citations) == Citation.objects.public().count()
    assert sum(int(r["citation_count"]) for r in rows) == len(citations)
    cited = citations[0]
    citation = Citation.objects.select_related("quote__article__outlet").get(pk=cited["id"])
    article = citation.quote.article
    assert int(cited["claim_id"]) == citation.claim_id
    assert cited["article_slug"] == article.slug
    assert cited["article_outlet"] == (article.outlet.name if article.outlet else "")
    assert cited["article_url"] == article.url
    assert cited["article_published_on"] == (
        article.published_on.isoformat() if article.published_on else ""
    )


def test_jsonl_lines_are_the_api_claims(seed):
    response, body = fetch("/api/v1/export/claims.jsonl?property=date")
    assert response["Content-Type"].startswith("application/jsonl")
    lines = [json.loads(line) for line in body.splitlines()]
    assert len(lines) == Claim.objects.published().filter(property="date").count()
    api = APIClient().get(f"/api/v1/claims/{lines[0]['id']}/").json()
    assert lines[0] == api


def test_exports_take_the_claims_filters(seed):
    event = Claim.objects.published().first().event
    _, body = fetch(f"/api/v1/export/claims.jsonl?event={event.slug}")
    assert {json.loads(line)["event"]["slug"] for line in body.splitlines()} == {event.slug}
    _, body = fetch(f"/api/v1/export/claims.csv?event={event.slug}&rank=deprecated")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert all(r["rank"] == "deprecated" and r["event_slug"] == event.slug for r in rows)


def test_export_query_count_is_flat(db, django_assert_max_num_queries):
    from tests.api_factories import build_archive

    build_archive(30)
    for name in EXPORTS:
        for fmt in ("csv", "jsonl"):
            with django_assert_max_num_queries(8):
                fetch(f"/api/v1/export/{name}.{fmt}")


@pytest.mark.parametrize("claim", [str(2**63), str(-(2**70)), "99999999999999999999999999"])
def test_a_claim_id_no_row_can_have_matches_nothing(seed, claim):
    """Schemathesis found a 500 here: the id overflowed SQLite's integer."""
    for name in ("citations.csv", "citations.jsonl"):
        response = APIClient().get(f"/api/v1/export/{name}", {"claim": claim})
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert len([line for line in body.splitlines() if line]) == (
            1 if name.endswith("csv") else 0
        )
    assert APIClient().get("/api/v1/export/citations.csv", {"claim": "1.5e9"}).status_code == 400
