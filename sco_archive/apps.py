from django.apps import AppConfig, apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models.signals import post_migrate

VERSIONED_APPS = ("sources", "events")  # every table of theirs bumps the archive version


def archive_tables():
    return sorted(
        {
            model._meta.db_table
            for label in VERSIONED_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
            if model._meta.managed
            and not model._meta.proxy
            # derived tables (the changes feed's state) follow the version, never bump it
            and getattr(model, "archive_versioned", True)
        }
    )


def install_version_triggers(using=DEFAULT_DB_ALIAS, **kwargs):
    """After every migrate (and test flush): a trigger on each archive table, new ones too
    — a migration that rebuilds a table on SQLite drops its triggers (sources.caching)."""
    from sources import triggers

    connection = connections[using]
    if triggers.TABLE in connection.introspection.table_names():  # its migration has run
        triggers.install(connection, archive_tables())


class SCOArchiveConfig(AppConfig):
    """The project itself: keeps the archive version's triggers on every archive table."""

    name = "sco_archive"
    verbose_name = "SCO Archive"

    def ready(self):
        # Sent once per app with models; "events" comes last of ours.
        post_migrate.connect(
            install_version_triggers, sender=apps.get_app_config("events"), weak=False
        )
        from . import checks  # noqa: F401  (registers the deploy checks; no query here)
