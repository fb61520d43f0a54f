"""Quote translations (issue #18): reviewed like claims, shown beside the original on
event and source pages, in the API and in the quote's Web Annotation; stale when the
quote is re-anchored to different words."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils.html import escape
from rest_framework.test import APIClient

from events.roles import ensure_groups
from sources import workflow
from sources.models import Quote, QuoteTranslation
from tests.factories import ArticleFactory, CitationFactory, QuoteFactory, UserFactory

pytestmark = pytest.mark.django_db

SEED_RUSSIAN = "14 октября 2021 года по инициативе Индии состоялся семинар ШОС"


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    """The seed archive, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_seed", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def seed_quote():
    return QuoteTranslation.objects.get(text=SEED_RUSSIAN).quote


def test_the_seed_translation_shows_beside_its_quote_on_event_and_source_pages(seed, client):
    quote = seed_quote()
    event = client.get("/events/sco-seminar-role-of-women-in-armed-forces-2021/")
    html = event.content.decode()
    assert f'lang="en">{escape(quote.exact)}</blockquote>' in html
    assert f'<span lang="ru">{SEED_RUSSIAN}</span>' in html
    assert "Translation (human, SCO Archive editors)" in html
    source = client.get(quote.article.get_absolute_url()).content.decode()
    assert f'<span lang="ru">{SEED_RUSSIAN}</span>' in source


def test_quotes_api_carries_translations_at_constant_queries(seed, django_assert_max_num_queries):
    api = APIClient()
    with django_assert_max_num_queries(5):
        results = api.get("/api/v1/quotes/", {"page_size": 200}).json()["results"]
    assert all(isinstance(quote["translations"], list) for quote in results)
    quote = seed_quote()
    expected = [
        {
            "language": "ru",
            "text": SEED_RUSSIAN,
            "translator": "SCO Archive editors",
            "method": "human",
            "stale": False,
        }
    ]
    assert next(q for q in results if q["id"] == quote.pk)["translations"] == expected
    assert api.get(f"/api/v1/quotes/{quote.pk}/").json()["translations"] == expected
    # More translations, the same number of queries.
    for other in Quote.objects.exclude(pk=quote.pk)[:5]:
        QuoteTranslation.objects.create(
            quote=other, language="ru", text="Перевод", method="machine", status="published"
        )
    with django_assert_max_num_queries(5):
        api.get("/api/v1/quotes/", {"page_size": 200})
    QuoteTranslation.objects.filter(method="machine").delete()


def test_the_annotation_has_the_translation_as_a_textual_body(seed):
    quote = seed_quote()
    annotation = APIClient().get(f"/api/v1/annotations/{quote.pk}/").json()
    bodies = [body for body in annotation["body"] if body["type"] == "TextualBody"]
    assert bodies == [
        {"type": "TextualBody", "value": SEED_RUSSIAN, "language": "ru", "format": "text/plain"}
    ]


def test_drafts_and_translations_of_unpublished_articles_are_never_shown(client):
    article = ArticleFactory()
    quote = QuoteFactory(article=article)
    CitationFactory(quote=quote)
    draft = QuoteTranslation.objects.create(quote=quote, language="ru", text="Черновик перевода")
    assert "Черновик" not in client.get(article.get_absolute_url()).content.decode()
    assert APIClient().get(f"/api/v1/quotes/{quote.pk}/").json()["translations"] == []
    draft.status = "published"
    draft.save()
    assert APIClient().get(f"/api/v1/quotes/{quote.pk}/").json()["translations"]
    article.status = "draft"
    article.save()
    assert not QuoteTranslation.objects.published().filter(quote=quote).exists()


def test_only_reviewers_publish_translations():
    editors, reviewers = ensure_groups()
    editor, reviewer = UserFactory(), UserFactory()
    editor.groups.set([editors])
    reviewer.groups.set([reviewers])
    translation = QuoteTranslation.objects.create(
        quote=QuoteFactory(), language="ru", text="Таджикистан председательствовал на совещании"
    )
    workflow.submit(translation, editor)
    with pytest.raises(workflow.WorkflowError, match="Only reviewers"):
        workflow.publish(translation, editor)
    workflow.publish(translation, reviewer)
    translation.refresh_from_db()
    assert translation.status == "published" and translation.reviewed_by == reviewer


def test_a_translation_into_the_articles_own_language_is_refused():
    translation = QuoteTranslation(quote=QuoteFactory(), language="en", text="Same words")
    with pytest.raises(Exception, match="another language"):
        translation.full_clean()


def test_reanchoring_to_different_words_makes_translations_stale():
    article = ArticleFactory()
    quote = QuoteFactory(article=article, words="Tajikistan chaired a meeting")
    moved = QuoteFactory(article=article, words="member states")
    kept = QuoteTranslation.objects.create(
        quote=moved, language="ru", text="государства-члены", status="published"
    )
    changed = QuoteTranslation.objects.create(
        quote=quote, language="ru", text="Таджикистан провёл совещание", status="published"
    )
    article.body = "Today, " + article.body.replace(
        "Tajikistan chaired a meeting", "Tajikistan chaired a  meeting"
    )
    article.save()
    quote.refresh_from_db()
    assert quote.exact == "Tajikistan chaired a  meeting"  # re-found, words differ
    changed.refresh_from_db()
    kept.refresh_from_db()
    assert changed.stale is True
    assert kept.stale is False  # moved, same words
    api = APIClient().get(f"/api/v1/quotes/{quote.pk}/").json()
    assert api["translations"][0]["stale"] is True


@pytest.mark.parametrize(
    ("prefix", "names"),
    [
        ("", ("Chinese", "Russian")),
        ("/ru", ("китайский", "русский")),
        ("/zh-hans", ("汉语", "俄语")),
    ],
)
def test_sources_in_every_language_name_their_language_in_the_readers(db, client, prefix, names):
    """A Chinese or Russian source's page and the sources list name its language in the
    page's language (the archive's own filter: Django's `language_name` knows no 'zh')."""
    chinese = CitationFactory(quote__article__language="zh").quote.article
    russian = CitationFactory(quote__article__language="ru").quote.article
    paths = [f"/sources/{article.slug}/" for article in (chinese, russian)]
    listing = client.get(f"{prefix}/sources/")
    assert listing.status_code == 200
    for path, name in zip(paths, names, strict=True):
        page = client.get(f"{prefix}{path}")
        assert page.status_code == 200
        assert f"<dd>{name}</dd>" in page.content.decode()
        assert name in listing.content.decode()
