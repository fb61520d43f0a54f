"""The core rules hold on every write path, not only in the admin (issue #12).

Each test writes the way trusted code does — a plain ``save()`` from a shell, a command
or a script — and then looks at what the model layer and the public surfaces make of it.
"""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from events.models import Citation, Claim, Entity, Event, Series, sources_differ
from sources.models import Article, Outlet, Quote, StaleObjectError
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    OutletFactory,
    QuoteFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


def verify_quotes():
    out = io.StringIO()
    call_command("verify_quotes", stdout=out)
    return out.getvalue()


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


# --- quotes stay true on every write -------------------------------------------------


def test_a_new_lead_from_a_shell_keeps_every_seed_quote_true(seed):
    before = {q.pk: (q.start, q.exact) for q in Quote.objects.all()}
    for article in Article.objects.all():
        article.body = "A new lead. " + article.body
        article.save()
    assert "0 broken" in verify_quotes()
    for quote in Quote.objects.all():
        start, exact = before[quote.pk]
        assert (quote.start, quote.exact, quote.needs_review) == (start + 12, exact, False)


def test_crlf_and_decomposed_letters_are_normalised_before_anything_is_compared():
    quote = QuoteFactory()
    article = quote.article
    article.body = article.body.replace("\n", "\r\n") + "\r\nA caf\u0065\u0301 nearby."
    article.save()
    article.refresh_from_db()
    assert "\r" not in article.body and article.body.endswith("A caf\u00e9 nearby.")
    quote.refresh_from_db()
    assert quote.verifies and not quote.needs_review
    assert quote.version == 1  # CRLF alone moved nothing: the quote was not even rewritten


def test_words_found_only_approximately_are_moved_and_flagged():
    quote = QuoteFactory(words="member states in\xa0Dushanbe")
    article = quote.article
    article.body = "Update. " + article.body.replace("in\xa0Dushanbe", "in Dushanbe")
    article.save()
    quote.refresh_from_db()
    assert quote.exact == "member states in Dushanbe" and quote.verifies
    assert quote.needs_review


def test_an_edit_that_loses_a_cited_quote_is_refused_naming_the_claim_and_writes_nothing():
    citation = CitationFactory()
    quote = citation.quote
    article = Article.objects.get(pk=quote.article_id)
    original_body, version = article.body, article.version
    article.body = article.body.replace("Tajikistan chaired a meeting", "A meeting was held")
    with pytest.raises(ValidationError) as refused:
        article.save()
    message = refused.value.message_dict["body"][0]
    assert f"claim {citation.claim_id}" in message and "removes words that claims cite" in message
    stored = Article.objects.get(pk=article.pk)
    assert (stored.body, stored.version) == (original_body, version)
    assert Quote.objects.get(pk=quote.pk).start == quote.start


def test_an_uncited_quote_an_edit_loses_is_flagged_not_left_silently():
    quote = QuoteFactory(words="They approved a new Plan")
    article = quote.article
    article.body = article.body.replace("They approved a new Plan", "They adopted a Plan")
    article.save()
    quote.refresh_from_db()
    assert quote.needs_review and not quote.verifies
    assert "0 broken, 1 flagged for review" in verify_quotes()


def test_verify_quotes_still_fails_on_a_quote_broken_behind_the_models_back():
    quote = QuoteFactory()
    Quote.objects.filter(pk=quote.pk).update(exact="words that are not there")
    with pytest.raises(Exception, match="1 broken"):
        verify_quotes()


def test_the_admin_form_refuses_a_lossy_body_edit_through_the_model(admin_client):
    citation = CitationFactory()
    article = citation.quote.article
    form_class = admin_form(Article)
    data = {f: getattr(article, f) for f in form_class._meta.fields if f != "outlet"}
    data |= {"outlet": article.outlet_id, "body": "Nothing of the old text.\r\n"}
    form = form_class(data=data, instance=Article.objects.get(pk=article.pk))
    assert not form.is_valid()
    assert f"claim {citation.claim_id}" in form.errors["body"][0]


def admin_form(model):
    from django.contrib import admin

    return admin.site._registry[model].form


# --- versions and lost updates on every editable model -------------------------------

EDITABLE = [
    (OutletFactory, "description", "Edited."),
    (ArticleFactory, "note", "Edited."),
    (QuoteFactory, "note", "Edited."),
    (EntityFactory, "description", "Edited."),
    (SeriesFactory, "description", "Edited."),
    (EventFactory, "summary", "Edited."),
    (ClaimFactory, "note", "Edited."),
    (CitationFactory, "note", "Edited."),
]


