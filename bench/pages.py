"""CPU per request of the benchmarked pages, in process, with nothing cached (issue #15).

    .venv/bin/python bench/pages.py --db bench/out/bench.sqlite3
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/sco_bench
    .venv/bin/python bench/pages.py --db … --profile "event page"   # pyinstrument, one page

``bench/run.py`` measures requests per second over HTTP; this measures what one request
costs the worker that serves it: process CPU time per request through Django's test
client (every middleware, production settings, ``SCO_CACHE=0``: no response, count or
facet cache), the median of ``--repeat`` requests after a warm-up, and the number of SQL
queries. CPU time, so that a machine busy with other work still gives
comparable figures (within about 10 %); the wall time beside it includes the database
server's work, which on PostgreSQL is outside this process. Run it in two checkouts to
compare commits.

Before measuring, each page is checked for the rows its name promises (the claims page
has 100 claims, the event page its claims, the list 25 events, search its hits), on the
database's own figures, so that a page that lost its rows cannot look fast.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_QUERY = "Peace Mission"


def setup(database_url):
    os.environ.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="sco_archive.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "k3y" * 16,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        SCO_PLAIN_STATIC="1",
        SCO_CACHE="0",
    )
    os.environ.pop("SCO_COUNT_CACHE", None)
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", "No directory at")  # no collectstatic needed here
    import django

    django.setup()


def pages():
    """[(name, url, check)] where check(html or data) says whether the rows are there."""
    from django.db.models import Count

    from events.models import Citation, Claim, Event

    public = Claim.objects.public()
    # The event with the most public claims, and the source that backs most of them.
    top = public.values("event").annotate(n=Count("id")).order_by("-n", "event").first()
    event = Event.objects.get(pk=top["event"])
    article = (
        Citation.objects.public()
        .filter(claim__event=event)
        .values("quote__article__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["quote__article__slug"]
    )
    claims_on_page = min(100, public.count())
    n_claims = top["n"]
    return [
        (
            "claims p1",
            "/api/v1/claims/?page_size=100",
            lambda r: len(r.json()["results"]) == claims_on_page,
        ),
        (
            "event list (/events/)",
            "/events/",
            lambda r: (
                r.content.count(b'class="event-item"') == min(25, Event.objects.published().count())
            ),
        ),
        (
            f"event page ({n_claims} claims)",
            event.get_absolute_url(),
            lambda r: r.content.count(b'class="claim rank-') == n_claims,
        ),
        (
            "source page",
            f"/sources/{article}/",
            lambda r: b'<mark id="quote-' in r.content,
        ),
        (
            "search",
            "/search/?q=" + SEARCH_QUERY.replace(" ", "+"),
            lambda r: b'class="search-group"' in r.content,
        ),
    ]


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        client.get(url)
    times, walls = [], []
    for _ in range(repeat):
        start, wall = time.process_time(), time.perf_counter()
        client.get(url)
        times.append(time.process_time() - start)
        walls.append(time.perf_counter() - wall)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    ms = 1000
    return (
        statistics.median(times) * ms,
        statistics.median(walls) * ms,
        len(queries.captured_queries),
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="SQLite file (bench/run.py builds one).")
    parser.add_argument("--database-url", help="Any database URL instead of --db.")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--profile", help="Profile this page with pyinstrument instead.")
    args = parser.parse_args(argv)
    if not (args.db or args.database_url):
        parser.error("give --db or --database-url")
    setup(args.database_url or f"sqlite:///{Path(args.db).resolve()}")

    from django.test import Client

    client = Client()
    rows = []
    for name, url, check in pages():
        response = client.get(url, HTTP_ACCEPT="application/json" if "/api/" in url else "*/*")
        if response.status_code != 200 or not check(response):
            sys.exit(
                f"{name}: {url} does not hold the rows it should (status {response.status_code})"
            )
        if args.profile:
            if args.profile == name:
                from pyinstrument import Profiler

                with Profiler(interval=0.0002) as profiler:
                    for _ in range(args.repeat):
                        client.get(url)
                print(profiler.output_text(unicode=False, color=False))
            continue
        rows.append((name, url, *measure(client, url, args.repeat)))
    if not args.profile:
        print(
            f"| page | CPU ms per request (median of {args.repeat}) | wall ms (database "
            "server included) | SQL queries | URL |"
        )
        print("|---|---:|---:|---:|---|")
        for name, url, cpu, wall, queries in rows:
            print(f"| {name} | {cpu:.1f} | {wall:.1f} | {queries} | `{url}` |")


if __name__ == "__main__":
    main()
