"""The events admin: who may do what, workflow actions, merging, the review queue."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from events.models import Claim, Entity, Event
from sources.models import FormerSlug
from tests.factories import (
    CitationFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True)


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "view", "add", "change", "publish"),
    [
        ("anonymous", False, False, False, False),
        ("editor", True, True, True, False),
        ("reviewer", True, True, True, True),
        ("superuser", True, True, True, True),
    ],
)
def test_permissions_matrix(request, who, view, add, change, publish):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    claim = CitationFactory(claim__status="review").claim
    changelist = client.get(reverse("admin:events_claim_changelist"))
    assert (changelist.status_code == 200) is view
    add_page = client.get(reverse("admin:events_claim_add"))
    assert (add_page.status_code == 200) is add
    change_page = client.get(reverse("admin:events_claim_change", args=[claim.pk]))
    assert (change_page.status_code == 200 and b'name="_save"' in change_page.content) is change
    client.post(
        reverse("admin:events_claim_changelist"),
        {"action": "publish_selected", "_selected_action": [claim.pk]},
    )
    claim.refresh_from_db()
    assert (claim.status == "published") is publish


def test_editors_cannot_publish_through_the_form(editor):
    claim = ClaimFactory(status="draft")
    client = client_for(editor)
    page = client.get(reverse("admin:events_claim_change", args=[claim.pk])).content.decode()
    assert 'name="status"' not in page


def test_bulk_submit_then_publish_with_messages(editor, reviewer):
    claims = [CitationFactory(claim__status="draft").claim for _ in range(2)]
    uncited = ClaimFactory(status="draft")
    ids = [claim.pk for claim in claims] + [uncited.pk]
    url = reverse("admin:events_claim_changelist")
    client_for(editor).post(url, {"action": "submit_selected", "_selected_action": ids})
    assert set(Claim.objects.values_list("status", flat=True)) == {"review"}
    response = client_for(reviewer).post(
        url, {"action": "publish_selected", "_selected_action": ids}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("has no citation" in m for m in messages)
    assert sum("published" in m for m in messages) >= 2
    assert Claim.objects.filter(status="published").count() == 2
    uncited.refresh_from_db()
    assert uncited.status == "review"


def test_send_back_asks_for_a_comment(reviewer):
    claim = CitationFactory(claim__status="review").claim
    url = reverse("admin:events_claim_changelist")
    client = client_for(reviewer)
    page = client.post(url, {"action": "send_back_selected", "_selected_action": [claim.pk]})
    assert b"Comment for the editor" in page.content
    client.post(
        url,
        {
            "action": "send_back_selected",
            "_selected_action": [claim.pk],
            "apply": "1",
            "comment": "Cite the communique.",
        },
    )
    claim.refresh_from_db()
    assert claim.status == "draft" and claim.review_comment == "Cite the communique."


def test_claim_page_shows_the_evidence_in_context(admin_client):
    claim = CitationFactory(quote__words="Dushanbe").claim
    page = admin_client.get(reverse("admin:events_claim_change", args=[claim.pk]))
    html = page.content.decode()
    assert "<mark>Dushanbe</mark>" in html
    assert reverse("admin:sources_article_change", args=[claim.quotes.get().article_id]) in html


def test_deprecated_claim_without_reason_is_refused_in_the_form(admin_client):
    event, entity = EventFactory(), EntityFactory()
    data = {
        "event": event.pk,
        "property": "participant",
        "value_entity": entity.pk,
        "rank": "deprecated",
        "rank_reason": "",
        "origin": "editor",
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
        "citations-MIN_NUM_FORMS": "0",
        "citations-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:events_claim_add"), data)
    assert response.status_code == 200
    assert "A deprecated claim needs a reason." in response.content.decode()
    assert not Claim.objects.exists()


def test_review_queue_lists_waiting_work_with_its_submitter(editor, reviewer):
    from events import workflow

    claim = CitationFactory(claim__status="draft").claim
    workflow.submit(claim, editor)
    page = client_for(reviewer).get(reverse("admin:events_review_queue")).content.decode()
    assert escape(str(claim)) in page and editor.username in page
    assert (
        reverse("admin:events_review_queue")
        in client_for(reviewer).get(reverse("admin:index")).content.decode()
    )


def test_merging_entities_moves_names_claims_places_and_redirects(admin_client):
    keep = EntityFactory(name="Russia", slug="russia", aliases=["Russian Federation"])
    other = EntityFactory(name="Rossiya", slug="rossiya", aliases=["Россия"])
    claim = ClaimFactory(value_entity=other)
    event = EventFactory(place=other)
    url = reverse("admin:events_entity_changelist")
    admin_client.post(url, {"action": "merge_selected", "_selected_action": [keep.pk, other.pk]})
    assert Entity.objects.get(pk=other.pk).merged_into is None  # nothing before confirming
    admin_client.post(
        url,
        {
            "action": "merge_selected",
            "_selected_action": [keep.pk, other.pk],
            "apply": "1",
            "keep": keep.pk,
        },
    )
    keep.refresh_from_db()
    claim.refresh_from_db()
    event.refresh_from_db()
    assert {"Russian Federation", "Rossiya", "Россия"} <= set(keep.aliases)
    assert claim.value_entity == keep and event.place == keep
    assert Entity.objects.get(pk=other.pk).merged_into == keep
    assert FormerSlug.find(Entity, "rossiya") == keep


@pytest.mark.parametrize("size", [2, 15])
def test_claim_changelist_runs_constant_queries(admin_client, django_assert_max_num_queries, size):
    for _ in range(size):
        CitationFactory()
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:events_claim_changelist")).status_code == 200


@pytest.mark.parametrize("size", [2, 15])
def test_event_changelist_runs_constant_queries(admin_client, django_assert_max_num_queries, size):
    for _ in range(size):
        EventFactory()
    with django_assert_max_num_queries(12):
        assert admin_client.get(reverse("admin:events_event_changelist")).status_code == 200


def test_aliases_are_edited_one_per_line(admin_client):
    entity = EntityFactory(aliases=["A"])
    url = reverse("admin:events_entity_change", args=[entity.pk])
    data = {
        "kind": entity.kind,
        "name": entity.name,
        "slug": entity.slug,
        "aliases": "Republic of X\n\n  Х  \nRepublic of X",
        "wikidata_id": "",
        "description": "",
        "merged_into": "",
    }
    assert admin_client.post(url, data).status_code == 302
    entity.refresh_from_db()
    assert entity.aliases == ["Republic of X", "Х"]


def test_event_changes_are_guarded_against_lost_updates(admin_client):
    event = EventFactory(title="Old")
    url = reverse("admin:events_event_change", args=[event.pk])
    data = {
        "title": "New",
        "slug": event.slug,
        "aliases": "",
        "kind": event.kind,
        "series": event.series_id,
        "start_date": event.start_date,
        "end_date": "",
        "date_precision": event.date_precision,
        "date_note": "",
        "place": event.place_id,
        "summary": event.summary,
        "note": "",
        "version": event.version,
        "claims-TOTAL_FORMS": "0",
        "claims-INITIAL_FORMS": "0",
        "claims-MIN_NUM_FORMS": "0",
        "claims-MAX_NUM_FORMS": "1000",
    }
    assert admin_client.post(url, data).status_code == 302
    stale = admin_client.post(url, {**data, "title": "Newer"})
    assert stale.status_code == 200
    assert Event.objects.get().title == "New"
