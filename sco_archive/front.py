"""A WSGI front for anonymous reads: cached responses served before Django runs (issue #8).

``ArchiveCacheMiddleware`` (sco_archive/cache.py) decides what may be cached and stores
it; serving a hit from there still costs Django's request object, URL-independent
middleware and response object — about 0.8 ms, most of a cached response's cost. This
front sits around the WSGI application and answers a repeat anonymous GET from the
shared cache with the *complete* response that Django sent the first time (every
middleware's headers included), under a key that carries the archive version, so it is
invalidated by exactly what invalidates the middleware's entries.

What it stores: only responses the middleware marked cacheable (``X-Cache`` set) and that
set no cookie — so everything the middleware refuses (sessions, Authorization, /admin/,
private responses, streams such as the exports) passes straight through, never buffered.
What it keys on: the archive version, scheme, host, path and query, and the headers the
response may vary on (Accept, Origin). On a hit it renews the CSP nonce, sets
``X-Cache: front``, and answers ``If-None-Match``/``If-Modified-Since`` with 304.
Off when ``SCO_CACHE`` is off (tests turn it on where they exercise it).

Each process also keeps copies of the entries it served lately (``LocalEntries``, at most
``SCO_FRONT_LOCAL_BYTES``, 32 MB by default; 0 turns it off), each with the version it was
made under. A request for one of them still reads the shared version (one plain GET,
``cache.read_version``), and the entry's bytes come over only when the version has
moved: a copy is served only while it is exactly what the shared cache holds, so it is
never staler than that — but a 100 kB page no longer crosses the socket on every hit.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.utils.csp import generate_nonce
from django.utils.http import parse_http_date_safe

from . import cache as archive_cache

logger = logging.getLogger(__name__)

PREFIX = "sco:front:"
_NONCE = re.compile(r"'nonce-([^']+)'")
_BYPASS_COOKIES = ("sessionid=", "messages=")


def eligible(environ):
    if environ.get("REQUEST_METHOD") != "GET" or not archive_cache.caching_enabled():
        return False
    if environ.get("PATH_INFO", "").startswith(archive_cache.EXCLUDED_PREFIXES):
        return False
    if "HTTP_AUTHORIZATION" in environ:
        return False
    cookies = environ.get("HTTP_COOKIE", "")
    return not any(name in cookies for name in _BYPASS_COOKIES)


def digest(environ):
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    parts = (
        scheme,
        environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT", ""),
        environ.get("HTTP_ORIGIN", ""),
    )
    return hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()


_NOT_MODIFIED_KEEP = {name.lower() for name in archive_cache.NOT_MODIFIED_HEADERS}


@dataclass(frozen=True)
class Ready:
    """A stored response as a hit sends it, worked out once per entry and process."""

    status: str
    headers: list  # with X-Cache: front and Content-Length
    body: bytes
    nonce: str | None  # the CSP nonce to renew on every hit, if the page has one
    etag: str | None
    modified: int | None  # Last-Modified, seconds since the epoch


def ready(entry):
    status, headers, body = entry
    found = {name.lower(): value for name, value in headers}
    nonce = _NONCE.search(found.get("content-security-policy", ""))
    kept = [(n, v) for n, v in headers if n.lower() not in ("x-cache", "content-length")]
    return Ready(
        status,
        [*kept, ("X-Cache", "front"), ("Content-Length", str(len(body)))],
        body,
        nonce.group(1) if nonce else None,
        found.get("etag"),
        parse_http_date_safe(found.get("last-modified", "")),
    )


class LocalEntries:
    """This process's copies of front entries: ``digest -> (version, Ready)``, the least
    recently used dropped once their bodies pass ``budget`` bytes."""

    def __init__(self, budget):
        self.budget = budget
        self.used = 0
        self.items = OrderedDict()
        self.lock = threading.Lock()  # threaded servers (runserver, gthread) share it

    def get(self, key):
        with self.lock:
            item = self.items.get(key)
            if item is not None:
                self.items.move_to_end(key)
            return item

    def put(self, key, version, response):
        size = len(response.body)
        if size > self.budget:
            return
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.used -= len(old[1].body)
            self.items[key] = (version, response)
            self.used += size
            while self.used > self.budget:
                _, (_, dropped) = self.items.popitem(last=False)
                self.used -= len(dropped.body)


class CacheFront:
    def __init__(self, app, local_bytes=None):
        self.app = app
        if local_bytes is None:
            local_bytes = archive_cache._setting("SCO_FRONT_LOCAL_BYTES", 32 << 20)
        self.local = LocalEntries(local_bytes)

    def __call__(self, environ, start_response):
        if not eligible(environ):
            return self.app(environ, start_response)
        key_digest = digest(environ)
        copy = self.local.get(key_digest)
        try:
            if copy is not None and archive_cache.read_version() == copy[0]:
                return self.serve(copy[1], environ, start_response)
            version, entry = archive_cache.lookup_entry(PREFIX, key_digest)
        except Exception:
            logger.exception("Front cache unavailable; passing through")
            return self.app(environ, start_response)
        if entry is not None:
            response = ready(entry)
            self.local.put(key_digest, version, response)
            return self.serve(response, environ, start_response)
        return self.fill(environ, start_response, version, key_digest)

    @staticmethod
    def serve(response, environ, start_response):
        headers, body = response.headers, response.body
        if response.nonce:  # never hand the same nonce out twice
            old, fresh = response.nonce, generate_nonce()
            body = body.replace(old.encode(), fresh.encode())
            headers = [(n, v.replace(old, fresh)) for n, v in headers[:-1]]
            headers.append(("Content-Length", str(len(body))))
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        if conditional and archive_cache.not_modified(
            environ.get("HTTP_IF_NONE_MATCH"),
            environ.get("HTTP_IF_MODIFIED_SINCE"),
            response.etag,
            response.modified,
        ):
            start_response(
                "304 Not Modified", [h for h in headers if h[0].lower() in _NOT_MODIFIED_KEEP]
            )
            return []
        start_response(response.status, headers)
        return [body]

    def fill(self, environ, start_response, version, key_digest):
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        headers = seen.get("headers", [])
        names = {name.lower(): value for name, value in headers}
        storable = (
            seen.get("status", "").startswith("200")
            and names.get("x-cache") in ("miss", "hit")
            and "set-cookie" not in names
        )
        if not storable:
            return result  # streams and uncacheable responses pass through untouched
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        entry = (seen["status"], headers, body)
        try:
            ttl = archive_cache._setting("SCO_CACHE_TTL", 300)
            archive_cache._cache().set(f"{PREFIX}{version}:{key_digest}", entry, ttl)
            self.local.put(key_digest, version, ready(entry))
        except Exception:
            logger.exception("Could not store a response in the front cache")
        return [body]
