"""The anonymous response cache and the archive version (sco_archive/cache.py,
sources/caching.py): hits, freshness after every kind of write, privacy, faults.

Most tests use ``transactional_db``, so that writes commit as they do in production.
Tests across processes (gunicorn workers, nginx) are in tests/deploy/.
"""

import os
import socket
import threading
import time
import uuid
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django.views.decorators.cache import cache_control, never_cache

from events.models import Event
from sco_archive.apps import archive_tables
from sco_archive.cache import response_key
from sources import caching
from sources.counting import CachedCountPaginator, cached_count, cached_facets

CALLS = {"n": 0}
LIST = engines["django"].from_string("{% for e in events %}<li>{{ e.title }}</li>{% endfor %}")
NONCE = engines["django"].from_string('<script nonce="{{ csp_nonce }}">1</script>')


def events_page(request):
    CALLS["n"] += 1
    return HttpResponse(LIST.render({"events": Event.objects.published().order_by("title")}))


def events_api(request):
    CALLS["n"] += 1
    titles = list(Event.objects.published().order_by("title").values_list("title", flat=True))
    response = JsonResponse({"results": titles})
    response["Vary"] = "Accept"
    return response


def sets_cookie(request):
    response = HttpResponse("hello")
    response.set_cookie("tracking", "1")
    return response


def varies_on_cookie(request):
    response = HttpResponse("hello")
    response["Vary"] = "Cookie"
    return response


def with_nonce(request):
    return HttpResponse(NONCE.render({}, request))


urlpatterns = [
    path("events/", events_page),
    path("api/v1/events/", events_api),
    path("cookie/", sets_cookie),
    path("vary-cookie/", varies_on_cookie),
    path("never/", never_cache(lambda request: HttpResponse("fresh"))),
    path("own/", cache_control(max_age=5)(lambda request: HttpResponse("own"))),
    path("missing/", lambda request: HttpResponse("nope", status=404)),
    path("nonce/", with_nonce),
    path("admin/page/", events_page),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.SCO_CACHE = True
    settings.CACHES = {  # a cache of this test's own: nothing left over from others
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    caching._faults.update(down_until=0.0, warned_at=float("-inf"))
    CALLS["n"] = 0


def publish(title, status="published"):
    return Event.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), status=status, date_precision="unknown"
    )


def test_anonymous_get_is_cached_with_standard_headers(client, transactional_db):
    publish("Peace Mission-2021")
    first = client.get("/events/")
    second = client.get("/events/")
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert CALLS["n"] == 1
    assert b"Peace Mission-2021" in second.content
    assert second["Cache-Control"] == "public, max-age=0, s-maxage=1, stale-while-revalidate=1"
    assert second["ETag"] == first["ETag"]
    assert client.get("/events/", headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_every_kind_of_write_is_visible_on_the_next_request(client, transactional_db):
    event = publish("Vostok-2018")
    assert b"Vostok-2018" in client.get("/events/").content
    event.title = "Vostok-2018 (corrected)"
    event.save()
    assert b"Vostok-2018 (corrected)" in client.get("/events/").content
    Event.objects.filter(pk=event.pk).update(title="Vostok 2018")  # no signals
    assert b"Vostok 2018<" in client.get("/events/").content
    Event.objects.bulk_create(
        [Event(title="Zapad-2021", slug="zapad-2021", status="published", date_precision="unknown")]
    )
    assert b"Zapad-2021" in client.get("/events/").content
    with connection.cursor() as cursor:  # raw SQL: the triggers see it too
        cursor.execute("UPDATE events_event SET status = 'draft' WHERE slug = 'zapad-2021'")
    assert b"Zapad-2021" not in client.get("/events/").content
    assert CALLS["n"] == 5


def test_a_rolled_back_write_never_reaches_the_cache(client, transactional_db):
    publish("Peace Mission-2010")
    with pytest.raises(RuntimeError), transaction.atomic():
        publish("Never committed")
        assert b"Never committed" in client.get("/events/").content  # this transaction's view
        raise RuntimeError
    body = client.get("/events/").content
    assert b"Peace Mission-2010" in body and b"Never committed" not in body


def test_a_draft_never_appears_until_published(client, transactional_db):
    draft = publish("Secret draft", status="draft")
    publish("Public event")
    for _ in range(2):
        body = client.get("/events/").content
        assert b"Public event" in body and b"Secret draft" not in body
    assert b"Secret draft" not in client.get("/api/v1/events/").content
    draft.status = "published"
    draft.save()
    assert b"Secret draft" in client.get("/events/").content
    assert b"Secret draft" in client.get("/api/v1/events/").content


def test_authenticated_requests_are_never_cached_nor_served_from_cache(client, transactional_db):
    publish("Peace Mission-2018")
    client.get("/events/")  # cached for anonymous readers
    user = get_user_model().objects.create_user("editor", password="x-long-password-1")
    client.force_login(user)
    for _ in range(2):
        response = client.get("/events/")
        assert "X-Cache" not in response and "public" not in response.get("Cache-Control", "")
    assert CALLS["n"] == 3
    client.logout()
    assert "X-Cache" not in client.get("/events/", headers={"Authorization": "Token abc"})


@pytest.mark.parametrize("url", ["/cookie/", "/vary-cookie/", "/never/", "/missing/", "/nonce/"])
def test_cookies_private_errors_and_nonces_are_not_cached(client, transactional_db, url):
    client.get(url)
    response = client.get(url)
    assert "X-Cache" not in response and "public" not in response.get("Cache-Control", "")


def test_admin_and_the_messages_cookie_bypass_the_cache(client, transactional_db):
    assert "X-Cache" not in client.get("/admin/page/")
    client.cookies["messages"] = "x"
    assert "X-Cache" not in client.get("/events/")


def test_a_view_keeps_its_own_cache_control(client, transactional_db):
    client.get("/own/")
    response = client.get("/own/")
    assert response["X-Cache"] == "hit" and response["Cache-Control"] == "max-age=5"


def test_api_is_keyed_by_accept_and_keeps_vary(client, transactional_db):
    publish("Tsentr-2019")
    client.get("/api/v1/events/", headers={"Accept": "application/json"})
    hit = client.get("/api/v1/events/", headers={"Accept": "application/json"})
    assert hit["X-Cache"] == "hit" and "Accept" in hit["Vary"]
    assert hit.json() == {"results": ["Tsentr-2019"]}
    assert client.get("/api/v1/events/", headers={"Accept": "text/html"})["X-Cache"] == "miss"
    assert client.get("/api/v1/events/?page=2")["X-Cache"] == "miss"


def test_turned_off_with_sco_cache_0(client, settings, transactional_db):
    settings.SCO_CACHE = False
    client.get("/events/")
    assert "X-Cache" not in client.get("/events/")
    assert CALLS["n"] == 2


def test_a_forged_host_is_left_to_djangos_400(client, settings, transactional_db):
    forged = RequestFactory().get("/events/", headers={"Host": "evil.example"})
    assert response_key(forged) is None  # no DisallowedHost raised here: CommonMiddleware's
    client.raise_request_exception = False
    statuses = []
    for on in (True, False):
        settings.SCO_CACHE = on
        statuses.append(client.get("/events/", headers={"Host": "evil.example"}).status_code)
    assert statuses[0] == statuses[1] != 200  # the same answer as without the cache


def test_keys_carry_the_database_identity_and_its_version(transactional_db, monkeypatch):
    key = caching.key("count", "abc")
    assert key.startswith(f"sco:{caching.identity()}-") and key.endswith(":count:abc")
    publish("Peace Mission-2012")
    assert caching.key("count", "abc") != key
    other = SimpleNamespace(vendor=connection.vendor, settings_dict={"NAME": "another"})
    monkeypatch.setattr(caching, "connections", {"default": other})
    assert caching.identity() not in key


def test_every_archive_table_has_a_trigger(transactional_db):
    tables = archive_tables()
    assert {"events_event", "events_claim", "events_citation", "sources_article"} <= set(tables)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE 'sco_version_%%'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'sco_version_%'"
            )
        with_trigger = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= with_trigger


