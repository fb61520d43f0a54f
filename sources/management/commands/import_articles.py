"""Import articles from .txt, .html and .json files (or folders of them).

    python manage.py import_articles saved/page.html copied.txt batch/
    python manage.py import_articles --outlet "The Gulf Observer" --published 2024-04 a.txt
    python manage.py import_articles --dry-run inbox/

Every file becomes a draft article (or `--status review`) with its text kept verbatim as
`original` and the clean `body` cut out of it; identical content is skipped, near-identical
content is imported and flagged; bad files are refused one line each on stderr, and the
command then exits non-zero. The work is done by `sources.importers`; see
docs/ingestion.md for the JSON structure and the rules.
"""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sources import importers
from sources.models import Language


class Command(BaseCommand):
    help = (
        "Import news articles from .txt (text copied from a web page), .html (a saved page) "
        "or .json files; a PATH may be a folder (its .txt/.html/.json files are imported). "
        "A .json file is one object: "
        '{"title", "url", "outlet", "published_on" (YYYY-MM-DD, YYYY-MM or YYYY), "language", '
        '"text" or "html"} — text or html is required. Articles are created as drafts (or '
        "in review), never published; the same content is skipped, near-duplicates are "
        "flagged. Refused files are listed on stderr and make the command exit non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or folders.")
        parser.add_argument(
            "--outlet", default="", help="Outlet slug or name (created if new) for every file."
        )
        parser.add_argument("--url", default="", help="The outlet's link to the article.")
        parser.add_argument(
            "--published",
            default="",
            metavar="DATE",
            help="Publication date: YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year). A "
            "less precise date also supplies the year of a dateline without one.",
        )
        parser.add_argument(
            "--language", default="", choices=Language.values, help="Default: detected."
        )
        parser.add_argument(
            "--status",
            default="draft",
            choices=[str(status) for status in importers.IMPORT_STATUSES],
            help="Status of the new articles (default draft). Publishing is a reviewer's step.",
        )
        parser.add_argument(
            "--no-suggest",
            action="store_true",
            help="Do not record suggested draft claims for the new articles.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Run the real import (suggestions included) in a transaction that is rolled "
            "back: the report is what would happen, nothing is written.",
        )

    def handle(self, *args, **options):
        try:
            import_options = importers.ImportOptions(
                outlet=options["outlet"],
                url=options["url"],
                published=options["published"],
                language=options["language"],
                status=options["status"],
                dry_run=options["dry_run"],
                suggest=not options["no_suggest"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None

        files = importers.collect(options["paths"])
        verbose = options["verbosity"] >= 2
        bar = tqdm(
            total=len(files),
            unit="file",
            disable=not self.stdout.isatty(),
            file=self.stderr._out,
            leave=False,
        )

        def report(outcome):
            bar.update(1)
            if outcome.action == "refused":
                bar.clear()
                self.stderr.write(outcome.line())
            elif verbose or outcome.action in ("near_duplicate", "duplicate"):
                bar.clear()
                self.stdout.write(outcome.line())
            for warning in outcome.warnings:
                self.stderr.write(f"warning {outcome.name}: {warning}")

        try:
            importer = importers.Importer(import_options)
        except importers.HookError as exc:
            raise CommandError(str(exc)) from None
        try:
            summary = importer.import_files(files, progress=report)
        finally:
            bar.close()
        self.stdout.write(self.style.SUCCESS(summary.text()))
        if summary.refused:
            raise CommandError(f"{len(summary.refused)} file(s) refused (listed above).")
