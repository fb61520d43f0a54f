"""Search that understands Russian and Chinese, the same on both databases (issue #18).

The index now holds the terms `events.search.terms()` makes in Python (Snowball stems,
Chinese characters and their pairs): on SQLite, FTS5 tables with a plain `unicode61`
tokenizer (no Porter stemming, which would stem the stems again), on PostgreSQL the same
terms as `tsvector` literals under the existing GIN indexes. The tables are refilled by
`search.rebuild_index()`, run here once: the analysis lives in Python, so this migration
calls it rather than keeping a frozen SQL copy.
"""

from django.db import migrations

KINDS = ("event", "claim", "quote", "article", "entity", "series")
OLD_TOKENIZE = "porter unicode61 remove_diacritics 2"
NEW_TOKENIZE = "unicode61 remove_diacritics 0"


def recreate(tokenize):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for kind in KINDS:
                table = f"events_search_{kind}"
                schema_editor.execute(f"DROP TABLE {table}")
                schema_editor.execute(
                    f"CREATE VIRTUAL TABLE {table} USING fts5(title, body, tokenize = '{tokenize}')"
                )
        if schema_editor.connection.vendor in ("sqlite", "postgresql"):
            from events import search

            search.rebuild_index()

    return run


class Migration(migrations.Migration):
    dependencies = [("events", "0012_names_per_language")]

    operations = [
        migrations.RunPython(recreate(NEW_TOKENIZE), recreate(OLD_TOKENIZE), elidable=False)
    ]
