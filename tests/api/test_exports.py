"""The streamed claim exports: CSV (one row per claim × citation) and JSON Lines."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from events.exports import CSV_COLUMNS
from events.models import Citation, Claim


def fetch(url):
    response = APIClient().get(url)
    assert response.status_code == 200, response.content[:300]
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


def test_csv_has_one_row_per_claim_and_citation(seed):
    response, body = fetch("/api/v1/export/claims.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0]) == CSV_COLUMNS
    cited = Citation.objects.filter(claim__status="published").count()
    uncited = Claim.objects.published().filter(citations__isnull=True).count()
    assert len(rows) == cited + uncited
    assert {int(row["claim_id"]) for row in rows} == set(
        Claim.objects.published().values_list("pk", flat=True)
    )
    row = next(r for r in rows if r["quote"])
    citation = Citation.objects.select_related("quote__article__outlet", "claim__event").get(
        claim_id=row["claim_id"], quote__exact=row["quote"]
    )
    article = citation.quote.article
    assert row["event"] == citation.claim.event.slug
    assert row["value"] == citation.claim.value
    assert row["article"] == article.slug
    assert row["outlet"] == (article.outlet.name if article.outlet else "")
    assert row["url"] == article.url
    assert row["date"] == (article.published_on.isoformat() if article.published_on else "")


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
    assert all(r["rank"] == "deprecated" and r["event"] == event.slug for r in rows)


def test_export_query_count_is_flat(db, django_assert_max_num_queries):
    from tests.api_factories import build_archive

    build_archive(30)
    with django_assert_max_num_queries(6):
        fetch("/api/v1/export/claims.csv")
    with django_assert_max_num_queries(6):
        fetch("/api/v1/export/claims.jsonl")
