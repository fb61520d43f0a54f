"""The API's pagination: page numbers, with an optional keyset ``cursor`` for deep paging.

Every list answers ``{"count", "next", "previous", "results"}``.

- ``page`` (1, 2, …) and ``page_size`` (default 50, at most 200; larger values are capped).
  A page that is not a positive integer, or a ``page_size`` that is not, is a 400; a page
  past the end is a 404 (DRF's default).
- ``cursor``: an opaque token. Give it empty (``?cursor=``) to start keyset paging, then
  follow ``next``. With a cursor the rows come in ``id`` order and the page is fetched with
  ``WHERE id > <last id>``, so page 1000 costs what page 1 costs. ``previous`` is then null.
  A token the server did not make is a 400.

``count`` is exact up to 1,000 rows; above, it is an estimate, and the response's
``X-Count-Estimated`` header says ``true`` (the envelope's shape is the API's contract).
Counting 70,000 public claims exactly would check every one on every request
(:func:`sources.counting.bounded_count`). Pages and ``next`` links do not depend on it:
a page exists when it has rows.
"""

from __future__ import annotations

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from sources.counting import CachedCountPaginator

# The cursor is the last id written in hexadecimal, which keeps every token that matches
# the documented pattern decodable (a 400 only for what the pattern excludes).
CURSOR_PATTERN = r"^[0-9a-f]{0,15}$"
_CURSOR_RE = re.compile(CURSOR_PATTERN)
COUNT_HEADER = "X-Count-Estimated"


def encode_cursor(last_id: int) -> str:
    return format(last_id, "x")


def decode_cursor(token: str) -> int:
    """The id after which a cursor page starts (0 for the empty cursor); 400 if malformed."""
    if not _CURSOR_RE.match(token):
        raise ValidationError({"cursor": ["Invalid cursor: follow the `next` link."]})
    return int(token, 16) if token else 0


def _positive_int(request, name, default):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if value < 1:
        raise ValidationError({name: ["A positive integer is required."]})
    return value


class ArchivePagination(PageNumberPagination):
    """Page-number pagination (``page``, ``page_size``) plus an optional keyset ``cursor``."""

    django_paginator_class = CachedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"

    def get_page_size(self, request):
        return min(_positive_int(request, self.page_size_query_param, self.page_size), 200)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.cursor_mode = self.cursor_query_param in request.query_params
        _positive_int(request, self.page_query_param, 1)
        if not self.cursor_mode:
            return super().paginate_queryset(queryset, request, view)
        after = decode_cursor(request.query_params[self.cursor_query_param])
        self.page_size_value = self.get_page_size(request)
        self.total = self.django_paginator_class(queryset, self.page_size_value).count
        if hasattr(queryset, "query"):
            following = queryset.filter(pk__gt=after).order_by("pk")
        else:  # a row source with its own keyset, such as events.rows.PublicClaimRows
            following = queryset.after(after)
        rows = list(following[: self.page_size_value + 1])
        self.has_more = len(rows) > self.page_size_value
        rows = rows[: self.page_size_value]
        last = rows[-1] if rows else None
        self.last_id = last["id"] if isinstance(last, dict) else getattr(last, "pk", None)
        return rows

    def get_next_link(self):
        if not self.cursor_mode:
            return super().get_next_link()
        if not self.has_more:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, encode_cursor(self.last_id))

    def get_previous_link(self):
        if not self.cursor_mode:
            return super().get_previous_link()
        return None

    def get_paginated_response(self, data):
        count = self.total if self.cursor_mode else self.page.paginator.count
        return Response(
            headers={COUNT_HEADER: "false" if count.exact else "true"},
            data={
                "count": count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            },
        )

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"]["count"]["description"] = (
            f"Exact up to 1,000 rows; above, an estimate, and the {COUNT_HEADER} "
            "response header is `true`."
        )
        return envelope

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number within the paginated result set (from 1).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Results per page (default {self.page_size}; values above "
                    f"{self.max_page_size} are capped to {self.max_page_size})."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset paging: give it empty to start, then follow `next`. Results come "
                    "in id order; `page` is ignored. An opaque token: do not build it yourself."
                ),
                "schema": {"type": "string", "pattern": CURSOR_PATTERN},
            },
        ]
