#!/usr/bin/env python
"""How latency grows with the archive: p95 at 1,000 vs 100,000 events, nothing cached.

Serves each archive with gunicorn (``SCO_CACHE=0``: responses, counts and facets all
off, since a cache would hide growth) on SQLite and, unless ``--no-postgres``, the same
archives on PostgreSQL, and measures the claims list (page 1 and the keyset cursor deep
in the list), the event list, an event page with 50 claims, a source page and a search,
small and large alternating for ``--rounds`` rounds. Writes the p95 ratios between the
``growth:`` markers of docs/performance.md. ``bench/run.py --full`` (or ``--growth``)
runs the same and puts the table in its own report.

    .venv/bin/python bench/growth.py                       # builds what is missing
    .venv/bin/python bench/growth.py --small-db A --large-db B --duration 10
    .venv/bin/python bench/growth.py --quick               # 100 vs 1,000 events, 1 s
"""

from __future__ import annotations

import argparse
import statistics
import sys
import urllib.parse
from pathlib import Path

import run  # bench/run.py: servers, wrk, the database builder

# Growth compares like with like: the offset page is left out (its offset grows with the
# archive by construction; the keyset cursor is the deep page that must not).
ENDPOINTS = (
    "claims p1",
    "claims deep, cursor",
    "event list",
    "event page (50 claims)",
    "source page",
    "search",
)


def paths(facts, base):
    """{endpoint: path} for the archive with these ``facts`` served at ``base``."""
    found = {
        "claims p1": "/api/v1/claims/?page_size=100",
        "claims deep, cursor": run.find_cursor(base, facts),
        "event list": "/events/",
        "event page (50 claims)": f"/events/{facts['event_slug']}/",
        "source page": f"/sources/{facts['article_slug']}/",
        "search": "/search/?" + urllib.parse.urlencode({"q": run.SEARCH_QUERY}),
    }
    return {name: path for name, path in found.items() if path}


