"""Full-text search over the published archive, behind one small interface.

``search(query)`` returns ``{kind: [Hit, …]}`` for the kinds in ``KINDS`` (events,
claims, quotes, articles, entities, series), best first, each hit with a highlighted
snippet.

The index is one table per kind, ``events_search_<kind>`` (migration 0006), one row per
object keyed by its id, holding the same two documents on both databases
(``Backend.documents()``, in SQL: a title, weighed most, and a body): an FTS5 table on
SQLite (``SqliteBackend``: ``bm25`` ranking, ``snippet()``), a weighted ``tsvector`` under a GIN
index on PostgreSQL (``PostgresBackend``: ``websearch_to_tsquery``, ``ts_rank``,
``ts_headline``). Signal handlers keep it current on save and delete;
``rebuild_index()`` (``manage.py rebuild_search_index``) rebuilds it whole after bulk
writes that send no signals.

A search takes each kind's ``Backend.candidates`` (50) most recent matches, the highest
ids, ranks them, and keeps the best ``limit`` that readers may see: the same
``published()`` querysets the pages use decide, so a draft is never found, whatever the
state of the index. Most of the work (ranking on SQLite, the published check, loading,
snippets) is thus the same for 50 matches or 50,000; what grows with the archive is
finding the matches, reading the index entries of the query's words. And every kind has
its own share: a common word's thousands of claims cannot crowd out its events or
sources. The price: a kind with more than 50 matches is ranked among its 50 most recent,
not among them all, and shows none if those 50 are all unpublished.

Both match every word of the query (the last one as a prefix on SQLite) and ignore query
syntax, so any input is a valid search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sources.models import Article, Quote

from .models import Citation, Claim, Entity, Event, Series

KINDS = ("event", "claim", "quote", "article", "entity", "series")
TABLES = {kind: f"events_search_{kind}" for kind in KINDS}  # the index, both databases
LABELS = {
    "event": "Events",
    "claim": "Claims",
    "quote": "Quotes",
    "article": "Sources",
    "entity": "Entities",
    "series": "Series",
}
MAX_QUERY_LENGTH = 200
_OPEN, _CLOSE = "\x02", "\x03"  # highlight markers, replaced after escaping


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matched words
    rank: float


def words(query):
    """The words of a query, without any search syntax."""
    return re.findall(r"\w+", query or "")


def highlight(text):
    """Escape a backend's snippet and turn its markers into `<mark>`."""
    html = escape(text or "").replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>")
    return mark_safe(html)


# What readers may find: the same querysets as the public pages.


def published_claims():
    return Claim.objects.public()


def published_quotes():
    cited = Citation.objects.public().filter(quote=OuterRef("pk"))
    return Quote.objects.published().filter(Exists(cited))


QUERYSETS = {
    "event": lambda: Event.objects.published().select_related("place", "series"),
    "claim": lambda: published_claims().select_related("event", "value_entity", "value_event"),
    "quote": lambda: published_quotes().select_related("article__outlet"),
    "article": lambda: Article.objects.published().select_related("outlet"),
    "entity": lambda: Entity.objects.active(),
    "series": lambda: Series.objects.all(),
}


def queryset(kind):
    """The published objects of a kind (built on demand: building all six costs ~2 ms)."""
    return QUERYSETS[kind]()


def published_ids(candidates):
    """Which candidates readers may see, `{kind: {id, …}}`, in one query.

    `candidates` maps a kind to its published queryset narrowed to the candidate ids."""
    parts = [
        candidate.values_list(Value(kind), "pk").order_by()
        for kind, candidate in candidates.items()
    ]
    published = {kind: set() for kind in KINDS}
    if parts:
        # A union and its parts take no ordering, not even a model's default one.
        for kind, pk in parts[0].union(*parts[1:], all=True).order_by():
            published[kind].add(pk)
    return published


def describe(kind, obj):
    """(title, url) of a hit."""
    if kind == "claim":
        title = f"{obj.event.title}: {obj.get_property_display()} — {obj.value}"
        return title, obj.get_absolute_url()
    if kind == "quote":
        outlet = obj.article.outlet.name if obj.article.outlet else "unknown outlet"
        return f"{obj.article.title} ({outlet})", obj.get_absolute_url()
    return str(obj), obj.get_absolute_url()


