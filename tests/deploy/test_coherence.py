"""Two gunicorn workers, with and without Redis: a write from another process is seen on
the very next request by both, for the event's page, the event list and the API."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.deploy.servers import REDIS_URL, SLUG, TITLE, Gunicorn, get, redis_up, wait_until

PATHS = (f"/events/{SLUG}/", "/events/", "/api/v1/events/", f"/api/v1/events/{SLUG}/")
READS = 12  # per path: enough for both workers to answer each, which the access log shows
ROUNDS = 5  # of READS, at most, until it does


@pytest.fixture(scope="module", params=["local memory", "redis"])
def server(request, archive):
    if request.param == "redis" and not redis_up():
        pytest.skip("no Redis on 127.0.0.1:6379 (.ci/run starts one)")
    server = Gunicorn(archive, workers=2, redis_url=REDIS_URL if request.param == "redis" else "")
    yield server
    server.stop()


def reads(server, path):
    """READS anonymous GETs of ``path``, four at a time (one idle sync worker would
    otherwise take them all), each on a new connection."""
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda _: get(server.url + path), range(READS)))


def read_from_both(server, path, since, check):
    """Reads of ``path`` until both workers have answered it since log line ``since``,
    each read passing ``check(status, headers, body)``. Under load one sync worker can
    take a whole round of reads; a few more rounds reach the other."""
    for _ in range(ROUNDS):
        for status, headers, body in reads(server, path):
            check(status, headers, body)
        if len(server.workers_that_served(path, since)) == 2:
            return
    pytest.fail(f"{path}: one worker answered all {ROUNDS * READS} reads")


def warm(server):
    """Every worker holds a cached copy of every path (each answered it, and all hit)."""

    def cached_by_both(path):
        hits = all(headers["X-Cache"] == "hit" for _, headers, _ in reads(server, path))
        return hits and len(server.workers_that_served(path)) == 2

    for path in PATHS:
        wait_until(
            lambda path=path: cached_by_both(path), 30, f"{path} was not cached by both workers"
        )


def test_an_unpublish_and_a_republish_are_seen_at_once_by_every_worker(server, archive):
    warm(server)
    mark = len(server.log_lines())
    archive.shell(
        "from events.models import Event; "
        f"e = Event.objects.get(slug={SLUG!r}); e.status = 'draft'; e.save()"
    )
    for path in PATHS:

        def unpublished(status, _headers, body, path=path):
            assert TITLE not in body, f"{path} still shows the unpublished event"
            assert status == (404 if SLUG in path else 200)

        read_from_both(server, path, mark, unpublished)
    mark = len(server.log_lines())
    archive.set_status("published")  # raw SQL from a process that is not Django
    for path in PATHS:

        def shown(status, _headers, body, path=path):
            assert status == 200 and TITLE in body, f"{path} does not show it again"

        read_from_both(server, path, mark, shown)


def test_etags_agree_between_workers(server):
    etags = {headers["ETag"] for _, headers, _ in reads(server, "/events/")}
    assert len(etags) == 1
