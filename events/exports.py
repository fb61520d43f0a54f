"""Exports of every public model, and the Frictionless Data Package that describes them.

One table, :data:`EXPORTS`, declares each export once: its queryset (always started
from the ``published()`` / ``public()`` / ``active()`` querysets of the models — no
visibility rule of its own), the list filters it takes, and its typed columns, named
after the API's fields flattened with ``_`` (``event.slug`` → ``event_slug``) and typed
as Frictionless Table Schema fields. Everything else is built from that table:

- ``/api/v1/export/<name>.csv`` and ``.jsonl`` (:class:`ExportView`), streamed, not
  paged, read in chunks so memory and the number of queries stay flat. CSV is UTF-8,
  with a byte-order mark on ``?bom=1`` (Excel then reads Cyrillic and Chinese right);
  a cell a spreadsheet would evaluate is neutralised (:func:`safe_cell`). Each JSON
  Lines object keeps ``id``: claims exactly as /api/v1/claims/ shows them (``rows.
  claim_dict``), the other models as their typed CSV record (articles add ``body``).
- ``ETag`` (the archive version of :mod:`sources.caching` with the request's query) and
  ``Last-Modified`` (the last change of the public set, :mod:`events.changes`), so a
  conditional request is answered 304 without reading the archive.
- :func:`datapackage` — ``/api/v1/datapackage.json`` and ``manage.py export_dataset``.

Claims export one row per claim; their citations are the ``citations`` export
(claim → quote → article, with the quote's offsets).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain, islice

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from sources import caching
from sources.api import VALIDATION_ERROR_SCHEMA, ArchiveAutoSchema, KnownParametersMixin
from sources.filters import (
    ArchiveFilterSet,
    ArticleFilter,
    IdFilter,
    QuoteFilter,
    SlugFilter,
)
from sources.models import Article, Outlet, Quote

from . import rows
from .filters import ClaimFilter, EntityFilter, EventFilter, SeriesFilter
from .models import Citation, Claim, Entity, Event, Series

CHUNK = 500
logger = logging.getLogger(__name__)

# OWASP "CSV injection": a cell a spreadsheet would read as a formula (or a DDE call)
# starts with one of these; it is written with a leading single quote, so it shows as
# the text it is. Numbers stay numbers: ints as ints, and a string that is only a number
# ("-12", "+3.5") cannot run anything, so it is written as is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
BOM = "\ufeff"


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


# -- the table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One typed column. ``source`` is the ORM lookup it is read from (default: its
    name); ``compute(record, base)`` makes one no lookup gives (``base`` is the site's
    absolute root, for URLs)."""

    name: str
    type: str  # a Frictionless Table Schema type: string, integer, number, date, ...
    description: str = ""
    source: str | None = None
    compute: Callable | None = None

    def descriptor(self):
        described = {"name": self.name, "type": self.type}
        if self.description:
            described["description"] = self.description
        if self.type == "array":
            described["description"] = (self.description + " (a JSON array)").strip()
        return described


def _iso(value):
    if isinstance(value, datetime.datetime):
        return rows._timestamp(value, True)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _url(name):
    def compute(record, base):
        return base + reverse(name, kwargs={"slug": record["slug"]})

    return compute


