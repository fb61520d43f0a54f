"""Build a deterministic synthetic archive for performance work (issue #8).

    python manage.py generate_synthetic --scale medium --clear
    python manage.py generate_synthetic --events 100000 --claims-per-event 10 --clear

Rows go in with bulk_create (no history rows, no signals); the database's triggers make
every cache see the new archive version. See bench/synthetic.py (dev-only).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from bench import synthetic


class Command(BaseCommand):
    help = (
        "Generate a synthetic archive (articles in en/ru/zh with anchored quotes, entities, "
        "series, events, claims and citations) at a chosen scale. Same --seed, same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(synthetic.SCALES),
            help="Preset: tiny 100, small 1,000, medium 10,000, large 100,000 events "
            "(×10 claims). Explicit --events/--claims-per-event override it.",
        )
        parser.add_argument("--events", type=int, help="Number of events.")
        parser.add_argument(
            "--claims-per-event", type=int, help="Mean claims per event (total is exact)."
        )
        parser.add_argument(
            "--articles",
            type=int,
            help="Number of articles (default: one per event). More than events adds "
            "secondary sources; fewer makes round-up articles covering several events.",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--clear", action="store_true", help="Wipe the archive tables (and history) first."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        preset = synthetic.SCALES.get(options["scale"] or "small")
        events = options["events"] or preset["events"]
        per_event = options["claims_per_event"] or preset["claims_per_event"]
        if events < 1 or per_event < 1:
            raise CommandError("--events and --claims-per-event must be at least 1.")
        verbose = options["verbosity"] >= 1 and not options["json"]
        if verbose:
            self.stdout.write(
                f"Generating {events:,} events × ~{per_event} claims "
                f"(seed {options['seed']}{', clearing first' if options['clear'] else ''})…"
            )
        report = synthetic.generate(
            events=events,
            claims_per_event=per_event,
            articles=options["articles"],
            seed=options["seed"],
            batch_size=options["batch_size"],
            using=options["database"],
            clear=options["clear"],
            log=self.stdout.write if verbose else None,
        )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "counts": report.counts,
                        "timings": report.timings,
                        "seconds": report.seconds,
                        "showcase": report.showcase,
                    }
                )
            )
            return
        counts = ", ".join(f"{value:,} {name}" for name, value in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Done in {report.seconds:.1f} s: {counts}."))
        if report.showcase:
            self.stdout.write(f"Events with {synthetic.SHOWCASE_CLAIMS} claims: "
                              f"{', '.join(report.showcase[:3])}")  # fmt: skip
