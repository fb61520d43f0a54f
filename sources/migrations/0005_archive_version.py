"""The archive version (issue #14): the table ``sco_archive_version`` and its triggers on
the tables of ``sources``. See sources/caching.py; events has its own migration for its
tables, and sco_archive's post_migrate keeps a trigger on tables added later."""

from django.db import migrations

from sources import triggers


def tables(apps):
    models = apps.get_app_config("sources").get_models(include_auto_created=True)
    return [model._meta.db_table for model in models]


def install(apps, schema_editor):
    triggers.install(schema_editor.connection, tables(apps))


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor.connection, tables(apps), table_too=True)


class Migration(migrations.Migration):
    dependencies = [("sources", "0004_revisions")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