@dataclass(frozen=True)
class Export:
    """One public model's export (see the module docstring)."""

    name: str
    title: str
    queryset: Callable  # () -> the public QuerySet, in export order
    filterset_class: type
    columns: tuple[Column, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, resource, its column)
    jsonl_only: tuple[Column, ...] = ()  # e.g. an article's body
    description: str = ""
    unique: tuple[str, ...] = field(default=("id",))

    @property
    def column_names(self):
        return [column.name for column in self.columns]

    def filtered(self, params):
        """The queryset narrowed by the list filters; a bad value is a 400 naming it."""
        filterset = self.filterset_class(params, queryset=self.queryset())
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs

    def records(self, queryset, base, *, jsonl=False):
        """Each object as {column: typed value} (with the JSON-only columns on ``jsonl``)."""
        columns = [*self.columns, *(self.jsonl_only if jsonl else ())]
        plain = [c.name for c in columns if c.compute is None and (c.source or c.name) == c.name]
        aliased = {
            c.name: F(c.source)
            for c in columns
            if c.compute is None and c.source not in (None, c.name)
        }
        needed = {"slug"} if any(c.compute for c in columns) and "slug" not in plain else set()
        values = queryset.values(*plain, *needed, **aliased).iterator(chunk_size=CHUNK)
        computed = [c for c in columns if c.compute is not None]
        for record in values:
            for column in computed:
                record[column.name] = column.compute(record, base)
            yield {c.name: record[c.name] for c in columns}

    def json_objects(self, queryset, base):
        """What each JSON Lines line holds."""
        for record in self.records(queryset, base, jsonl=True):
            yield {name: _iso(value) for name, value in record.items()}

    def csv_rows(self, queryset, base):
        records = started(self.records(queryset, base))  # read before the header goes out
        yield self.column_names
        for record in records:
            yield [self.csv_cell(record[c.name], c) for c in self.columns]

    @staticmethod
    def csv_cell(value, column):
        if value is None:
            return ""
        if column.type == "array":
            return json.dumps(value, ensure_ascii=False)
        return safe_cell(_iso(value))

    def descriptor(self):
        """This export as a Data Package resource, its Table Schema in column order."""
        schema = {
            "fields": [column.descriptor() for column in self.columns],
            "primaryKey": ["id"],
        }
        if self.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": [column], "reference": {"resource": resource, "fields": [target]}}
                for column, resource, target in self.foreign_keys
            ]
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": f"export/{self.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
        }


def claim_dicts(queryset):
    """The claims as /api/v1/claims/ shows them (events.rows), read in chunks, each
    with the qualifier of its row beside it (the CSV has a column for it)."""
    claim_rows = (
        queryset.order_by("id").values(*rows.CLAIM_FIELDS, "qualifier").iterator(chunk_size=CHUNK)
    )
    while chunk := list(islice(claim_rows, CHUNK)):
        yield from zip(chunk, rows.claim_dicts(chunk), strict=True)


def flatten(value, prefix=""):
    """A claim's JSON flattened with ``_`` (lists left out: citations are their own export)."""
    flat = {}
    for key, item in value.items():
        if isinstance(item, dict):
            flat.update(flatten(item, f"{prefix}{key}_"))
        elif not isinstance(item, list):
            flat[f"{prefix}{key}"] = item
    return flat


class ClaimsExport(Export):
    """Claims are shaped by ``rows.claim_dict`` (the one JSON of a claim), not by values()."""

    def records(self, queryset, base, *, jsonl=False):
        for row, claim in claim_dicts(queryset):
            flat = flatten(claim)
            flat["qualifier"] = row["qualifier"]
            flat["citation_count"] = len(claim["citations"])
            yield {column.name: flat.get(column.name) for column in self.columns}

    def json_objects(self, queryset, base):
        for _row, claim in claim_dicts(queryset):
            yield claim


class CitationFilter(ArchiveFilterSet):
    claim = IdFilter(field_name="claim_id", label="Claim id.")
    event = SlugFilter(field_name="claim__event__slug", label="Event slug.")
    article = SlugFilter(field_name="quote__article__slug", label="Article slug.")

    class Meta:
        model = Citation
        fields = ["claim", "event", "article", "modified_after"]


class OutletFilter(ArchiveFilterSet):
    class Meta:
        model = Outlet
        fields = ["modified_after"]


def public_outlets():
    """Outlets of published articles."""
    published = Article.objects.published().filter(outlet=OuterRef("pk"))
    return Outlet.objects.filter(Exists(published)).order_by("id")


_UPDATED = Column("updated_at", "datetime", "When it last changed (UTC).")
_ALIASES = Column("aliases", "array", "Other names.")
_DATE = "ISO 8601; a month is stored as its first day, a year as 1 January"

