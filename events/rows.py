"""Lean serialisation of claims: plain rows, dicts built by hand — the one JSON of a claim.

The claims list is the API's hottest, widest endpoint (100–200 claims a page, each with
its citations). Building model instances and nesting DRF serializers for each costs about
1 ms a claim; reading plain rows and shaping them here costs a fraction of that. Every
surface that shows a claim as JSON — the list, the detail (through ``ClaimSerializer``),
the event detail and the exports — shapes it with :func:`claim_dict`.

The unfiltered list and every page's citations skip compiling a queryset per request
(building and compiling them cost more than running them). Their SQL is not written
by hand: it is compiled once per process and database from ``Claim.objects.public()``
and ``Citation.objects.published()`` themselves (:func:`compiled`), so it cannot drift
from the one definition of what the public sees.
"""

import functools
import json
from datetime import UTC

from django.db import connection
from django.utils import timezone
from rest_framework import serializers

from sources import prepared
from sources.counting import cached_value, staged_count
from sources.models import format_date, independent_count

from .models import Citation, Claim, name_language, normalise_names

CLAIM_FIELDS = (
    "id",
    "event__slug",
    "event__title",
    "property",
    "value_text",
    "value_date",
    "value_date_precision",
    "value_entity__slug",
    "value_entity__name",
    "value_entity__kind",
    "value_event__slug",
    "value_event__title",
    "rank",
    "rank_reason",
    "updated_at",
    "event__names",
    "value_entity__names",
    "value_event__names",
)
CITATION_FIELDS = (
    "claim_id",
    "quote_id",
    "quote__exact",
    "quote__start",
    "quote__end",
    "quote__article__slug",
    "quote__article__title",
    "quote__article__url",
    "quote__article__outlet__name",
    "quote__article__published_on",
    "quote__article_id",
    "quote__article__near_duplicate_of_id",
    "quote__article__outlet_id",
)
# Stand-ins for the values bound per request, found again among the compiled parameters.
_MARK = -7_654_321


def _public_claims(*fields):
    """Public claims after an id, in id order, as ``fields`` (``CLAIM_FIELDS``) tuples."""
    fields = fields or CLAIM_FIELDS
    return Claim.objects.public().filter(pk__gt=_MARK).order_by("pk").values_list(*fields)


def _citations(size):
    """Citations of published articles of ``size`` claims, as ``CITATION_FIELDS`` tuples."""
    marks = [_MARK - n for n in range(size)]
    return (
        Citation.objects.published()
        .filter(claim_id__in=marks)
        .order_by("pk")
        .values_list(*CITATION_FIELDS)
    )


@functools.lru_cache(maxsize=64)
def compiled(name, vendor, size=0):
    """(sql, params, positions) of a queryset built above, compiled once: ``positions``
    are the indexes of the stand-in parameters to bind per request."""
    if name == "claims":
        queryset = _public_claims()
    elif name == "claim ids":
        queryset = _public_claims("pk")
    else:
        queryset = _citations(size)
    sql, params = queryset.query.sql_with_params()
    marks = {_MARK - n for n in range(max(size, 1))}
    positions = [index for index, param in enumerate(params) if param in marks]
    return sql, list(params), positions


_datetime = serializers.DateTimeField()