@pytest.mark.parametrize(("factory", "field", "value"), EDITABLE)
def test_every_save_bumps_the_version_and_a_stale_copy_is_refused(factory, field, value):
    obj = factory()
    model = type(obj)
    first, second = model.objects.get(pk=obj.pk), model.objects.get(pk=obj.pk)
    assert first.version == 1
    setattr(first, field, value)
    first.save()
    assert first.version == 2 == model.objects.get(pk=obj.pk).version
    setattr(second, field, "Overwritten by a stale copy.")
    with pytest.raises(StaleObjectError, match="Someone else saved this"):
        second.save()
    stored = model.objects.get(pk=obj.pk)
    assert (getattr(stored, field), stored.version) == (value, 2)
    first.save()  # the up-to-date copy goes on saving
    assert model.objects.get(pk=obj.pk).version == 3


def test_the_version_is_bumped_by_a_plain_save_from_a_shell():
    article = ArticleFactory()
    article.title = "A corrected headline"
    article.save()
    article.save()
    assert Article.objects.get(pk=article.pk).version == 3


# --- property -> value kind, in the model --------------------------------------------


@pytest.mark.parametrize(
    ("prop", "values", "field"),
    [
        ("date", {"value_text": "28 July"}, "value_date"),
        ("next_meeting", {"value_text": "in Uzbekistan in 2022"}, "value_event"),
        ("chair", {"value_text": "Tajikistan"}, "value_entity"),
        ("theme", {"value_entity": "entity"}, "value_text"),
    ],
)
def test_a_value_of_the_wrong_kind_is_refused_naming_the_cause(prop, values, field):
    event = EventFactory()
    if values.get("value_entity") == "entity":
        values = {"value_entity": EntityFactory()}
    claim = Claim(event=event, property=prop, **values)
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert "takes" in refused.value.message_dict[field][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()
    assert not Claim.objects.exists()


def test_a_participant_may_be_an_entity_or_a_group_in_words():
    event = EventFactory()
    Claim(event=event, property="participant", value_entity=EntityFactory()).full_clean()
    Claim(event=event, property="participant", value_text="experts of the SCO").full_clean()


def test_the_admin_script_is_handed_the_models_table(admin_client):
    import html
    import re

    from events.models import VALUE_KINDS

    page = admin_client.get("/admin/events/claim/add/").content.decode()
    handed = re.search(r'data-value-kinds="([^"]*)"', page)
    assert handed, "the property select carries no table"
    assert json.loads(html.unescape(handed.group(1))) == {
        prop: list(kinds) for prop, kinds in VALUE_KINDS.items()
    }


def test_a_merged_entity_is_refused_as_a_value():
    kept, merged = EntityFactory(), EntityFactory()
    kept.merge(merged)
    claim = Claim(event=EventFactory(), property="participant", value_entity=merged)
    with pytest.raises(ValidationError, match="was merged into"):
        claim.full_clean()


# --- visibility in one place ----------------------------------------------------------


def public_surfaces(client, claim):
    """Where a reader or consumer could meet `claim`, as {surface: found?}."""
    api = APIClient()
    event = claim.event
    listed = api.get("/api/v1/claims/", {"page_size": 200}).json()["results"]
    filtered = api.get("/api/v1/claims/", {"event": event.slug}).json()["results"]
    detail = api.get(f"/api/v1/events/{event.slug}/").json().get("claims", [])
    jsonl = b"".join(api.get("/api/v1/export/claims.jsonl").streaming_content).decode()
    csv = b"".join(api.get("/api/v1/export/claims.csv").streaming_content).decode()
    page = client.get(event.get_absolute_url()).content.decode()
    entity = claim.value_entity
    return {
        "api detail": api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200,
        "api list": claim.pk in {c["id"] for c in listed},
        "api filtered list": claim.pk in {c["id"] for c in filtered},
        "event detail": claim.pk in {c["id"] for c in detail},
        "jsonl export": f'"id": {claim.pk},' in jsonl,
        "csv export": any(line.startswith(f"{claim.pk},") for line in csv.splitlines()),
        "event page": f'id="claim-{claim.pk}"' in page,
        "entity page": entity is not None
        and event.get_absolute_url() in client.get(f"/entities/{entity.slug}/").content.decode(),
        "search": claim.get_absolute_url()
        in {hit.url for hit in search_hits(entity.name if entity else claim.value_text)},
    }


def search_hits(words):
    from events import search

    return search.search(words).get("claim", [])


def test_a_claim_whose_only_source_is_unpublished_leaves_every_public_surface(client):
    entity = EntityFactory(name="Mongolia", aliases=[])
    citation = CitationFactory(claim__property="participant", claim__value_entity=entity)
    claim = citation.claim
    assert all(public_surfaces(client, claim).values()), public_surfaces(client, claim)
    article = citation.quote.article
    article.status = "draft"
    article.save()  # a plain save, as a shell or a script does it
    assert not any(public_surfaces(client, claim).values()), public_surfaces(client, claim)
    assert not Citation.objects.public().filter(pk=citation.pk).exists()
    annotations = APIClient().get("/api/v1/annotations/").json()
    assert citation.quote.exact not in json.dumps(annotations)


def test_a_claim_naming_a_merged_entity_is_not_public_until_moved():
    claim = CitationFactory().claim
    Entity.objects.filter(pk=claim.value_entity_id).update(merged_into=EntityFactory())
    assert not Claim.objects.public().filter(pk=claim.pk).exists()


def test_merging_moves_the_claims_so_they_stay_public():
    claim = CitationFactory().claim
    kept = EntityFactory()
    kept.merge(claim.value_entity)
    claim.refresh_from_db()
    assert claim.value_entity == kept
    assert Claim.objects.public().filter(pk=claim.pk).exists()


def test_the_compiled_claims_sql_selects_what_public_selects():
    from events.rows import PublicClaimRows

    visible = CitationFactory().claim
    hidden_by_article = CitationFactory(quote__article__status="draft").claim
    hidden_by_status = CitationFactory(claim__status="review").claim
    hidden_by_event = CitationFactory(claim__event__status="draft").claim
    names_draft = CitationFactory(
        claim__property="announced_event",
        claim__value_entity=None,
        claim__value_event=EventFactory(status="draft"),
    ).claim
    merged = CitationFactory().claim
    Entity.objects.filter(pk=merged.value_entity_id).update(merged_into=EntityFactory())
    listed = {row["id"] for row in PublicClaimRows()[0:100]}
    assert listed == set(Claim.objects.public().values_list("pk", flat=True)) == {visible.pk}
    hidden = {hidden_by_article, hidden_by_status, hidden_by_event, names_draft, merged}
    assert not listed & {claim.pk for claim in hidden}


# --- facets and filters count standing claims only ----------------------------------


def test_deprecated_claims_feed_no_facet_or_filter(seed, client):
    assert Claim.objects.filter(value_entity__slug="iraq", rank="deprecated").exists()
    assert APIClient().get("/api/v1/events/", {"participant": "iraq"}).json()["count"] == 0
    page = client.get("/events/", {"participant": "iraq"})
    assert "astana" not in page.content.decode().lower().split("<main")[1].split("</main>")[0]
    facets = client.get("/events/").content.decode()
    assert "participant=iraq" not in facets
    assert "participant=iran" in facets


# --- conflicts computed in one place -------------------------------------------------


def date_claim(day, precision, **fields):
    return Claim(property="date", value_date=day, value_date_precision=precision, **fields)


def test_values_that_differ_only_by_precision_or_qualifier_are_no_conflict():
    import datetime

    day = date_claim(datetime.date(2001, 6, 15), "day")
    year = date_claim(datetime.date(2001, 1, 1), "year")
    assert not sources_differ([day, year])
    other_day = date_claim(datetime.date(2001, 6, 16), "day")
    assert sources_differ([day, other_day, year])
    chairs = [
        Claim(property="chair", value_entity_id=n, qualifier=f"chair in {2020 + n}")
        for n in (1, 2, 3)
    ]
    assert not sources_differ(chairs)
    chairs.append(Claim(property="chair", value_entity_id=9, qualifier="chair in 2021"))
    assert sources_differ(chairs)
    deprecated = Claim(property="chair", value_entity_id=7, qualifier="chair in 2022")
    deprecated.rank = Claim.Rank.DEPRECATED
    assert not sources_differ([chairs[1], deprecated])


def test_no_seed_event_page_claims_sources_differ_where_they_do_not(seed, client):
    for event in Event.objects.published():
        page = client.get(event.get_absolute_url()).content.decode()
        assert "Sources differ" not in page, event.slug


def test_a_real_conflict_keeps_its_marker(client):
    import datetime

    event = EventFactory()
    for day in (1, 2):
        CitationFactory(
            claim__event=event,
            claim__property="date",
            claim__value_entity=None,
            claim__value_date=datetime.date(2021, 7, day),
            claim__value_date_precision="day",
        )
    assert "Sources differ" in client.get(event.get_absolute_url()).content.decode()


# --- trusted code writes directly ----------------------------------------------------


def test_a_plain_save_is_public_on_the_next_request(client):
    claim = CitationFactory().claim
    event = Event.objects.get(pk=claim.event_id)
    assert client.get(event.get_absolute_url()).status_code == 200
    event.status = "draft"
    event.save()
    assert client.get(event.get_absolute_url()).status_code == 404
    assert APIClient().get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    event.status = "published"
    event.save()
    assert APIClient().get(f"/api/v1/claims/{claim.pk}/").status_code == 200


def test_outlet_series_entity_saves_keep_working_from_code():
    for obj in (OutletFactory(), SeriesFactory(), EntityFactory()):
        obj.description = "Now described."
        obj.save()
        assert type(obj).objects.get(pk=obj.pk).description == "Now described."
    assert Outlet.objects.count() and Series.objects.count()