EXPORTS = {
    export.name: export
    for export in (
        Export(
            "events",
            "Events",
            lambda: Event.objects.published().order_by("start_date", "id"),
            EventFilter,
            (
                Column("id", "integer"),
                Column("slug", "string"),
                Column("title", "string"),
                Column("kind", "string"),
                Column("start_date", "date", f"{_DATE}: see date_precision."),
                Column("end_date", "date"),
                Column("date_precision", "string", "day, month, year or unknown."),
                Column("place_slug", "string", source="place__slug"),
                Column("place_name", "string", source="place__name"),
                Column("series_slug", "string", source="series__slug"),
                Column("series_name", "string", source="series__name"),
                Column("summary", "string"),
                Column("url", "string", "Its public page.", compute=_url("events:event-detail")),
                _UPDATED,
            ),
            foreign_keys=(
                ("place_slug", "entities", "slug"),
                ("series_slug", "series", "slug"),
            ),
            description="Published events. Filters of /api/v1/events/.",
        ),
        ClaimsExport(
            "claims",
            "Claims",
            lambda: Claim.objects.public(),
            ClaimFilter,
            (
                Column("id", "integer"),
                Column("event_slug", "string"),
                Column("event_title", "string"),
                Column("property", "string"),
                Column("value", "string", "The value as a reader reads it."),
                Column("value_date", "date", f"{_DATE}: see value_date_precision."),
                Column("value_date_precision", "string", "day, month or year; empty if no date."),
                Column("value_entity_slug", "string"),
                Column("value_entity_name", "string"),
                Column("value_entity_kind", "string"),
                Column("value_event_slug", "string"),
                Column("value_event_title", "string"),
                Column("qualifier", "string", "Role or detail of the value."),
                Column("rank", "string", "preferred, normal or deprecated."),
                Column("rank_reason", "string", "Why a deprecated claim is not to be trusted."),
                Column("citation_count", "integer", "Public citations (the citations export)."),
                Column("independent_sources", "integer"),
                _UPDATED,
            ),
            foreign_keys=(
                ("event_slug", "events", "slug"),
                ("value_entity_slug", "entities", "slug"),
                ("value_event_slug", "events", "slug"),
            ),
            description="Public claims, one row per claim. Filters of /api/v1/claims/.",
        ),
        Export(
            "citations",
            "Citations",
            lambda: Citation.objects.public().order_by("id"),
            CitationFilter,
            (
                Column("id", "integer"),
                Column("claim_id", "integer"),
                Column("quote_id", "integer"),
                Column("quote_exact", "string", source="quote__exact"),
                Column("quote_start", "integer", "Offset into the article's body.", "quote__start"),
                Column("quote_end", "integer", "Offset just past the quote.", "quote__end"),
                Column("article_slug", "string", source="quote__article__slug"),
                Column("article_title", "string", source="quote__article__title"),
                Column("article_url", "string", source="quote__article__url"),
                Column("article_outlet", "string", source="quote__article__outlet__name"),
                Column("article_published_on", "date", source="quote__article__published_on"),
                _UPDATED,
            ),
            foreign_keys=(
                ("claim_id", "claims", "id"),
                ("quote_id", "quotes", "id"),
                ("article_slug", "articles", "slug"),
            ),
            description="Each public claim's evidence: claim → quote → article.",
        ),
        Export(
            "quotes",
            "Quotes",
            lambda: Quote.objects.published().order_by("id"),
            QuoteFilter,
            (
                Column("id", "integer"),
                Column("article_slug", "string", source="article__slug"),
                Column("exact", "string"),
                Column("start", "integer", "Offset of the first character in the body."),
                Column("end", "integer", "Offset just past the last character."),
                Column("prefix", "string"),
                Column("suffix", "string"),
                _UPDATED,
            ),
            foreign_keys=(("article_slug", "articles", "slug"),),
            description="Quotes of published articles (body[start:end] == exact).",
        ),
        Export(
            "articles",
            "Articles",
            lambda: Article.objects.published().order_by("id"),
            ArticleFilter,
            (
                Column("id", "integer"),
                Column("slug", "string"),
                Column("title", "string"),
                Column("outlet_slug", "string", source="outlet__slug"),
                Column("outlet_name", "string", source="outlet__name"),
                Column("url", "string", "The outlet's link."),
                Column("published_on", "date", f"{_DATE}: see published_precision."),
                Column("published_precision", "string"),
                Column("language", "string"),
                _UPDATED,
            ),
            foreign_keys=(("outlet_slug", "outlets", "slug"),),
            jsonl_only=(Column("body", "string", "The clean text quotes point into."),),
            description="Published source articles (metadata; the JSON Lines add the body).",
        ),
        Export(
            "entities",
            "Entities",
            lambda: Entity.objects.active().order_by("id"),
            EntityFilter,
            (
                Column("id", "integer"),
                Column("slug", "string"),
                Column("name", "string"),
                Column("kind", "string"),
                _ALIASES,
                Column("wikidata_id", "string"),
                Column("description", "string"),
                Column("coordinates_lat", "number", "Degrees north (places).", "latitude"),
                Column("coordinates_lon", "number", "Degrees east (places).", "longitude"),
                Column("url", "string", compute=_url("events:entity-detail")),
                _UPDATED,
            ),
            description="Countries, organisations, people and places.",
        ),
        Export(
            "series",
            "Series",
            lambda: Series.objects.order_by("id"),
            SeriesFilter,
            (
                Column("id", "integer"),
                Column("slug", "string"),
                Column("name", "string"),
                Column("kind", "string"),
                _ALIASES,
                Column("description", "string"),
                Column("url", "string", compute=_url("events:series-detail")),
                _UPDATED,
            ),
            description="Recurring kinds of event.",
        ),
        Export(
            "outlets",
            "Outlets",
            public_outlets,
            OutletFilter,
            (
                Column("id", "integer"),
                Column("slug", "string"),
                Column("name", "string"),
                Column("kind", "string"),
                Column("url", "string"),
                Column("country", "string"),
                _UPDATED,
            ),
            description="Outlets of published articles.",
        ),
    )
}


