"""Freshness decided by the database, for every cache of the archive (issue #14).

The table ``sco_archive_version`` holds one row: a random ``token``. A trigger on every
table of the ``sources`` and ``events`` models replaces it in the transaction of each
write (insert, update, delete; truncate on PostgreSQL), so saves, ``QuerySet.update()``,
``bulk_create()``, raw SQL, ``manage.py shell``, imports and other programs all count. A
rolled-back write leaves the old token, and a token is never reused, so a value computed
inside an uncommitted transaction is stored under a token no other reader ever sees.

Every cache key starts with :func:`archive_version` — a hash of the database's identity
(vendor, host, port, name) and the token — so the shared cache (Redis, or each process's
local memory) only stores bytes: after a commit, the next read in any process, on any
machine, names new keys. Writers to the archive queue on the one row until they commit.

:func:`get_or_compute` is the one way into the cache: single-flight (a reader of a key
that another process is computing waits for it, up to ``WAIT_SECONDS``), and a cache
that fails is skipped for ``RETRY_SECONDS``, with at most one warning a minute.
"""

from __future__ import annotations

import contextvars
import hashlib
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections

from .triggers import TABLE

logger = logging.getLogger(__name__)

WAIT_SECONDS, RETRY_SECONDS, WARN_EVERY = 5.0, 5.0, 60.0
_faults = {"down_until": 0.0, "warned_at": float("-inf")}
_scope = contextvars.ContextVar("sco_archive_versions", default=None)


def identity(using=DEFAULT_DB_ALIAS):
    """A short hash naming the database: two databases never share keys in one cache."""
    conn = connections[using]
    s = conn.settings_dict
    text = f"{conn.vendor}|{s.get('HOST')}|{s.get('PORT')}|{s.get('NAME')}"
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def archive_version(using=DEFAULT_DB_ALIAS):
    """``<database identity>-<token>``: read from the database (once per request scope)."""
    memo = _scope.get()
    if memo is not None and using in memo:
        return memo[using]
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE}")
        version = f"{identity(using)}-{cursor.fetchone()[0]}"
    if memo is not None:
        memo[using] = version
    return version


@contextmanager
def request_scope():
    """Read each database's version once in this block (a GET request: it writes nothing)."""
    reset = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(reset)


def key(kind, digest, using=DEFAULT_DB_ALIAS):
    return f"sco:{archive_version(using)}:{kind}:{digest}"


def enabled(kind="responses"):
    """``SCO_CACHE`` turns every cache on or off; ``SCO_COUNT_CACHE``, if set, decides counts."""
    if kind == "counts" and getattr(settings, "SCO_COUNT_CACHE", None) is not None:
        return bool(settings.SCO_COUNT_CACHE)
    return bool(getattr(settings, "SCO_CACHE", True))


def _failed(exc):
    now = time.monotonic()
    _faults["down_until"] = now + RETRY_SECONDS
    if now - _faults["warned_at"] >= WARN_EVERY:
        _faults["warned_at"] = now
        logger.warning("Cache unavailable (%r): serving from the database", exc)


def get_or_compute(key, compute, timeout, to_cache=None):
    """``(value, True)`` from the cache, else ``(compute(), False)``, storing
    ``to_cache(result)`` (the result itself by default; None stores nothing)."""
    cache = caches[getattr(settings, "SCO_CACHE_ALIAS", "default")]
    lock, leader = f"{key}:lock", False
    if time.monotonic() >= _faults["down_until"]:
        try:
            value = cache.get(key)
            if value is not None:
                return value, True
            leader = cache.add(lock, 1, WAIT_SECONDS)
            deadline = time.monotonic() + WAIT_SECONDS
            while not leader and time.monotonic() < deadline:  # another process computes it
                time.sleep(0.005)
                found = cache.get_many([key, lock])
                if key in found:
                    return found[key], True
                if lock not in found:
                    break
        except Exception as exc:
            _failed(exc)
    try:
        result = compute()
        value = result if to_cache is None else to_cache(result)
        if value is not None and time.monotonic() >= _faults["down_until"]:
            _quietly(cache.set, key, value, timeout)
    finally:
        if leader:  # after storing: a waiter finds the value, or computes it itself
            _quietly(cache.delete, lock)
    return result, False


def _quietly(operation, *args):
    try:
        operation(*args)
    except Exception as exc:
        _failed(exc)
