#!/usr/bin/env python
"""`make bench`: the archive vs Datasette vs a bare-WSGI ceiling, on SQLite and PostgreSQL.

One run, one machine: builds (or reuses, ``--db PATH``) a synthetic SQLite archive with
``generate_synthetic``, and the same archive (same ``--events``/``--seed``: the same rows
and ids) in a PostgreSQL database (``--pg-url``, dropped and rebuilt when its build
parameters change), then serves them as

- **cached** — ``gunicorn sco_archive.wsgi -w 2`` with production settings, every
  cache on (Redis when reachable, ``--redis-url``, its own database number; else
  per-worker local memory); **counts cached** — responses not cached, counts and facets
  cached (``SCO_CACHE=0 SCO_COUNT_CACHE=1``); **uncached** — nothing cached at all
  (``SCO_CACHE=0``), what every first read pays;
- **PostgreSQL** — *uncached* on the PostgreSQL copy (ratio PostgreSQL / SQLite);
- **nginx** — deploy/nginx.conf (its micro-cache) in front of *cached*, run as a child
  with its pid, logs, cache and temporary files under bench/out/nginx (deploy/local.py,
  shared with tests/deploy/); ratio nginx / ceiling;
- **datasette** — Datasette (immutable, read-only) under ``uvicorn --workers 2`` with
  canned queries returning exactly the claim rows of ``/api/v1/claims/``
  (bench/datasette_app.py; claims endpoints only);
- **ceiling** — a bare WSGI app under ``gunicorn -w 2`` serving the archive's own bytes
  from a dict (bench/ceiling.py): the cost of gunicorn + loopback + wrk alone;

and drives each with ``wrk`` on loopback, warm-up first. Before measuring it checks that
every response of every archive server holds the rows its name promises (100 claims a
page, the event page's claims, 25 events, a highlighted quote, search hits), that
PostgreSQL's claims are SQLite's and that Datasette returns the archive's ids; then,
endpoint by endpoint, the servers alternate for ``--rounds`` rounds, so drift on a
shared machine falls on all of them alike. Prints tables (requests/s; p50 / p99; the
mean of the rounds) with ratios and the run's wall time, and writes them between the
``bench:`` markers of docs/performance.md (``--quick`` and ``--full`` write to
bench/out/quick.md and bench/out/full.md instead).

    .venv/bin/python bench/run.py                 # 10,000 events, 10 s × 2 rounds (≤ 20 min)
    .venv/bin/python bench/run.py --quick         # 1,000 events, 1 s × 2 rounds (~3 min)
    .venv/bin/python bench/run.py --full          # 100,000 events, then --growth
    .venv/bin/python bench/run.py --growth        # and p95 growth 1,000 → 100,000 events
    .venv/bin/python bench/run.py --db /tmp/bench.sqlite3   # reuse a built database
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(1, str(ROOT))  # deploy/local.py, when run as a script

from deploy import local  # noqa: E402

BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
LUA = BENCH / "wrk_report.lua"
PG_URL = "postgres://postgres@127.0.0.1:5432/sco_bench"
DOC = ROOT / "docs" / "performance.md"
SEARCH_QUERY = "Peace Mission"
DS_JSON = "&_json=event&_json=value_entity&_json=value_event&_json=citations"


def log(message):
    print(message, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_reachable(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def database_url(db):
    """A DATABASE_URL: ``db`` itself when it is a URL, else the SQLite file it names."""
    return db if "://" in db else f"sqlite:///{db}"


def django_env(db, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SCO_"))}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="bench-only-secret-key-" + "k3y" * 16,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        SCO_PLAIN_STATIC="1",
        DATABASE_URL=database_url(db),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("REDIS_URL", None)
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(db, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=django_env(db),
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def build_database(db, events, claims_per_event, seed):
    """Migrate and generate; returns the generator's report (counts, timings)."""
    postgres = "://" in db
    if postgres:
        recreate_postgres(db)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    log(f"Building {db}: {events:,} events × {claims_per_event} claims …")
    manage(db, "migrate", "--noinput", "-v", "0")
    out = manage(
        db,
        "generate_synthetic",
        "--events",
        str(events),
        "--claims-per-event",
        str(claims_per_event),
        "--seed",
        str(seed),
        "--clear",
        "--json",
    )
    report = json.loads(out.strip().splitlines()[-1])
    log(f"  generated in {report['seconds']:.1f} s: {report['counts']}")
    if not postgres:
        # WAL off for serving: Datasette opens the file immutable; one file is simplest.
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA journal_mode=DELETE")
    return report