def datapackage(base):
    """The Frictionless Data Package of every export (``base``: the site's root URL)."""
    licence = settings.SCO_DATA_LICENCE
    return {
        "profile": "tabular-data-package",
        "name": "sco-archive",
        "title": "SCO Archive",
        "description": (
            "Events of Shanghai Cooperation Organisation defence and security cooperation, "
            "and every claim about them tied to the exact quote of a source article."
        ),
        "homepage": base + "/",
        "licenses": [{"name": "CC-BY-4.0", "title": licence["name"], "path": licence["url"]}],
        "resources": [export.descriptor() for export in EXPORTS.values()],
    }


# -- the views -----------------------------------------------------------------------------


def _bom(request):
    raw = request.query_params.get("bom")
    if raw in (None, "0", "false"):
        return False
    if raw in ("1", "true"):
        return True
    raise ValidationError({"bom": ["Give 1 (a UTF-8 byte-order mark first) or 0."]})


def conditional(request, tag):
    """(etag, last_modified, a 304 response or None) for this request of the archive."""
    from . import changes

    digest = hashlib.blake2b(
        f"{caching.archive_version()}|{request.get_full_path()}|{tag}".encode(), digest_size=16
    ).hexdigest()
    etag = f'"{digest}"'
    last = changes.last_modified()
    last_modified = int(last.timestamp()) if last else None
    return (
        etag,
        last_modified,
        get_conditional_response(request._request, etag=etag, last_modified=last_modified),
    )


