"""Index-only visibility checks on PostgreSQL (issue #15).

Every public list asks, per claim, whether its event is published and whether one of
its citations quotes a published article: citation → quote → article, by id. On
PostgreSQL each hop was a heap fetch for one column (an event's or article's status, a
quote's article); with these indexes they are index-only scans. SQLite finds the same
rows through its rowid tables and needs nothing here.
"""

from django.db import migrations

INDEXES = {
    "event_id_status": "events_event (id, status)",
    "article_id_status": "sources_article (id, status)",
    "quote_id_article": "sources_quote (id, article_id)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, columns in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {columns}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0014_citation_history_and_changes_feed"),
        ("sources", "0007_quote_translations"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
