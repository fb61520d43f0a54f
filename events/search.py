"""Full-text search over the published archive, behind one small interface.

``search(query)`` returns ``{kind: [Hit, …]}`` for the kinds in ``KINDS`` (events,
claims, quotes, articles, entities, series), best first, each hit with a highlighted
snippet.

The index is one table per kind, ``events_search_<kind>`` (migrations 0006, 0013), one
row per object keyed by its id, holding the same two documents on both databases
(``Backend.documents()``, in SQL: a title, weighed most, and a body), turned into the
same terms by ``terms()`` in Python (Snowball stems of Russian and English words, Chinese
characters and their pairs; see "Analysis" below): an FTS5 table on SQLite
(``SqliteBackend``: ``bm25`` ranking), a weighted ``tsvector`` under a GIN index on
PostgreSQL (``PostgresBackend``: ``ts_rank``); snippets by ``make_snippet()`` on both.
Signal handlers keep it current on save and delete; ``rebuild_index()``
(``manage.py rebuild_search_index``) rebuilds it whole after bulk writes that send no
signals.

A search takes each kind's ``Backend.candidates`` (50) most recent matches, the highest
ids, ranks them, and keeps the best ``limit`` that readers may see: the same
``published()`` querysets the pages use decide, so a draft is never found, whatever the
state of the index. Most of the work (ranking on SQLite, the published check, loading,
snippets) is thus the same for 50 matches or 50,000; what grows with the archive is
finding the matches, reading the index entries of the query's words. And every kind has
its own share: a common word's thousands of claims cannot crowd out its events or
sources. The price: a kind with more than 50 matches is ranked among its 50 most recent,
not among them all, and shows none if those 50 are all unpublished.

Both match every word of the query (the last one also as a prefix) and ignore query
syntax, so any input is a valid search.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Value
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from sources import prepared
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


# -- Analysis: the same terms on both databases ------------------------------------------
#
# Text is turned into index terms in Python, once, for both databases, so SQLite and
# PostgreSQL hold the same terms and a query finds the same objects on each:
# - a Cyrillic word: case-folded, ё as е, stemmed by Snowball's Russian stemmer (the
#   algorithm behind PostgreSQL's `russian` configuration): учение, учения, учениями → учен;
# - a Latin word: case-folded and stemmed by Snowball's English stemmer (Porter 2, as
#   PostgreSQL's `english`); other words (digits, other scripts) case-folded;
# - a run of Chinese characters: each character and each pair of neighbours (CJK bigrams),
#   so one- and two-character words are found anywhere: 上海合作组织 holds 合作 and 军.
#   A dictionary segmenter (jieba) would need its 20 MB dictionary in every process and
#   would miss words its dictionary joins differently; bigrams need nothing and miss none.
# Neither database's own parser is used: each splits "West-2021" or a Chinese run in its
# own way, and FTS5's `trigram` tokenizer cannot match fewer than three characters.

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_TOKEN = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
_HAN_RUN = re.compile(rf"[{_HAN}]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_STEMMERS = threading.local()  # a Snowball stemmer keeps state while it stems


def _stemmer(language):
    stemmers = _STEMMERS.__dict__
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(language)
    return stemmers[language]


@lru_cache(maxsize=100_000)
def stem(word):
    """The index term of one (non-Chinese) word."""
    word = word.casefold().replace("ё", "е")
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word)
    if word.isascii() and word.isalpha():
        return _stemmer("english").stemWord(word)
    return word


def _is_han(token):
    return bool(_HAN_RUN.match(token))


def bigrams(run):
    """A Chinese run's terms: every character, then every pair of neighbours."""
    return [*run, *(run[i : i + 2] for i in range(len(run) - 1))]


def terms(text):
    """The index terms of a text, in order (a Chinese run's characters, then its pairs)."""
    out = []
    for token in _TOKEN.findall(text or ""):
        if _is_han(token):
            out.extend(bigrams(token))
        else:
            out.append(stem(token))
    return out


def query_terms(query):
    """The terms a query asks for, as (term, prefix): every term must match; the last
    word, when it is not Chinese, also as the start of a longer word (search as you
    type). A Chinese run asks for its pairs (or its one character): 合作 → 合作;
    上海合作 → 上海, 海合, 合作."""
    tokens = _TOKEN.findall((query or "")[:MAX_QUERY_LENGTH])
    asked = []
    for index, token in enumerate(tokens):
        if _is_han(token):
            pairs = [token] if len(token) == 1 else bigrams(token)[len(token) :]
            asked.extend((pair, False) for pair in pairs)
        else:
            asked.append((stem(token), index == len(tokens) - 1))
    return list(dict.fromkeys(asked))


def _matches_term(term, asked):
    return any(term == want or (prefix and term.startswith(want)) for want, prefix in asked)