def _stamp(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return response


class ExportView(KnownParametersMixin, generics.GenericAPIView):
    """``export`` as ``fmt`` (csv or jsonl); errors in JSON; no pagination."""

    export: Export = None
    fmt = "csv"
    pagination_class = None
    filter_backends = [DjangoFilterBackend]
    schema = ArchiveAutoSchema()
    extra_parameters = ("bom",)

    def get_queryset(self):
        return self.export.queryset()

    @property
    def filterset_class(self):
        return self.export.filterset_class

    def perform_content_negotiation(self, request, force=False):
        # The body is made here, not by a renderer: only errors go through DRF, as JSON.
        return JSONRenderer(), JSONRenderer.media_type

    def get(self, request, *args, **kwargs):
        bom = _bom(request)
        queryset = self.export.filtered(request.query_params)
        etag, last_modified, not_modified = conditional(request, self.fmt)
        if not_modified is not None:
            return not_modified
        base = request.build_absolute_uri("/").rstrip("/")
        if self.fmt == "csv":
            writer = csv.writer(_Echo())
            lines = (writer.writerow(row) for row in self.export.csv_rows(queryset, base))
            content_type = "text/csv; charset=utf-8"
        else:
            lines = (
                json.dumps(item, ensure_ascii=False) + "\n"
                for item in self.export.json_objects(queryset, base)
            )
            content_type = "application/jsonl; charset=utf-8"
        lines = started(lines)
        if bom:
            lines = chain([BOM], lines)
        filename = f"sco-archive-{self.export.name}.{self.fmt}"
        response = StreamingHttpResponse(aborting(lines, filename), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return _stamp(response, etag, last_modified)


def export_view(export, fmt):
    """The view class of one export in one format, documented in the OpenAPI schema."""
    media_type = "text/csv" if fmt == "csv" else "application/jsonl"
    if fmt == "csv":
        shape = "Columns, in order: " + ", ".join(export.column_names) + "."
    elif isinstance(export, ClaimsExport):
        shape = "Each line is one claim exactly as /api/v1/claims/ shows it."
    else:
        shape = "Each line is one object with the CSV's columns as typed JSON (with `id`)."
        if export.jsonl_only:
            shape += " Also: " + ", ".join(c.name for c in export.jsonl_only) + "."

    @extend_schema(
        operation_id=f"export_{export.name}_{fmt}",
        summary=f"{export.title}: every public one as {fmt.upper()}",
        description=(
            f"{export.description} Streamed, not paged. {shape} Dates are ISO 8601 with "
            "their precision in a column beside them. `ETag` and `Last-Modified` are set: "
            "a conditional request is answered 304."
        ),
        filters=True,
        parameters=[
            OpenApiParameter(
                "bom",
                OpenApiTypes.STR,
                enum=["0", "1", "true", "false"],
                description="1: start with a UTF-8 byte-order mark (for Excel).",
            ),
        ],
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.STR, description="The export."),
            304: OpenApiResponse(description="Not modified since the given ETag/date."),
            400: OpenApiResponse(VALIDATION_ERROR_SCHEMA, description="A filter did not parse."),
        },
        tags=["export"],
    )
    def get(self, request, *args, **kwargs):
        return ExportView.get(self, request, *args, **kwargs)

    name = f"{export.name.title()}{fmt.title()}Export"
    return type(name, (ExportView,), {"export": export, "fmt": fmt, "get": get})


EXPORT_VIEWS = {
    (name, fmt): export_view(export, fmt)
    for name, export in EXPORTS.items()
    for fmt in ("csv", "jsonl")
}


class DataPackageView(KnownParametersMixin, generics.GenericAPIView):
    """The Frictionless Data Package of the exports."""

    pagination_class = None
    filter_backends = []
    schema = ArchiveAutoSchema()

    @extend_schema(
        operation_id="datapackage",
        summary="The exports as a Frictionless Data Package",
        description=(
            "Every export as a tabular data resource: `path` relative to this document "
            "(export/<name>.csv), its Table Schema (field names and types in the CSV's "
            "column order, primary and foreign keys) and the licence."
        ),
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="datapackage.json")},
        tags=["export"],
    )
    def get(self, request, *args, **kwargs):
        etag, last_modified, not_modified = conditional(request, "datapackage")
        if not_modified is not None:
            return not_modified
        package = datapackage(request.build_absolute_uri("/").rstrip("/"))
        return _stamp(Response(package), etag, last_modified)
