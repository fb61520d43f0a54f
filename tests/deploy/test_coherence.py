"""Two gunicorn workers, with and without Redis: a write from another process is seen on
the very next request by both, for the event's page, the event list and the API."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.deploy.servers import REDIS_URL, SLUG, TITLE, Gunicorn, get, redis_up, wait_until

PATHS = (f"/events/{SLUG}/", "/events/", "/api/v1/events/", f"/api/v1/events/{SLUG}/")
READS = 12  # per path: enough for both workers to answer each, which the access log shows


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
        for status, _, body in reads(server, path):
            assert TITLE not in body, f"{path} still shows the unpublished event"
            assert status == (404 if SLUG in path else 200)
    assert all(len(server.workers_that_served(path, mark)) == 2 for path in PATHS)
    mark = len(server.log_lines())
    archive.set_status("published")  # raw SQL from a process that is not Django
    for path in PATHS:
        for status, _, body in reads(server, path):
            assert status == 200 and TITLE in body, f"{path} does not show it again"
    assert all(len(server.workers_that_served(path, mark)) == 2 for path in PATHS)


def test_etags_agree_between_workers(server):
    etags = {headers["ETag"] for _, headers, _ in reads(server, "/events/")}
    assert len(etags) == 1