class PublicClaimRows:
    """Every public claim as a `CLAIM_FIELDS` row dict, in id order, read with plain SQL.

    On PostgreSQL the page, count and citation statements run prepared
    (`sources.prepared.run`) with the generic plan: the plan of an index walk in id order
    that every page 1, cursor page, count and citation lookup takes. The offset lookup of
    a numbered page is not prepared: deep in the list a plan for its offset beats the
    generic one.

    Countable and sliceable like a queryset, so the paginators take it as they would a
    queryset: `rows[offset:offset + size]` for a numbered page, `rows.after(last_id)` for
    the keyset cursor. The bound on id is there for the cursor and is no cost to numbered
    pages: with it, SQLite walks the (status, id) index in order instead of first
    building a Bloom filter over every event (0.2 ms a page instead of 1.8 ms).
    """

    def __init__(self, after=0):
        self.after_id = after

    def after(self, last_id):
        return PublicClaimRows(last_id)

    def count(self):
        # A fixed key: this query never changes (building the queryset only to name its
        # cache key cost a third of an uncached page).
        return cached_value("public-claims-count", self.bounded_count, using=connection.alias)

    @staticmethod
    def bounded_count():
        """``bounded_count(Claim.objects.public())`` from the first ids, read prepared:
        the database counts them and gives the last (the ids never travel to Python)."""
        sql, params, (after,) = compiled("claim ids", connection.vendor)
        params = [*params]
        params[after] = 0

        def first(n):
            ((found, last),) = prepared.run(
                f"SELECT COUNT(*), MAX(first.pk) FROM ({sql} LIMIT {n + 1}) AS first",
                params,
                name=f"sco_claim_count_{n + 1}",
                bound=[after],
            )
            return found, last

        return staged_count(first, Claim, connection.alias)  # EXACT_UP_TO read when called

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None or item.stop is None:
            raise TypeError("PublicClaimRows takes [start:stop] slices only.")
        start = item.start or 0
        size = max(item.stop - start, 0)
        sql, params, (after,) = compiled("claims", connection.vendor)
        params = [*params]
        params[after] = self.after_id
        if start:  # a numbered page: the id it starts at, then a keyset page from there
            first = self._id_at(start)
            if first is None:
                return []
            params[after] = first - 1
        name = f"sco_claims_{int(size)}"  # prepared on PostgreSQL (sizes are few)
        rows = prepared.run(f"{sql} LIMIT {int(size)}", params, name=name, bound=[after])
        return [dict(zip(CLAIM_FIELDS, row, strict=True)) for row in rows]

    def _id_at(self, offset):
        """The id of the public claim ``offset`` places after ``after_id``, or None.

        Only ids travel through the offset: PostgreSQL otherwise joins, sorts and skips
        the full rows (50,000 of them, 312 bytes each, sorted on disk) to give 100 — 265
        to 310 ms where the ids take 165 (issue #15). SQLite skips the rows' columns
        either way, and takes the same time both ways (95 ms). Not prepared: deep in the
        list a plan for its offset beats the generic one."""
        sql, params, (after,) = compiled("claim ids", connection.vendor)
        params = [*params]
        params[after] = self.after_id
        found = prepared.run(f"{sql} LIMIT 1 OFFSET %s", [*params, int(offset)])
        return found[0][0] if found else None


def _timestamp(value, utc):
    """DRF's ISO 8601 form of a stored datetime, without its per-call overhead for UTC.
    Plain SQL on SQLite reads naive datetimes, which Django stores in UTC."""
    if value.tzinfo is None:
        if utc:
            return value.isoformat() + "Z"
        value = value.replace(tzinfo=UTC)
    if not utc or value.utcoffset():
        return _datetime.to_representation(value)
    return value.isoformat()[:-6] + "Z"


def citations_by_claim(claim_ids):
    """{claim id: [citation dict, …]} for the citations of these claims quoting published
    articles: one query."""
    grouped = {claim_id: Citations() for claim_id in claim_ids}
    if not grouped:
        return grouped
    sql, params, positions = compiled("citations", connection.vendor, len(grouped))
    params = [*params]
    for position, claim_id in zip(positions, grouped, strict=True):
        params[position] = claim_id
    found = prepared.run(sql, params, name=f"sco_citations_{len(grouped)}", bound=positions)
    return group_citations(grouped, found)


