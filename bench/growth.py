#!/usr/bin/env python
"""How latency grows with the archive: p95 at 1,000 vs 100,000 events (uncached).

Serves each database with the archive under gunicorn (``SCO_CACHE=0``: the cache would
hide growth) and measures the event list, an event page with 50 claims and a search,
alternating small and large for ``--rounds`` rounds, then writes the p95 ratios
between the ``growth:`` markers of docs/performance.md.

    .venv/bin/python bench/growth.py                       # builds both databases
    .venv/bin/python bench/growth.py --small-db A --large-db B --duration 10
    .venv/bin/python bench/growth.py --quick               # 100 vs 1,000 events, 1 s
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import urllib.parse
from pathlib import Path

import run  # bench/run.py: servers, wrk, the database builder

ENDPOINTS = ("event list", "event page (50 claims)", "search")


def paths(facts):
    return {
        "event list": "/events/",
        "event page (50 claims)": f"/events/{facts['event_slug']}/",
        "search": "/search/?" + urllib.parse.urlencode({"q": run.SEARCH_QUERY}),
    }


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
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.small_events, args.large_events, args.duration = 100, 1_000, 1
    out_dir = run.BENCH / "out"
    out_dir.mkdir(exist_ok=True)
    dbs = {}
    for label, given, events in (
        ("small", args.small_db, args.small_events),
        ("large", args.large_db, args.large_events),
    ):
        db = Path(given or out_dir / f"growth-{events}.sqlite3").resolve()
        if not db.exists():
            run.build_database(str(db), events, 10, 1)
        dbs[label] = str(db)

    facts, servers, sizes = {}, {}, {}
    gunicorn = [str(run.BIN / "gunicorn"), "-w", "2", "--log-level", "warning"]
    started = []
    try:
        for label, db in dbs.items():
            facts[label] = run.discover(db)
            port = run.free_port()
            server = run.Server(
                f"growth-{label}",
                [*gunicorn, "-b", f"127.0.0.1:{port}", "sco_archive.wsgi"],
                run.django_env(db, SCO_CACHE="0", SCO_COUNT_CACHE="1"),
                port,
            )
            started.append(server.start())
            servers[label] = server
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                sizes[label] = conn.execute("select count(*) from events_event").fetchone()[0]
        samples = {}
        active = []
        for name in ENDPOINTS:
            ok = True
            for label in dbs:
                status, _, _ = run.fetch(servers[label].base + paths(facts[label])[name])
                if status != 200:
                    run.log(f"skip {name}: {label} answered {status}")
                    ok = False
            if ok:
                active.append(name)
        for label in dbs:  # warm-up
            for name in active:
                run.wrk(servers[label].base + paths(facts[label])[name], 2, args.threads,
                        args.connections)  # fmt: skip
        for round_no in range(1, args.rounds + 1):
            for label in dbs:
                for name in active:
                    url = servers[label].base + paths(facts[label])[name]
                    result = run.wrk(url, args.duration, args.threads, args.connections)
                    samples.setdefault(name, {}).setdefault(label, []).append(result)
                    run.log(
                        f"round {round_no} {label:5} {name:24} p50 {result['p50']:7.1f} "
                        f"p95 {result['p95']:7.1f} ms  {result['rps']:8,.0f} req/s"
                    )
    finally:
        for server in started:
            server.stop()

    lines = [
        "p95 latency (ms, response cache off: `SCO_CACHE=0`, counts and facets cached), "
        f"{sizes['small']:,} vs "
        f"{sizes['large']:,} events (×10 claims), `wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s`, {args.rounds} rounds, mean of rounds.",
        "",
        f"| endpoint | p95 at {sizes['small']:,} | p95 at {sizes['large']:,} | growth | "
        f"req/s at {sizes['small']:,} | req/s at {sizes['large']:,} |",
        "|---|---|---|---|---|---|",
    ]
    for name in active:
        small = statistics.mean(r["p95"] for r in samples[name]["small"])
        large = statistics.mean(r["p95"] for r in samples[name]["large"])
        rps_s = statistics.mean(r["rps"] for r in samples[name]["small"])
        rps_l = statistics.mean(r["rps"] for r in samples[name]["large"])
        lines.append(
            f"| {name} | {small:.1f} | {large:.1f} | {large / small:.2f}× | "
            f"{rps_s:,.0f} | {rps_l:,.0f} |"
        )
    lines += ["", "```", f"python bench/growth.py --small-db {dbs['small']} "
              f"--large-db {dbs['large']} --duration {args.duration} --rounds {args.rounds}",
              "```"]  # fmt: skip
    text = "\n".join(lines)
    print("\n" + text)
    (out_dir / "growth.json").write_text(json.dumps({"facts": facts, "samples": samples}))
    if args.quick:
        (out_dir / "growth-quick.md").write_text(text + "\n")
    else:
        run.write_section(run.DOC, "growth", text)


if __name__ == "__main__":
    sys.exit(main())
