"""The SQLite FTS5 search index (events/search.py). PostgreSQL searches its tables directly."""

from django.db import migrations

TABLE = "events_search_index"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
        "kind UNINDEXED, object_id UNINDEXED, title, body, "
        "tokenize = 'porter unicode61 remove_diacritics 2')"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("events", "0003_performance_indexes")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
