import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sources.models import Article, FormerSlug, Quote, Status, format_date
from tests.factories import ArticleFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def test_quote_factory_builds_a_verifying_quote():
    quote = QuoteFactory()
    assert quote.article.body[quote.start : quote.end] == quote.exact
    assert quote.verifies
    quote.full_clean()


def test_quote_save_fills_prefix_and_suffix_from_the_body():
    quote = QuoteFactory(words="Dushanbe")
    body = quote.article.body
    assert body[: quote.start].endswith(quote.prefix)
    assert body[quote.end :].startswith(quote.suffix)
    assert quote.prefix and quote.suffix


def test_quote_not_in_its_article_is_refused_naming_the_closest_passage():
    article = ArticleFactory()
    quote = Quote(article=article, exact="Tajikistan hosted a summit", start=17, end=43)
    with pytest.raises(ValidationError) as excinfo:
        quote.full_clean()
    message = excinfo.value.message_dict["exact"][0]
    assert "not at 17–43" in message
    assert "closest passage" in message
    assert Quote.objects.count() == 0


def test_quote_end_before_start_is_refused_by_validation():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        Quote(article=article, exact="", start=10, end=5).full_clean()
    assert "end" in excinfo.value.message_dict


def test_quote_end_before_start_is_refused_by_the_database():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(article=article, exact="x", start=10, end=5)
    assert Quote.objects.count() == 0


def test_the_same_span_cannot_be_quoted_twice():
    quote = QuoteFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(
            article=quote.article, exact=quote.exact, start=quote.start, end=quote.end
        )
    assert Quote.objects.count() == 1


def test_from_words_anchors_typed_words_to_the_exact_body_span():
    article = ArticleFactory()
    # Typed with a plain space where the body has a non-breaking one.
    quote = Quote.from_words(article, "a meeting of the defence ministers")
    assert quote.exact == "a meeting of\xa0the defence ministers"
    assert article.body[quote.start : quote.end] == quote.exact
    quote.full_clean()
    quote.save()
    assert Quote.objects.get().exact == quote.exact


def test_from_words_not_found_names_the_closest_passage():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        Quote.from_words(article, "Tajikistan chaired a summit of defence ministers")
    error = excinfo.value.error_dict["exact"][0]
    assert error.code == "not_found"
    assert "closest passage is “Tajikistan chaired a meeting" in error.message


def test_from_words_ambiguous_lists_every_occurrence():
    article = ArticleFactory()
    with pytest.raises(ValidationError) as excinfo:
        Quote.from_words(article, "SCO")
    assert excinfo.value.error_dict["exact"][0].code == "ambiguous"
    assert "occur 2 times" in str(excinfo.value)
    chosen = Quote.from_words(article, "SCO", occurrence=1)
    assert chosen.start == article.body.rindex("SCO")


def test_duplicate_article_slug_is_a_validation_error_and_writes_nothing():
    ArticleFactory(slug="dushanbe-2021")
    duplicate = ArticleFactory.build(slug="dushanbe-2021", outlet=None)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "slug" in excinfo.value.message_dict
    assert Article.objects.count() == 1


def test_article_save_normalises_line_endings_and_hashes_the_body():
    article = ArticleFactory(body="One line.\r\nTwo lines.\rThree.")
    assert article.body == "One line.\nTwo lines.\nThree."
    other = ArticleFactory(body="One line.\nTwo lines.\nThree.")
    assert article.content_hash == other.content_hash
    assert len(article.content_hash) == 64


def test_article_date_is_stored_at_its_precision():
    article = ArticleFactory(published_on=datetime.date(2022, 8, 26), published_precision="month")
    article.refresh_from_db()
    assert article.published_on == datetime.date(2022, 8, 1)
    assert article.published_display == "August 2022"


def test_article_with_a_date_of_unknown_precision_is_refused():
    with pytest.raises(ValidationError):
        ArticleFactory.build(
            outlet=None, published_on=datetime.date(2022, 8, 26), published_precision="unknown"
        ).full_clean()


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (datetime.date(2021, 7, 28), "day", "28 July 2021"),
        (datetime.date(2021, 7, 1), "month", "July 2021"),
        (datetime.date(2024, 1, 1), "year", "2024"),
        (None, "unknown", "date not reported"),
    ],
)
def test_dates_are_shown_no_more_precisely_than_known(value, precision, shown):
    assert format_date(value, precision) == shown


def test_published_only_returns_published_articles():
    published = ArticleFactory(status=Status.PUBLISHED)
    ArticleFactory(status=Status.DRAFT)
    ArticleFactory(status=Status.REVIEW)
    assert list(Article.objects.published()) == [published]


def test_published_quotes_are_those_of_published_articles():
    shown = QuoteFactory()
    QuoteFactory(article=ArticleFactory(status=Status.DRAFT))
    assert list(Quote.objects.published()) == [shown]


def test_renaming_a_slug_keeps_the_old_one_for_redirects():
    article = ArticleFactory(slug="old-slug")
    article.slug = "new-slug"
    article.save()
    assert FormerSlug.find(Article, "old-slug") == article
    assert FormerSlug.find(Article, "never-existed") is None


def test_every_change_to_an_article_is_recorded_in_its_history():
    article = ArticleFactory(title="First title")
    article.title = "Second title"
    article.save()
    assert [h.title for h in article.history.all()] == ["Second title", "First title"]