class Backend:
    """What both backends share: candidates from the index, then the published best.

    A backend says how to match (`matches()`), show (`shown()`) and store (`row()`)."""

    candidates = 50  # how many of a kind's most recent matches are ranked
    key = "object_id"  # the index tables' id column

    def search(self, query, limit):
        results = {kind: [] for kind in KINDS}
        if not words(query):
            return results
        ranked = self.ranked_candidates(query)
        readable = {kind: queryset(kind) for kind in ranked}
        published = published_ids(
            {
                kind: readable[kind].filter(pk__in=[pk for pk, _, _ in candidates])
                for kind, candidates in ranked.items()
            }
        )
        for kind, candidates in ranked.items():
            best = [(pk, rank, snip) for pk, rank, snip in candidates if pk in published[kind]]
            results[kind] = [
                Hit(kind, *describe(kind, obj), highlight(snippet), rank)
                for obj, rank, snippet in self.shown(kind, readable[kind], query, best[:limit])
            ]
        return results

    def ranked_candidates(self, query):
        """`{kind: [(id, rank, snippet), …]}`, best first, in one statement: each kind's
        `candidates` most recent matches, taken from its table by id before ranking."""
        parts, params = [], []
        for kind, table in TABLES.items():
            select, select_params = self.matches(kind, table, query)
            parts.append(
                f"SELECT * FROM ({select} ORDER BY {self.key} DESC LIMIT %s) AS {kind}_matches"
            )
            params += [*select_params, self.candidates]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        ranked = {}
        for kind, pk, rank, snippet in sorted(rows, key=lambda row: (-row[2], -row[1])):
            ranked.setdefault(kind, []).append((pk, rank, snippet))
        return ranked

    # Keeping the index current: `documents()` says what is indexed, in SQL; `row` turns
    # (id, title, body) into an index row.

    def documents(self):
        """{kind: (SELECT of every object's id, title and body, the alias of its table)}."""
        aliases = self.aliases
        return {
            "event": (
                f"""SELECT e.id AS id, e.title || ' ' || {aliases.format("e")} AS title,
                   e.summary || ' ' || coalesce(p.name, '') || ' ' || coalesce(s.name, '')
                   AS body
              FROM events_event e
              LEFT JOIN events_entity p ON p.id = e.place_id
              LEFT JOIN events_series s ON s.id = e.series_id""",
                "e",
            ),
            "claim": (
                f"""SELECT c.id AS id,
                   CASE WHEN c.value_entity_id IS NOT NULL
                        THEN n.name || ' ' || {aliases.format("n")}
                        WHEN c.value_event_id IS NOT NULL THEN v.title
                        ELSE c.value_text END AS title,
                   replace(c.property, '_', ' ') || ' ' || c.qualifier AS body
              FROM events_claim c
              LEFT JOIN events_entity n ON n.id = c.value_entity_id
              LEFT JOIN events_event v ON v.id = c.value_event_id""",
                "c",
            ),
            "quote": ("SELECT q.id AS id, '' AS title, q.exact AS body FROM sources_quote q", "q"),
            "article": (
                """SELECT a.id AS id, a.title || ' ' || a.original_title AS title,
                   a.body AS body
              FROM sources_article a""",
                "a",
            ),
            "entity": (
                f"""SELECT x.id AS id, x.name || ' ' || {aliases.format("x")} AS title,
                   x.description AS body
              FROM events_entity x""",
                "x",
            ),
            "series": (
                f"""SELECT x.id AS id, x.name || ' ' || {aliases.format("x")} AS title,
                   x.description AS body
              FROM events_series x""",
                "x",
            ),
        }

    def reindex(self, kind, ids):
        """Index the objects of `kind` with these ids afresh from the tables: two
        statements for each 500, however many objects."""
        ids = list(ids)
        table = TABLES[kind]
        select, alias = self.documents()[kind]
        with connection.cursor() as cursor:
            for first in range(0, len(ids), 500):
                chunk = ids[first : first + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {self.key} IN ({marks})", chunk)
                chosen = f"{select} WHERE {alias}.id IN ({marks})"
                cursor.execute(f"INSERT INTO {table} {self.row(chosen)}", chunk)

    def remove(self, kind, pk):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLES[kind]} WHERE {self.key} = %s", [pk])

    def rebuild(self):
        """The whole index from the tables, in seconds for a million rows, in one
        transaction."""
        with transaction.atomic(), connection.cursor() as cursor:
            for kind, (select, _) in self.documents().items():
                cursor.execute(f"DELETE FROM {TABLES[kind]}")
                cursor.execute(f"INSERT INTO {TABLES[kind]} {self.row(select)}")
                cursor.execute(self.tidy.format(TABLES[kind]))


