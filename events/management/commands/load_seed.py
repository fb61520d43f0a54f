"""Load the curated seed archive from fixtures/ (idempotent, all or nothing)."""

from django.core.management.base import BaseCommand, CommandError

from events import curation
from sources.models import Article


class Command(BaseCommand):
    help = (
        "Load the curated seed archive (fixtures/*.yaml): outlets, entities, series, "
        "articles, events, claims and their quotes. Safe to run again: nothing changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(curation.DEFAULT_PATH), help="Fixtures folder.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds articles (used by make run).",
        )

    def handle(self, *args, path, if_empty, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("The archive already has articles: seed not loaded.")
            return
        try:
            counts = curation.load(path)
        except curation.CurationError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Seed archive loaded. {counts.summary()}"))