def recreate_postgres(url):
    """Drop and create the PostgreSQL database ``url`` names (its server's ``postgres``
    database is where the DROP and CREATE run)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"--pg-url: a plain database name, please (not {name!r})")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def ensure_database(db, events, claims_per_event, seed, rebuild=False):
    """Build ``db`` (an SQLite path or a PostgreSQL URL) unless a build with these
    parameters is recorded beside it; migrate it either way (new indexes apply). Returns
    the generator's report."""
    params = {"events": events, "claims_per_event": claims_per_event, "seed": seed}
    if "://" in db:
        name = urllib.parse.urlsplit(db).path.strip("/")
        meta = BENCH / "out" / f"postgres-{name}.json"
    else:
        meta = Path(db + ".json")
    recorded = json.loads(meta.read_text()) if meta.exists() else {}
    present = "://" in db or Path(db).exists()
    if rebuild or not present or recorded.get("params", params) != params or not recorded:
        if "://" not in db and present and not rebuild and not recorded:
            return None  # a file given with --db, built elsewhere: use it as it is
        report = build_database(db, events, claims_per_event, seed)
        meta.write_text(json.dumps({**report, "params": params}))
        return report
    manage(db, "migrate", "--noinput", "-v", "0")
    return recorded


class Server:
    """A server process in its own session, stopped by its process group id."""

    def __init__(self, name, cmd, env, port, cwd=ROOT):
        self.name, self.cmd, self.env, self.port, self.cwd = name, cmd, env, port, cwd
        self.proc = None
        self.base = f"http://127.0.0.1:{port}"

    def start(self, probe="/"):
        logfile = open(BENCH / "out" / f"{self.name.replace(' ', '-')}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            self.cmd, cwd=self.cwd, env=self.env, stdout=logfile, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see bench/out/{self.name}.log")
            try:
                urllib.request.urlopen(self.base + probe, timeout=5).read()
                return self
            except urllib.error.HTTPError:
                return self  # it answers
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not start on port {self.port}")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def wrk(url, duration, threads, connections, headers=None):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "-s", str(LUA)]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("{"))
    return json.loads(line)


# -- what to measure ----------------------------------------------------------------------


def discover(db):
    """Slugs and sizes the endpoints need, read straight from the database."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    published = """from events_claim c join events_event e on e.id = c.event_id
                   left join events_event v on v.id = c.value_event_id
                   left join events_entity n on n.id = c.value_entity_id
                   where c.status = 'published' and e.status = 'published'
                     and (c.value_event_id is null or v.status = 'published')
                     and (c.value_entity_id is null or n.merged_into_id is null)
                     and exists (select 1 from events_citation ci
                                   join sources_quote q on q.id = ci.quote_id
                                   join sources_article a on a.id = q.article_id
                                  where ci.claim_id = c.id and a.status = 'published')"""
    n_claims = conn.execute(f"select count(*) {published}").fetchone()[0]
    event_id, event_slug, event_claims = conn.execute(
        f"select e.id, e.slug, count(*) n {published} group by e.id order by n desc, e.id limit 1"
    ).fetchone()
    (article_slug,) = conn.execute(
        """select a.slug from sources_article a
           join sources_quote q on q.article_id = a.id
           join events_citation ci on ci.quote_id = q.id
           join events_claim c on c.id = ci.claim_id
           where c.event_id = ? and a.status = 'published'
           group by a.id order by count(*) desc limit 1""",
        (event_id,),
    ).fetchone()
    deep_offset = min(50_000, max(0, (n_claims - 100) // 100 * 100))
    row = conn.execute(
        f"select c.id {published} order by c.id limit 1 offset ?", (max(deep_offset - 1, 0),)
    ).fetchone()
    conn.close()
    return {
        "published_claims": n_claims,
        "event_slug": event_slug,
        "event_claims": event_claims,
        "article_slug": article_slug,
        "deep_offset": deep_offset,
        "deep_after_id": row[0] if row else 0,
    }


def find_cursor(base, facts):
    """The archive's cursor URL for the deep offset, if its claims list offers one.

    A DRF-style cursor (base64 of ``p=<position>``) is built directly from the id at the
    deep offset; an opaque one is reached by following ``next`` links."""
    status, _, body = fetch(f"{base}/api/v1/claims/?page_size=100&cursor=")
    if status != 200:
        return None
    data = json.loads(body)
    nxt = data.get("next") or ""
    match = re.search(r"[?&]cursor=([^&]+)", nxt)
    if not match:
        return None
    token = urllib.parse.unquote(match.group(1))
    try:
        decoded = base64.b64decode(token + "=" * (-len(token) % 4)).decode()
    except ValueError:
        decoded = ""
    query = urllib.parse.parse_qs(decoded)
    if "p" in query and set(query) <= {"p", "o", "r"}:
        fields = {k: v[0] for k, v in query.items() if k != "p"}
        fields["p"] = str(facts["deep_after_id"])
        raw = urllib.parse.urlencode(fields, safe="")
        cursor = base64.b64encode(raw.encode()).decode()
        return f"/api/v1/claims/?page_size=100&cursor={urllib.parse.quote(cursor)}"
    if re.fullmatch(r"[0-9a-f]+", token):  # the archive's cursor: the last id, in hex
        return f"/api/v1/claims/?page_size=100&cursor={facts['deep_after_id']:x}"
    url, hops = nxt, facts["deep_offset"] // 100
    for _ in range(hops - 1):
        status, _, body = fetch(url)
        url = json.loads(body).get("next")
        if not url:
            return None
    parsed = urllib.parse.urlsplit(url)
    return f"{parsed.path}?{parsed.query}"


def endpoints(facts, db_name, archive_base):
    page = facts["deep_offset"] // 100 + 1
    json_accept = {"Accept": "application/json"}
    items = [
        ("claims p1", "/api/v1/claims/?page_size=100",
         f"/{db_name}/claims.json?_shape=array&offset=0{DS_JSON}", json_accept),
        (f"claims deep (offset {facts['deep_offset']:,})",
         f"/api/v1/claims/?page={page}&page_size=100",
         f"/{db_name}/claims.json?_shape=array&offset={facts['deep_offset']}{DS_JSON}",
         json_accept),
    ]  # fmt: skip
    cursor = find_cursor(archive_base, facts)
    if cursor:
        items.append(
            (
                "claims deep, cursor",
                cursor,
                f"/{db_name}/claims_after.json?_shape=array&after={facts['deep_after_id']}"
                f"{DS_JSON}",
                json_accept,
            )
        )
    items += [
        ("event list (/events/)", "/events/", None, {}),
        (f"event page ({facts['event_claims']} claims)", f"/events/{facts['event_slug']}/",
         None, {}),
        ("source page", f"/sources/{facts['article_slug']}/", None, {}),
        ("search", "/search/?" + urllib.parse.urlencode({"q": SEARCH_QUERY}), None, {}),
    ]  # fmt: skip
    return items


# Servers that run the archive itself (checked for rows), in the order of the tables.
APP_SERVERS = ("archive", "counts cached", "uncached", "postgresql", "nginx")
ORDER = ("archive", "nginx", "counts cached", "uncached", "postgresql", "datasette", "ceiling")
LABELS = {
    "archive": "cached",
    "nginx": "nginx",
    "counts cached": "counts cached",
    "uncached": "uncached",
    "postgresql": "PostgreSQL",
    "datasette": "Datasette",
    "ceiling": "ceiling",
}
# (heading, numerator, denominator) of the ratio table.
RATIOS = (
    ("uncached / Datasette", "uncached", "datasette"),
    ("counts cached / Datasette", "counts cached", "datasette"),
    ("cached / Datasette", "archive", "datasette"),
    ("cached / ceiling", "archive", "ceiling"),
    ("nginx / ceiling", "nginx", "ceiling"),
    ("uncached / ceiling", "uncached", "ceiling"),
    ("PostgreSQL / SQLite (uncached)", "postgresql", "uncached"),
)


def check_rows(servers, active, facts):
    """Before measuring, every response must hold the rows its name promises, and the
    archive and Datasette the same claims: a benchmark of an empty page proves nothing."""
    problems = []
    for name, path, ds_path, headers in active:
        reference = None  # the SQLite archive's claim ids, which PostgreSQL must equal
        for server in APP_SERVERS:
            if not path or server not in servers:
                continue
            status, _, body = fetch(servers[server].base + path, headers)
            if status != 200:
                problems.append(f"{server} {name}: HTTP {status}")
                continue
            if path.startswith("/api/v1/claims/"):
                ids = [row["id"] for row in json.loads(body)["results"]]
                if len(ids) != 100:
                    problems.append(f"{server} {name}: {len(ids)} claims, not 100")
                if reference is None:
                    reference = ids
                elif ids != reference:
                    problems.append(f"{server} {name}: other claims than the SQLite archive's")
                if ds_path and server == "uncached":
                    _, _, ds_body = fetch(servers["datasette"].base + ds_path)
                    ds_ids = [row["id"] for row in json.loads(ds_body)]
                    if ds_ids != ids:
                        problems.append(f"{name}: Datasette's rows are not the archive's")
            elif path.startswith("/events/") and path != "/events/":
                shown = body.decode().count('id="claim-')
                if shown != facts["event_claims"]:
                    problems.append(f"{server} {name}: {shown} claims, not {facts['event_claims']}")
            elif path == "/events/":
                shown = body.decode().count('class="event-item"')
                if shown != 25:
                    problems.append(f"{server} {name}: {shown} events, not 25")
            elif path.startswith("/sources/") and '<mark id="quote-' not in body.decode():
                problems.append(f"{server} {name}: no highlighted quote")
            elif path.startswith("/search/") and 'class="hits"' not in body.decode():
                problems.append(f"{server} {name}: no search results")
    if problems:
        raise SystemExit("Not measured — responses lack their rows:\n  " + "\n  ".join(problems))
    log(
        "  every response holds its rows, on "
        + ", ".join(s for s in APP_SERVERS if s in servers)
        + "; Datasette's and PostgreSQL's claim ids equal the archive's"
    )


# -- the report -----------------------------------------------------------------------------


def machine():
    cpu = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    import django

    versions = {}
    for package in ("gunicorn", "datasette", "uvicorn"):
        try:
            from importlib.metadata import version

            versions[package] = version(package)
        except Exception:
            versions[package] = "?"
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    wrk_version = (wrk_version.splitlines() or ["wrk"])[0].split(" [")[0]
    pg_version = nginx_version = "?"
    try:
        out = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout
        pg_version = out.split()[2]  # psql (PostgreSQL) 15.20 (Debian …)
    except (OSError, IndexError):
        pass
    if local.NGINX:
        out = subprocess.run([local.NGINX, "-v"], capture_output=True, text=True).stderr
        nginx_version = out.strip().rsplit("/", 1)[-1] or "?"
    load = ""
    try:
        load = " (load average {:.1f} {:.1f} {:.1f} at the end)".format(*os.getloadavg())
    except OSError:
        pass
    return {
        "postgresql": pg_version,
        "nginx": nginx_version,
        "load": load,
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": wrk_version,
        **versions,
    }


def fmt_rps(value):
    return f"{value:,.0f}" if value is not None else "—"


def fmt_ms(value):
    return f"{value:.1f}" if value is not None else "—"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "—"


def render(results, servers, facts, info, args, report, commands, extra=()):
    """The Markdown of a run: what ran where, requests/s, latency, ratios, commands.

    ``results`` is ``{endpoint: {server: {"rps", "p50", "p99", "non2xx",
    "socket_errors"}}}``; ``servers`` the columns, in order (names of ``LABELS``);
    ``extra`` lines (wall time, growth) go before the commands."""
    lines = []
    add = lines.append
    add(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration}s` per cell, "
        f"{args.rounds} rounds after a warm-up, servers alternating per endpoint, mean of "
        "rounds.")  # fmt: skip
    add("")
    add(f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}, Django {info['django']}, SQLite {info['sqlite']}, "
        f"PostgreSQL {info.get('postgresql', '?')}, nginx {info.get('nginx', '?')}, "
        f"gunicorn {info['gunicorn']}, Datasette {info['datasette']}, uvicorn {info['uvicorn']}, "
        f"{info['wrk']}. Load generator and servers share the machine"
        f"{info.get('load', '')}.")  # fmt: skip
    add("")
    counts = (report or {}).get("counts", {})

    def n(key):
        return f"{counts[key]:,}" if isinstance(counts.get(key), int) else "?"

    add(f"Database: {args.db} — {n('events')} events, "
        f"{n('claims')} claims, {n('quotes')} quotes; "
        f"{facts['published_claims']:,} published claims visible; "
        f"event page: {facts['event_claims']} claims"
        + (f"; the same archive in PostgreSQL ({args.pg_url})" if "postgresql" in servers else "")
        + ".")  # fmt: skip
    if report and report.get("seconds"):
        add(f"Generated in {report['seconds']:.1f} s.")
    add("")
    add(
        "Columns: **cached** — gunicorn, every cache on; **nginx** — deploy/nginx.conf's "
        "micro-cache in front of *cached*; **counts cached** — responses not cached, counts "
        "and facets cached; **uncached** — nothing cached (`SCO_CACHE=0`); **PostgreSQL** — "
        "*uncached* on PostgreSQL; **Datasette** — the same claim rows (claims endpoints "
        "only); **ceiling** — a bare WSGI app returning the archive's bytes."
    )
    add("")
    labels = [LABELS.get(server, server) for server in servers]

    def table(title, cell):
        add(f"| {title} | " + " | ".join(labels) + " |")
        add("|---|" + "---:|" * len(servers))
        for endpoint, row in results.items():
            cells = [cell(row[server]) if row.get(server) else "—" for server in servers]
            add(f"| {endpoint} | " + " | ".join(cells) + " |")
        add("")

    table("requests/s", lambda r: fmt_rps(r["rps"]))
    table("p50 / p99 ms", lambda r: f"{fmt_ms(r['p50'])} / {fmt_ms(r['p99'])}")
    ratios = [(h, a, b) for h, a, b in RATIOS if a in servers and b in servers]
    add("| ratio of requests/s | " + " | ".join(h for h, _a, _b in ratios) + " |")
    add("|---|" + "---:|" * len(ratios))
    for endpoint, row in results.items():

        def rps(name, row=row):
            return (row.get(name) or {}).get("rps")

        add(f"| {endpoint} | " + " | ".join(ratio(rps(a), rps(b)) for _h, a, b in ratios) + " |")
    errors = [
        f"{endpoint} / {LABELS.get(server, server)}: {r['non2xx']} non-2xx, "
        f"{r['socket_errors']} socket errors"
        for endpoint, row in results.items()
        for server, r in row.items()
        if r and (r["non2xx"] or r["socket_errors"])
    ]
    if errors:
        add("")
        add("Errors: " + "; ".join(errors) + ".")
    for line in extra:
        add("")
        add(line)
    add("")
    add("Commands:")
    add("")
    add("```")
    lines.extend(commands)
    add("```")
    return "\n".join(lines)


def write_section(path, marker, text):
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    block = f"{start}\n{text}\n{end}"
    current = path.read_text() if path.exists() else "# Performance\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current)


# -- main ----------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="SQLite file to use; built when missing.")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild the databases.")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--claims-per-event", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", choices=["auto", "redis", "locmem"], default="auto")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/15",
        help="Redis for the cached servers (its own database number: nothing else is touched).",
    )
    parser.add_argument(
        "--pg-url",
        help=f"PostgreSQL database for the PostgreSQL column, dropped and rebuilt with the "
        f"same archive (default {PG_URL}, _quick/_full for --quick/--full).",
    )
    parser.add_argument("--no-postgres", action="store_true", help="No PostgreSQL column.")
    parser.add_argument("--no-nginx", action="store_true", help="No through-nginx column.")
    parser.add_argument("--port", type=int, help="First of 10 ports to use (default: free ones).")
    parser.add_argument("--quick", action="store_true", help="1,000 events, 1 s per cell.")
    parser.add_argument(
        "--full",
        action="store_true",
        help="100,000 events (about 25 min of building on 2 CPUs the first time), then --growth.",
    )
    parser.add_argument(
        "--growth",
        action="store_true",
        help="p95 growth 1,000 → 100,000 events on SQLite and PostgreSQL (bench/growth.py).",
    )
    parser.add_argument("--out", help="Markdown file to write (default docs/performance.md).")
    args = parser.parse_args(argv)
    suffix = ""
    if args.quick:
        args.events, args.duration, args.warmup, suffix = 1_000, 1, 1, "_quick"
    elif args.full:
        args.events, suffix = 100_000, "_full"
        args.growth = True
    args.pg_url = args.pg_url or PG_URL + suffix
    return args


def main(argv=None):
    began = time.monotonic()
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    (BENCH / "out").mkdir(exist_ok=True)
    name = "quick" if args.quick else "full" if args.full else "bench"
    args.db = str(Path(args.db or BENCH / "out" / f"{name}.sqlite3").resolve())
    out = Path(args.out) if args.out else (BENCH / "out" / f"{name}.md" if name != "bench" else DOC)

    sizes = (args.events, args.claims_per_event, args.seed)
    report = ensure_database(args.db, *sizes, rebuild=args.rebuild)
    postgres = not args.no_postgres
    if postgres:
        pg_report = ensure_database(args.pg_url, *sizes, rebuild=args.rebuild)
        log(f"PostgreSQL {args.pg_url}: {pg_report.get('counts') if pg_report else '?'}")
    facts = discover(args.db)
    log(f"Facts: {facts}")

    redis = urllib.parse.urlsplit(args.redis_url)
    use_redis = args.cache == "redis" or (
        args.cache == "auto" and redis_reachable(redis.hostname, redis.port or 6379)
    )
    cache_env = {"SCO_CACHE": "1"}
    if use_redis:
        cache_env.update(REDIS_URL=args.redis_url, SCO_CACHE_PREFIX=f"bench{os.getpid()}")
    ports = iter(range(args.port, args.port + 10)) if args.port else None

    def next_port():
        return next(ports) if ports else free_port()

    gunicorn = [str(BIN / "gunicorn"), "-w", str(args.workers), "--log-level", "warning"]

    def archive(name, extra, db=args.db):
        port = next_port()
        cmd = [*gunicorn, "-b", f"127.0.0.1:{port}", "sco_archive.wsgi"]
        return Server(name, cmd, django_env(db, **extra), port)

    db_name = Path(args.db).stem
    ds_port = next_port()
    servers = {
        "archive": archive("archive", cache_env),
        # Responses not cached; counts and facets cached under the archive version.
        "counts cached": archive(
            "counts cached", {**cache_env, "SCO_CACHE": "0", "SCO_COUNT_CACHE": "1"}
        ),
        # Nothing cached at all: every request pays the full path.
        "uncached": archive("uncached", {"SCO_CACHE": "0"}),
        "datasette": Server(
            "datasette",
            [str(BIN / "uvicorn"), "datasette_app:app", "--app-dir", str(BENCH),
             "--workers", str(args.workers), "--port", str(ds_port), "--log-level", "warning",
             "--no-access-log"],
            {**os.environ, "BENCH_DB": args.db},
            ds_port,
        ),
    }  # fmt: skip
    if postgres:  # the same archive, nothing cached, on PostgreSQL
        servers["postgresql"] = archive("postgresql", {"SCO_CACHE": "0"}, db=args.pg_url)
    nginx = None
    if not args.no_nginx:
        if local.NGINX:
            nginx = nginx_server(next_port(), servers["archive"].port)
        else:
            log("nginx is not installed (apt-get install nginx): no through-nginx column")
    commands = [
        f"DATABASE_URL=sqlite:///{args.db} python manage.py generate_synthetic "
        f"--events {args.events} --claims-per-event {args.claims_per_event} "
        f"--seed {args.seed} --clear"
        + (f"   # and the same with DATABASE_URL={args.pg_url}" if postgres else ""),
        "env DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench… DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost "
        "DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0 "
        f"SCO_PLAIN_STATIC=1 DATABASE_URL=sqlite:///{args.db} "
        + (f"REDIS_URL={args.redis_url} " if use_redis else "")
        + f"SCO_CACHE=1 gunicorn -w {args.workers} -b 127.0.0.1:PORT sco_archive.wsgi"
        "   # cached (SCO_CACHE=0: uncached; SCO_CACHE=0 SCO_COUNT_CACHE=1: counts cached; "
        "SCO_CACHE=0 DATABASE_URL=postgres://…: PostgreSQL)",
        "nginx -c bench/out/nginx/nginx.conf -g 'daemon off;'   # deploy/nginx.conf, paths "
        "and ports swapped (deploy/local.py), upstream: cached",
        f"BENCH_DB={args.db} uvicorn datasette_app:app --app-dir bench --workers {args.workers}",
        f"BENCH_CEILING_FILE=bench/out/ceiling.json gunicorn -w {args.workers} --chdir bench "
        "ceiling:app",
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s -s bench/wrk_report.lua "
        "[-H 'Accept: application/json'] URL",
    ]
    started = []
    try:
        for server in servers.values():
            log(f"Starting {server.name} on {server.port} …")
            started.append(server.start())
        if nginx:
            log(f"Starting nginx on {nginx.port} …")
            started.append(nginx.start(probe="/robots.txt"))
            servers["nginx"] = nginx
        base = servers["archive"].base
        items = endpoints(facts, db_name, base)
        bodies, active = {}, []
        for name, path, ds_path, headers in items:
            status, content_type, body = fetch(base + path, headers)
            if status != 200:
                log(f"  skip {name} on the archive: it answered {status} for {path}")
                if not ds_path:
                    continue
                path, body = None, b""  # Datasette alone still gives the reference numbers
            else:
                bodies[path] = [status, content_type, base64.b64encode(body).decode()]
            if ds_path:
                ds_status, _, ds_body = fetch(servers["datasette"].base + ds_path)
                if ds_status != 200:
                    log(f"  datasette answered {ds_status} for {ds_path}: {ds_body[:200]!r}")
                    ds_path = None
            active.append((name, path, ds_path, headers))
            log(f"  {name}: {path} ({len(body):,} bytes)")
        check_rows(servers, active, facts)
        ceiling_file = BENCH / "out" / "ceiling.json"
        ceiling_file.write_text(json.dumps(bodies))
        c_port = next_port()
        ceiling = Server(
            "ceiling",
            [*gunicorn, "-b", f"127.0.0.1:{c_port}", "--chdir", str(BENCH), "ceiling:app"],
            {**os.environ, "BENCH_CEILING_FILE": str(ceiling_file)},
            c_port,
        )
        servers["ceiling"] = ceiling
        started.append(ceiling.start())

        order = [server for server in ORDER if server in servers]
        plan = []  # (server, endpoint, url, headers)
        for name, path, ds_path, headers in active:
            for server in order:
                if server == "datasette":
                    if ds_path:
                        plan.append((server, name, servers[server].base + ds_path, {}))
                elif path:
                    plan.append((server, name, servers[server].base + path, headers))
        log(f"Warm-up ({args.warmup} s per cell) …")
        for _server, _name, url, headers in plan:
            wrk(url, args.warmup, args.threads, args.connections, headers)
        samples = {}
        for name in dict.fromkeys(name for _srv, name, _url, _headers in plan):
            cells = [cell for cell in plan if cell[1] == name]
            for round_no in range(1, args.rounds + 1):
                for srv, _name, url, headers in cells:  # servers alternate per endpoint
                    result = wrk(url, args.duration, args.threads, args.connections, headers)
                    samples.setdefault(name, {}).setdefault(srv, []).append(result)
                    log(f"  round {round_no} {srv:14} {name:32} {result['rps']:9,.0f} req/s "
                        f"p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms")  # fmt: skip
    finally:
        for server in reversed(started):
            server.stop()

    results = summarise(samples, [name for name, *_rest in active])
    info = machine()
    extra = []
    if args.growth:
        import growth  # bench/growth.py

        extra.append(growth.run_growth(args, postgres=postgres))
    minutes = (time.monotonic() - began) / 60
    extra.append(
        f"Wall time of this run: {minutes:.1f} min (`bench/run.py"
        + (" --quick" if args.quick else " --full" if args.full else "")
        + "`, building included when the databases were new)."
    )
    text = render(results, order, facts, info, args, report, commands, extra)
    print("\n" + text)
    (BENCH / "out" / f"{name}-results.json").write_text(
        json.dumps({"facts": facts, "machine": info, "results": results}, indent=1)
    )
    if out == DOC:
        write_section(out, "bench", text)
    else:
        out.write_text(text + "\n")
    log(f"\nWritten to {out}; wall time {minutes:.1f} min")


def summarise(samples, names):
    """{endpoint: {server: mean requests/s, p50, p95, p99 and summed errors of its rounds}}."""
    results = {}
    for name in names:
        row = {}
        for server, runs in samples.get(name, {}).items():
            row[server] = {
                "rps": statistics.mean(r["rps"] for r in runs),
                "p50": statistics.mean(r["p50"] for r in runs),
                "p95": statistics.mean(r.get("p95", r["p99"]) for r in runs),
                "p99": statistics.mean(r["p99"] for r in runs),
                "non2xx": sum(r["non2xx"] for r in runs),
                "socket_errors": sum(r["socket_errors"] for r in runs),
                "runs": runs,
            }
        results[name] = row
    return results


def nginx_server(port, upstream):
    """deploy/nginx.conf (its micro-cache) on ``port`` in front of gunicorn on
    ``upstream``, pid, logs, cache and temporary files under bench/out/nginx."""
    directory = BENCH / "out" / "nginx"
    shutil.rmtree(directory, ignore_errors=True)  # an old micro-cache must not serve
    directory.mkdir(parents=True)
    conf = directory / "nginx.conf"
    conf.write_text(local.configured(local.RECIPE.read_text(), directory, port, upstream))
    subprocess.run([local.NGINX, "-t", "-q", "-c", str(conf)], check=True, timeout=30)
    return Server("nginx", local.command(conf), dict(os.environ), port)


if __name__ == "__main__":
    main()
