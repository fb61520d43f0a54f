"""Anonymous page and API responses from the shared cache, keyed by the archive version.

``ArchiveCacheMiddleware`` stores an anonymous GET/HEAD response under a key made of the
archive version (:func:`sources.caching.archive_version`: the database's identity and a
token its triggers replace on every write), the scheme, host, path and query, and the
request headers the app varies on (``KEY_HEADERS``). Nothing else decides freshness: the
first request after a commit, in any worker, reads the new token and misses.

Cacheable responses (200, not streamed, no cookie set, no ``private``/``no-store``/
``no-cache``, ``Vary`` within ``KEY_HEADERS``, no CSP nonce, at most
``SCO_CACHE_MAX_BYTES``) get an ``ETag`` (a hash of the bytes: the same in every worker)
and, unless the view set its own, ``Cache-Control: public, max-age=0,
s-maxage=SCO_CACHE_S_MAXAGE, stale-while-revalidate=SCO_CACHE_STALE`` — so nginx or a CDN
serves them for at most the sum of the two (2 s by default) after a change.
``ConditionalGetMiddleware`` answers ``If-None-Match`` with 304.

Never cached, never served from the cache: a session or messages cookie, an
``Authorization`` header, ``/admin/``, a Host that is not allowed (Django's 400 handles
it). ``SCO_CACHE=0`` turns it off. ``X-Cache: hit|miss`` says what happened.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from sources import caching

KEY_HEADERS = ("Accept", "Accept-Language", "Origin")
EXCLUDED_PREFIXES = ("/admin/",)
BYPASS_COOKIES = ("messages",)
UNCACHEABLE = ("private", "no-store", "no-cache")


def _setting(name, default):
    return getattr(settings, name, default)


def response_key(request):
    """The cache key of an anonymous GET/HEAD ``request``, None if it must not be cached."""
    if not caching.enabled() or request.path.startswith(EXCLUDED_PREFIXES):
        return None
    cookies = (settings.SESSION_COOKIE_NAME, *BYPASS_COOKIES)
    if "Authorization" in request.headers or any(name in request.COOKIES for name in cookies):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # CommonMiddleware raises it again: Django's 400
    parts = [request.scheme, host, request.get_full_path()]
    parts += [request.headers.get(name, "")[:200] for name in KEY_HEADERS]
    digest = hashlib.blake2b("\n".join(parts).encode(), digest_size=16).hexdigest()
    return caching.key("response", digest)


def cacheable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return (
        not any(word in control for word in UNCACHEABLE)
        and vary <= {name.lower() for name in KEY_HEADERS}
        and "'nonce-" not in response.get("Content-Security-Policy", "")
        and len(response.content) <= _setting("SCO_CACHE_MAX_BYTES", 2 << 20)
    )


def entry(response):
    """What the cache stores of ``response`` (None: nothing), its headers completed."""
    if not cacheable(response):
        return None
    response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
    if "Cache-Control" not in response:
        patch_cache_control(
            response,
            public=True,
            max_age=0,
            s_maxage=_setting("SCO_CACHE_S_MAXAGE", 1),
            stale_while_revalidate=_setting("SCO_CACHE_STALE", 1),
        )
    response["X-Cache"] = "miss"
    return response.status_code, list(response.items()), response.content


class ArchiveCacheMiddleware:
    """See the module docstring. Sits after CorsMiddleware: CORS headers stay per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with caching.request_scope():  # counts computed below read the same version
            key = response_key(request)
            if key is None:
                return self.get_response(request)
            ttl = _setting("SCO_CACHE_TTL", 300)
            found, hit = caching.get_or_compute(key, lambda: self.get_response(request), ttl, entry)
        if not hit:
            return found
        status, headers, content = found
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = "hit"
        return response
