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
