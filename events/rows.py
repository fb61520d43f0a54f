"""Lean serialisation of the claims list: rows from `values()`, dicts built by hand.

The claims list is the API's hottest, widest endpoint (100–200 claims a page, each with
its citations). Building model instances and nesting DRF serializers for each costs about
1 ms a claim; reading plain rows and shaping them here costs a fraction of that. The
shape is exactly `ClaimSerializer`'s (tests/api/test_rows.py compares the two on every
claim of the seed archive), which stays the schema's description and serves details.
"""

from django.utils import timezone
from rest_framework import serializers

from sources.models import format_date

from .models import Citation

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
)
_datetime = serializers.DateTimeField()


def _timestamp(value, utc):
    """DRF's ISO 8601 form of an aware datetime, without its per-call overhead for UTC."""
    if not utc or value.utcoffset():
        return _datetime.to_representation(value)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def citations_by_claim(claim_ids):
    """{claim id: [citation dict, …]} for the public citations of these claims: one query."""
    grouped = {claim_id: [] for claim_id in claim_ids}
    rows = (
        Citation.objects.published()
        .filter(claim_id__in=claim_ids)
        .order_by("id")
        .values_list(*CITATION_FIELDS)
    )
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
    """The API shape of claim rows (`values(*CLAIM_FIELDS)`), with their citations."""
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
