"""COUNT(*) and facet counts, cached under the archive version (issue #8, #14).

A paginated list runs ``COUNT(*)`` over every matching row, and facets (events by kind,
year, series…) cost the same; both change only when the archive does. So they are cached
under :func:`sources.caching.archive_version` and the query's SQL: exact, and recomputed
after any committed write, single-flight. ``SCO_COUNT_CACHE`` (else ``SCO_CACHE``) decides.

- Django ``ListView``: ``paginator_class = CachedCountPaginator``; DRF:
  ``sources.pagination.ArchivePagination`` uses it.
- Facets: ``cached_facets(Event.objects.published(), "kind")``.

Every key also carries the active language (issue #18): a cached picture or facet list
holds URLs and dates written for one language's pages.
"""

from __future__ import annotations

import hashlib

from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count
from django.utils import translation
from django.utils.functional import cached_property

from sources import caching

COUNT_TTL = 600


def _sql(queryset):
    return queryset.order_by().query.get_compiler(using=queryset.db).as_sql()


def _cached(kind, using, make_digest, compute, timeout=COUNT_TTL):
    if not caching.enabled("counts"):
        return compute()
    language = translation.get_language() or ""
    digest = hashlib.blake2b(f"{language}|{make_digest()}".encode(), digest_size=16).hexdigest()
    return caching.get_or_compute(caching.key(kind, digest, using), compute, timeout)[0]


def cached_count(queryset, timeout=COUNT_TTL):
    """``queryset.count()``, cached under the archive version and the query's SQL."""
    return _cached("count", queryset.db, lambda: repr(_sql(queryset)), queryset.count, timeout)


def cached_result(kind, queryset, compute, *, extra="", timeout=COUNT_TTL):
    """``compute()`` — any picklable aggregate of ``queryset`` (facets, timelines…)."""
    return _cached(kind, queryset.db, lambda: f"{_sql(queryset)!r}{extra}", compute, timeout)


def cached_value(name, compute, timeout=COUNT_TTL, using=DEFAULT_DB_ALIAS):
    """``compute()`` under a fixed ``name``: a hot aggregate whose query never changes."""
    return _cached("value", using, lambda: name, compute, timeout)


def cached_facets(queryset, field, *, limit=None, timeout=COUNT_TTL):
    """``[(value, count), …]`` of ``field`` over ``queryset``, most frequent first."""

    def compute():
        rows = queryset.order_by().values_list(field).annotate(n=Count("pk")).order_by("-n", field)
        return [tuple(row) for row in (rows[:limit] if limit else rows)]

    return cached_result("facets", queryset, compute, extra=f"{field}:{limit}", timeout=timeout)


class CachedCountPaginator(Paginator):
    """A Paginator whose ``count`` is cached under the archive version."""

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            return cached_count(self.object_list)
        return super().count
