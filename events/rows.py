"""Lean serialisation of the claims list: plain rows, dicts built by hand.

The claims list is the API's hottest, widest endpoint (100–200 claims a page, each with
its citations). Building model instances and nesting DRF serializers for each costs about
1 ms a claim; reading plain rows and shaping them here costs a fraction of that. The
shape is exactly `ClaimSerializer`'s (tests/api/test_rows.py compares the two on every
claim of the seed archive), which stays the schema's description and serves details.

The unfiltered list and every page's citations go one step further and skip the ORM:
building and compiling those two querysets cost more than running them (~1.4 ms of a
~3.5 ms page of 100 claims). Their SQL is written out below, portable between SQLite and
PostgreSQL, and selects what `Claim.objects.public()` and `Citation.objects.published()`
select (tests/api/test_rows.py holds them equal on an archive with every kind of draft).
"""

from datetime import UTC

from django.db import connection
from django.utils import timezone
from rest_framework import serializers

from sources.counting import cached_value
from sources.models import Status, format_date

from .models import Claim

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
)
# CLAIM_FIELDS, in order, of public claims after an id, in id order.
PUBLIC_CLAIMS_SQL = """
    SELECT c.id, e.slug, e.title, c.property, c.value_text, c.value_date,
           c.value_date_precision, n.slug, n.name, n.kind, v.slug, v.title,
           c.rank, c.rank_reason, c.updated_at
      FROM events_claim c
      JOIN events_event e ON e.id = c.event_id
      LEFT JOIN events_entity n ON n.id = c.value_entity_id
      LEFT JOIN events_event v ON v.id = c.value_event_id
     WHERE c.status = %s AND e.status = %s AND (c.value_event_id IS NULL OR v.status = %s)
       AND c.id > %s
     ORDER BY c.id
     LIMIT %s OFFSET %s
"""
# A claim's citations of published articles; {ids} is one placeholder per claim id.
CITATIONS_SQL = """
    SELECT ci.claim_id, q.id, q.exact, q.start, q."end", a.slug, a.title, a.url, o.name,
           a.published_on
      FROM events_citation ci
      JOIN sources_quote q ON q.id = ci.quote_id
      JOIN sources_article a ON a.id = q.article_id
      LEFT JOIN sources_outlet o ON o.id = a.outlet_id
     WHERE a.status = %s AND ci.claim_id IN ({ids})
     ORDER BY ci.id
"""
_datetime = serializers.DateTimeField()


class PublicClaimRows:
    """Every public claim as a `CLAIM_FIELDS` row dict, in id order, read with plain SQL.

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
        return cached_value("public-claims", lambda: Claim.objects.public().count())

    def __getitem__(self, item):
        if not isinstance(item, slice) or item.step is not None or item.stop is None:
            raise TypeError("PublicClaimRows takes [start:stop] slices only.")
        start = item.start or 0
        size = max(item.stop - start, 0)
        published = Status.PUBLISHED
        params = [published, published, published, self.after_id, size, start]
        with connection.cursor() as cursor:
            cursor.execute(PUBLIC_CLAIMS_SQL, params)
            return [dict(zip(CLAIM_FIELDS, row, strict=True)) for row in cursor.fetchall()]


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
    grouped = {claim_id: [] for claim_id in claim_ids}
    if not grouped:
        return grouped
    sql = CITATIONS_SQL.format(ids=", ".join(["%s"] * len(grouped)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.PUBLISHED, *grouped])
        rows = cursor.fetchall()
    for claim_id, quote_id, exact, start, end, slug, title, url, outlet, published_on in rows:
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


def claim_value(row):
    """`Claim.value` from a row: what a reader reads."""
    if row["value_entity__slug"] is not None:
        return row["value_entity__name"]
    if row["value_date"] is not None:
        return format_date(row["value_date"], row["value_date_precision"])
    if row["value_event__slug"] is not None:
        return row["value_event__title"]
    return row["value_text"]


def claim_dicts(rows):
    """The API shape of claim rows (`CLAIM_FIELDS` dicts), with their citations."""
    citations = citations_by_claim([row["id"] for row in rows])
    utc = timezone.get_current_timezone_name() == "UTC"
    result = []
    for row in rows:
        entity = row["value_entity__slug"]
        event = row["value_event__slug"]
        value_date = row["value_date"]
        result.append(
            {
                "id": row["id"],
                "event": {"slug": row["event__slug"], "title": row["event__title"]},
                "property": row["property"],
                "value": claim_value(row),
                "value_date": value_date and value_date.isoformat(),
                "value_date_precision": row["value_date_precision"] or None,
                "value_entity": entity
                and {
                    "slug": entity,
                    "name": row["value_entity__name"],
                    "kind": row["value_entity__kind"],
                },
                "value_event": event and {"slug": event, "title": row["value_event__title"]},
                "rank": row["rank"],
                "rank_reason": row["rank_reason"],
                "citations": citations[row["id"]],
                "updated_at": _timestamp(row["updated_at"], utc),
            }
        )
    return result
