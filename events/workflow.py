"""Publishing guards for events and claims, on top of `sources.workflow`.

Publishing refuses, with a message naming the problem, anything that would break the
promise "no fact without its source": a claim without a citation, a citation whose words
are no longer where its offsets say, or a citation of an article that is not published.
Publishing an event also publishes its claims waiting in review.
"""

from django.db import transaction

from sources import workflow as base
from sources.models import Article, QuoteTranslation, Status
from sources.workflow import WorkflowError, send_back, submit, unpublish

from .models import Claim, Event

__all__ = ["WorkflowError", "publish", "review_queue", "send_back", "submit", "unpublish"]


def claim_problems(claim):
    """Why `claim` cannot be published; an empty list when it can."""
    citations = list(claim.citations.select_related("quote__article"))
    if not citations:
        return [f"Claim “{claim}” has no citation."]
    problems = []
    for citation in citations:
        quote = citation.quote
        if not quote.verifies or quote.needs_review:
            problems.append(
                f"Claim “{claim}”: quote {quote.pk} (“{quote.exact[:60]}”) no longer matches "
                f"the text of {quote.article.slug}."
            )
        if quote.article.status != Status.PUBLISHED:
            problems.append(f"Claim “{claim}” cites {quote.article.slug}, which is not published.")
    return problems


@transaction.atomic
def publish(obj, user):
    """Publish an article, event or claim, or raise WorkflowError saying why not."""
    base.check_can_publish(obj, user)
    if isinstance(obj, Claim):
        problems = claim_problems(obj)
        if obj.event.status != Status.PUBLISHED:
            problems.append(f"Its event “{obj.event}” is not published yet.")
        if problems:
            raise WorkflowError(" ".join(problems))
    waiting = []
    if isinstance(obj, Event):
        waiting = list(obj.claims.filter(status=Status.REVIEW).select_related("event"))
        problems = [problem for claim in waiting for problem in claim_problems(claim)]
        if problems:
            raise WorkflowError(f"Cannot publish “{obj}”: " + " ".join(problems))
    base.mark_published(obj, user)
    for claim in waiting:
        base.mark_published(claim, user)


def review_queue():
    """Everything waiting for review, oldest submission first."""
    items = []
    for model in (Article, QuoteTranslation, Event, Claim):
        queryset = model.objects.in_review().select_related("submitted_by")
        if model is Claim:
            queryset = queryset.select_related("event", "value_entity", "value_event")
        items.extend(queryset)
    return sorted(items, key=lambda obj: obj.submitted_at or obj.updated_at)
