"""Full-text search over the published archive, behind one small interface.

``search(query)`` returns ``{kind: [Hit, …]}`` for the kinds in ``KINDS`` (events,
claims, quotes, articles, entities, series), best first, each hit with a highlighted
snippet. Two backends answer it:

- ``PostgresBackend``: PostgreSQL full-text search (``websearch_to_tsquery``, weighted
  ``tsvector``\\ s, ``ts_rank``, ``ts_headline``), computed from the tables themselves —
  nothing to keep in sync.
- ``SqliteBackend``: an FTS5 table, ``events_search_index`` (created by migration 0004 on
  SQLite only), holding one row per object; kept current by signal handlers on save and
  delete, and rebuilt whole by ``rebuild_index()`` (``manage.py rebuild_search_index``)
  after bulk writes that send no signals.

Both index every status and filter with the same ``published()`` querysets the pages
use, so a draft is never found, whatever the state of the index. Both match every word
of the query (the last one as a prefix on SQLite) and ignore query syntax, so any input
is a valid search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, TextField
from django.db.models.functions import Cast, Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sources.models import Article, Quote

from .models import Citation, Claim, Entity, Event, Series

KINDS = ("event", "claim", "quote", "article", "entity", "series")
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
    cited = Citation.objects.published().filter(claim=OuterRef("pk"))
    return Claim.objects.public().filter(Exists(cited))


def published_quotes():
    cited = Citation.objects.public().filter(quote=OuterRef("pk"))
    return Quote.objects.published().filter(Exists(cited))


def querysets():
    return {
        "event": Event.objects.published().select_related("place", "series"),
        "claim": published_claims().select_related("event", "value_entity", "value_event"),
        "quote": published_quotes().select_related("article__outlet"),
        "article": Article.objects.published().select_related("outlet"),
        "entity": Entity.objects.active(),
        "series": Series.objects.all(),
    }


def describe(kind, obj):
    """(title, url) of a hit."""
    if kind == "claim":
        title = f"{obj.event.title}: {obj.get_property_display()} — {obj.value}"
        return title, obj.get_absolute_url()
    if kind == "quote":
        outlet = obj.article.outlet.name if obj.article.outlet else "unknown outlet"
        return f"{obj.article.title} ({outlet})", obj.get_absolute_url()
    return str(obj), obj.get_absolute_url()


def documents(kind, obj):
    """(title, text) indexed for an object: the same fields PostgreSQL weighs."""
    names = " ".join(getattr(obj, "aliases", None) or [])
    if kind == "event":
        extra = [obj.summary, str(obj.place or ""), str(obj.series or "")]
        return f"{obj.title} {names}", " ".join(extra)
    if kind == "claim":
        value = obj.value_text
        if obj.value_entity_id:
            value = " ".join([obj.value_entity.name, *obj.value_entity.aliases])
        elif obj.value_event_id:
            value = obj.value_event.title
        return value, f"{obj.property.replace('_', ' ')} {obj.qualifier}"
    if kind == "quote":
        return "", obj.exact
    if kind == "article":
        return f"{obj.title} {obj.original_title}", obj.body
    return f"{obj.name} {names}", obj.description


class PostgresBackend:
    """Ranked PostgreSQL full-text search with `ts_headline` snippets."""

    config = "english"

    def vectors(self):
        from django.contrib.postgres.search import SearchVector

        def vector(*fields, weight):
            return SearchVector(*fields, weight=weight, config=self.config)

        def aliases(prefix=""):
            return Cast(f"{prefix}aliases", TextField())

        return {
            "event": (
                vector("title", aliases(), weight="A")
                + vector("summary", weight="B")
                + vector("place__name", "series__name", weight="C"),
                "summary",
            ),
            "claim": (
                vector(
                    "value_text",
                    "value_entity__name",
                    aliases("value_entity__"),
                    "value_event__title",
                    weight="A",
                )
                + vector("qualifier", weight="C"),
                Coalesce("value_entity__name", "value_event__title", "value_text"),
            ),
            "quote": (vector("exact", weight="A"), "exact"),
            "article": (
                vector("title", "original_title", weight="A") + vector("body", weight="B"),
                "body",
            ),
            "entity": (
                vector("name", aliases(), weight="A") + vector("description", weight="B"),
                "name",
            ),
            "series": (
                vector("name", aliases(), weight="A") + vector("description", weight="B"),
                "name",
            ),
        }

    def search(self, query, limit):
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

        text = " ".join(words(query))
        if not text:
            return {kind: [] for kind in KINDS}
        ts_query = SearchQuery(text, search_type="websearch", config=self.config)
        results = {}
        for kind, (vector, shown) in self.vectors().items():
            rows = (
                querysets()[kind]
                .annotate(document=vector)
                .filter(document=ts_query)
                .annotate(
                    search_rank=SearchRank(F("document"), ts_query),
                    snippet=SearchHeadline(
                        shown,
                        ts_query,
                        config=self.config,
                        start_sel=_OPEN,
                        stop_sel=_CLOSE,
                        max_words=35,
                        min_words=12,
                        short_word=2,
                    ),
                )
                .order_by("-search_rank", "pk")[:limit]
            )
            results[kind] = [
                Hit(kind, *describe(kind, row), highlight(row.snippet), row.search_rank)
                for row in rows
            ]
        return results


class SqliteBackend:
    """SQLite FTS5 (`bm25` ranking, `snippet()`), over the `events_search_index` table."""

    table = "events_search_index"
    candidates = 500

    def match(self, query):
        tokens = [token.replace('"', "") for token in words(query)]
        if not tokens:
            return ""
        quoted = [f'"{token}"' for token in tokens]
        quoted[-1] += "*"
        return " ".join(quoted)

    def search(self, query, limit):
        expression = self.match(query)
        results = {kind: [] for kind in KINDS}
        if not expression:
            return results
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT kind, object_id, bm25({self.table}, 0, 0, 4.0, 1.0), "
                f"snippet({self.table}, -1, %s, %s, '…', 24) "
                f"FROM {self.table} WHERE {self.table} MATCH %s ORDER BY 3 LIMIT %s",
                [_OPEN, _CLOSE, expression, self.candidates],
            )
            rows = cursor.fetchall()
        found = {}
        for kind, object_id, rank, snippet in rows:
            found.setdefault(kind, []).append((int(object_id), -rank, snippet))
        for kind, matches in found.items():
            objects = querysets()[kind].in_bulk([object_id for object_id, _, _ in matches])
            hits = [
                Hit(kind, *describe(kind, objects[object_id]), highlight(snippet), rank)
                for object_id, rank, snippet in matches
                if object_id in objects
            ]
            results[kind] = hits[:limit]
        return results

    # Keeping the index current.

    def index(self, kind, obj):
        title, text = documents(kind, obj)
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE kind = %s AND object_id = %s", [kind, obj.pk]
            )
            cursor.execute(
                f"INSERT INTO {self.table} (kind, object_id, title, body) VALUES (%s, %s, %s, %s)",
                [kind, obj.pk, title, text],
            )

    def remove(self, kind, pk):
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE kind = %s AND object_id = %s", [kind, pk]
            )

    def rebuild(self):
        """The whole index from the tables, in SQL: the same documents as `documents()`,
        in seconds for a million rows, in one transaction."""
        aliases = "coalesce((SELECT group_concat(value, ' ') FROM json_each({0}.aliases)), '')"
        statements = [
            f"""SELECT 'event', e.id, e.title || ' ' || {aliases.format("e")},
                   e.summary || ' ' || coalesce(p.name, '') || ' ' || coalesce(s.name, '')
              FROM events_event e
              LEFT JOIN events_entity p ON p.id = e.place_id
              LEFT JOIN events_series s ON s.id = e.series_id""",
            f"""SELECT 'claim', c.id,
                   CASE WHEN c.value_entity_id IS NOT NULL
                        THEN n.name || ' ' || {aliases.format("n")}
                        WHEN c.value_event_id IS NOT NULL THEN v.title
                        ELSE c.value_text END,
                   replace(c.property, '_', ' ') || ' ' || c.qualifier
              FROM events_claim c
              LEFT JOIN events_entity n ON n.id = c.value_entity_id
              LEFT JOIN events_event v ON v.id = c.value_event_id""",
            "SELECT 'quote', q.id, '', q.exact FROM sources_quote q",
            """SELECT 'article', a.id, a.title || ' ' || a.original_title, a.body
              FROM sources_article a""",
            f"""SELECT 'entity', x.id, x.name || ' ' || {aliases.format("x")}, x.description
              FROM events_entity x""",
            f"""SELECT 'series', x.id, x.name || ' ' || {aliases.format("x")}, x.description
              FROM events_series x""",
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")
            for select in statements:
                cursor.execute(f"INSERT INTO {self.table} (kind, object_id, title, body) {select}")


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
    """Re-index everything (SQLite; PostgreSQL needs no index of its own)."""
    current = backend()
    if isinstance(current, SqliteBackend):
        current.rebuild()


def _kind_of(sender):
    for kind, model in MODELS.items():
        if sender is model:
            return kind
    return None


@receiver(post_save)
def _index_saved(sender, instance, raw=False, **kwargs):
    kind = _kind_of(sender)
    if kind and not raw and connection.vendor == "sqlite":
        SqliteBackend().index(kind, instance)


@receiver(post_delete)
def _unindex_deleted(sender, instance, **kwargs):
    kind = _kind_of(sender)
    if kind and connection.vendor == "sqlite":
        SqliteBackend().remove(kind, instance.pk)
