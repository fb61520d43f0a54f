"""The article admin: quoting, body edits that keep quotes true, lost updates, lists."""

import pytest
from django.urls import reverse

from sources.models import Article, Quote
from tests.factories import ArticleFactory, CitationFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def change_data(article, **overrides):
    data = {
        "title": article.title,
        "original_title": article.original_title,
        "slug": article.slug,
        "outlet": article.outlet_id or "",
        "url": article.url,
        "language": article.language,
        "published_on": article.published_on or "",
        "published_precision": article.published_precision,
        "date_note": article.date_note,
        "body": article.body,
        "near_duplicate_of": "",
        "note": article.note,
        "version": article.version,
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_the_change_page_shows_the_body_with_quotes_highlighted(admin_client):
    quote = QuoteFactory()
    url = reverse("admin:sources_article_change", args=[quote.article.pk])
    page = admin_client.get(url).content.decode()
    assert 'id="article-body"' in page
    assert f'data-quotes="{quote.pk}"' in page
    assert "admin/js/quote-select.js" in page


def test_quoting_a_selection_stores_the_exact_span(admin_client):
    article = ArticleFactory()
    start = article.body.index("a meeting of")
    end = start + len("a meeting of\xa0the defence ministers")
    url = reverse("admin:sources_article_quote", args=[article.pk])
    # A selection with a trailing space is trimmed to the words.
    response = admin_client.post(url, {"start": start, "end": end + 1, "words": "x"})
    assert response.status_code == 302
    quote = Quote.objects.get()
    assert quote.exact == "a meeting of\xa0the defence ministers"
    assert article.body[quote.start : quote.end] == quote.exact


def test_quoting_typed_words_anchors_them(admin_client):
    article = ArticleFactory()
    url = reverse("admin:sources_article_quote", args=[article.pk])
    admin_client.post(url, {"words": "a MEETING of the defence ministers"})
    assert Quote.objects.get().exact == "a meeting of\xa0the defence ministers"


def test_typed_words_not_in_the_article_show_the_closest_passage(admin_client):
    article = ArticleFactory()
    url = reverse("admin:sources_article_quote", args=[article.pk])
    response = admin_client.post(url, {"words": "Tajikistan chaired a summit"}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("closest passage" in m for m in messages)
    assert Quote.objects.count() == 0


def test_ambiguous_words_let_the_editor_choose_the_occurrence(admin_client):
    article = ArticleFactory()
    url = reverse("admin:sources_article_quote", args=[article.pk])
    response = admin_client.post(url, {"words": "SCO"})
    page = response.content.decode()
    assert "occur 2 times" in page or "Which occurrence" in page
    assert page.count('name="occurrence"') == 2
    admin_client.post(url, {"words": "SCO", "occurrence": "1"})
    assert Quote.objects.get().start == article.body.rindex("SCO")


def test_editing_the_body_reanchors_quotes(admin_client):
    quote = QuoteFactory(words="Dushanbe")
    article = quote.article
    new_body = "Breaking news.\n" + article.body
    url = reverse("admin:sources_article_change", args=[article.pk])
    response = admin_client.post(url, change_data(article, body=new_body))
    assert response.status_code == 302, response.context["adminform"].form.errors
    quote.refresh_from_db()
    article.refresh_from_db()
    assert article.body == new_body
    assert article.body[quote.start : quote.end] == "Dushanbe"


def test_an_edit_that_loses_a_cited_quote_is_refused_naming_the_claim(admin_client):
    citation = CitationFactory(quote__words="Dushanbe")
    article = citation.quote.article
    url = reverse("admin:sources_article_change", args=[article.pk])
    new_body = article.body.replace("Dushanbe", "the capital")
    response = admin_client.post(url, change_data(article, body=new_body))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["body"][0]
    assert f"claim {citation.claim_id}" in errors
    article.refresh_from_db()
    assert "Dushanbe" in article.body


def test_the_body_is_saved_exactly_as_edited(admin_client):
    article = ArticleFactory()
    url = reverse("admin:sources_article_change", args=[article.pk])
    new_body = "  Indented first line.\r\nSecond line.  \n"
    admin_client.post(url, change_data(article, body=new_body))
    article.refresh_from_db()
    assert article.body == "  Indented first line.\nSecond line.  \n"


def test_a_stale_save_is_refused_and_nothing_is_overwritten(admin_client):
    article = ArticleFactory(title="Original title")
    url = reverse("admin:sources_article_change", args=[article.pk])
    first = admin_client.post(url, change_data(article, title="First editor"))
    assert first.status_code == 302
    second = admin_client.post(url, change_data(article, title="Second editor"))
    assert second.status_code == 200
    errors = str(second.context["adminform"].form.non_field_errors())
    assert "Someone else saved this" in errors
    assert reverse("admin:sources_article_history", args=[article.pk]) in errors
    assert Article.objects.get().title == "First editor"


def test_original_is_read_only(admin_client):
    article = ArticleFactory()
    url = reverse("admin:sources_article_change", args=[article.pk])
    admin_client.post(url, change_data(article, original="rewritten"))
    article.refresh_from_db()
    assert article.original != "rewritten"


def test_history_shows_what_changed_and_can_revert(admin_client):
    article = ArticleFactory(title="Before")
    url = reverse("admin:sources_article_change", args=[article.pk])
    admin_client.post(url, change_data(article, title="After"))
    history = admin_client.get(reverse("admin:sources_article_history", args=[article.pk]))
    page = history.content.decode()
    assert "Before" in page and "After" in page
    oldest = article.history.order_by("history_date").first()
    revert_url = reverse(
        "admin:sources_article_simple_history", args=[article.pk, oldest.history_id]
    )
    article.refresh_from_db()
    form_page = admin_client.get(revert_url)
    assert form_page.status_code == 200
    data = change_data(article, title="Before")
    admin_client.post(revert_url, data)
    article.refresh_from_db()
    assert article.title == "Before"


@pytest.mark.parametrize("size", [2, 12])
def test_article_changelist_runs_constant_queries(
    admin_client, django_assert_max_num_queries, size
):
    for _ in range(size):
        QuoteFactory()
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:sources_article_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 12])
def test_quote_changelist_runs_constant_queries(admin_client, django_assert_max_num_queries, size):
    for _ in range(size):
        QuoteFactory()
    with django_assert_max_num_queries(10):
        assert admin_client.get(reverse("admin:sources_quote_changelist")).status_code == 200
