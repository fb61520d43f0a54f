"""bench/run.py and bench/growth.py: their options and the tables they write (no timing)."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import growth  # noqa: E402
import run  # noqa: E402


def cell(rps, p50=1.0, p99=2.0, non2xx=0):
    return {"rps": rps, "p50": p50, "p95": p99, "p99": p99, "non2xx": non2xx, "socket_errors": 0}


INFO = {
    "nproc": 2, "cpu": "CPU", "memory": "1 GiB", "os": "Linux", "python": "3.12",
    "django": "6.1", "sqlite": "3.40", "postgresql": "15", "nginx": "1.22",
    "gunicorn": "23", "datasette": "0.65", "uvicorn": "0.5", "wrk": "wrk 4",
}  # fmt: skip
FACTS = {"published_claims": 7_165, "event_claims": 50}


def test_options_choose_sizes_and_their_own_postgresql_database():
    assert run.parse_args([]).events == 10_000
    assert run.parse_args([]).pg_url == run.PG_URL
    quick = run.parse_args(["--quick"])
    assert (quick.events, quick.duration, quick.pg_url) == (1_000, 1, run.PG_URL + "_quick")
    full = run.parse_args(["--full"])
    assert (full.events, full.growth, full.pg_url) == (100_000, True, run.PG_URL + "_full")
    given = run.parse_args(["--full", "--pg-url", "postgres://u@h:5432/other"])
    assert given.pg_url == "postgres://u@h:5432/other"


def test_a_database_is_a_url_or_an_sqlite_file():
    assert run.database_url("/tmp/a.sqlite3") == "sqlite:////tmp/a.sqlite3"
    assert run.database_url(run.PG_URL) == run.PG_URL
    assert run.django_env(run.PG_URL, SCO_CACHE=0)["DATABASE_URL"] == run.PG_URL


def test_the_table_has_every_column_and_the_ratios_the_issue_names():
    results = {
        "claims p1": {
            "archive": cell(1_000), "nginx": cell(12_000), "uncached": cell(400),
            "postgresql": cell(300), "datasette": cell(100), "ceiling": cell(8_000),
        },
        "search": {"uncached": cell(50), "postgresql": cell(100, non2xx=3)},
    }  # fmt: skip
    servers = ["archive", "nginx", "uncached", "postgresql", "datasette", "ceiling"]
    args = SimpleNamespace(
        threads=2, connections=8, duration=10, rounds=2, db="/x.sqlite3", pg_url=run.PG_URL
    )
    text = run.render(results, servers, FACTS, INFO, args, None, ["cmd"], ["Wall time: 1 min."])
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("| requests/s"))
    assert header == "| requests/s | cached | nginx | uncached | PostgreSQL | Datasette | ceiling |"
    assert "| claims p1 | 1,000 | 12,000 | 400 | 300 | 100 | 8,000 |" in lines
    assert "| search | — | — | 50 | 100 | — | — |" in lines
    assert (
        "| claims p1 | 1.0 / 2.0 | 1.0 / 2.0 | 1.0 / 2.0 | 1.0 / 2.0 | 1.0 / 2.0 | 1.0 / 2.0 |"
        in lines
    )
    ratios = next(line for line in lines if line.startswith("| ratio"))
    assert "nginx / ceiling" in ratios and "PostgreSQL / SQLite (uncached)" in ratios
    assert "counts cached / Datasette" not in ratios  # no such column in this run
    row = next(line for line in lines if line.startswith("| claims p1 | 4.00×"))
    # uncached/Datasette, cached/Datasette, cached/ceiling, nginx/ceiling, uncached/ceiling,
    # PostgreSQL/SQLite
    assert row == "| claims p1 | 4.00× | 10.00× | 0.12× | 1.50× | 0.05× | 0.75× |"
    assert "| search | — | — | — | — | — | 2.00× |" in lines
    assert "search / PostgreSQL: 3 non-2xx, 0 socket errors" in text
    assert "Wall time: 1 min." in text and text.rstrip().endswith("```")
    widths = {line.count("|") for line in lines if line.startswith("| claims p1")}
    assert widths == {8}  # every table of these servers: endpoint + 6 cells


def test_the_growth_table_gives_p95_growth_per_database():
    samples = {
        ("SQLite", "search"): {"small": [cell(100, p99=10.0)], "large": [cell(80, p99=15.0)]},
        ("PostgreSQL", "search"): {"small": [cell(90, p99=10.0), cell(90, p99=20.0)],
                                   "large": [cell(60, p99=18.0)]},
        ("PostgreSQL", "event list"): {"small": [cell(90)]},  # not measured at both sizes
    }  # fmt: skip
    text = growth.render(samples, (1_000, 100_000), "`wrk`", "python bench/growth.py")
    lines = text.splitlines()
    assert "| SQLite | search | 10.0 | 15.0 | 1.50× | 100 | 80 |" in lines
    assert "| PostgreSQL | search | 15.0 | 18.0 | 1.20× | 90 | 60 |" in lines
    assert not any("event list" in line for line in lines)
    timed_out = {("SQLite", "event list"): {"small": [cell(16, p99=500.0)], "large": [cell(0)]}}
    text = growth.render(timed_out, (1_000, 100_000), "`wrk`", "python bench/growth.py")
    assert "| SQLite | event list | 500.0 | none in 2 s | — | 16 | 0 |" in text.splitlines()


@pytest.mark.parametrize("marker_present", [True, False])
def test_the_section_goes_between_its_markers(tmp_path, marker_present):
    doc = tmp_path / "performance.md"
    body = "# P\n\n<!-- bench:start -->\nold\n<!-- bench:end -->\n\nafter\n"
    doc.write_text(body if marker_present else "# P\n")
    run.write_section(doc, "bench", "new")
    text = doc.read_text()
    assert "<!-- bench:start -->\nnew\n<!-- bench:end -->" in text and "old" not in text
    assert text.endswith("after\n") if marker_present else True
