"""Search: one interface, PostgreSQL FTS on PostgreSQL and SQLite FTS5 on SQLite.

The suite runs on both databases (`make test` on SQLite, then on PostgreSQL in CI), so
every test here exercises the backend of the database it runs on.
"""

import pytest
from django.core.management import call_command
from django.db import connection

from events import search
from tests.factories import ArticleFactory, CitationFactory, EventFactory, QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


def urls(results, kind):
    return [hit.url for hit in results[kind]]


def test_the_backend_follows_the_database():
    expected = search.PostgresBackend if connection.vendor == "postgresql" else search.SqliteBackend
    assert isinstance(search.backend(), expected)


def test_a_place_name_finds_the_event_held_there(seed):
    results = search.search("Dushanbe")
    assert "/events/sco-defence-ministers-meeting-2021-dushanbe/" in urls(results, "event")
    assert "/entities/dushanbe/" in urls(results, "entity")
    assert results["quote"] and results["article"]


def test_aliases_of_entities_and_series_are_searched(seed):
    assert "/series/peace-mission/" in urls(search.search("Peaceful Mission"), "series")
    assert "/entities/dushanbe/" in urls(search.search("Душанбе"), "entity")


def test_claims_and_quotes_are_found_by_their_words(seed):
    results = search.search("Plan for Cooperation")
    assert any("#claim-" in url for url in urls(results, "claim"))
    assert any("#quote-" in url for url in urls(results, "quote"))


def test_every_word_must_match():
    EventFactory(title="Naval drill Alpha", summary="")
    EventFactory(title="Naval parade Beta", summary="")
    titles = [hit.title for hit in search.search("naval drill")["event"]]
    assert titles == ["Naval drill Alpha"]


def test_title_matches_rank_above_summary_matches():
    in_summary = EventFactory(title="Annual gathering", summary="Held near Tashkent.")
    in_title = EventFactory(title="Tashkent meeting", summary="Ministers met.")
    hits = search.search("Tashkent")["event"]
    assert [hit.url for hit in hits[:2]] == [
        in_title.get_absolute_url(),
        in_summary.get_absolute_url(),
    ]
    assert hits[0].rank >= hits[1].rank


def test_snippets_highlight_matches_and_never_carry_markup(client):
    EventFactory(title="Exercise <script>alert(1)</script>", summary="A <b>bold</b> manoeuvre.")
    hit = search.search("manoeuvre")["event"][0]
    assert "<mark>manoeuvre</mark>" in hit.snippet
    assert "<b>" not in hit.snippet and "bold" in hit.snippet
    html = client.get("/search/", {"q": "manoeuvre"}).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)" in html


def test_stemming_finds_word_forms():
    EventFactory(title="Exercises of the armed forces", summary="")
    assert search.search("exercise")["event"]


@pytest.mark.parametrize(
    "query", ['"unbalanced', "OR AND NOT", "*", "(", "-", "a:b", "NEAR(x y)", "'; DROP", "   ", "^"]
)
def test_search_syntax_in_a_query_is_harmless(client, query):
    EventFactory()
    assert isinstance(search.search(query), dict)
    assert client.get("/search/", {"q": query}).status_code == 200


def test_drafts_are_never_found():
    EventFactory(title="Hidden manoeuvres", status="draft")
    draft = ArticleFactory(title="Hidden dispatch", status="draft")
    CitationFactory(quote=QuoteFactory(article=draft))
    results = search.search("Hidden")
    assert not any(results.values())


def test_the_index_follows_edits_and_deletions():
    event = EventFactory(title="Steppe Shield 2030", summary="")
    assert search.search("Steppe")["event"]
    event.title = "Mountain Shield 2030"
    event.save()
    assert not search.search("Steppe")["event"]
    assert search.search("Mountain")["event"]
    event.delete()
    assert not search.search("Mountain")["event"]


def test_rebuild_search_index_command(seed):
    call_command("rebuild_search_index", verbosity=0)
    assert search.search("Dushanbe")["event"]


def test_words_strip_every_operator():
    assert search.words('"Peace" AND (Mission*) -2021') == ["Peace", "AND", "Mission", "2021"]


def test_search_page_groups_results_by_type(client, seed):
    html = client.get("/search/", {"q": "Dushanbe"}).content.decode()
    for heading in ('id="results-event"', 'id="results-entity"', 'id="results-quote"'):
        assert heading in html
    assert "<mark>Dushanbe</mark>" in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_rebuilding_indexes_the_same_documents_as_the_signals(seed):
    table = search.SqliteBackend.table

    def rows():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT kind, object_id, title, body FROM {table}")
            return {
                (kind, int(pk)): (" ".join(title.split()), " ".join(body.split()))
                for kind, pk, title, body in cursor.fetchall()
            }

    from_signals = rows()
    search.rebuild_index()
    assert rows() == from_signals
    assert len(from_signals) > 250
