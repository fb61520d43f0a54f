"""The shared response cache and conditional GET for anonymous readers (issue #8).

``ArchiveCacheMiddleware`` caches anonymous GET/HEAD responses of public pages and the
API per full URL (plus the negotiated format for ``/api/``), under a key that includes
the **archive version**: one value in the shared cache (``sco:archive-version``), read
once per request. Any write to the archive sets a new version, so every cached
response becomes unreachable at once, in every worker and on every machine that shares
the cache (REDIS_URL). With the default local-memory cache each process has its own
version and its own entries: correct for one process only (``runserver``, tests), not
for several gunicorn workers — set REDIS_URL there.

What bumps the version (on commit, never before — a reader must not cache the old state
under the new version):

- ``post_save``/``post_delete`` of Outlet, Article, Quote, FormerSlug, Entity, Series,
  Event, Claim and Citation, and ``m2m_changed`` of ``Claim.quotes``;
- any INSERT/UPDATE/DELETE on a ``sources_``/``events_`` table issued through Django,
  caught by a database execute wrapper — so ``QuerySet.update()``, ``bulk_create()``
  and raw SQL through Django's cursor count too;
- an explicit :func:`bump_archive_version` — for writers in a process where this module
  was never imported (a management command, a script, another program): call it, or set
  the cache key to any new value (``events.synthetic.bump_version`` does so).

Receivers and the wrapper are connected when this module is imported: the middleware
imports it in every web process. For management commands to bump too, the app config
must import it (see docs/performance.md).

Never cached: requests with a session or messages cookie or an Authorization header
(logged-in editors, the admin), ``/admin/``, responses that set a cookie, vary on
Cookie, are not 200, are streamed, or say private/no-store/no-cache; and any request
made while this database connection holds uncommitted archive writes.

Every cached (or cacheable) response gets a weak ``ETag`` (archive version + URL),
``Last-Modified`` (when the version was set) and, unless the view set its own,
``Cache-Control: public, max-age=60``; ``If-None-Match`` / ``If-Modified-Since`` are
answered with 304. A cached page's CSP nonce is replaced by a fresh one on every hit.

Settings: ``SCO_CACHE`` (env ``SCO_CACHE=0`` turns it off; unset means on, except under
the test runner), ``SCO_CACHE_ALIAS`` ("default"), ``SCO_CACHE_TTL`` (seconds an entry
lives, 300), ``SCO_CACHE_MAX_AGE`` (60), ``SCO_CACHE_MAX_BYTES`` (2 MB).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.csp import generate_nonce
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "sco:archive-version"
PAGE_PREFIX = "sco:page:"  # the middleware's entries: <prefix><version>:<digest>
WATCHED_MODELS = (
    "sources.Outlet",
    "sources.Article",
    "sources.Quote",
    "sources.FormerSlug",
    "events.Entity",
    "events.Series",
    "events.Event",
    "events.Claim",
    "events.Citation",
)
WATCHED_TABLE_PREFIXES = ('"sources_', '"events_', "sources_", "events_")
SAFE_VARY = {"accept", "accept-encoding", "origin"}
EXCLUDED_PREFIXES = ("/admin/",)
MESSAGES_COOKIE = "messages"


def _setting(name, default):
    return getattr(settings, name, default)


def _cache():
    return caches[_setting("SCO_CACHE_ALIAS", "default")]


def caching_enabled():
    """``SCO_CACHE`` if set; otherwise on, except under a Django test environment
    (other suites assert on ``response.context`` and query counts of fresh renders)."""
    value = _setting("SCO_CACHE", None)
    if value is not None:
        return bool(value)
    from django.test import utils

    return not hasattr(utils._TestState, "saved_data")


# -- the archive version ----------------------------------------------------------------


def get_archive_version(cache=None):
    """The current archive version (an int: nanoseconds since the epoch when it was set)."""
    cache = cache or _cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        # First use, or evicted: start a new version (the first writer wins).
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY) or time.time_ns()
    return version


def bump_archive_version(cache=None):
    """Make every cached page and API response stale, in every process sharing the cache.

    Call it after writes that Django did not see (other programs, SQL outside Django) or
    made in a process that never imported this module. Safe to call any time; a cache
    failure is logged, not raised."""
    cache = cache or _cache()
    try:
        old = cache.get(VERSION_KEY) or 0
        cache.set(VERSION_KEY, max(time.time_ns(), old + 1), None)
    except Exception:  # the cache being down must not break a write
        logger.exception("Could not bump the archive version")


def _queued(connection):
    """True when a bump is already queued that survives the current savepoints."""
    current = set(connection.savepoint_ids)
    return any(
        func is bump_archive_version and set(sids) <= current
        for sids, func, *_ in connection.run_on_commit
    )


def note_archive_write(using="default"):
    """The archive changed on connection ``using``: bump the version once it commits."""
    connection = connections[using]
    if not connection.in_atomic_block:
        bump_archive_version()
    elif not _queued(connection):
        transaction.on_commit(bump_archive_version, using=using, robust=True)


def has_uncommitted_archive_writes():
    """Does this thread hold archive writes that other readers cannot see yet?"""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block and any(
            func is bump_archive_version for _, func, *_ in connection.run_on_commit
        ):
            return True
    return False


def _on_model_change(sender, using="default", **kwargs):
    note_archive_write(using)


def _on_m2m_change(sender, action, using="default", **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        note_archive_write(using)


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    head = sql[:8].lstrip().upper()
    if head.startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE")) and any(
        prefix in sql for prefix in WATCHED_TABLE_PREFIXES
    ):
        note_archive_write(context["connection"].alias)
    return result


def _install_wrapper(connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect_receivers():
    for model in WATCHED_MODELS:
        post_save.connect(_on_model_change, sender=model, weak=False, dispatch_uid=f"sco-{model}")
        post_delete.connect(
            _on_model_change, sender=model, weak=False, dispatch_uid=f"sco-del-{model}"
        )
    m2m_changed.connect(
        _on_m2m_change, sender="events.Citation", weak=False, dispatch_uid="sco-m2m-citation"
    )
    connection_created.connect(_install_wrapper, weak=False, dispatch_uid="sco-watch-writes")
    for connection in connections.all(initialized_only=True):
        _install_wrapper(connection)


connect_receivers()


# -- the middleware ---------------------------------------------------------------------

# Read the version and the entry it names in one round trip: on a hit that halves the
# time spent waiting for Redis (two GETs were ~75 % of a cached response's cost).
_LOOKUP_LUA = """
local v = redis.call('GET', KEYS[1])
if not v then return false end
return {v, redis.call('GET', ARGV[1] .. v .. ARGV[2])}
"""
_scripts = {}
_clients = {}
_threads = threading.local()  # each thread's own connection for read_version()


def lookup_entry(prefix, digest, cache=None):
    """(archive version, the entry stored under ``<prefix><version>:<digest>`` or None)."""
    cache = cache or _cache()
    found = _redis_lookup(cache, digest, prefix)
    if found is not None:
        return found
    version = get_archive_version(cache)
    return version, cache.get(f"{prefix}{version}:{digest}")


def _plain_redis(cache):
    """Django's Redis backend with its default key function (keys we can build ourselves)."""
    from django.core.cache.backends.base import default_key_func
    from django.core.cache.backends.redis import RedisCache

    return isinstance(cache, RedisCache) and cache.key_func is default_key_func


