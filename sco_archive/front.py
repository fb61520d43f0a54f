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
"""

from __future__ import annotations

import hashlib
import logging
import re

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


def _not_modified(environ, headers):
    found = {name.lower(): value for name, value in headers}
    return archive_cache.not_modified(
        environ.get("HTTP_IF_NONE_MATCH"),
        environ.get("HTTP_IF_MODIFIED_SINCE"),
        found.get("etag"),
        parse_http_date_safe(found.get("last-modified", "")),
    )


class CacheFront:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if not eligible(environ):
            return self.app(environ, start_response)
        key_digest = digest(environ)
        try:
            version, entry = archive_cache.lookup_entry(PREFIX, key_digest)
        except Exception:
            logger.exception("Front cache unavailable; passing through")
            return self.app(environ, start_response)
        if entry is not None:
            return self.serve(entry, environ, start_response)
        return self.fill(environ, start_response, f"{PREFIX}{version}:{key_digest}")

    @staticmethod
    def serve(entry, environ, start_response):
        status, headers, body = entry
        policy = next((v for n, v in headers if n.lower() == "content-security-policy"), "")
        nonce = _NONCE.search(policy)
        if nonce:
            old, fresh = nonce.group(1), generate_nonce()
            body = body.replace(old.encode(), fresh.encode())
            headers = [(name, value.replace(old, fresh)) for name, value in headers]
        headers = [(n, v) for n, v in headers if n.lower() != "x-cache"] + [("X-Cache", "front")]
        if _not_modified(environ, headers):
            keep = {name.lower() for name in archive_cache.NOT_MODIFIED_HEADERS}
            start_response("304 Not Modified", [(n, v) for n, v in headers if n.lower() in keep])
            return []
        headers = [(n, v) for n, v in headers if n.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def fill(self, environ, start_response, key):
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
        try:
            ttl = getattr(archive_cache.settings, "SCO_CACHE_TTL", 300)
            archive_cache._cache().set(key, (seen["status"], headers, body), ttl)
        except Exception:
            logger.exception("Could not store a response in the front cache")
        return [body]