def make_snippet(text, asked, width=24):
    """About `width` words of `text` around its first match, the matched words between
    the highlight markers: made in Python from the same terms on both databases."""
    text = text or ""
    if not asked:
        return ""
    spans = []  # (start, end, matched) of each word of the text, up to the window's end
    first = None
    for match in _TOKEN.finditer(text):
        if first is not None and len(spans) >= first + width:
            break  # the window is full: the rest of a long body is not read
        token = match.group()
        if _is_han(token):
            # Mark each character of the run that one of the asked pairs covers.
            covered = [False] * len(token)
            for want, _ in asked:
                if not _is_han(want):
                    continue
                at = token.find(want)
                while at != -1:
                    covered[at : at + len(want)] = [True] * len(want)
                    at = token.find(want, at + 1)
            for offset, char_matched in enumerate(covered):
                start = match.start() + offset
                spans.append((start, start + 1, char_matched))
        else:
            spans.append((match.start(), match.end(), _matches_term(stem(token), asked)))
        if first is None and spans[-1][2] or any(span[2] for span in spans[-len(token) :]):
            first = next(i for i, span in enumerate(spans) if span[2]) if first is None else first
    if not spans:
        return ""
    first = first or 0
    lo = max(0, first - width // 3)
    hi = min(len(spans), lo + width)
    out = ["…" if lo else ""]
    position = spans[lo][0]
    for start, end, matched in spans[lo:hi]:
        out.append(text[position:start])
        out.append(f"{_OPEN}{text[start:end]}{_CLOSE}" if matched else text[start:end])
        position = end
    out.append("…" if _TOKEN.search(text, position) else text[position:])  # words left?
    return "".join(out).strip().replace(_CLOSE + _OPEN, "")  # neighbours in one mark


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


# Hits load only what `describe` and `shown_text` print: a claim's event and value, a
# quote's article and outlet (building every field of every row cost a third of a search).
CLAIM_FIELDS = (
    *("id", "event", "property", "value_text", "value_date", "value_date_precision"),
    *("value_entity", "value_event", "event__slug", "event__title", "value_entity__name"),
    "value_event__title",
)
QUOTE_FIELDS = ("id", "exact", "article__slug", "article__title", "article__outlet__name")
QUERYSETS = {
    "event": lambda: Event.objects.published(),
    "claim": published_claims,
    "quote": published_quotes,
    "article": lambda: Article.objects.published(),
    "entity": lambda: Entity.objects.active(),
    "series": lambda: Series.objects.all(),
}
# What a hit loads, by id, once `published_ids()` has said readers may see it: the
# visibility joins are not planned a second time (on PostgreSQL, planning them again for
# the shown hits cost 5 ms of a 10 ms search, issue #15).
LOADS = {
    "event": lambda: Event.objects.select_related("place", "series"),
    "claim": lambda: Claim.objects.select_related("event", "value_entity", "value_event").only(
        *CLAIM_FIELDS
    ),
    "quote": lambda: Quote.objects.select_related("article__outlet").only(*QUOTE_FIELDS),
    "article": lambda: Article.objects.select_related("outlet").defer("original"),
    "entity": lambda: Entity.objects.all(),
    "series": lambda: Series.objects.all(),
}


def queryset(kind):
    """The published objects of a kind (built on demand: building all six costs ~2 ms)."""
    return QUERYSETS[kind]()


def published_ids(candidates):
    """Which candidates readers may see, `{kind: {id, …}}`, in one query.

    `candidates` maps a kind to its ids (best first). The visibility rules are the
    public querysets' (`queryset(kind)`); on PostgreSQL the statement, whose joins took
    longer to plan than to run (7–12 ms for 2–3 ms, issue #15), is prepared once per
    connection and kind set, with the ids bound as arrays (`sources.prepared.run`)."""
    parts = [
        prepared.among(queryset(kind), ids).values_list(Value(kind), "pk").order_by()
        for kind, ids in candidates.items()
    ]
    published = {kind: set() for kind in KINDS}
    if not parts:
        return published
    # A union and its parts take no ordering, not even a model's default one.
    union = parts[0].union(*parts[1:], all=True).order_by()
    sql, params = union.query.sql_with_params()
    bound = [position for position, param in enumerate(params) if isinstance(param, list)]
    name = "sco_search_" + hashlib.sha1(sql.encode()).hexdigest()[:16]
    for kind, pk in prepared.run(sql, params, name if bound else None, bound):
        published[kind].add(pk)
    return published


def describe(kind, obj):
    """(title, url) of a hit."""
    if kind == "claim":
        title = f"{obj.event.title}: {obj.property_label} — {obj.value}"
        return title, obj.get_absolute_url()
    if kind == "quote":
        outlet = obj.article.outlet.name if obj.article.outlet else "unknown outlet"
        return f"{obj.article.title} ({outlet})", obj.get_absolute_url()
    return str(obj), obj.get_absolute_url()


def shown_text(kind, obj):
    """The text a hit's snippet is cut from."""
    if kind == "event":
        return obj.summary or obj.title
    if kind == "claim":
        return str(obj.value)
    if kind == "quote":
        return obj.exact
    if kind == "article":
        return obj.body
    return obj.description or obj.name


class Backend:
    """What both backends share: candidates from the index, then the published best.

    A backend says how to match (`matches()`) and store (`write()`) the terms that
    `terms()` makes; snippets are cut in Python (`make_snippet`) for the shown hits."""

    candidates = 50  # how many of a kind's most recent matches are ranked
    key = "object_id"  # the index tables' id column
    chunk = 500

    def search(self, query, limit):
        results = {kind: [] for kind in KINDS}
        asked = query_terms(query)
        if not asked:
            return results
        ranked = self.ranked_candidates(asked)
        published = published_ids(
            {kind: [pk for pk, _ in candidates] for kind, candidates in ranked.items()}
        )
        for kind, candidates in ranked.items():
            best = [(pk, rank) for pk, rank in candidates if pk in published[kind]][:limit]
            with prepared.prepared():  # loaded by id: prepared on PostgreSQL
                objects = LOADS[kind]().order_by().in_bulk([pk for pk, _ in best])
            results[kind] = [
                Hit(
                    kind,
                    *describe(kind, objects[pk]),
                    highlight(make_snippet(shown_text(kind, objects[pk]), asked)),
                    rank,
                )
                for pk, rank in best
                if pk in objects
            ]
        return results

    def ranked_candidates(self, asked):
        """`{kind: [(id, rank), …]}`, best first, in one statement: each kind's
        `candidates` most recent matches, taken from its table by id before ranking."""
        parts, params = [], []
        for kind, table in TABLES.items():
            select, select_params = self.matches(kind, table, asked, self.candidates)
            parts.append(f"SELECT * FROM ({select}) AS {kind}_matches")
            params += select_params
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        ranked = {}
        for kind, pk, rank in sorted(rows, key=lambda row: (-row[2], -row[1])):
            ranked.setdefault(kind, []).append((pk, rank))
        return ranked

    # Keeping the index current: `documents()` says what is indexed, in SQL; `terms()`
    # turns each (id, title, body) into index terms, and `write()` stores them.

    def documents(self):
        """{kind: (SELECT of every object's id, title and body, the alias of its table)}."""
        aliases, names = self.aliases, self.names
        return {
            "event": (
                f"""SELECT e.id AS id, e.title || ' ' || {aliases.format("e")} || ' '
                   || {names.format("e")} AS title,
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
                        THEN n.name || ' ' || {aliases.format("n")} || ' '
                             || {names.format("n")}
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
                f"""SELECT x.id AS id, x.name || ' ' || {aliases.format("x")} || ' '
                   || {names.format("x")} AS title,
                   x.description AS body
              FROM events_entity x""",
                "x",
            ),
            "series": (
                f"""SELECT x.id AS id, x.name || ' ' || {aliases.format("x")} || ' '
                   || {names.format("x")} AS title,
                   x.description AS body
              FROM events_series x""",
                "x",
            ),
        }

    def _index(self, cursor, table, rows):
        """Write the index rows of (id, title, body) rows."""
        values = [(pk, terms(title), terms(body)) for pk, title, body in rows]
        if values:
            cursor.executemany(self.insert.format(table), [self.row(*v) for v in values])

    def reindex(self, kind, ids):
        """Index the objects of `kind` with these ids afresh from the tables: three
        statements for each 500, however many objects."""
        ids = list(ids)
        table = TABLES[kind]
        select, alias = self.documents()[kind]
        with connection.cursor() as cursor:
            for first in range(0, len(ids), self.chunk):
                chunk = ids[first : first + self.chunk]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {table} WHERE {self.key} IN ({marks})", chunk)
                cursor.execute(f"{select} WHERE {alias}.id IN ({marks})", chunk)
                self._index(cursor, table, cursor.fetchall())

    def remove(self, kind, pk):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLES[kind]} WHERE {self.key} = %s", [pk])

    def rebuild(self):
        """The whole index from the tables, in one transaction, 500 objects a round."""
        with transaction.atomic(), connection.cursor() as cursor:
            for kind, (select, alias) in self.documents().items():
                table = TABLES[kind]
                cursor.execute(f"DELETE FROM {table}")
                last = 0
                while True:
                    cursor.execute(
                        f"{select} WHERE {alias}.id > %s ORDER BY {alias}.id LIMIT %s",
                        [last, self.chunk],
                    )
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    self._index(cursor, table, rows)
                    last = rows[-1][0]
                cursor.execute(self.tidy.format(table))


class PostgresBackend(Backend):
    """`tsvector`s of the analysed terms under GIN indexes, ranked with `ts_rank`
    (title weight A, body B). The vectors are written as literals: the terms are already
    the lexemes, so no text search configuration touches them again."""

    tidy = "ANALYZE {0}"  # after a rebuild: statistics for the planner
    aliases = (
        "coalesce((SELECT string_agg(value, ' ') "
        "FROM jsonb_array_elements_text({0}.aliases) AS value), '')"
    )
    names = (
        "coalesce((SELECT string_agg(known.value, ' ') FROM jsonb_each({0}.names) AS language, "
        "jsonb_array_elements_text(CASE jsonb_typeof(language.value) WHEN 'array' "
        "THEN language.value ELSE '[]' END) AS known(value)), '')"
    )
    insert = "INSERT INTO {0} (object_id, document) VALUES (%s, %s::tsvector)"
    max_positions = 255  # PostgreSQL keeps at most 256 positions of a lexeme

    def matches(self, kind, table, asked, limit):
        # Ranked after the LIMIT: `ts_rank` reads a whole document, and a common word
        # matches hundreds of them ("Peace Mission", 279 of 10,000 articles: 1.5 ms to
        # rank them all, 0.4 ms for the 50 kept; issue #15).
        select = (
            "SELECT %s AS kind, object_id, ts_rank(document, q) FROM ("
            f"SELECT object_id, document, q FROM {table}, CAST(%s AS tsquery) AS q "
            "WHERE document @@ q ORDER BY object_id DESC LIMIT %s) AS recent"
        )
        return select, [kind, self.tsquery(asked), limit]

    @staticmethod
    def tsquery(asked):
        # Terms are letters and digits only (`_TOKEN`): quoting them is enough.
        return " & ".join(f"'{term}'" + (":*" if prefix else "") for term, prefix in asked)

    def row(self, pk, title, body):
        positions = {}
        for offset, (term, weight) in enumerate(
            [(term, "A") for term in title] + [(term, "B") for term in body]
        ):
            at = positions.setdefault(term, [])
            if len(at) < self.max_positions:
                at.append(f"{min(offset + 1, 16383)}{weight}")
        vector = " ".join(f"'{term}':{','.join(at)}" for term, at in positions.items())
        return pk, vector


class SqliteBackend(Backend):
    """FTS5 tables of the analysed terms, rowid = object id: FTS5 reads a term's matches
    in rowid order and stops at the candidates. Ranked with `bm25`, title ×4."""

    key = "rowid"
    # After a rebuild: one segment instead of the several a bulk load leaves, so a term's
    # matches are read from one place (a third less time at 100,000 events).
    tidy = "INSERT INTO {0} ({0}) VALUES ('optimize')"
    aliases = "coalesce((SELECT group_concat(value, ' ') FROM json_each({0}.aliases)), '')"
    names = (
        "coalesce((SELECT group_concat(known.value, ' ') FROM json_each({0}.names) AS language, "
        "json_each(CASE language.type WHEN 'array' THEN language.value ELSE '[]' END) AS known),"
        " '')"
    )
    insert = "INSERT INTO {0} (rowid, title, body) VALUES (%s, %s, %s)"

    @staticmethod
    def match(asked):
        return " ".join(f'"{term}"' + ("*" if prefix else "") for term, prefix in asked)

    def matches(self, kind, table, asked, limit):
        # bm25() only works in the full-text query itself, so rank and limit go together.
        select = (
            f"SELECT %s AS kind, rowid, -bm25({table}, 4.0, 1.0) "
            f"FROM {table} WHERE {table} MATCH %s ORDER BY rowid DESC LIMIT %s"
        )
        return select, [kind, self.match(asked), limit]

    def row(self, pk, title, body):
        return pk, " ".join(title), " ".join(body)


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
def _index_saved(sender, instance, raw=False, created=False, **kwargs):
    """Index the saved object, and re-index what names it. A row just inserted is named
    by nothing yet (its id is new), so a creation reads no naming rows; the naming ids
    are read unordered (the models' default orderings join other tables) (#17)."""
    kind = _kind_of(sender)
    if not kind or raw:
        return
    current = backend()
    current.reindex(kind, [instance.pk])
    if created:
        return
    for other, model, field in NAMED_BY.get(kind, []):
        naming = model.objects.filter(**{field: instance.pk}).order_by()
        current.reindex(other, naming.values_list("pk", flat=True))


@receiver(post_delete)
def _unindex_deleted(sender, instance, **kwargs):
    kind = _kind_of(sender)
    if kind:
        backend().remove(kind, instance.pk)