def group_citations(grouped, found):
    """Add ``CITATION_FIELDS`` rows ``found`` to ``grouped`` ({claim id: Citations})."""
    for row in found:
        claim_id, quote_id, exact, start, end, slug, title, url, outlet, published_on = row[:10]
        grouped[claim_id].sources.append(row[10:])
        grouped[claim_id].append(
            {
                "quote": {"id": quote_id, "exact": exact, "start": start, "end": end},
                "article": {
                    "slug": slug,
                    "title": title,
                    "url": url or None,
                    "outlet": outlet,
                    "published_on": published_on and published_on.isoformat(),
                },
            }
        )
    return grouped


class Citations(list):
    """A claim's citation dicts, with the (article, cluster, outlet) of each source."""

    def __init__(self, *args):
        super().__init__(*args)
        self.sources = []


def local_name(canonical, names, language):
    """`NamedInLanguages.name_in()` on a row's columns (plain SQL reads JSON as text on
    SQLite): the name in `language`, else the canonical one."""
    if language == "en" or not names:
        return canonical
    if isinstance(names, str):
        names = json.loads(names)
    known = normalise_names(names).get(name_language(language))
    return known[0] if known else canonical


def claim_value(row, language="en"):
    """`Claim.value` from a row: what a reader reads."""
    if row["value_entity__slug"] is not None:
        return local_name(row["value_entity__name"], row["value_entity__names"], language)
    if row["value_date"] is not None:
        return format_date(row["value_date"], row["value_date_precision"])
    if row["value_event__slug"] is not None:
        return local_name(row["value_event__title"], row["value_event__names"], language)
    return row["value_text"]


def claim_dicts(rows, language="en"):
    """The API shape of claim rows (`CLAIM_FIELDS` dicts), with their citations; names
    in `language` (issue #18)."""
    citations = citations_by_claim([row["id"] for row in rows])
    utc = timezone.get_current_timezone_name() == "UTC"
    return [claim_dict(row, citations[row["id"]], utc, language) for row in rows]


def claim_dict(row, citations, utc, language="en"):
    """One claim as JSON: the only place its shape is written. The names of its event,
    entity and event value are given in `language`, falling back to the canonical."""
    entity = row["value_entity__slug"]
    event = row["value_event__slug"]
    value_date = row["value_date"]
    return {
        "id": row["id"],
        "event": {
            "slug": row["event__slug"],
            "title": local_name(row["event__title"], row["event__names"], language),
        },
        "property": row["property"],
        "value": claim_value(row, language),
        "value_date": value_date and value_date.isoformat(),
        "value_date_precision": row["value_date_precision"] or None,
        "value_entity": entity
        and {
            "slug": entity,
            "name": local_name(row["value_entity__name"], row["value_entity__names"], language),
            "kind": row["value_entity__kind"],
        },
        "value_event": event
        and {
            "slug": event,
            "title": local_name(row["value_event__title"], row["value_event__names"], language),
        },
        "rank": row["rank"],
        "rank_reason": row["rank_reason"],
        "citations": citations,
        # one per outlet and per cluster of syndicated copies (sources.independent_count)
        "independent_sources": independent_count(getattr(citations, "sources", ())),
        "updated_at": _timestamp(row["updated_at"], utc),
    }


def claim_row(claim):
    """A Claim instance as a `CLAIM_FIELDS` row (for a single claim, e.g. the detail)."""
    entity, event = claim.value_entity, claim.value_event
    return {
        "id": claim.pk,
        "event__slug": claim.event.slug,
        "event__title": claim.event.title,
        "property": claim.property,
        "value_text": claim.value_text,
        "value_date": claim.value_date,
        "value_date_precision": claim.value_date_precision,
        "value_entity__slug": entity and entity.slug,
        "value_entity__name": entity and entity.name,
        "value_entity__kind": entity and entity.kind,
        "value_event__slug": event and event.slug,
        "value_event__title": event and event.title,
        "rank": claim.rank,
        "rank_reason": claim.rank_reason,
        "updated_at": claim.updated_at,
        "event__names": claim.event.names,
        "value_entity__names": entity and entity.names,
        "value_event__names": event and event.names,
    }
