"""sources.history.bulk_create_with_history writes the rows simple_history's would."""

import pytest
from django.forms.models import model_to_dict
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history as library_bulk_create

from events.models import Claim
from sources.history import bulk_create_with_history
from sources.models import Quote
from tests.factories import ArticleFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db

LEFT_OUT = {"history_id", "history_date", "id"}


def history_rows(objs):
    history = type(objs[0]).history.model
    rows = history.objects.filter(id__in=[obj.pk for obj in objs]).order_by("history_id")
    return [{k: v for k, v in model_to_dict(row).items() if k not in LEFT_OUT} for row in rows]


def new_quotes(article, spans):
    return [Quote.at(article.body, start, end, article=article) for start, end in spans]


@pytest.mark.parametrize("with_user", [False, True])
def test_the_history_rows_are_those_simple_history_writes(with_user, rf):
    article = ArticleFactory(body="One sentence here. Another sentence there. A third one.")
    user = UserFactory() if with_user else None
    if user is not None:  # an import from the admin: the request's user is the author
        request = rf.get("/")
        request.user = user
        HistoricalRecords.context.request = request
    try:
        ours = bulk_create_with_history(new_quotes(article, [(0, 18), (19, 42)]), Quote)
        theirs = library_bulk_create(new_quotes(article, [(43, 55), (4, 12)]), Quote)
    finally:
        if user is not None:
            del HistoricalRecords.context.request
    assert all(quote.pk for quote in ours)
    mine, library = history_rows(ours), history_rows(theirs)
    assert len(mine) == 2 and len(library) == 2
    for row, expected in zip(mine, library, strict=True):
        different = {"exact", "start", "end", "prefix", "suffix"}  # the quotes' own text
        assert {k: v for k, v in row.items() if k not in different} == {
            k: v for k, v in expected.items() if k not in different
        }
        assert row["history_type"] == "+"
        assert row["history_user"] == (user.pk if user else None)
    assert [row["exact"] for row in mine] == [quote.exact for quote in ours]
    history = Quote.history.model.objects.get(id=ours[1].pk)
    assert model_to_dict(history.instance) == model_to_dict(Quote.objects.get(pk=ours[1].pk))


def test_claims_copy_every_tracked_column():
    template = ClaimFactory()
    claims = [
        Claim(event=template.event, property="participant", value_text=f"text {n}", note="n")
        for n in range(3)
    ]
    created = bulk_create_with_history(claims, Claim)
    for claim in created:
        (row,) = Claim.history.filter(id=claim.pk)
        stored = Claim.objects.get(pk=claim.pk)
        for field in Claim.history.model.tracked_fields:
            assert getattr(row, field.attname) == getattr(stored, field.attname), field.name


def test_an_object_with_its_own_history_user_goes_through_simple_history():
    article = ArticleFactory(body="One sentence here. Another sentence there.")
    (quote,) = new_quotes(article, [(0, 18)])
    quote._history_user = UserFactory()
    bulk_create_with_history([quote], Quote)
    assert Quote.history.get(id=quote.pk).history_user == quote._history_user
