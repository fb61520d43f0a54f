import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from events.models import Citation, Claim, Entity, Event
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db


def test_deprecated_claim_without_reason_is_a_validation_error():
    claim = ClaimFactory.build(
        event=EventFactory(), value_entity=EntityFactory(), rank=Claim.Rank.DEPRECATED
    )
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert excinfo.value.message_dict["rank_reason"] == ["A deprecated claim needs a reason."]
    assert Claim.objects.count() == 0


def test_deprecated_claim_without_reason_is_refused_by_the_database():
    event, entity = EventFactory(), EntityFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            event=event, property="participant", value_entity=entity, rank="deprecated"
        )
    assert Claim.objects.count() == 0


def test_deprecated_claim_with_reason_is_valid():
    claim = ClaimFactory(rank=Claim.Rank.DEPRECATED, rank_reason="Iraq is not an SCO member.")
    claim.full_clean()


def test_claim_needs_exactly_one_value():
    event = EventFactory()
    no_value = Claim(event=event, property="decision")
    with pytest.raises(ValidationError) as excinfo:
        no_value.full_clean()
    assert "value_text" in excinfo.value.message_dict
    two_values = Claim(
        event=event, property="decision", value_text="x", value_entity=EntityFactory()
    )
    with pytest.raises(ValidationError):
        two_values.full_clean()


def test_claim_with_two_values_is_refused_by_the_database():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            event=event, property="decision", value_text="x", value_entity=EntityFactory()
        )


def test_date_value_needs_a_precision():
    claim = Claim(event=EventFactory(), property="date", value_date=datetime.date(2021, 7, 28))
    with pytest.raises(ValidationError) as excinfo:
        claim.full_clean()
    assert "value_date_precision" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "shown"),
    [
        ({"value_text": "approved a new Plan"}, "approved a new Plan"),
        (
            {"value_date": datetime.date(2022, 8, 26), "value_date_precision": "month"},
            "August 2022",
        ),
    ],
)
def test_claim_value_reads_as_text(kwargs, shown):
    prop = "date" if "value_date" in kwargs else "decision"
    claim = ClaimFactory(value_entity=None, property=prop, **kwargs)
    assert claim.value == shown


def test_claim_value_of_entity_and_event():
    entity = EntityFactory(name="Tajikistan")
    assert ClaimFactory(value_entity=entity).value == "Tajikistan"
    next_meeting = EventFactory(title="Tashkent meeting 2022")
    claim = ClaimFactory(property="next_meeting", value_entity=None, value_event=next_meeting)
    assert claim.value == "Tashkent meeting 2022"
    assert claim.value_kind == "event"


def test_claim_cannot_point_to_its_own_event():
    event = EventFactory()
    with pytest.raises(ValidationError):
        Claim(event=event, property="announced_event", value_event=event).full_clean()


def test_event_end_before_start_is_a_validation_error_and_a_database_error():
    event = EventFactory.build(
        series=None,
        place=None,
        start_date=datetime.date(2021, 10, 23),
        end_date=datetime.date(2021, 10, 18),
    )
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "end_date" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
    assert Event.objects.count() == 0


def test_event_without_a_date_must_say_its_precision_is_unknown():
    event = EventFactory.build(series=None, place=None, start_date=None, date_precision="day")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "start_date" in excinfo.value.message_dict
    undated = EventFactory(start_date=None, date_precision="unknown")
    assert undated.date_display == "date not reported"


def test_event_dates_are_stored_and_shown_at_their_precision():
    event = EventFactory(
        start_date=datetime.date(2021, 10, 18),
        end_date=datetime.date(2021, 10, 23),
        date_precision="day",
    )
    assert event.date_display == "18 October 2021 – 23 October 2021"
    yearly = EventFactory(start_date=datetime.date(2023, 5, 5), date_precision="year")
    yearly.refresh_from_db()
    assert yearly.start_date == datetime.date(2023, 1, 1)
    assert yearly.date_display == "2023"


def test_duplicate_event_slug_is_a_validation_error():
    EventFactory(slug="dushanbe-2021")
    with pytest.raises(ValidationError) as excinfo:
        EventFactory.build(slug="dushanbe-2021", series=None, place=None).full_clean()
    assert "slug" in excinfo.value.message_dict


def test_wikidata_ids_are_checked():
    with pytest.raises(ValidationError):
        EntityFactory.build(wikidata_id="russia").full_clean()
    EntityFactory.build(wikidata_id="Q159").full_clean()


def test_published_claims_need_a_published_event():
    shown = ClaimFactory()
    ClaimFactory(status="draft")
    ClaimFactory(event=EventFactory(status="review"))
    assert list(Claim.objects.published()) == [shown]


def test_a_claim_may_cite_several_quotes_of_several_articles():
    citation = CitationFactory()
    other = QuoteFactory(article=ArticleFactory(), words="Dushanbe")
    Citation.objects.create(claim=citation.claim, quote=other)
    assert citation.claim.quotes.count() == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(claim=citation.claim, quote=other)


def test_a_cited_quote_cannot_be_deleted_from_under_its_claim():
    citation = CitationFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        citation.quote.delete()


def test_entities_list_their_names_with_aliases_and_skip_merged_ones():
    kept = EntityFactory(name="Russia", aliases=["Russian Federation"])
    EntityFactory(name="Russian Fed.", merged_into=kept)
    assert kept.all_names == ["Russia", "Russian Federation"]
    assert list(Entity.objects.active().filter(name__startswith="Russia")) == [kept]