class PostgresBackend(Backend):
    """`tsvector`s under GIN indexes: the matches found by index, ranked with `ts_rank`
    (title weight A, body B), snippets by `ts_headline` for the shown hits only."""

    config = "english"
    tidy = "ANALYZE {0}"  # after a rebuild: statistics for the planner
    aliases = (
        "coalesce((SELECT string_agg(value, ' ') "
        "FROM jsonb_array_elements_text({0}.aliases) AS value), '')"
    )
    shown_text = {
        "event": "summary",
        "claim": Coalesce("value_entity__name", "value_event__title", "value_text"),
        "quote": "exact",
        "article": "body",
        "entity": "name",
        "series": "name",
    }

    def matches(self, kind, table, query):
        select = (
            "SELECT %s AS kind, object_id, ts_rank(document, q), NULL AS snippet "
            f"FROM {table}, websearch_to_tsquery('{self.config}', %s) AS q WHERE document @@ q"
        )
        return select, [kind, " ".join(words(query))]

    def shown(self, kind, readable, query, best):
        """(object, rank, snippet) of the hits: `ts_headline` parses the whole text, so
        it is run here, for these alone."""
        from django.contrib.postgres.search import SearchHeadline, SearchQuery

        ts_query = SearchQuery(" ".join(words(query)), search_type="websearch", config=self.config)
        snippet = SearchHeadline(
            self.shown_text[kind],
            ts_query,
            config=self.config,
            start_sel=_OPEN,
            stop_sel=_CLOSE,
            max_words=35,
            min_words=12,
            short_word=2,
        )
        objects = readable.annotate(snippet=snippet).in_bulk([pk for pk, _, _ in best])
        return [(objects[pk], rank, objects[pk].snippet) for pk, rank, _ in best if pk in objects]

    def row(self, select):
        return (
            f"(object_id, document) SELECT id, "
            f"setweight(to_tsvector('{self.config}', coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector('{self.config}', coalesce(body, '')), 'B') "
            f"FROM ({select}) AS document"
        )


class SqliteBackend(Backend):
    """FTS5 tables, rowid = object id: FTS5 reads a word's matches in rowid order and
    stops at the candidates. Ranked with `bm25`, title ×4."""

    key = "rowid"
    # After a rebuild: one segment instead of the several a bulk load leaves, so a term's
    # matches are read from one place (a third less time at 100,000 events).
    tidy = "INSERT INTO {0} ({0}) VALUES ('optimize')"
    aliases = "coalesce((SELECT group_concat(value, ' ') FROM json_each({0}.aliases)), '')"

    def match(self, query):
        quoted = [f'"{token}"' for token in words(query)]
        quoted[-1] += "*"
        return " ".join(quoted)

    def matches(self, kind, table, query):
        select = (
            f"SELECT %s AS kind, rowid, -bm25({table}, 4.0, 1.0), "
            f"snippet({table}, -1, %s, %s, '…', 24) FROM {table} WHERE {table} MATCH %s"
        )
        return select, [kind, _OPEN, _CLOSE, self.match(query)]

    def shown(self, kind, readable, query, best):
        """(object, rank, snippet) of the hits; FTS5 made the snippets with the matches,
        cheaper than finding the matches again for the shown ones."""
        objects = readable.in_bulk([pk for pk, _, _ in best])
        return [(objects[pk], rank, snippet) for pk, rank, snippet in best if pk in objects]

    def row(self, select):
        return f"(rowid, title, body) SELECT id, title, body FROM ({select}) AS document"


MODELS = {
    "event": Event,
    "claim": Claim,
    "quote": Quote,
    "article": Article,
    "entity": Entity,
    "series": Series,
}


def backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


def search(query, limit=10):
    """Published objects matching every word of `query`: `{kind: [Hit, …]}`, best first."""
    return backend().search(query[:MAX_QUERY_LENGTH], limit)


def rebuild_index():
    """Re-index everything, after bulk writes that sent no signals."""
    backend().rebuild()


def index_objects(kind, objects):
    """Index objects written without signals (`bulk_create`, `QuerySet.update()`)."""
    backend().reindex(kind, [obj.pk for obj in objects])


def _kind_of(sender):
    for kind, model in MODELS.items():
        if sender is model:
            return kind
    return None


# A saved object's name is part of the documents of what names it: claims name entities
# and events as their value, events name their place and series.
NAMED_BY = {
    "entity": [("claim", Claim, "value_entity"), ("event", Event, "place")],
    "series": [("event", Event, "series")],
    "event": [("claim", Claim, "value_event")],
}


@receiver(post_save)
def _index_saved(sender, instance, raw=False, **kwargs):
    kind = _kind_of(sender)
    if not kind or raw:
        return
    current = backend()
    current.reindex(kind, [instance.pk])
    for other, model, field in NAMED_BY.get(kind, []):
        naming = model.objects.filter(**{field: instance.pk}).values_list("pk", flat=True)
        current.reindex(other, naming)


@receiver(post_delete)
def _unindex_deleted(sender, instance, **kwargs):
    kind = _kind_of(sender)
    if kind:
        backend().remove(kind, instance.pk)
