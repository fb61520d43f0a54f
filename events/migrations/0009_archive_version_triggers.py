"""The archive version's triggers on the tables of ``events`` (issue #14, sources/caching.py)."""

from django.db import migrations

from sources import triggers


def tables(apps):
    models = apps.get_app_config("events").get_models(include_auto_created=True)
    return [model._meta.db_table for model in models]


def install(apps, schema_editor):
    triggers.install(schema_editor.connection, tables(apps))


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor.connection, tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0008_unicode_aliases"),
        ("sources", "0005_archive_version"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
