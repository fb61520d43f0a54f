"""Import speed (issues #7, #17): synthetic text articles and HTML pages.

    .venv/bin/python bench/imports.py                 # 1,000 + 1,000, suggestions on
    .venv/bin/python bench/imports.py --count 200 --no-suggest
    .venv/bin/python bench/imports.py --count 10000 --kinds text   # flat memory at 10,000
    .venv/bin/python bench/imports.py --kinds text --database-url postgres://…/empty_db

Every 1,000 articles it prints the rate of that thousand and the resident memory then
(current RSS, not the peak): flat rates and flat memory mean the cost of an import does
not grow with the archive (near-duplicate candidates come from an index, not a scan).

Builds a fresh SQLite database in a temporary folder (or uses the empty database
given with --database-url) (migrate + the seed archive, so that
the suggester has the archive's entities to look for), writes the synthetic files there
(page clutter included: menus, tickers, share lines, related lists, comment prompts) and
imports them in-process with `sources.importers` — exactly what `manage.py
import_articles` does, without the progress bar. Reports articles per second for each
kind and the peak resident memory of the process. Not a timed test: numbers go to
docs/ingestion.md by hand.
"""

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COUNTRIES = ["China", "India", "Kazakhstan", "Kyrgyzstan", "Pakistan", "Russia", "Tajikistan"]
CITIES = ["Astana", "Dushanbe", "Tashkent", "Almaty", "Beijing", "Shanghai"]
MONTHS = ["January", "March", "April", "June", "July", "September", "October", "November"]
TOPICS = [
    "border security",
    "counter-terrorism",
    "military medicine",
    "cyber defence",
    "disaster relief",
    "military education",
    "peacekeeping training",
    "information security",
]
VERBS = ["discussed", "reviewed", "welcomed", "noted", "stressed", "examined", "agreed on"]
WORDS = (
    "cooperation exchange plan joint staff units training programme region stability "
    "dialogue partners experts capabilities logistics readiness observers command "
    "exercise framework measures confidence transparency development contacts"
).split()


def sentence(rng):
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
    return (
        f"The delegation of {rng.choice(COUNTRIES)} {rng.choice(VERBS)} {rng.choice(TOPICS)} "
        f"and {words} with partners from {rng.choice(COUNTRIES)}."
    )


def story(rng, n):
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2015, 2025)
    city = rng.choice(CITIES)
    title = f"SCO experts meet in {city} on {rng.choice(TOPICS)} ({n})"
    paragraphs = [
        f"{city.upper()}, {month} {day} – On {day} {month} {year}, a meeting of SCO experts on "
        f"{rng.choice(TOPICS)} was chaired by {rng.choice(COUNTRIES)} in {city}.",
        *(" ".join(sentence(rng) for _ in range(3)) for _ in range(rng.randint(4, 8))),
        f"The participants agreed to hold their next meeting in {rng.choice(COUNTRIES)} "
        f"in {year + 1}.",
    ]
    return title, f"{day} {month} {year}", paragraphs


def text_page(rng, n):
    title, date, paragraphs = story(rng, n)
    return "\n".join(
        [
            "Home | News | World | Sport | Business",
            f"USD {rng.uniform(80, 500):.2f} ▲0.12%   EUR {rng.uniform(90, 520):.2f} ▼0.08%",
            title,
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}, {date}",
            "Share  Tweet  Print",
            f"{rng.randint(2, 9)} min read",
            *paragraphs,
            f"{rng.randint(100, 9999):,} views",
            "Related articles",
            f"Unrelated teaser number {rng.randint(1, 10**6)} about the weather",
            "Leave a Reply",
            "© 2024 Bench Wire. All rights reserved.",
        ]
    )


def html_page(rng, n):
    title, date, paragraphs = story(rng, n)
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    teaser = rng.randint(1, 10**6)
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Bench Wire</title><meta property="og:site_name" content="Bench Wire">
</head><body><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/w">World</a></nav>
<div class="ticker">USD {rng.uniform(80, 500):.2f} ▲0.12% EUR {rng.uniform(90, 520):.2f}</div>
<article><h1>{title}</h1><time>{date}</time><div class="share">Share Tweet Print</div>
{body}</article>
<aside><h2>Related articles</h2><ul><li><a href="/t">Teaser {teaser}</a></li></ul></aside>
<section id="comments"><h2>Leave a Reply</h2></section>
<footer>© 2024 Bench Wire. All rights reserved.</footer></body></html>"""


def current_memory_mb():
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except OSError:
        return peak_memory_mb()


def peak_memory_mb():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="Files of each kind.")
    parser.add_argument("--no-suggest", action="store_true", help="Skip suggested claims.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kinds", default="text,html", help="text, html or both.")
    parser.add_argument(
        "--database-url",
        default="",
        help="An EMPTY database to use (e.g. postgres://…); default: a fresh SQLite file.",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="sco-import-bench-"))
    os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sco_archive.settings")
    os.environ.setdefault("SCO_CACHE", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from sources import importers
    from sources.models import Article

    call_command("migrate", verbosity=0)
    call_command("load_seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    rng = random.Random(args.seed)
    kinds = [kind for kind in args.kinds.split(",") if kind in ("text", "html")]
    folders = {kind: workdir / kind for kind in kinds}
    for kind, folder in folders.items():
        folder.mkdir()
        for n in range(args.count):
            if kind == "text":
                (folder / f"{n:05d}.txt").write_text(text_page(rng, n), encoding="utf-8")
            else:
                (folder / f"{n:05d}.html").write_text(html_page(rng, n), encoding="utf-8")

    print(f"Database and files in {workdir}")
    results = {}
    for kind, folder in folders.items():
        options = importers.ImportOptions(suggest=not args.no_suggest)
        before = Article.objects.count()
        started, cpu_started = time.perf_counter(), time.process_time()
        mark = [started, 0, cpu_started]

        def progress(outcome, kind=kind, mark=mark):
            mark[1] += 1
            if mark[1] % 1000 == 0:
                now, cpu = time.perf_counter(), time.process_time()
                # per CPU-second too: on a shared machine the wall clock measures the
                # neighbours as much as the importer
                print(
                    f"  {kind} {mark[1]:>6}: {1000 / (now - mark[0]):5.0f} articles/s for "
                    f"this thousand ({1000 / (cpu - mark[2]):5.0f} per CPU-second), "
                    f"RSS {current_memory_mb():.0f} MB",
                    flush=True,
                )
                mark[0], mark[2] = now, cpu

        summary = importers.Importer(options).import_paths([folder], progress)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        created = Article.objects.count() - before
        results[kind] = created / elapsed
        print(
            f"{kind:>4}: {summary.text()} in {elapsed:.1f} s → {created / elapsed:.0f} articles/s "
            f"({created / cpu:.0f} per CPU-second of this process)"
        )
    print(f"peak memory (max RSS): {peak_memory_mb():.0f} MB")
    if "text" in results:
        print(
            f"suggestions: {'off' if args.no_suggest else 'on'}; "
            f"target ≥ 50 text articles/s: {'met' if results['text'] >= 50 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
