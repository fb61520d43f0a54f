"""Rebuild the search index after writes that sent no signals (bulk loads, raw SQL)."""

from django.core.management.base import BaseCommand

from events import search


class Command(BaseCommand):
    help = "Rebuild the search index from the database (FTS5 on SQLite, tsvector on PostgreSQL)."

    def handle(self, *args, **options):
        search.rebuild_index()
        self.stdout.write(self.style.SUCCESS("Search index rebuilt."))
