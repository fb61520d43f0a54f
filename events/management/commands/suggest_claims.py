"""Suggest draft claims for articles, or measure the suggester.

    python manage.py suggest_claims some-article-slug other-slug
    python manage.py suggest_claims --evaluate        # dev set, held-out sets, seed
    python manage.py suggest_claims --evaluate --json

The importer already suggests claims for every article it creates (events.suggest); this
command re-runs the suggester on chosen articles (suggestions already recorded gain the
article's citation, never a repeat). `--evaluate` reports precision, recall and the
right-event rate on the development set and, separately, on the seed archive; it loads
the seed if needed and writes nothing (everything runs in a rolled-back transaction).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from events import suggest
from sources.models import Article


class Command(BaseCommand):
    help = (
        "Record suggested draft claims for the given articles (by slug), or with --evaluate "
        "print precision, recall and right-event rate on the development set and on the seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument("--evaluate", action="store_true")
        parser.add_argument("--dev", default="", help="With --evaluate: the dev set folder.")
        parser.add_argument("--json", action="store_true", help="With --evaluate: JSON output.")
        parser.add_argument(
            "--details", action="store_true", help="With --evaluate: missed and wrong claims."
        )

    def handle(self, *args, slugs, evaluate, **options):
        if evaluate:
            from events.evaluation import dev_path

            results = {"dev": suggest.evaluate_dev(options["dev"] or None)}
            tuned = set()
            # every held-out set (holdout/, holdout-2/, …), each reported apart; a set the
            # rules were tuned on after its first score says so in its tuned-on.txt
            for holdout in sorted(dev_path().glob("holdout*")):
                if not options["dev"] and (holdout / "gold.yaml").exists():
                    results[holdout.name] = suggest.evaluate_dev(holdout)
                    if (holdout / "tuned-on.txt").exists():
                        tuned.add(holdout.name)
            results["seed"] = suggest.evaluate_seed()
            if options["json"]:
                self.stdout.write(json.dumps(results, indent=2, ensure_ascii=False, default=str))
                return
            labels = {
                "dev": "Development set",
                "holdout": "Held-out articles (never tuned on)",
                "seed": "Seed archive",
            }
            for name, result in results.items():
                label = labels.get(name) or f"Held-out articles, {name} (never tuned on)"
                if name in tuned:
                    label = f"Articles of {name} (tuned on after their first score: tuned-on.txt)"
                self.report(label, result, options["details"])
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

    def report(self, label, result, details):
        self.stdout.write(f"== {label}")
        for row in result["articles"]:
            mark = "right event" if row["right_event"] else f"WRONG EVENT ({row['event']})"
            self.stdout.write(
                f"  {row['article']}: {row['suggested']} suggested, {row['gold']} gold, "
                f"{row['correct']} correct (precision {row['precision']:.2f}, "
                f"recall {row['recall']:.2f}), {mark}"
            )
            if details:
                for missed in row["missed"]:
                    self.stdout.write(f"      missed {missed}")
                for wrong in row["wrong"]:
                    self.stdout.write(f"      wrong  {wrong}")
        for problem in result.get("problems", []):
            self.stdout.write(self.style.WARNING(f"  problem: {problem}"))
        meta = result.get("metadata")
        if meta:
            right = ", ".join(
                f"{name} {count}/{meta['of']}" for name, count in meta["right"].items()
            )
            self.stdout.write(f"  metadata as expected: {right}")
            if details:
                for wrong in meta["wrong"]:
                    self.stdout.write(f"      {wrong}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{label}: {result['suggested']} suggested, {result['gold']} gold, "
                f"{result['correct']} correct — precision {result['precision']:.2f}, "
                f"recall {result['recall']:.2f}, right event {result['right_event']}/"
                f"{result['cases']} ({result['right_event_rate']:.2f})"
            )
        )
