"""generate_synthetic: deterministic, true to its quotes, within the constraints, to scale.

Runs on whichever database DATABASE_URL names (SQLite by default; PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/sco_perf).
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db.models import Count

from bench import synthetic
from events.models import Citation, Claim, Entity, Event, Series
from sources.caching import archive_version
from sources.models import Article, Outlet, Quote

pytestmark = pytest.mark.django_db

SMALL = {"events": 30, "claims_per_event": 5, "seed": 7}


def snapshot():
    """Every generated row without its timestamps."""
    skip = {"created_at", "updated_at"}

    def rows(model):
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skip]
        return list(model.objects.order_by("pk").values_list(*fields))

    return {m.__name__: rows(m) for m in (Outlet, Article, Quote, Entity, Series, Event, Claim)} | {
        "Citation": list(Citation.objects.order_by("pk").values_list("claim_id", "quote_id"))
    }


def test_same_seed_same_rows_other_seed_other_rows():
    synthetic.generate(clear=True, **SMALL)
    first = snapshot()
    synthetic.generate(clear=True, **SMALL)
    assert snapshot() == first
    synthetic.generate(clear=True, **{**SMALL, "seed": 8})
    assert snapshot()["Article"] != first["Article"]


def test_every_quote_is_the_exact_span_of_its_body_with_context():
    synthetic.generate(clear=True, **SMALL)
    quotes = Quote.objects.select_related("article")
    assert quotes.count() > 150
    for quote in quotes:
        body = quote.article.body
        assert body[quote.start : quote.end] == quote.exact
        assert body[: quote.start].endswith(quote.prefix)
        assert body[quote.end :].startswith(quote.suffix)
        quote.clean()


def test_constraints_and_editorial_rules_hold():
    synthetic.generate(clear=True, **SMALL)
    for event in Event.objects.all():
        event.full_clean()
    for claim in Claim.objects.select_related("event"):
        claim.validate_constraints()
        claim.clean()
    # A published claim cites only quotes of published articles, and always cites one.
    published = Claim.objects.filter(status="published")
    assert published.exists()
    assert not published.filter(citations__isnull=True).exists()
    assert not published.exclude(quotes__article__status="published").exists()
    assert not published.filter(quotes__article__status__in=["draft", "review"]).exists()
    for article in Article.objects.all():
        article.validate_constraints()
        assert article.content_hash and len(article.content_hash) == 64


def test_variety_languages_precisions_value_kinds_and_statuses():
    synthetic.generate(clear=True, events=200, claims_per_event=10, seed=3)
    assert set(Article.objects.values_list("language", flat=True)) == {"en", "ru", "zh"}
    assert set(Event.objects.values_list("date_precision", flat=True)) == {
        "day",
        "month",
        "year",
        "unknown",
    }
    assert Event.objects.filter(end_date__isnull=False).exists()
    assert set(Entity.objects.values_list("kind", flat=True)) == {
        "country",
        "organisation",
        "person",
        "place",
    }
    assert Entity.objects.exclude(aliases=[]).count() > 100
    kinds = Claim.objects.aggregate(
        entity=Count("pk", filter=~_null("value_entity")),
        date=Count("pk", filter=~_null("value_date")),
        event=Count("pk", filter=~_null("value_event")),
    )
    assert all(kinds.values()), kinds
    assert Claim.objects.exclude(value_text="").exists()
    assert set(Claim.objects.values_list("rank", flat=True)) == {
        "preferred",
        "normal",
        "deprecated",
    }
    for model in (Article, Event, Claim):
        statuses = dict(model.objects.values_list("status").annotate(n=Count("pk")))
        assert set(statuses) == {"draft", "review", "published"}, model
        unpublished = statuses["draft"] + statuses["review"]
        assert 0.03 < unpublished / sum(statuses.values()) < 0.3, (model, statuses)
    # Typographic quotes and no-break spaces, as real sources have them, stay exact.
    assert Quote.objects.filter(exact__contains="\u00a0").exists()


def _null(field):
    from django.db.models import Q

    return Q(**{f"{field}__isnull": True})


@pytest.mark.parametrize("articles", [None, 45, 12])
def test_scale_parameters_are_respected(articles):
    report = synthetic.generate(clear=True, **SMALL, articles=articles)
    assert Event.objects.count() == 30
    assert Claim.objects.count() == 30 * 5
    assert Article.objects.count() == (articles or 30)
    assert report.counts["claims"] == 150
    assert Quote.objects.count() >= Claim.objects.count()
    assert Citation.objects.values("claim").distinct().count() == 150


def test_showcase_event_has_fifty_published_claims():
    report = synthetic.generate(clear=True, events=501, claims_per_event=2, seed=1)
    (slug,) = report.showcase
    event = Event.objects.get(slug=slug)
    assert event.status == "published"
    assert Claim.objects.published().filter(event=event).count() == synthetic.SHOWCASE_CLAIMS
    assert Claim.objects.count() == 501 * 2


def test_adding_to_an_existing_archive_and_clearing_it():
    synthetic.generate(clear=True, **SMALL)
    synthetic.generate(**{**SMALL, "seed": 9})  # appended: fresh ids and unique slugs
    assert Event.objects.count() == 60
    synthetic.clear()
    assert not Event.objects.exists() and not Article.objects.exists()


def test_command_reports_json_and_bumps_the_archive_version():
    before = archive_version()
    out = io.StringIO()
    call_command(
        "generate_synthetic", "--events", "20", "--claims-per-event", "3", "--clear", "--json",
        stdout=out,
    )  # fmt: skip
    report = json.loads(out.getvalue())
    assert report["counts"]["events"] == 20 and report["counts"]["claims"] == 60
    assert archive_version() != before
