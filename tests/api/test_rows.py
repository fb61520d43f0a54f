"""Every claim the API shows is shaped by events.rows; here it is checked against the
models themselves, field by field, so the lean rows cannot drift from the definition."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from events.models import Claim

pytestmark = pytest.mark.django_db


from sources.models import independent_count  # noqa: E402


def expected_json(claim):
    """A claim's JSON built straight from model instances, independently of events.rows."""
    citations = claim.citations.published().select_related("quote__article__outlet")
    entity, event = claim.value_entity, claim.value_event
    return {
        "id": claim.pk,
        "event": {"slug": claim.event.slug, "title": claim.event.title},
        "property": claim.property,
        "value": claim.value,
        "value_date": claim.value_date and claim.value_date.isoformat(),
        "value_date_precision": claim.value_date_precision or None,
        "value_entity": entity and {"slug": entity.slug, "name": entity.name, "kind": entity.kind},
        "value_event": event and {"slug": event.slug, "title": event.title},
        "rank": claim.rank,
        "rank_reason": claim.rank_reason,
        "citations": [
            {
                "quote": {
                    "id": c.quote.pk,
                    "exact": c.quote.exact,
                    "start": c.quote.start,
                    "end": c.quote.end,
                },
                "article": {
                    "slug": c.quote.article.slug,
                    "title": c.quote.article.title,
                    "url": c.quote.article.url or None,
                    "outlet": c.quote.article.outlet and c.quote.article.outlet.name,
                    "published_on": c.quote.article.published_on
                    and c.quote.article.published_on.isoformat(),
                },
            }
            for c in citations.order_by("pk")
        ],
        # one per outlet and syndication cluster (#17): distinct (cluster root or outlet)
        "independent_sources": independent_count(
            (c.quote.article_id, c.quote.article.near_duplicate_of_id, c.quote.article.outlet_id)
            for c in citations
        ),
        "updated_at": claim.updated_at.isoformat().replace("+00:00", "Z"),
    }


def test_every_seed_claim_in_the_list_and_detail_is_what_the_models_say():
    call_command("load_seed", verbosity=0)
    api = APIClient()
    listed = api.get("/api/v1/claims/", {"page_size": 200}).json()["results"]
    public = list(Claim.objects.public().order_by("pk"))
    assert len(listed) == len(public) > 100
    for shown, claim in zip(listed, public, strict=True):
        assert shown == expected_json(claim)
    for claim in public[:5]:
        assert api.get(f"/api/v1/claims/{claim.pk}/").json() == expected_json(claim)


def test_event_detail_claims_are_what_the_models_say():
    call_command("load_seed", verbosity=0)
    slug = "sco-defence-ministers-meeting-2021-dushanbe"
    detail = APIClient().get(f"/api/v1/events/{slug}/").json()
    claims = Claim.objects.public().filter(event__slug=slug).order_by("property", "id")
    assert detail["claims"] == [expected_json(claim) for claim in claims]
    assert len(detail["claims"]) > 10


def test_the_compiled_sql_rows_select_what_the_querysets_select():
    from events.rows import PublicClaimRows, claim_dicts
    from tests.api_factories import build_archive
    from tests.factories import ArticleFactory, CitationFactory, ClaimFactory, QuoteFactory

    events = build_archive(6)
    events[1].status = "draft"  # its claims, and claims naming it as their value, drop out
    events[1].save()
    hidden = ClaimFactory(event=events[3], status="review")
    CitationFactory(claim=hidden)
    shown = ClaimFactory(event=events[4], property="theme", value_text="Opening", value_entity=None)
    CitationFactory(claim=shown, quote=QuoteFactory(article=ArticleFactory(status="draft")))
    CitationFactory(claim=shown)
    uncited = ClaimFactory(event=events[5])
    CitationFactory(claim=uncited, quote=QuoteFactory(article=ArticleFactory(status="review")))

    public = Claim.objects.public().order_by("id")
    rows = PublicClaimRows()
    assert [row["id"] for row in rows[0:100]] == list(public.values_list("id", flat=True))
    assert rows.count() == public.count() > 0
    assert not {hidden.pk, uncited.pk} & {row["id"] for row in rows[0:100]}
    assert claim_dicts(rows[0:100]) == [expected_json(claim) for claim in public]
    shown_row = next(row for row in claim_dicts(rows[0:100]) if row["id"] == shown.pk)
    assert len(shown_row["citations"]) == 1  # the draft article's quote is left out

    third = public[2].pk
    assert [row["id"] for row in rows.after(third)[0:2]] == [c.pk for c in public[3:5]]
    assert [row["id"] for row in rows[2:4]] == [c.pk for c in public[2:4]]


def test_prepared_statements_see_every_later_write():
    """On PostgreSQL page 1, cursor pages, the count and the citations run prepared
    (sources.prepared): the plan is kept, never the rows. On SQLite the same calls
    run as plain SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from events.rows import PublicClaimRows, claim_dicts
    from tests.api_factories import build_archive

    events = build_archive(4)
    rows = PublicClaimRows()

    def listed():
        return [row["id"] for row in rows[0:100]]

    assert listed() == list(Claim.objects.public().order_by("id").values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        first = claim_dicts(rows[0:100])
        rows.count()
    prepared = [q["sql"] for q in queries if q["sql"].startswith("EXECUTE ")]
    assert len(prepared) == (3 if connection.vendor == "postgresql" else 0)

    events[0].status = "draft"
    events[0].save()
    public = list(Claim.objects.public().order_by("id").values_list("id", flat=True))
    assert listed() == public and len(public) < len(first)
    assert rows.count() == len(public)
    assert [row["id"] for row in rows.after(public[0])[0:100]] == public[1:]
