"""Search's GIN indexes read straight from the index on PostgreSQL (issue #15).

A GIN index with ``fastupdate`` (the default) puts new entries in a pending list that
every search reads from end to end until a vacuum or 4 MB of them moves it into the
index. The search tables are written in bulk (``rebuild_index``) and by editors, a few
rows at a time, and read by every search: after a rebuild of 10,000 events the whole
index was in the pending list (entities 2,161 of 2,161), and matching "Peace Mission"
took 4.6 ms of PostgreSQL instead of 1.0. Without ``fastupdate`` a write updates the
index itself, a little slower, and no read pays for it. The pending list the indexes
already hold is moved into them here. SQLite's FTS5 tables have no such list.
"""

from django.db import migrations

KINDS = ("event", "claim", "quote", "article", "entity", "series")


def set_fastupdate(value):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for kind in KINDS:
            index = f"events_search_{kind}_document"
            schema_editor.execute(f"ALTER INDEX {index} SET (fastupdate = {value})")
            if value == "off":
                schema_editor.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")

    return run


class Migration(migrations.Migration):
    dependencies = [("events", "0016_postgres_list_order_indexes")]

    operations = [
        migrations.RunPython(set_fastupdate("off"), set_fastupdate("on"), elidable=False)
    ]
