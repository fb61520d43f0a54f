#!/usr/bin/env python
"""`make bench`: the archive vs Datasette vs a bare-WSGI ceiling, on one SQLite file.

One run, one machine: builds (or reuses, ``--db PATH``) a synthetic SQLite archive with
``generate_synthetic``, then serves that same file as

- **archive** — ``gunicorn sco_archive.wsgi -w 2`` with production settings, every
  cache on (Redis when reachable, ``--redis-url``, its own database number; else
  per-worker local memory); **counts cached** — responses not cached, counts and facets
  cached (``SCO_CACHE=0 SCO_COUNT_CACHE=1``); **uncached** — nothing cached at all
  (``SCO_CACHE=0``), what every first read pays;
- **datasette** — Datasette (immutable, read-only) under ``uvicorn --workers 2`` with
  canned queries returning exactly the claim rows of ``/api/v1/claims/``
  (bench/datasette_app.py; claims endpoints only);
- **ceiling** — a bare WSGI app under ``gunicorn -w 2`` serving the archive's own bytes
  from a dict (bench/ceiling.py): the cost of gunicorn + loopback + wrk alone;

and drives each with ``wrk`` on loopback, warm-up first. Before measuring it checks that
every response holds the rows its name promises (100 claims a page, the event page's
claims, 25 events, a highlighted quote, search hits) and that Datasette returns the
archive's ids; then, endpoint by endpoint, the servers alternate for ``--rounds`` rounds,
so drift on a shared machine falls on all of them alike. Prints a table (requests/s,
p50, p99; the mean of the rounds) with ratios, and writes it between the ``bench:``
markers of docs/performance.md (``--quick`` writes to bench/out/quick.md instead).

    .venv/bin/python bench/run.py                 # 10,000 events, 10 s × 2 rounds
    .venv/bin/python bench/run.py --quick         # 1,000 events, 1 s × 2 rounds
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
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
LUA = BENCH / "wrk_report.lua"
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
        DATABASE_URL=f"sqlite:///{db}",
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
    # WAL off for serving: Datasette opens the file immutable; one file is simplest.
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    return report


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


def check_rows(servers, active, facts):
    """Before measuring, every response must hold the rows its name promises, and the
    archive and Datasette the same claims: a benchmark of an empty page proves nothing."""
    problems = []
    for name, path, ds_path, headers in active:
        for server in ("archive", "counts cached", "uncached"):
            if not path:
                continue
            status, _, body = fetch(servers[server].base + path, headers)
            if status != 200:
                problems.append(f"{server} {name}: HTTP {status}")
                continue
            if path.startswith("/api/v1/claims/"):
                ids = [row["id"] for row in json.loads(body)["results"]]
                if len(ids) != 100:
                    problems.append(f"{server} {name}: {len(ids)} claims, not 100")
                if ds_path:
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
    log("  every response holds its rows; Datasette's ids equal the archive's")


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
    return {
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


def render(results, servers, facts, info, args, report, commands):
    lines = []
    add = lines.append
    add(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"`wrk -t{args.threads} -c{args.connections} -d{args.duration}s` per cell, "
        f"{args.rounds} rounds after a warm-up, mean of rounds "
        "(requests/s; latency in ms).")  # fmt: skip
    add("")
    add(f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}, Django {info['django']}, SQLite {info['sqlite']}, "
        f"gunicorn {info['gunicorn']}, Datasette {info['datasette']}, uvicorn {info['uvicorn']}, "
        f"{info['wrk']}. Load generator and servers share the machine.")  # fmt: skip
    add("")
    counts = (report or {}).get("counts", {})

    def n(key):
        return f"{counts[key]:,}" if isinstance(counts.get(key), int) else "?"

    add(f"Database: {args.db} — {n('events')} events, "
        f"{n('claims')} claims, {n('quotes')} quotes; "
        f"{facts['published_claims']:,} published claims visible; "
        f"event page: {facts['event_claims']} claims.")  # fmt: skip
    if report and report.get("seconds"):
        add(f"Generated in {report['seconds']:.1f} s.")
    add("")
    header = "| endpoint | " + " | ".join(f"{s} req/s | p50 | p99" for s in servers) + " |"
    add(header)
    add("|" + "---|" * (1 + 3 * len(servers)))
    for endpoint, row in results.items():
        cells = []
        for server in servers:
            r = row.get(server)
            cells += [fmt_rps(r["rps"]), fmt_ms(r["p50"]), fmt_ms(r["p99"])] if r else ["—"] * 3
        add(f"| {endpoint} | " + " | ".join(cells) + " |")
    add("")
    add("| endpoint | uncached / Datasette | counts cached / Datasette | "
        "cached / Datasette | cached / ceiling | uncached / ceiling |")  # fmt: skip
    add("|---|---|---|---|---|---|")
    for endpoint, row in results.items():

        def rps(name, row=row):
            return (row.get(name) or {}).get("rps")

        add(
            f"| {endpoint} | {ratio(rps('uncached'), rps('datasette'))} | "
            f"{ratio(rps('counts cached'), rps('datasette'))} | "
            f"{ratio(rps('archive'), rps('datasette'))} | "
            f"{ratio(rps('archive'), rps('ceiling'))} | "
            f"{ratio(rps('uncached'), rps('ceiling'))} |"
        )
    errors = [
        f"{endpoint} / {server}: {r['non2xx']} non-2xx, {r['socket_errors']} socket errors"
        for endpoint, row in results.items()
        for server, r in row.items()
        if r and (r["non2xx"] or r["socket_errors"])
    ]
    if errors:
        add("")
        add("Errors: " + "; ".join(errors) + ".")
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="SQLite file to use; built when missing.")
    parser.add_argument("--rebuild", action="store_true", help="Rebuild --db even if present.")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--claims-per-event", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
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
    parser.add_argument("--port", type=int, help="First of 10 ports to use (default: free ones).")
    parser.add_argument("--quick", action="store_true", help="1,000 events, 1 s per cell.")
    parser.add_argument("--out", help="Markdown file to write (default docs/performance.md).")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.duration, args.warmup = 1_000, 1, 1
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")
    (BENCH / "out").mkdir(exist_ok=True)
    default_db = BENCH / "out" / ("quick.sqlite3" if args.quick else "bench.sqlite3")
    args.db = str(Path(args.db or default_db).resolve())
    out = Path(args.out) if args.out else (BENCH / "out" / "quick.md" if args.quick else DOC)

    report = None
    meta = Path(args.db + ".json")
    if args.rebuild or not Path(args.db).exists():
        report = build_database(args.db, args.events, args.claims_per_event, args.seed)
        meta.write_text(json.dumps(report))
    elif meta.exists():
        report = json.loads(meta.read_text())
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

    def archive(name, extra):
        port = next_port()
        cmd = [*gunicorn, "-b", f"127.0.0.1:{port}", "sco_archive.wsgi"]
        return Server(name, cmd, django_env(args.db, **extra), port)

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
    commands = [
        f"DATABASE_URL=sqlite:///{args.db} python manage.py generate_synthetic "
        f"--events {args.events} --claims-per-event {args.claims_per_event} "
        f"--seed {args.seed} --clear",
        "env DJANGO_DEBUG=0 DJANGO_SECRET_KEY=bench… DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost "
        "DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 DJANGO_HSTS_SECONDS=0 "
        f"SCO_PLAIN_STATIC=1 DATABASE_URL=sqlite:///{args.db} "
        + (f"REDIS_URL={args.redis_url} " if use_redis else "")
        + f"SCO_CACHE=1 gunicorn -w {args.workers} -b 127.0.0.1:PORT sco_archive.wsgi"
        "   # archive (SCO_CACHE=0: uncached; SCO_CACHE=0 SCO_COUNT_CACHE=1: counts cached)",
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

        plan = []  # (server, endpoint, url, headers)
        for name, path, ds_path, headers in active:
            for server in ("archive", "counts cached", "uncached", "datasette", "ceiling"):
                if server == "datasette":
                    if ds_path:
                        plan.append((server, name, servers[server].base + ds_path, {}))
                elif path:
                    plan.append((server, name, servers[server].base + path, headers))
        log(f"Warm-up ({args.warmup} s per cell) …")
        for _server, _name, url, headers in plan:
            wrk(url, args.warmup, args.threads, args.connections, headers)
        samples = {}
        order = ["archive", "counts cached", "uncached", "datasette", "ceiling"]
        for name in dict.fromkeys(name for _srv, name, _url, _headers in plan):
            cells = [cell for cell in plan if cell[1] == name]
            for round_no in range(1, args.rounds + 1):
                for srv, _name, url, headers in cells:  # servers alternate per endpoint
                    result = wrk(url, args.duration, args.threads, args.connections, headers)
                    samples.setdefault(name, {}).setdefault(srv, []).append(result)
                    log(f"  round {round_no} {srv:14} {name:32} {result['rps']:9,.0f} req/s "
                        f"p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms")  # fmt: skip
    finally:
        for server in started:
            server.stop()

    results = {}
    for name, _path, _ds, _headers in active:
        row = {}
        for server, runs in samples.get(name, {}).items():
            row[server] = {
                "rps": statistics.mean(r["rps"] for r in runs),
                "p50": statistics.mean(r["p50"] for r in runs),
                "p99": statistics.mean(r["p99"] for r in runs),
                "non2xx": sum(r["non2xx"] for r in runs),
                "socket_errors": sum(r["socket_errors"] for r in runs),
                "runs": runs,
            }
        results[name] = row
    info = machine()
    text = render(results, order, facts, info, args, report, commands)
    print("\n" + text)
    (BENCH / "out" / ("quick.json" if args.quick else "results.json")).write_text(
        json.dumps({"facts": facts, "machine": info, "results": results}, indent=1)
    )
    if out.suffix == ".md" and out == DOC:
        write_section(out, "bench", text)
    else:
        out.write_text(text + "\n")
    log(f"\nWritten to {out}")


if __name__ == "__main__":
    main()
