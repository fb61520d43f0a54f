"""Suggest draft claims for articles, or measure the suggester against the seed archive.

    python manage.py suggest_claims some-article-slug other-slug
    python manage.py suggest_claims --evaluate        # precision/recall on the seed articles

The importer already suggests claims for every article it creates (events.suggest); this
command re-runs the suggester on chosen articles (suggestions already recorded are not
repeated) and prints the evaluation reported in docs/ingestion.md.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from events import suggest
from sources.models import Article


class Command(BaseCommand):
    help = (
        "Record suggested draft claims for the given articles (by slug), or with --evaluate "
        "print the suggester's precision and recall on the seed articles (load_seed first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument("--evaluate", action="store_true")
        parser.add_argument("--json", action="store_true", help="With --evaluate: JSON output.")

    def handle(self, *args, slugs, evaluate, **options):
        if evaluate:
            result = suggest.evaluate_seed()
            if not result["articles"]:
                raise CommandError("No seed articles: run `manage.py load_seed` first.")
            if options["json"]:
                self.stdout.write(json.dumps(result, indent=2))
                return
            for row in result["articles"]:
                self.stdout.write(
                    f"{row['article']}: {row['suggested']} suggested, {row['gold']} gold, "
                    f"{row['correct']} correct (precision {row['precision']:.2f}, "
                    f"recall {row['recall']:.2f})"
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"All: {result['suggested']} suggested, {result['gold']} gold, "
                    f"{result['correct']} correct — precision {result['precision']:.2f}, "
                    f"recall {result['recall']:.2f}"
                )
            )
            return
        if not slugs:
            raise CommandError("Name articles by slug, or use --evaluate.")
        total = 0
        for slug in slugs:
            article = Article.objects.filter(slug=slug).first()
            if article is None:
                raise CommandError(f"No article with slug “{slug}”.")
            claims = suggest.suggest_for_article(article)
            total += len(claims)
            self.stdout.write(f"{slug}: {len(claims)} claim(s) suggested")
        self.stdout.write(self.style.SUCCESS(f"{total} suggested claim(s) recorded as drafts."))