def _client(cache):
    # One client per cache object and process: building one per request (Django's
    # get_client) cost ~0.15 ms of a ~0.8 ms hit.
    client = _clients.get(id(cache))
    if client is None:
        client = _clients[id(cache)] = cache._cache.get_client(write=False)
    return client


def _redis_lookup(cache, digest, prefix):
    """(version, entry) via a Lua script on Django's Redis backend; None when not
    applicable (another backend, a custom KEY_FUNCTION, no version yet)."""
    if not _plain_redis(cache):
        return None
    client = _client(cache)
    script = _scripts.get("lookup")
    if script is None:
        script = _scripts["lookup"] = client.register_script(_LOOKUP_LUA)
    prefix = cache.make_and_validate_key(prefix)
    version_key = cache.make_and_validate_key(VERSION_KEY)
    reply = script(keys=[version_key], args=[prefix, f":{digest}"], client=client)
    if not reply:
        return None
    raw_version, raw_entry = reply
    loads = cache._cache._serializer.loads
    return int(raw_version), (loads(raw_entry) if raw_entry is not None else None)


def read_version(cache=None):
    """The archive version alone, as cheaply as it can be read: on Redis one GET on a
    connection this thread keeps (~56 µs here, where redis-py's pooled GET took ~70 µs
    and the Lua lookup ~100 µs); elsewhere :func:`get_archive_version`."""
    cache = cache or _cache()
    if not _plain_redis(cache):
        return get_archive_version(cache)
    connections_ = _threads.__dict__.setdefault("connections", {})
    connection = connections_.get(id(cache))
    if connection is None:
        connection = connections_[id(cache)] = _client(cache).connection_pool.make_connection()
    try:
        connection.send_command("GET", cache.make_and_validate_key(VERSION_KEY))
        raw = connection.read_response()
    except Exception:
        connection.disconnect()  # the next call reconnects
        raise
    return get_archive_version(cache) if raw is None else int(raw)


