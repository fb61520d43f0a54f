"""The events list's order as an index on PostgreSQL (issue #15).

Lists show events newest first with undated ones last: ``start_date DESC NULLS LAST,
title``. PostgreSQL sorts NULLs first in a descending index, so the ``(status,
-start_date, title)`` indexes of ``Event.Meta`` could not give that order and every
``/events/`` page and facet sorted all published events (13 ms at 10,000 events). SQLite
sorts NULLs last when descending and uses the Meta indexes as they are.
"""

from django.db import migrations

INDEXES = {
    "event_status_start_nulls_last": ("events_event (status, start_date DESC NULLS LAST, title)"),
    "event_status_kind_start_nulls_last": (
        "events_event (status, kind, start_date DESC NULLS LAST, title)"
    ),
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
    dependencies = [("events", "0015_postgres_visibility_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
