"""The anonymous response cache (sco_archive/cache.py): hits, invalidation, privacy, 304s.

Most tests use ``transactional_db``: the cache deliberately steps aside while a
connection holds uncommitted archive writes (as it does inside the ``db`` fixture's
transaction), so real commits are needed to exercise it.
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.test import RequestFactory
from django.urls import path
from django.views.decorators.cache import cache_control, never_cache

from events.models import Event
from sco_archive import cache as sco_cache

CALLS = {"n": 0}

PAGE = engines["django"].from_string(
    '<script nonce="{{ csp_nonce }}">1</script>'
    "{% for e in events %}<li>{{ e.title }}</li>{% endfor %}"
)


def events_page(request):
    CALLS["n"] += 1
    events = Event.objects.published().order_by("title")
    return HttpResponse(
        PAGE.render({"events": events, "csp_nonce": getattr(request, "_csp_nonce", "")}, request)
    )


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


@never_cache
def uncacheable(request):
    return HttpResponse("fresh")


@cache_control(max_age=5)
def own_cache_control(request):
    return HttpResponse("own")


def not_found(request):
    return HttpResponse("nope", status=404)


urlpatterns = [
    path("events/", events_page),
    path("api/v1/events/", events_api),
    path("cookie/", sets_cookie),
    path("vary-cookie/", varies_on_cookie),
    path("never/", uncacheable),
    path("own/", own_cache_control),
    path("missing/", not_found),
    path("admin/page/", events_page),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.SCO_CACHE = True
    sco_cache.bump_archive_version()  # a fresh version: earlier entries are unreachable
    CALLS["n"] = 0


def publish(title, status="published"):
    return Event.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), status=status, date_precision="unknown"
    )


def test_anonymous_get_is_cached(client, transactional_db):
    publish("Peace Mission-2021")
    first = client.get("/events/")
    second = client.get("/events/")
    assert first["X-Cache"] == "miss" and second["X-Cache"] == "hit"
    assert CALLS["n"] == 1
    assert b"Peace Mission-2021" in second.content
    assert second["Cache-Control"] == "public, max-age=60"
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]


def test_a_published_change_is_visible_on_the_next_request(client, transactional_db):
    event = publish("Vostok-2018")
    assert b"Vostok-2018" in client.get("/events/").content
    event.title = "Vostok-2018 (corrected)"
    event.save()
    assert b"Vostok-2018 (corrected)" in client.get("/events/").content
    # Writes that send no signals (QuerySet.update, bulk_create) invalidate too.
    Event.objects.filter(pk=event.pk).update(title="Vostok 2018")
    assert b"Vostok 2018<" in client.get("/events/").content
    Event.objects.bulk_create(
        [Event(title="Zapad-2021", slug="zapad-2021", status="published", date_precision="unknown")]
    )
    assert b"Zapad-2021" in client.get("/events/").content
    assert CALLS["n"] == 4


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
        assert "X-Cache" not in response and "ETag" not in response
    assert CALLS["n"] == 3
    response = client.get("/events/", headers={"Authorization": "Token abc"})
    assert "X-Cache" not in response


def test_admin_cookies_and_private_responses_are_not_cached(client, transactional_db):
    assert "X-Cache" not in client.get("/admin/page/")
    for url in ("/cookie/", "/vary-cookie/", "/never/", "/missing/"):
        client.get(url)
        assert "X-Cache" not in client.get(url), url
    client.cookies["messages"] = "x"
    assert "X-Cache" not in client.get("/events/")


def test_a_view_keeps_its_own_cache_control(client, transactional_db):
    client.get("/own/")
    response = client.get("/own/")
    assert response["X-Cache"] == "hit" and response["Cache-Control"] == "max-age=5"


def test_if_none_match_and_if_modified_since_answer_304(client, transactional_db):
    event = publish("Fanfares of Peace 2019")
    first = client.get("/events/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/events/", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/events/", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/events/", headers={"If-None-Match": 'W/"other"'}).status_code == 200
    event.title = "Fanfares of Peace 2020"
    event.save()
    changed = client.get("/events/", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"2020" in changed.content
    assert changed["ETag"] != etag


def test_api_is_keyed_by_format_and_keeps_vary(client, transactional_db):
    publish("Tsentr-2019")
    client.get("/api/v1/events/", headers={"Accept": "application/json"})
    hit = client.get("/api/v1/events/", headers={"Accept": "application/json"})
    assert hit["X-Cache"] == "hit" and "Accept" in hit["Vary"]  # CORS adds Origin
    assert hit.json() == {"results": ["Tsentr-2019"]}
    assert client.get("/api/v1/events/", headers={"Accept": "text/html"})["X-Cache"] == "miss"
    assert client.get("/api/v1/events/?page=2")["X-Cache"] == "miss"


def test_the_csp_nonce_is_fresh_on_every_hit(client, transactional_db):
    first = client.get("/events/")
    second = client.get("/events/")
    assert second["X-Cache"] == "hit"
    nonces = []
    for response in (first, second):
        nonce = response.content.split(b'nonce="')[1].split(b'"')[0].decode()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_turned_off_with_sco_cache_0(client, settings, transactional_db):
    settings.SCO_CACHE = False
    client.get("/events/")
    assert "X-Cache" not in client.get("/events/")
    assert CALLS["n"] == 2


def test_uncommitted_writes_bypass_the_cache(client, db):
    # Inside a transaction with archive writes, nothing is read from or stored in the cache.
    publish("Not yet committed")
    for _ in range(2):
        response = client.get("/events/")
        assert "X-Cache" not in response and b"Not yet committed" in response.content


def test_bump_archive_version_changes_every_key(client, transactional_db):
    client.get("/events/")
    assert client.get("/events/")["X-Cache"] == "hit"
    sco_cache.bump_archive_version()
    assert client.get("/events/")["X-Cache"] == "miss"


def _shared_caches():
    """Two cache clients over one store, as two gunicorn workers over one Redis."""
    if os.environ.get("REDIS_URL"):
        from django.core.cache.backends.redis import RedisCache

        return [RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "sco-test"}) for _ in (1, 2)]
    return [LocMemCache("sco-shared-test", {}) for _ in (1, 2)]


def test_two_workers_sharing_a_cache_see_the_invalidation(settings, transactional_db):
    one, two = _shared_caches()
    settings.CACHES = {"default": {**settings.CACHES["default"]}}
    if not os.environ.get("REDIS_URL"):
        settings.CACHES["default"] = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "sco-shared-test",
        }
    else:
        settings.CACHES["default"]["KEY_PREFIX"] = "sco-test"
    worker_a = sco_cache.ArchiveCacheMiddleware(events_page, cache=one)
    worker_b = sco_cache.ArchiveCacheMiddleware(events_page, cache=two)
    factory = RequestFactory()

    def get(worker):
        return worker(factory.get("/events/"))

    event = publish("Peace Mission-2007")
    assert get(worker_a)["X-Cache"] == "miss"
    assert get(worker_b)["X-Cache"] == "hit"  # the entry worker A stored
    event.title = "Peace Mission-2007 (Chelyabinsk)"
    event.save()  # the write bumps the version in the shared cache
    response = get(worker_b)
    assert response["X-Cache"] == "miss" and b"(Chelyabinsk)" in response.content
    assert get(worker_a)["X-Cache"] == "hit"


def test_cached_count_and_facets_follow_the_archive_version(transactional_db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sco_archive.counting import CachedCountPaginator, cached_count, cached_facets

    publish("Peace Mission-2005")
    publish("Peace Mission-2007")
    published = Event.objects.published()
    assert cached_count(published) == 2
    with CaptureQueriesContext(connection) as queries:
        assert cached_count(published) == 2
        assert CachedCountPaginator(published.order_by("pk"), 1).count == 2
    assert len(queries) == 0
    assert cached_facets(published, "kind") == [("other", 2)]
    publish("Vostok-2010")
    assert cached_count(published) == 3
    assert cached_facets(published, "kind") == [("other", 3)]