def render(samples, sizes, settings, command):
    """The Markdown table: p95 at each size and its growth, per database and endpoint.

    ``samples`` is ``{(database, endpoint): {"small"|"large": [wrk result, …]}}``."""
    small, large = sizes
    lines = [
        f"p95 latency (ms), nothing cached (`SCO_CACHE=0`), {small:,} vs {large:,} events "
        f"(×10 claims), {settings}, small and large alternating, mean of rounds "
        "(goal: growth ≤ 1.5×).",
        "",
        f"| database | endpoint | p95 at {small:,} | p95 at {large:,} | growth | "
        f"req/s at {small:,} | req/s at {large:,} |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for (database, name), runs in samples.items():
        if not runs.get("small") or not runs.get("large"):
            continue
        p95 = [statistics.mean(r["p95"] for r in runs[label]) for label in ("small", "large")]
        rps = [statistics.mean(r["rps"] for r in runs[label]) for label in ("small", "large")]
        # No request answered within wrk's 2 s timeout: there is no latency to compare.
        shown = [f"{p:.1f}" if r else "none in 2 s" for p, r in zip(p95, rps, strict=True)]
        growth = f"{p95[1] / p95[0]:.2f}×" if p95[0] and all(rps) else "—"
        lines.append(
            f"| {database} | {name} | {shown[0]} | {shown[1]} | {growth} | "
            f"{rps[0]:,.0f} | {rps[1]:,.0f} |"
        )
    lines += ["", "```", command, "```"]
    return "\n".join(lines)


def measure(dbs, duration, rounds, threads, connections, workers=2):
    """Serve every database in ``dbs`` (``{(database, "small"|"large"): path or URL}``)
    and measure; returns (samples, facts)."""
    facts, servers, started = {}, {}, []
    gunicorn = [str(run.BIN / "gunicorn"), "-w", str(workers), "--log-level", "warning"]
    sqlite_of = {label: db for (database, label), db in dbs.items() if database == "SQLite"}
    try:
        for (database, label), db in dbs.items():
            port = run.free_port()
            server = run.Server(
                f"growth-{database}-{label}",
                [*gunicorn, "-b", f"127.0.0.1:{port}", "sco_archive.wsgi"],
                run.django_env(db, SCO_CACHE="0"),
                port,
            )
            started.append(server.start())
            servers[database, label] = server
            # The same seed builds the same rows on both databases: SQLite's facts serve.
            facts[database, label] = run.discover(sqlite_of[label])
        urls = {}
        for key, server in servers.items():
            for name, path in paths(facts[key], server.base).items():
                status, _, _ = run.fetch(server.base + path)
                if status == 200:
                    urls.setdefault((key[0], name), {})[key[1]] = server.base + path
                else:
                    run.log(f"skip {name} on {key}: it answered {status}")
        for cells in urls.values():  # warm-up
            for url in cells.values():
                run.wrk(url, 2, threads, connections)
        samples = {}
        for round_no in range(1, rounds + 1):
            for (database, name), cells in urls.items():
                for label, url in cells.items():
                    result = run.wrk(url, duration, threads, connections)
                    samples.setdefault((database, name), {}).setdefault(label, []).append(result)
                    run.log(
                        f"round {round_no} {database:10} {label:5} {name:24} p50 "
                        f"{result['p50']:7.1f} p95 {result['p95']:7.1f} ms "
                        f"{result['rps']:8,.0f} req/s"
                    )
    finally:
        for server in started:
            server.stop()
    return samples, facts


def databases(small_events, large_events, postgres=True, small_db=None, large_db=None):
    """Build what is missing; ``{(database, label): path or URL}``. The archives are the
    ones ``bench/run.py --quick`` and ``--full`` use, so nothing is built twice."""
    names = {1_000: "quick", 10_000: "bench", 100_000: "full"}
    dbs = {}
    for label, events, given in (
        ("small", small_events, small_db),
        ("large", large_events, large_db),
    ):
        name = names.get(events, f"growth-{events}")
        sqlite = str(Path(given or run.BENCH / "out" / f"{name}.sqlite3").resolve())
        run.ensure_database(sqlite, events, 10, 1)
        dbs["SQLite", label] = sqlite
        if postgres:
            suffix = {"quick": "_quick", "bench": "", "full": "_full"}.get(name, f"_{events}")
            url = run.PG_URL + suffix
            run.ensure_database(url, events, 10, 1)
            dbs["PostgreSQL", label] = url
    return dbs


def run_growth(args, postgres=True):
    """bench/run.py --growth / --full: the growth table, as Markdown."""
    dbs = databases(1_000, 100_000, postgres=postgres)
    samples, _facts = measure(dbs, args.duration, args.rounds, args.threads, args.connections)
    settings = (
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration}s`, {args.rounds} rounds"
    )
    command = f"python bench/growth.py --duration {args.duration} --rounds {args.rounds}"
    return "Growth — " + render(samples, (1_000, 100_000), settings, command)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small-db")
    parser.add_argument("--large-db")
    parser.add_argument("--small-events", type=int, default=1_000)
    parser.add_argument("--large-events", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.small_events, args.large_events, args.duration = 100, 1_000, 1
    (run.BENCH / "out").mkdir(exist_ok=True)
    dbs = databases(
        args.small_events, args.large_events, not args.no_postgres, args.small_db, args.large_db
    )
    samples, _facts = measure(dbs, args.duration, args.rounds, args.threads, args.connections)
    settings = (
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration}s`, {args.rounds} rounds"
    )
    command = "python bench/growth.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = render(samples, (args.small_events, args.large_events), settings, command.strip())
    print("\n" + text)
    if args.quick:
        (run.BENCH / "out" / "growth-quick.md").write_text(text + "\n")
    else:
        run.write_section(run.DOC, "growth", text)


if __name__ == "__main__":
    sys.exit(main())
