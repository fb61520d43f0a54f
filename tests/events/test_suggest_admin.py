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


# -- the article page: one page for an article's evidence (#17) -------------------------

BODY = (
    "ASTANA, April 26 (Steppe Wire) – The defence ministers of the SCO member states met "
    "in Astana on Friday.\nThe meeting was chaired by Kazakhstan, which holds the SCO "
    "presidency this year.\nDelegations from China and India took part in the talks."
)


@pytest.fixture
def imported(db):
    from sources import importers

    outcome = importers.Importer(importers.ImportOptions()).import_text(
        "astana.txt", "SCO defence ministers meet in Astana\n" + BODY
    )
    return outcome.article


def page(client, article):
    return client.get(f"/admin/sources/article/{article.pk}/change/")


def test_the_article_page_lists_its_suggestions_with_their_quotes(admin_client, imported):
    response = page(admin_client, imported)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="evidence"' in html and "sco-suggested" in html
    chair = Claim.objects.get(property="chair")
    quote = chair.citations.get().quote
    assert f'id="claim-{chair.pk}"' in html
    assert f'data-quotes="{quote.pk} "' in html  # the row names the quotes it highlights
    assert "The meeting was chaired by Kazakhstan" in html
    assert "Re-run suggestions" in html and 'id="record-form"' in html


def test_accept_and_reject_in_place(admin_client, imported):
    chair = Claim.objects.get(property="chair")
    participant = Claim.objects.filter(property="participant").first()
    base = f"/admin/events/claim/article/{imported.pk}"
    response = admin_client.post(f"{base}/{chair.pk}/accept/")
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    chair.refresh_from_db()
    assert chair.origin == "editor"
    admin_client.post(f"{base}/{participant.pk}/reject/")
    assert not Claim.objects.filter(pk=participant.pk).exists()
    assert admin_client.get(f"{base}/{chair.pk}/accept/").status_code == 405  # POST only


def test_rerun_adds_nothing_twice(admin_client, imported):
    before = Claim.objects.count()
    admin_client.post(f"/admin/events/claim/article/{imported.pk}/rerun/")
    assert Claim.objects.count() == before


def test_record_a_claim_from_a_selection(admin_client, imported):
    from events.models import Event

    event = Event.objects.get(claims__property="chair")
    start = imported.body.index("Delegations from China")
    end = start + len("Delegations from China and India took part in the talks.")
    response = admin_client.post(
        f"/admin/events/claim/article/{imported.pk}/record/",
        {
            "event": event.pk,
            "property": "statement",
            "value_text": "The talks were attended by China and India.",
            "start": start - 1,  # a selection often takes a space along
            "end": end,
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get(property="statement", origin="editor")
    quote = claim.citations.get().quote
    assert quote.exact == "Delegations from China and India took part in the talks."
    assert imported.body[quote.start : quote.end] == quote.exact


def test_recording_needs_the_permissions(client, imported, django_user_model):
    user = django_user_model.objects.create_user("reader", password="x", is_staff=True)
    client.force_login(user)
    response = client.post(f"/admin/events/claim/article/{imported.pk}/record/", {})
    assert response.status_code == 403


def test_record_refuses_an_unknown_event_with_a_message(admin_client, imported):
    response = admin_client.post(
        f"/admin/events/claim/article/{imported.pk}/record/",
        {"event": "astana-2024", "property": "chair", "start": 0, "end": 5},
        follow=True,
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Claim.objects.filter(origin="editor").exists()


def test_the_quote_picker_tells_two_quotes_with_the_same_words_apart(
    admin_client, imported, django_assert_max_num_queries
):
    from sources.models import Quote

    body = imported.body
    words = "SCO"
    quotes = [
        Quote.objects.create(article=imported, exact=words, start=at, end=at + len(words))
        for at in (body.index(words), body.rindex(words))
    ]
    with django_assert_max_num_queries(12):
        response = admin_client.get(
            "/admin/sources/quote/picker/",
            {"app_label": "events", "model_name": "citation", "field_name": "quote", "term": "SCO"},
        )
    assert response.status_code == 200
    labels = {int(row["id"]): row["text"] for row in response.json()["results"]}
    first, second = (labels[quote.pk] for quote in quotes)
    assert first != second
    for quote, label in zip(quotes, (first, second), strict=True):
        assert f"[{quote.start}–{quote.end}]" in label and imported.title in label
        assert f"⟦{words}⟧" in label
