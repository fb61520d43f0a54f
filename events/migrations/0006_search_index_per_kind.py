"""The search index as one table per kind, on both databases (events/search.py).

SQLite: the shared FTS5 table of 0004 is split, rows copied over. With one table per kind,
rowid = the object's id, a search reads each kind's most recent matches in rowid order
and stops, instead of ranking every match across kinds.

PostgreSQL, which computed its vectors from the tables on every search: a weighted
tsvector per object under a GIN index, filled here with the documents
``search.Backend.documents()`` describes (a frozen copy, as migrations must be).
"""

from django.db import migrations

KINDS = ("event", "claim", "quote", "article", "entity", "series")
SHARED = "events_search_index"
TOKENIZE = "porter unicode61 remove_diacritics 2"

# PostgreSQL's documents, as PostgresBackend.rebuild() writes them.
ALIASES = (
    "coalesce((SELECT string_agg(value, ' ') "
    "FROM jsonb_array_elements_text({0}.aliases) AS value), '')"
)
DOCUMENTS = {
    "event": f"""SELECT e.id AS id, e.title || ' ' || {ALIASES.format("e")} AS title,
           e.summary || ' ' || coalesce(p.name, '') || ' ' || coalesce(s.name, '') AS body
      FROM events_event e
      LEFT JOIN events_entity p ON p.id = e.place_id
      LEFT JOIN events_series s ON s.id = e.series_id""",
    "claim": f"""SELECT c.id AS id,
           CASE WHEN c.value_entity_id IS NOT NULL
                THEN n.name || ' ' || {ALIASES.format("n")}
                WHEN c.value_event_id IS NOT NULL THEN v.title
                ELSE c.value_text END AS title,
           replace(c.property, '_', ' ') || ' ' || c.qualifier AS body
      FROM events_claim c
      LEFT JOIN events_entity n ON n.id = c.value_entity_id
      LEFT JOIN events_event v ON v.id = c.value_event_id""",
    "quote": "SELECT q.id AS id, '' AS title, q.exact AS body FROM sources_quote q",
    "article": """SELECT a.id AS id, a.title || ' ' || a.original_title AS title, a.body AS body
      FROM sources_article a""",
    "entity": f"""SELECT x.id AS id, x.name || ' ' || {ALIASES.format("x")} AS title,
           x.description AS body FROM events_entity x""",
    "series": f"""SELECT x.id AS id, x.name || ' ' || {ALIASES.format("x")} AS title,
           x.description AS body FROM events_series x""",
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for kind in KINDS:
        table = f"events_search_{kind}"
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, tokenize = '{TOKENIZE}')"
            )
            schema_editor.execute(
                f"INSERT INTO {table} (rowid, title, body) "
                f"SELECT CAST(object_id AS INTEGER), title, body FROM {SHARED} WHERE kind = %s",
                [kind],
            )
            schema_editor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE TABLE {table} (object_id bigint PRIMARY KEY, document tsvector NOT NULL)"
            )
            schema_editor.execute(f"CREATE INDEX {table}_document ON {table} USING gin (document)")
            schema_editor.execute(
                f"INSERT INTO {table} (object_id, document) SELECT id, "
                "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                "setweight(to_tsvector('english', coalesce(body, '')), 'B') "
                f"FROM ({DOCUMENTS[kind]}) AS document"
            )
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE {SHARED}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {SHARED} USING fts5("
            f"kind UNINDEXED, object_id UNINDEXED, title, body, tokenize = '{TOKENIZE}')"
        )
    for kind in KINDS:
        table = f"events_search_{kind}"
        if vendor == "sqlite":
            schema_editor.execute(
                f"INSERT INTO {SHARED} (kind, object_id, title, body) "
                f"SELECT %s, rowid, title, body FROM {table}",
                [kind],
            )
        if vendor in ("sqlite", "postgresql"):
            schema_editor.execute(f"DROP TABLE {table}")


class Migration(migrations.Migration):
    dependencies = [("events", "0005_series_start_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
