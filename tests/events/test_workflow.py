"""draft → review → published, and the guards that keep published claims sourced."""

import pytest

from events import workflow
from events.models import Citation
from sources.models import Status
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    EventFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db


def test_an_editor_submits_and_a_reviewer_publishes(editor, reviewer):
    claim = CitationFactory(claim__status="draft").claim
    workflow.submit(claim, editor)
    claim.refresh_from_db()
    assert claim.status == Status.REVIEW and claim.submitted_by == editor
    workflow.publish(claim, reviewer)
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED and claim.reviewed_by == reviewer
    assert claim.published_at is not None


def test_an_editor_cannot_publish(editor):
    claim = CitationFactory(claim__status="review").claim
    with pytest.raises(workflow.WorkflowError, match="Only reviewers"):
        workflow.publish(claim, editor)
    claim.refresh_from_db()
    assert claim.status == Status.REVIEW


def test_only_drafts_can_be_submitted(editor):
    claim = ClaimFactory(status="published")
    with pytest.raises(workflow.WorkflowError, match="not a draft"):
        workflow.submit(claim, editor)


def test_publishing_refuses_a_claim_without_citation(reviewer):
    claim = ClaimFactory(status="review")
    with pytest.raises(workflow.WorkflowError, match="has no citation"):
        workflow.publish(claim, reviewer)
    claim.refresh_from_db()
    assert claim.status == Status.REVIEW


def test_publishing_refuses_a_citation_that_does_not_verify(reviewer):
    citation = CitationFactory(claim__status="review")
    quote = citation.quote
    type(quote).objects.filter(pk=quote.pk).update(exact="words that are not there")
    with pytest.raises(workflow.WorkflowError, match="no longer matches"):
        workflow.publish(citation.claim, reviewer)


def test_publishing_refuses_a_claim_citing_an_unpublished_article(reviewer):
    quote = QuoteFactory(article=ArticleFactory(status="draft"))
    citation = CitationFactory(claim__status="review", quote=quote)
    with pytest.raises(workflow.WorkflowError, match="not published"):
        workflow.publish(citation.claim, reviewer)


def test_publishing_a_claim_of_an_unpublished_event_is_refused(reviewer):
    citation = CitationFactory(claim__status="review", claim__event__status="review")
    with pytest.raises(workflow.WorkflowError, match="event .* is not published"):
        workflow.publish(citation.claim, reviewer)


def test_publishing_an_event_publishes_its_claims_in_review(reviewer):
    event = EventFactory(status="review")
    good = CitationFactory(claim__event=event, claim__status="review").claim
    draft = ClaimFactory(event=event, status="draft")
    workflow.publish(event, reviewer)
    good.refresh_from_db()
    draft.refresh_from_db()
    assert good.status == Status.PUBLISHED
    assert draft.status == Status.DRAFT


def test_publishing_an_event_names_its_failing_claims_and_changes_nothing(reviewer):
    event = EventFactory(status="review")
    bad = ClaimFactory(event=event, status="review")
    with pytest.raises(workflow.WorkflowError) as excinfo:
        workflow.publish(event, reviewer)
    assert str(bad) in str(excinfo.value)
    event.refresh_from_db()
    assert event.status == Status.REVIEW


def test_send_back_needs_a_comment_and_keeps_it(reviewer):
    claim = CitationFactory(claim__status="review").claim
    with pytest.raises(workflow.WorkflowError, match="comment"):
        workflow.send_back(claim, reviewer, "  ")
    workflow.send_back(claim, reviewer, "Quote the date, not the headline.")
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    assert claim.review_comment == "Quote the date, not the headline."


def test_unpublish(reviewer, editor):
    article = ArticleFactory(status="published")
    with pytest.raises(workflow.WorkflowError):
        workflow.unpublish(article, editor)
    workflow.unpublish(article, reviewer)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_review_queue_lists_everything_in_review_oldest_first(editor):
    article = ArticleFactory(status="draft")
    claim = CitationFactory(claim__status="draft").claim
    workflow.submit(claim, editor)
    workflow.submit(article, editor)
    ArticleFactory(status="draft")
    assert workflow.review_queue() == [claim, article]


def test_every_transition_is_in_the_history(editor, reviewer):
    citation = CitationFactory(claim__status="draft")
    claim = citation.claim
    workflow.submit(claim, editor)
    workflow.publish(claim, reviewer)
    statuses = list(claim.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["draft", "review", "published"]
    assert Citation.objects.count() == 1
