"""Suggested claims in the admin: accept keeps a draft as the editor's, reject deletes it."""

import pytest

from events.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def changelist_action(client, action, claims):
    return client.post(
        "/admin/events/claim/",
        {"action": action, "_selected_action": [claim.pk for claim in claims]},
        follow=True,
    )


def test_accepting_a_suggestion_makes_it_an_ordinary_draft(admin_client):
    claim = ClaimFactory(origin="suggested", status="draft")
    response = changelist_action(admin_client, "accept_suggestions", [claim])
    assert response.status_code == 200
    claim.refresh_from_db()
    assert claim.origin == "editor" and claim.status == "draft"


def test_rejecting_a_suggestion_deletes_it_and_history_keeps_it(admin_client):
    claim = ClaimFactory(origin="suggested", status="draft")
    changelist_action(admin_client, "reject_suggestions", [claim])
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert Claim.history.filter(id=claim.pk, history_type="-").exists()


def test_actions_leave_claims_that_were_not_suggested(admin_client):
    claim = ClaimFactory(origin="editor", status="draft")
    changelist_action(admin_client, "reject_suggestions", [claim])
    assert Claim.objects.filter(pk=claim.pk).exists()