def _format_for(request):
    """The API's negotiated format as far as the key needs it (DRF varies on Accept)."""
    accept = request.headers.get("Accept", "")
    if "text/html" in accept:
        return "html"
    if not accept or "json" in accept or "*/*" in accept:
        return "json"
    return accept[:200]


NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary", "X-Cache")


def not_modified(if_none_match, if_modified_since, etag, modified):
    """Whether a conditional GET is answered 304: If-None-Match (weak comparison) when
    given, else If-Modified-Since against `modified` (seconds since the epoch)."""
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    since = parse_http_date_safe(if_modified_since or "")
    return since is not None and modified is not None and modified <= since


def request_is_cacheable(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(EXCLUDED_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    if "Authorization" in request.headers:
        return False
    return not has_uncommitted_archive_writes()


def response_is_cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache", "max-age=0")):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    if not vary <= SAFE_VARY:
        return False
    return len(response.content) <= _setting("SCO_CACHE_MAX_BYTES", 2 * 1024 * 1024)


class ArchiveCacheMiddleware:
    """See the module docstring. Sits after CorsMiddleware: CORS headers stay per request."""

    def __init__(self, get_response, cache=None):
        self.get_response = get_response
        self._cache = cache  # tests pass one; otherwise settings.SCO_CACHE_ALIAS

    @property
    def cache(self):
        return self._cache or _cache()

    def __call__(self, request):
        if not caching_enabled() or not request_is_cacheable(request):
            return self.get_response(request)
        try:
            version, key, entry = self.lookup(request)
        except Exception:
            logger.exception("Response cache unavailable; serving uncached")
            return self.get_response(request)

        if entry is not None:
            response = self._from_entry(entry, request)
            response["X-Cache"] = "hit"
        else:
            response = self.get_response(request)
            if request.method != "GET" or not response_is_cacheable(response):
                return response
            try:
                self.cache.set(key, self._entry(request, response), _setting("SCO_CACHE_TTL", 300))
            except Exception:
                logger.exception("Could not store a response in the cache")
            response["X-Cache"] = "miss"
        return self._conditional(request, response, version, key)

    @staticmethod
    def digest(request):
        url = request.build_absolute_uri()
        fmt = _format_for(request) if request.path.startswith("/api/") else ""
        return hashlib.blake2b(f"{url}\n{fmt}".encode(), digest_size=16).hexdigest()

    def lookup(self, request):
        """(version, key, cached entry or None): one Redis round trip, else two reads."""
        digest = self.digest(request)
        version, entry = lookup_entry(PAGE_PREFIX, digest, self.cache)
        return version, f"{PAGE_PREFIX}{version}:{digest}", entry

    @staticmethod
    def _entry(request, response):
        nonce = getattr(request, "_csp_nonce", None)
        nonce = str(nonce) if nonce else None  # a LazyNonce is falsy until it was used
        headers = [(k, v) for k, v in response.items() if k.lower() != "x-cache"]
        return (response.status_code, headers, response.content, nonce)

    @staticmethod
    def _from_entry(entry, request):
        status, headers, content, nonce = entry
        fresh = None
        if nonce:
            # The page and its CSP header carried a nonce: never hand the same one out twice.
            fresh = generate_nonce()
            content = content.replace(nonce.encode(), fresh.encode())
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value.replace(nonce, fresh) if fresh else value
        return response

    @staticmethod
    def _conditional(request, response, version, key):
        etag = f'W/"{version:x}-{key[-12:]}"'
        modified = version // 1_000_000_000
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified)
        if "Cache-Control" not in response:
            max_age = _setting("SCO_CACHE_MAX_AGE", 60)
            patch_cache_control(response, public=True, max_age=max_age)
        fresh = not_modified(
            request.headers.get("If-None-Match"),
            request.headers.get("If-Modified-Since"),
            etag,
            modified,
        )
        if not fresh:
            return response
        reply = HttpResponseNotModified()
        for name in NOT_MODIFIED_HEADERS:
            if name in response:
                reply[name] = response[name]
        return reply