def test_cached_counts_and_facets_follow_the_version(transactional_db):
    publish("Peace Mission-2005")
    publish("Peace Mission-2007")
    published = Event.objects.published()
    assert cached_count(published) == 2
    with caching.request_scope(), CaptureQueriesContext(connection) as queries:
        assert cached_count(published) == 2
        assert CachedCountPaginator(published.order_by("pk"), 1).count == 2
    assert len(queries) == 1  # the version, read once for the request; counts from the cache
    assert cached_facets(published, "kind") == [("other", 2)]
    publish("Vostok-2010")
    assert cached_count(published) == 3
    assert cached_facets(published, "kind") == [("other", 3)]


def test_recomputation_is_single_flight(transactional_db, monkeypatch):
    started, waiting, release, calls, results = (*(threading.Event() for _ in "swr"), [], {})

    def slow():
        calls.append("leader")
        started.set()
        assert release.wait(10)
        return "value"

    def sleep(seconds):  # the follower polls: it is waiting for the leader's value
        waiting.set()
        time.sleep(seconds)

    monkeypatch.setattr(caching, "time", SimpleNamespace(monotonic=time.monotonic, sleep=sleep))
    leader = threading.Thread(
        target=lambda: results.update(a=caching.get_or_compute("k", slow, 60))
    )
    follower = threading.Thread(
        target=lambda: results.update(b=caching.get_or_compute("k", calls.append, 60))
    )
    leader.start()
    assert started.wait(10)
    follower.start()
    assert waiting.wait(10)
    release.set()
    leader.join(10), follower.join(10)
    assert calls == ["leader"]  # computed once
    assert results == {"a": ("value", False), "b": ("value", True)}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_redis_down_serves_from_the_database_with_one_warning(
    client, settings, transactional_db, caplog
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/5",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
    settings.SCO_COUNT_CACHE = True
    publish("Peace Mission-2014")
    for _ in range(3):
        response = client.get("/events/")
        assert response.status_code == 200 and b"Peace Mission-2014" in response.content
        assert cached_count(Event.objects.published()) == 1
        caching._faults["down_until"] = 0.0  # retry at once: every request meets the fault
    records = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert len(records) == 1 and "Cache unavailable" in records[0].getMessage()
    assert records[0].exc_info is None  # a line, not a traceback


REDIS_URL = os.environ.get("SCO_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_up():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


@pytest.mark.skipif(not redis_up(), reason=f"no Redis at {REDIS_URL} (.ci/run starts one)")
def test_with_redis_every_write_is_seen_and_counts_are_shared(client, settings, transactional_db):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"sco-test-{uuid.uuid4().hex}",  # never another run's keys
        }
    }
    settings.SCO_CACHE_TTL = 30
    event = publish("Peace Mission-2016")
    assert client.get("/events/")["X-Cache"] == "miss"
    assert client.get("/events/")["X-Cache"] == "hit"
    Event.objects.filter(pk=event.pk).update(status="draft")
    response = client.get("/events/")
    assert response["X-Cache"] == "miss" and b"Peace Mission-2016" not in response.content
    assert cached_count(Event.objects.published()) == 0
    event.save(update_fields=["title"])  # still a draft: a new version all the same
    assert client.get("/events/")["X-Cache"] == "miss"
