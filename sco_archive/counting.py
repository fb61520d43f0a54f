"""COUNT(*) and facet counts that stay cheap at scale (issue #8).

A paginated list runs its query twice: the page (LIMIT/OFFSET, fast with the right index)
and ``COUNT(*)`` over every matching row, which on 1M claims joined to events costs a
full scan on every request. Facet counts (events by kind, year, series…) are the same
kind of cost. Both change only when the archive does, so they are cached under the
archive version (see :mod:`sco_archive.cache`): exact, and recomputed after any write.

Where to plug them in:

- DRF lists: ``pagination_class = CachedCountPageNumberPagination`` (or set
  ``django_paginator_class = CachedCountPaginator`` on the project's own pagination
  class in ``sco_archive/pagination.py``); ``count`` stays exact.
- Django ``ListView``: ``paginator_class = CachedCountPaginator``.
- Facets: ``cached_facets(Event.objects.published(), "kind")`` instead of
  ``values("kind").annotate(n=Count("pk"))``.
- PostgreSQL at millions of rows: ``EstimatedCountPaginator`` answers with the
  planner's estimate when it is above ``SCO_COUNT_ESTIMATE_ABOVE`` (default 1,000,000)
  and the exact, cached count otherwise.

Caching steps aside, like the response cache, when ``SCO_CACHE`` is off or the current
connection holds uncommitted archive writes.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from sco_archive.cache import caching_enabled, has_uncommitted_archive_writes, lookup_entry

COUNT_TTL = 600


def _cache():
    return caches[getattr(settings, "SCO_CACHE_ALIAS", "default")]


def _digest(queryset, extra=""):
    """What identifies an aggregate of ``queryset``: its database, SQL and parameters."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    text = f"{queryset.db}\n{sql}\n{params!r}\n{extra}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _usable():
    """Counts are cached when ``SCO_COUNT_CACHE`` says so (unset: like the response cache),
    never while this connection holds uncommitted archive writes."""
    setting = getattr(settings, "SCO_COUNT_CACHE", None)
    enabled = caching_enabled() if setting is None else bool(setting)
    return enabled and not has_uncommitted_archive_writes()


def _cached(kind, make_digest, compute, timeout):
    """``compute()``, stored as ``sco:<kind>:<archive version>:<digest>``; the version and
    the value are read in one round trip (:func:`sco_archive.cache.lookup_entry`)."""
    if not _usable():
        return compute()
    prefix = f"sco:{kind}:"
    try:
        digest = make_digest()
        version, value = lookup_entry(prefix, digest, _cache())
    except Exception:  # an unavailable cache costs the computation, not an error
        return compute()
    if value is None:
        value = compute()
        _cache().set(f"{prefix}{version}:{digest}", value, timeout)
    return value


def cached_count(queryset, timeout=COUNT_TTL):
    """``queryset.count()``, cached under the archive version and the query's SQL."""
    return _cached("count", lambda: _digest(queryset.order_by()), queryset.count, timeout)


def cached_result(kind, queryset, compute, *, extra="", timeout=COUNT_TTL):
    """``compute()`` — any picklable aggregate derived from ``queryset`` — cached under the
    archive version and the query's SQL (facet lists, timelines, counts per entity)."""
    return _cached(kind, lambda: _digest(queryset.order_by(), extra), compute, timeout)


def cached_value(name, compute, timeout=COUNT_TTL):
    """``compute()`` cached under the archive version and a fixed ``name``: for a hot
    aggregate whose query is always the same, without compiling it to build the key."""
    return _cached("value", lambda: name, compute, timeout)


def cached_facets(queryset, field, *, limit=None, timeout=COUNT_TTL):
    """``[(value, count), …]`` of ``field`` over ``queryset``, most frequent first."""

    def compute():
        rows = queryset.order_by().values_list(field).annotate(n=Count("pk")).order_by("-n", field)
        return [tuple(row) for row in (rows[:limit] if limit else rows)]

    return _cached(
        "facets", lambda: _digest(queryset.order_by(), f"{field}:{limit}"), compute, timeout
    )


def estimated_count(queryset):
    """The PostgreSQL planner's row estimate for ``queryset`` (None elsewhere)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class CachedCountPaginator(Paginator):
    """A Paginator whose ``count`` is cached under the archive version."""

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            return cached_count(self.object_list)
        return super().count


class EstimatedCountPaginator(CachedCountPaginator):
    """Planner estimate above ``SCO_COUNT_ESTIMATE_ABOVE`` rows (PostgreSQL), else exact."""

    count_is_estimate = False

    @cached_property
    def count(self):
        threshold = getattr(settings, "SCO_COUNT_ESTIMATE_ABOVE", 1_000_000)
        if hasattr(self.object_list, "query"):
            estimate = estimated_count(self.object_list)
            if estimate is not None and estimate > threshold:
                self.count_is_estimate = True
                return estimate
        return super().count


class CachedCountPageNumberPagination(PageNumberPagination):
    """DRF page-number pagination (``page``, ``page_size`` ≤ 200) with a cached count."""

    django_paginator_class = CachedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 200
