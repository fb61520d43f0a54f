"""The WSGI cache front (sco_archive/front.py): hits without Django, never stale, never private."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from sco_archive.front import CacheFront, ready
from tests.factories import CitationFactory, EventFactory


@pytest.fixture
def front(settings, transactional_db):
    settings.SCO_CACHE = True
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.cache import cache

    cache.clear()
    return CacheFront(WSGIHandler())


def call(app, path, **headers):
    environ = RequestFactory().get(path, **headers).environ
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(response_headers)

    with CaptureQueriesContext(connection) as queries:
        body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body.decode(), len(queries)


def test_a_repeat_read_is_served_without_django(front):
    EventFactory(title="Peace Mission 2031")
    status, headers, body, _ = call(front, "/events/")
    assert status.startswith("200") and "Peace Mission 2031" in body
    status, headers, again, queries = call(front, "/events/")
    assert headers["X-Cache"] == "front" and queries == 0
    assert again.replace(headers_nonce(again), "") == body.replace(headers_nonce(body), "")
    assert headers["Content-Security-Policy"]  # every middleware's headers are kept
    assert headers["X-Content-Type-Options"] == "nosniff"


def headers_nonce(html):
    return html.split('nonce="', 1)[1].split('"', 1)[0] if 'nonce="' in html else ""


def test_a_published_change_shows_on_the_next_request(front):
    event = EventFactory(title="Vostok 2030")
    call(front, "/events/")
    call(front, "/events/")
    event.title = "Vostok 2032"
    event.save()
    _, headers, body, _ = call(front, "/events/")
    assert "Vostok 2032" in body and headers["X-Cache"] != "front"


def test_a_draft_never_shows(front):
    call(front, "/events/")
    EventFactory(title="Secret Exercise", status="draft")
    _, _, body, _ = call(front, "/events/")
    assert "Secret Exercise" not in body


def test_conditional_get_is_answered_by_the_front(front):
    EventFactory()
    _, headers, _, _ = call(front, "/api/v1/events/", HTTP_ACCEPT="application/json")
    status, reply, body, queries = call(
        front, "/api/v1/events/", HTTP_ACCEPT="application/json", HTTP_IF_NONE_MATCH=headers["ETag"]
    )
    assert status.startswith("304") and body == "" and queries == 0


def test_the_api_is_keyed_by_format(front):
    EventFactory()
    call(front, "/api/v1/events/", HTTP_ACCEPT="application/json")
    _, headers, body, _ = call(front, "/api/v1/events/", HTTP_ACCEPT="text/html")
    assert headers["Content-Type"].startswith("text/html") and "<html" in body


def test_sessions_and_authorization_pass_through(front):
    EventFactory()
    call(front, "/events/")
    call(front, "/events/")
    for extra in ({"HTTP_COOKIE": "sessionid=abc"}, {"HTTP_AUTHORIZATION": "Token x"}):
        _, headers, _, _ = call(front, "/events/", **extra)
        assert headers.get("X-Cache") != "front"


def test_streamed_exports_are_not_buffered_or_stored(front):
    CitationFactory()
    environ = RequestFactory().get("/api/v1/export/claims.csv").environ
    seen = {}
    result = front(environ, lambda status, headers, exc=None: seen.update(status=status))
    assert not isinstance(result, list)  # Django's streaming iterator, passed through
    assert b"claim_id" in b"".join(result)


def test_the_nonce_is_fresh_on_every_hit():
    entry = (
        "200 OK",
        [("Content-Security-Policy", "script-src 'self' 'nonce-OLD123'"), ("X-Cache", "miss")],
        b'<script nonce="OLD123">1</script>',
    )
    replies = []
    for _ in range(2):
        seen = {}

        def start_response(status, headers, exc_info=None, seen=seen):
            seen.update(status=status, headers=dict(headers))

        body = b"".join(CacheFront.serve(ready(entry), {}, start_response)).decode()
        nonce = headers_nonce(body)
        assert nonce != "OLD123"
        assert f"'nonce-{nonce}'" in seen["headers"]["Content-Security-Policy"]
        assert seen["headers"]["X-Cache"] == "front"
        replies.append(nonce)
    assert replies[0] != replies[1]


def test_a_process_serves_its_own_copy_while_the_version_holds(front):
    from sco_archive import cache as archive_cache
    from sco_archive.front import PREFIX, digest

    EventFactory(title="Peace Mission 2031")
    call(front, "/events/")
    environ = RequestFactory().get("/events/").environ
    shared_key = f"{PREFIX}{archive_cache.get_archive_version()}:{digest(environ)}"
    archive_cache._cache().set(
        shared_key, ("200 OK", [("X-Cache", "miss")], b"from the shared cache")
    )

    _, headers, body, _ = call(front, "/events/")
    assert headers["X-Cache"] == "front" and "Peace Mission 2031" in body  # its own copy
    _, _, body, _ = call(CacheFront(WSGIHandler()), "/events/")  # another process
    assert body == "from the shared cache"

    archive_cache.bump_archive_version()
    _, headers, body, _ = call(front, "/events/")
    assert headers["X-Cache"] != "front" and "Peace Mission 2031" in body  # rebuilt


def test_local_copies_stay_within_their_byte_budget():
    from sco_archive.front import LocalEntries

    local = LocalEntries(budget=10)
    local.put("a", 1, ready(("200 OK", [], b"12345")))
    local.put("b", 1, ready(("200 OK", [], b"12345")))
    local.get("a")  # a is now the most recently used
    local.put("c", 1, ready(("200 OK", [], b"123")))
    assert local.get("b") is None and local.get("a") and local.get("c")
    assert local.used == 8
    local.put("big", 1, ready(("200 OK", [], b"x" * 11)))  # larger than the budget: not kept
    assert local.get("big") is None and local.used == 8


def test_over_redis_the_version_and_entry_come_in_one_lookup_and_the_version_alone_after():
    redis = pytest.importorskip("redis")
    from django.core.cache.backends.redis import RedisCache

    from sco_archive import cache as archive_cache

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    shared = RedisCache(url, {"KEY_PREFIX": "sco-front-test"})
    shared.clear()
    version = archive_cache.get_archive_version(shared)
    entry = ("200 OK", [("X-Cache", "miss")], b"page")
    shared.set(f"sco:front:{version}:d1", entry)

    assert archive_cache.lookup_entry("sco:front:", "d1", shared) == (version, entry)
    assert archive_cache.read_version(shared) == version
    archive_cache.bump_archive_version(shared)
    moved = archive_cache.read_version(shared)
    assert moved > version
    assert archive_cache.lookup_entry("sco:front:", "d1", shared) == (moved, None)

    archive_cache._threads.connections[id(shared)].disconnect()  # Redis restarted, say
    assert archive_cache.read_version(shared) == moved
    shared.clear()
