"""Review that cannot be bypassed (issue #13): edits of published work wait as revisions,
deleting and unpublishing published work is for reviewers, revert goes through review.

The admin is driven through its own forms, posting what the change form renders
(including the hidden version), with CRLF line endings as browsers send them.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from events.models import Claim, Entity
from sources.models import Article, Quote, Revision
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    EntityFactory,
    QuoteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/admin/events/event/review-queue/"


def claim_form(claim, **changes):
    """What the claim change form posts for `claim`, with `changes` applied."""
    data = {
        "event": claim.event_id,
        "property": claim.property,
        "qualifier": claim.qualifier,
        "value_entity": claim.value_entity_id or "",
        "value_date": claim.value_date or "",
        "value_date_precision": claim.value_date_precision,
        "value_event": claim.value_event_id or "",
        "value_text": claim.value_text,
        "rank": claim.rank,
        "rank_reason": claim.rank_reason,
        "note": claim.note,
        "origin": claim.origin,
        "version": claim.version,
        "citations-TOTAL_FORMS": claim.citations.count(),
        "citations-INITIAL_FORMS": claim.citations.count(),
        "citations-MIN_NUM_FORMS": 0,
        "citations-MAX_NUM_FORMS": 1000,
        "_save": "Save",
    }
    for i, citation in enumerate(claim.citations.all()):
        data |= {
            f"citations-{i}-id": citation.pk,
            f"citations-{i}-claim": claim.pk,
            f"citations-{i}-quote": citation.quote_id,
            f"citations-{i}-note": citation.note,
            f"citations-{i}-version": citation.version,
        }
    return data | changes


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def public_qualifier(claim):
    return APIClient().get(f"/api/v1/claims/{claim.pk}/").json()


@pytest.fixture
def live_claim(db):
    return CitationFactory(claim__qualifier="as first reported").claim


def test_an_editors_edit_of_a_published_claim_waits_for_review(
    client, editor, reviewer, live_claim
):
    client.force_login(editor)
    new = EntityFactory(name="Kyrgyzstan")
    response = client.post(change_url(live_claim), claim_form(live_claim, value_entity=new.pk))
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("waiting for review" in m for m in messages), messages
    live_claim.refresh_from_db()
    assert (live_claim.value_entity_id, live_claim.status) != (new.pk, "draft")
    assert live_claim.status == "published" and live_claim.value_entity_id != new.pk
    assert public_qualifier(live_claim)["value_entity"]["slug"] != new.slug
    revision = Revision.objects.get()
    assert revision.status == "pending" and revision.author == editor
    assert revision.changes == {
        "value_entity_id": {"old": revision.changes["value_entity_id"]["old"], "new": new.pk}
    }

    # A second edit merges into the same pending revision.
    response = client.post(
        change_url(live_claim), claim_form(live_claim, value_entity=new.pk, note="Checked.")
    )
    assert response.status_code == 302
    revision = Revision.objects.get()
    assert set(revision.changes) == {"value_entity_id", "note"}

    # The reviewer sees the diff in the queue and publishes it: now it is live.
    client.force_login(reviewer)
    queue = client.get(QUEUE).content.decode()
    old_name = live_claim.value_entity.name
    assert "Publish revision" in queue
    assert f"<del>{old_name}</del></td><td><ins>Kyrgyzstan</ins>" in queue  # names, not ids
    response = client.post(QUEUE, {"revision": revision.pk, "publish": "1"})
    assert response.status_code == 302
    live_claim.refresh_from_db()
    assert live_claim.value_entity_id == new.pk and live_claim.note == "Checked."
    assert live_claim.status == "published"
    assert public_qualifier(live_claim)["value_entity"]["slug"] == new.slug
    assert Revision.objects.get().status == "published"


def test_a_sent_back_revision_changes_nothing_and_needs_a_comment(
    client, editor, reviewer, live_claim
):
    client.force_login(editor)
    client.post(change_url(live_claim), claim_form(live_claim, note="A guess."))
    revision = Revision.objects.get()
    client.force_login(reviewer)
    client.post(QUEUE, {"revision": revision.pk, "send_back": "1", "comment": ""})
    assert Revision.objects.get().status == "pending"
    client.post(QUEUE, {"revision": revision.pk, "send_back": "1", "comment": "Source?"})
    revision.refresh_from_db()
    assert (revision.status, revision.comment, revision.reviewer) == (
        "sent_back",
        "Source?",
        reviewer,
    )
    live_claim.refresh_from_db()
    assert live_claim.note == ""


def test_an_editor_cannot_publish_a_revision(client, editor, live_claim):
    client.force_login(editor)
    client.post(change_url(live_claim), claim_form(live_claim, note="Mine."))
    revision = Revision.objects.get()
    assert client.post(QUEUE, {"revision": revision.pk, "publish": "1"}).status_code == 403
    assert Revision.objects.get().status == "pending"


def test_a_revision_onto_a_changed_object_is_refused_naming_the_fields(editor, live_claim):
    copy = Claim.objects.get(pk=live_claim.pk)
    copy.note = "Edited in review."
    revision = copy.save_revision(editor)
    live = Claim.objects.get(pk=live_claim.pk)
    live.note = "Changed directly from a shell."
    live.save()  # trusted code writes at once; a pending revision never blocks it
    with pytest.raises(ValidationError, match="changed since this edit was made \\(note\\)"):
        revision.publish()
    assert Claim.objects.get(pk=live_claim.pk).note == "Changed directly from a shell."


def test_a_reviewers_edit_of_published_work_is_live_at_once(client, reviewer, live_claim):
    client.force_login(reviewer)
    response = client.post(change_url(live_claim), claim_form(live_claim, note="Reviewed."))
    assert response.status_code == 302
    live_claim.refresh_from_db()
    assert live_claim.note == "Reviewed." and not Revision.objects.exists()


def test_an_editor_cannot_delete_published_work(client, editor, live_claim):
    client.force_login(editor)
    url = reverse("admin:events_claim_delete", args=[live_claim.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:events_claim_changelist"),
        {"action": "delete_selected", "_selected_action": [live_claim.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert Claim.objects.filter(pk=live_claim.pk).exists()
    article = live_claim.citations.get().quote.article
    assert (
        client.post(
            reverse("admin:sources_article_delete", args=[article.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Article.objects.filter(pk=article.pk).exists()


def test_revert_from_the_history_restores_an_old_value_through_review(
    client, editor, reviewer, live_claim
):
    old_note = live_claim.note
    live_claim.note = "A later note."
    live_claim.save()
    first = live_claim.history.order_by("history_id").first()
    url = reverse("admin:events_claim_simple_history", args=[live_claim.pk, first.history_id])

    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    posted = claim_form(Claim.objects.get(pk=live_claim.pk), note=old_note)
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    live_claim.refresh_from_db()
    assert live_claim.note == "A later note."  # still live until reviewed
    revision = Revision.objects.get()
    assert revision.changes["note"] == {"old": "A later note.", "new": old_note}

    client.force_login(reviewer)
    client.post(QUEUE, {"revision": revision.pk, "publish": "1"})
    live_claim.refresh_from_db()
    assert (live_claim.note, live_claim.status) == (old_note, "published")


def test_a_reviewers_revert_is_live_at_once_and_keeps_the_live_status(client, reviewer, live_claim):
    live_claim.note = "A later note."
    live_claim.save()
    first = live_claim.history.order_by("history_id").first()
    url = reverse("admin:events_claim_simple_history", args=[live_claim.pk, first.history_id])
    client.force_login(reviewer)
    posted = claim_form(Claim.objects.get(pk=live_claim.pk), note="")
    assert client.post(url, posted).status_code == 302
    live_claim.refresh_from_db()
    assert (live_claim.note, live_claim.status) == ("", "published")


# --- the permissions matrix ---------------------------------------------------------

ACTIONS = ["view", "add", "change", "submit", "publish", "send_back", "unpublish", "delete"]
# What each kind of user may do with a claim (a published one where that matters).
MATRIX = {
    "anonymous": set(),
    "editor": {"view", "add", "change", "submit"},
    "reviewer": {"view", "add", "change", "submit", "publish", "send_back", "unpublish", "delete"},
    "superuser": set(ACTIONS),
}


def user_of(kind, editor, reviewer):
    if kind == "anonymous":
        return AnonymousUser()
    if kind == "superuser":
        return UserFactory(username="root", is_superuser=True)
    return {"editor": editor, "reviewer": reviewer}[kind]


@pytest.mark.parametrize("kind", list(MATRIX))
def test_permissions_matrix(kind, editor, reviewer, rf):
    from django.contrib import admin

    from events import workflow

    user = user_of(kind, editor, reviewer)
    request = rf.get("/admin/")
    request.user = user
    claim_admin = admin.site._registry[Claim]
    published = CitationFactory().claim
    draft = CitationFactory(claim__status="draft").claim
    in_review = CitationFactory(claim__status="review").claim

    def attempt(action):
        if action == "view":
            return claim_admin.has_view_permission(request, published)
        if action == "add":
            return claim_admin.has_add_permission(request)
        if action == "change":  # allowed: a direct save or a revision, never refused
            return claim_admin.has_change_permission(request, published)
        if action == "delete":
            return claim_admin.has_delete_permission(request, published)
        transitions = {
            "submit": (workflow.submit, draft, ()),
            "publish": (workflow.publish, in_review, ()),
            "send_back": (workflow.send_back, Claim.objects.get(pk=in_review.pk), ("Why?",)),
            "unpublish": (workflow.unpublish, published, ()),
        }
        transition, obj, args = transitions[action]
        obj = Claim.objects.get(pk=obj.pk)
        if action == "send_back" and obj.status != "review":
            obj.status = "review"
            obj.save()
        if not user.is_authenticated:
            return False
        try:
            transition(obj, user, *args)
        except workflow.WorkflowError:
            return False
        return True

    allowed = {action for action in ACTIONS if attempt(action)}
    assert allowed == MATRIX[kind]


# --- the admin as a person uses it --------------------------------------------------


def test_a_quote_is_added_from_typed_words_alone(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    words = "Tajikistan chaired a meeting of the defence ministers"  # plain space, no NBSP
    response = client.post(
        reverse("admin:sources_quote_add"),
        {"article": article.pk, "words": words, "note": "", "version": "", "_save": "Save"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    quote = Quote.objects.get()
    assert article.body[quote.start : quote.end] == quote.exact
    assert quote.exact == "Tajikistan chaired a meeting of\xa0the defence ministers"


def test_typed_words_that_are_not_there_are_refused_with_the_closest_passage(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    response = client.post(
        reverse("admin:sources_quote_add"),
        {"article": article.pk, "words": "Tajikistan hosted a summit", "_save": "Save"},
    )
    assert response.status_code == 200
    assert "not in the article" in response.content.decode()
    assert not Quote.objects.exists()


def test_an_article_saves_with_crlf_and_its_quote_inline_as_rendered(client, editor):
    quote = QuoteFactory(article__status="draft")
    article = quote.article
    client.force_login(editor)
    data = {
        "title": article.title,
        "original_title": "",
        "slug": article.slug,
        "outlet": article.outlet_id,
        "url": article.url,
        "language": article.language,
        "published_on": article.published_on.isoformat(),
        "published_precision": article.published_precision,
        "date_note": "",
        "body": "A new lead.\r\n" + article.body.replace("\n", "\r\n"),
        "near_duplicate_of": "",
        "note": "",
        "version": article.version,
        "quotes-TOTAL_FORMS": 1,
        "quotes-INITIAL_FORMS": 1,
        "quotes-MIN_NUM_FORMS": 0,
        "quotes-MAX_NUM_FORMS": 0,
        "quotes-0-id": quote.pk,
        "quotes-0-article": article.pk,
        "_save": "Save",
    }
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    quote.refresh_from_db()
    assert quote.verifies and quote.start == QuoteFactory._meta.model.objects.get().start
    assert Article.objects.get(pk=article.pk).body.startswith("A new lead.\n")


def test_merged_entities_are_not_offered_by_autocomplete(client, editor):
    kept = EntityFactory(name="Kyrgyz Republic")
    merged = EntityFactory(name="Kyrgyz SSR")
    kept.merge(merged)
    client.force_login(editor)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Kyrgyz",
            "app_label": "events",
            "model_name": "claim",
            "field_name": "value_entity",
        },
    )
    names = [item["text"] for item in response.json()["results"]]
    assert names == ["Kyrgyz Republic"]


@pytest.mark.parametrize("alias", ["Казахстан", "哈萨克斯坦"])
def test_admin_search_finds_cyrillic_and_chinese_aliases(client, editor, alias):
    EntityFactory(name="Kazakhstan", aliases=[alias, "Republic of Kazakhstan"])
    EntityFactory(name="Mongolia", aliases=["Монголия"])
    client.force_login(editor)
    response = client.get(reverse("admin:events_entity_changelist"), {"q": alias})
    assert [str(e) for e in response.context["cl"].result_list] == ["Kazakhstan"]
    assert Entity.objects.count() == 2
