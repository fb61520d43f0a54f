"""The lean claims list gives exactly what ClaimSerializer gives, claim by claim."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from events.api import claims_queryset
from events.serializers import ClaimSerializer

pytestmark = pytest.mark.django_db


def test_claims_list_rows_equal_the_serializer_on_every_seed_claim():
    call_command("load_seed", verbosity=0)
    listed = APIClient().get("/api/v1/claims/", {"page_size": 200}).json()["results"]
    expected = ClaimSerializer(claims_queryset().order_by("event", "property", "id"), many=True)
    assert len(listed) == len(expected.data) > 100
    by_id = {claim["id"]: claim for claim in listed}
    for claim in expected.data:
        assert by_id[claim["id"]] == claim


def test_event_detail_claims_equal_the_serializer():
    call_command("load_seed", verbosity=0)
    slug = "sco-defence-ministers-meeting-2021-dushanbe"
    detail = APIClient().get(f"/api/v1/events/{slug}/").json()
    expected = ClaimSerializer(
        claims_queryset().filter(event__slug=slug).order_by("property", "id"), many=True
    ).data
    assert detail["claims"] == [dict(claim) for claim in expected]
    assert len(detail["claims"]) > 10


def test_the_plain_sql_rows_select_what_the_querysets_select():
    from events.models import Claim
    from events.rows import PublicClaimRows, claim_dicts
    from tests.api_factories import build_archive
    from tests.factories import ArticleFactory, CitationFactory, ClaimFactory, QuoteFactory

    events = build_archive(6)
    events[1].status = "draft"  # its claims, and claims naming it as their value, drop out
    events[1].save()
    hidden = ClaimFactory(event=events[3], status="review")
    CitationFactory(claim=hidden)
    shown = ClaimFactory(event=events[4], value_text="Opening ceremony", value_entity=None)
    CitationFactory(claim=shown, quote=QuoteFactory(article=ArticleFactory(status="draft")))
    CitationFactory(claim=shown)

    public = Claim.objects.public().order_by("id")
    rows = PublicClaimRows()
    assert [row["id"] for row in rows[0:100]] == list(public.values_list("id", flat=True))
    assert rows.count() == public.count() > 0
    assert hidden.pk not in {row["id"] for row in rows[0:100]}
    expected = ClaimSerializer(claims_queryset().order_by("id"), many=True).data
    assert claim_dicts(rows[0:100]) == [dict(claim) for claim in expected]
    shown_row = next(row for row in claim_dicts(rows[0:100]) if row["id"] == shown.pk)
    assert len(shown_row["citations"]) == 1  # the draft article's quote is left out

    third = public[2].pk
    assert [row["id"] for row in rows.after(third)[0:2]] == [c.pk for c in public[3:5]]
    assert [row["id"] for row in rows[2:4]] == [c.pk for c in public[2:4]]
