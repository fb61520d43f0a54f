"""``?as_of=<ISO date-time>``: the public events and claims as they stood at that moment.

The archive keeps every version of its rows (django-simple-history on articles, quotes,
entities, series, events, claims and citations), whoever wrote them — the admin, an
import, the seed loader. The public set at a moment is not re-decided here: the very
SQL of ``Event.objects.published()`` and ``Claim.objects.public()`` (with the request's
filters) is run with each archive table shadowed by a common table expression of the
same name holding that table's rows as of the moment (:func:`snapshot`) — the latest
historical version of each row at or before it, left out when that version is a
deletion. Outlets keep no history and are read as they are now.

Claims are shaped by ``rows.claim_dict``, events by ``EventSerializer``: the JSON is the
same as without ``as_of``. A value that does not parse is a 400 naming ``as_of``.
"""

from __future__ import annotations

from django.db import connection
from rest_framework.exceptions import ValidationError

from sources.filters import StrictDateTimeField
from sources.models import Article, Quote

from . import rows
from .models import Citation, Claim, Entity, Event, Series

SHADOWED = (Event, Claim, Citation, Entity, Series, Article, Quote)


def parse(params):
    """The ``as_of`` moment of a request's query (aware, UTC), or None; a 400 if bad."""
    raw = params.get("as_of")
    if raw is None:
        return None
    try:
        value = StrictDateTimeField().clean(raw)
    except Exception as exc:
        messages = getattr(exc, "messages", None) or [str(exc)]
        raise ValidationError({"as_of": messages}) from None
    if value is None:
        raise ValidationError({"as_of": ["Give an ISO 8601 date-time, or leave it out."]})
    return value


def snapshot(model, at):
    """(sql, params): ``model``'s rows as they were at ``at``, with its table's columns."""
    quote = connection.ops.quote_name
    history = model.history.model._meta.db_table
    pk = quote(model._meta.pk.column)
    columns = ", ".join(f"h.{quote(f.column)}" for f in model._meta.concrete_fields)
    sql = (
        f"SELECT {columns} FROM {quote(history)} h WHERE h.history_date <= %s "
        f"AND h.history_type <> '-' AND NOT EXISTS (SELECT 1 FROM {quote(history)} l "
        f"WHERE l.{pk} = h.{pk} AND l.history_date <= %s AND (l.history_date > h.history_date "
        "OR (l.history_date = h.history_date AND l.history_id > h.history_id)))"
    )
    moment = connection.ops.adapt_datetimefield_value(at)
    return sql, [moment, moment]


def run(queryset, at):
    """The rows of ``queryset`` (a values_list or values queryset) as of ``at``."""
    sql, params = queryset.query.sql_with_params()
    ctes, cte_params = [], []
    for model in SHADOWED:
        cte_sql, cte_args = snapshot(model, at)
        ctes.append(f"{connection.ops.quote_name(model._meta.db_table)} AS ({cte_sql})")
        cte_params += cte_args
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {', '.join(ctes)} {sql}", [*cte_params, *params])
        return cursor.fetchall()


class Listing(list):
    """Rows in id order that the API's paginator pages like a queryset (cursor too)."""

    def after(self, last_id):
        return Listing(row for row in self if _id(row) > last_id)


def _id(item):
    return item["id"] if isinstance(item, dict) else item.pk


def _citations(claim_ids, at):
    grouped = {claim_id: rows.Citations() for claim_id in claim_ids}
    if not grouped:
        return grouped
    found = run(
        Citation.objects.published()
        .filter(claim_id__in=list(grouped))
        .order_by("pk")
        .values_list(*rows.CITATION_FIELDS),
        at,
    )
    return rows.group_citations(grouped, found)


def claims(queryset, at):
    """``queryset`` (public claims, filtered) as of ``at``, as claim JSON in id order."""
    found = run(queryset.order_by("id").values_list(*rows.CLAIM_FIELDS), at)
    claim_rows = [dict(zip(rows.CLAIM_FIELDS, row, strict=True)) for row in found]
    citations = _citations([row["id"] for row in claim_rows], at)
    return Listing(rows.claim_dict(row, citations[row["id"]], True) for row in claim_rows)


def public_claims(at, **filters):
    return claims(Claim.objects.public().filter(**filters), at)


EVENT_FIELDS = (
    "id",
    "slug",
    "title",
    "kind",
    "start_date",
    "end_date",
    "date_precision",
    "summary",
    "updated_at",
    "place__slug",
    "place__name",
    "series__slug",
    "series__name",
)


def events(queryset, at):
    """``queryset`` (published events, filtered) as of ``at``: unsaved Event instances
    with their place and series, for ``EventSerializer``."""
    found = run(queryset.values_list(*EVENT_FIELDS), at)
    listed = []
    for values in found:
        row = dict(zip(EVENT_FIELDS, values, strict=True))
        event = Event(**{name: row[name] for name in EVENT_FIELDS if "__" not in name})
        event.place = (
            Entity(slug=row["place__slug"], name=row["place__name"]) if row["place__slug"] else None
        )
        event.series = (
            Series(slug=row["series__slug"], name=row["series__name"])
            if row["series__slug"]
            else None
        )
        listed.append(event)
    return Listing(listed)
