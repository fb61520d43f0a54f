"""Bulk exports of the public claims, streamed (not paged): CSV and JSON Lines.

Both take the claims filters of /api/v1/claims/ (and ``modified_after``); a bad value is
a 400 in JSON, like everywhere in the API. Claims are read in chunks of plain rows and
shaped by ``events.rows`` (the claims list's own code), so memory and the number of
queries per row stay flat however large the archive is.

- ``claims.csv``: one row per claim × citation (a claim without a public citation gets
  one row with the citation columns empty): ``claim_id, event, property, value, rank,
  quote, article, outlet, url, date`` — ``event`` and ``article`` are slugs, ``outlet``
  the outlet's name, ``url`` the article's link at its outlet, ``date`` its publication
  date (YYYY-MM-DD; see the article for its precision).
- ``claims.jsonl``: one claim per line, exactly as /api/v1/claims/ shows it.
"""

import csv
import json
import logging
import re
from itertools import chain, islice

from django.http import StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.renderers import JSONRenderer

from sources.api import VALIDATION_ERROR_SCHEMA

from . import rows
from .filters import ClaimFilter, EventFilter
from .models import Claim, Event

CSV_COLUMNS = (
    "claim_id",
    "event",
    "property",
    "value",
    "rank",
    "quote",
    "article",
    "outlet",
    "url",
    "date",
)
CHUNK = 500
logger = logging.getLogger(__name__)

