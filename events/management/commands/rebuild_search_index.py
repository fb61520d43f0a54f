"""Rebuild the SQLite full-text index after writes that sent no signals (bulk loads)."""

from django.core.management.base import BaseCommand
from django.db import connection

from events import search


class Command(BaseCommand):
    help = "Rebuild the search index from the database (SQLite FTS5; a no-op on PostgreSQL)."

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            self.stdout.write("PostgreSQL searches its tables directly: nothing to rebuild.")
            return
        search.rebuild_index()
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