# OWASP "CSV injection": a cell a spreadsheet would read as a formula (or a DDE call)
# starts with one of these; it is written with a leading single quote, so it shows as
# the text it is. Numbers stay numbers: ints as ints, and a string that is only a number
# ("-12", "+3.5") cannot run anything, so it is written as is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def safe_cell(value):
    """A CSV cell that no spreadsheet evaluates as a formula (see FORMULA_STARTS)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        if not PLAIN_NUMBER.fullmatch(value):
            return "'" + value
    return value


def started(items):
    """``items`` with its first element read now, not when the response is sent.

    A database that is down or read-only then fails the request before any byte is sent
    (a 503, sco_archive/faults.py) instead of after a 200 and a header row."""
    items = iter(items)
    for first in items:
        return chain([first], items)
    return iter(())


def aborting(chunks, filename):
    """The stream, logged and re-raised if the database fails mid-way: the server drops
    the connection (no closing chunk), so the client sees a broken transfer, never a
    short file that looks complete."""
    try:
        yield from chunks
    except Exception:
        logger.exception("Export %s aborted mid-stream", filename)
        raise


class _Echo:
    def write(self, value):
        return value


def claim_dicts(queryset):
    """The claims as /api/v1/claims/ shows them (events.rows), read in chunks."""
    claim_rows = queryset.order_by("id").values(*rows.CLAIM_FIELDS).iterator(chunk_size=CHUNK)
    while chunk := list(islice(claim_rows, CHUNK)):
        yield from rows.claim_dicts(chunk)


def csv_rows(claims):
    """Header, then one row per claim × public citation."""
    yield CSV_COLUMNS
    for claim in claims:
        head = [
            claim["id"],
            claim["event"]["slug"],
            claim["property"],
            claim["value"],
            claim["rank"],
        ]
        if not claim["citations"]:
            yield (*head, "", "", "", "", "")
        for citation in claim["citations"]:
            article = citation["article"]
            yield (
                *head,
                citation["quote"]["exact"],
                article["slug"],
                article["outlet"] or "",
                article["url"] or "",
                article["published_on"] or "",
            )


class ClaimsExport(generics.GenericAPIView):
    """Base of the two exports: the claims filters, errors in JSON, no pagination."""

    queryset = Claim.objects.public()
    filterset_class = ClaimFilter
    pagination_class = None
    filter_backends = [DjangoFilterBackend]
    schema = AutoSchema()
    content_type = ""

    def perform_content_negotiation(self, request, force=False):
        # The body is made here, not by a renderer: only errors go through DRF, as JSON.
        return JSONRenderer(), JSONRenderer.media_type

    def filtered_claims(self, request):
        filterset = ClaimFilter(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return claim_dicts(filterset.qs)

    def stream(self, claims):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        claims = started(self.filtered_claims(request))
        response = StreamingHttpResponse(
            aborting(self.stream(claims), self.filename), content_type=self.content_type
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        return response


def _responses(media_type):
    return {
        (200, media_type): OpenApiResponse(OpenApiTypes.STR, description="The export."),
        400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="A filter did not parse."),
    }


class ClaimsCsvExport(ClaimsExport):
    content_type = "text/csv; charset=utf-8"
    filename = "sco-archive-claims.csv"

    @extend_schema(
        operation_id="export_claims_csv",
        summary="All public claims as CSV, one row per claim × citation",
        description=(
            "Streamed, not paged. Columns: claim_id, event (slug), property, value, rank, "
            "quote (exact words), article (slug), outlet (name), url (the article's link), "
            "date (the article's publication date). A claim without a public citation has "
            "one row with the citation columns empty. Takes the filters of /api/v1/claims/."
        ),
        filters=True,
        responses=_responses("text/csv"),
        tags=["export"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def stream(self, claims):
        writer = csv.writer(_Echo())
        for row in csv_rows(claims):
            yield writer.writerow([safe_cell(cell) for cell in row])


class ClaimsJsonLinesExport(ClaimsExport):
    content_type = "application/jsonl; charset=utf-8"
    filename = "sco-archive-claims.jsonl"

    @extend_schema(
        operation_id="export_claims_jsonl",
        summary="All public claims as JSON Lines, one claim per line",
        description=(
            "Streamed, not paged: each line is one claim exactly as /api/v1/claims/ shows "
            "it. Takes the filters of /api/v1/claims/."
        ),
        filters=True,
        responses=_responses("application/jsonl"),
        tags=["export"],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def stream(self, claims):
        for claim in claims:
            yield json.dumps(claim, ensure_ascii=False) + "\n"


EVENT_COLUMNS = (
    "id",
    "slug",
    "title",
    "kind",
    "start_date",
    "end_date",
    "date_precision",
    "place_slug",
    "place",
    "series_slug",
    "series",
    "url",
    "updated_at",
)


class EventsCsvExport(generics.GenericAPIView):
    """The published events as CSV, with the filters of /api/v1/events/ (the reader
    site's "Download these as CSV" link passes its own filters, which share the names)."""

    queryset = Event.objects.published().select_related("place", "series")
    filterset_class = EventFilter
    pagination_class = None
    filter_backends = [DjangoFilterBackend]
    schema = AutoSchema()

    def perform_content_negotiation(self, request, force=False):
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        operation_id="export_events_csv",
        summary="Published events as CSV, one row per event",
        description="Streamed, not paged. Columns: " + ", ".join(EVENT_COLUMNS) + ". Dates "
        "are ISO 8601 (a month is stored as its first day, a year as 1 January; "
        "`date_precision` says how much is known). Takes the filters of /api/v1/events/.",
        filters=True,
        responses=_responses("text/csv"),
        tags=["export"],
    )
    def get(self, request, *args, **kwargs):
        filterset = EventFilter(request.query_params, queryset=self.get_queryset())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        events = filterset.qs.order_by("start_date", "id")
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(EVENT_COLUMNS)
            for event in events.iterator(chunk_size=CHUNK):
                place, series = event.place, event.series
                yield writer.writerow(
                    (
                        event.pk,
                        event.slug,
                        event.title,
                        event.kind,
                        event.start_date or "",
                        event.end_date or "",
                        event.date_precision,
                        place.slug if place else "",
                        place.name if place else "",
                        series.slug if series else "",
                        series.name if series else "",
                        request.build_absolute_uri(event.get_absolute_url()),
                        event.updated_at.isoformat(),
                    )
                )

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sco-archive-events.csv"'
        return response
