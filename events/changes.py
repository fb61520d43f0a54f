"""The changes feed: what entered, changed in or left the public set, and when.

``PublicState`` holds each public object (event, claim, article, quote, entity, series)
with a digest of its public JSON — the export's JSON Lines object, so a claim's digest
covers its citations and a new or removed citation is an ``updated`` claim. :func:`refresh`
takes the public set again from the ``public()``/``published()`` querysets (through the
export table, :data:`events.exports.EXPORTS`), compares it with the state and appends a
``PublicChange`` per difference: ``created``, ``updated``, or a ``removed`` tombstone for
whatever left the public set for any reason (unpublished, deleted, merged away, its only
source unpublished).

Freshness comes from the database: the state records the archive version token
(:mod:`sources.triggers`, replaced in the transaction of every write by any process,
raw SQL included) it was taken at, and :func:`refresh` does nothing while the token is
the same. The feed refreshes before it answers, so no write from any path is missed; an
entry's ``at`` is when the feed took the change, never earlier than the write. The
state's own tables carry no version trigger (``archive_versioned = False``).
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone

from sources.triggers import TABLE

from .models import FeedObject, PublicChange, PublicState, PublicStateMark

# feed object -> export name (events.exports.EXPORTS)
EXPORT_OF = {
    FeedObject.EVENT: "events",
    FeedObject.CLAIM: "claims",
    FeedObject.ARTICLE: "articles",
    FeedObject.QUOTE: "quotes",
    FeedObject.ENTITY: "entities",
    FeedObject.SERIES: "series",
}


def _token():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE}")
        return cursor.fetchone()[0]


def _digest(item):
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def public_set():
    """{(object, id): (slug, digest)} of everything public now."""
    from .exports import EXPORTS

    found = {}
    for kind, name in EXPORT_OF.items():
        export = EXPORTS[name]
        for item in export.json_objects(export.queryset(), ""):
            slug = item.get("slug") or ""
            if kind == FeedObject.CLAIM:
                slug = ""
            found[(kind.value, item["id"])] = (slug, _digest(item))
    return found


def refresh():
    """Bring the state up to the archive's current version; return the changes added."""
    token = _token()
    mark = PublicStateMark.objects.first()
    if mark is not None and mark.token == token:
        return 0
    with transaction.atomic():
        mark = PublicStateMark.objects.select_for_update().first()
        token = _token()
        if mark is not None and mark.token == token:
            return 0  # another process took it meanwhile
        now = timezone.now()
        current = public_set()
        known = {(state.object, state.object_id): state for state in PublicState.objects.iterator()}
        changes, new_states, changed_states = [], [], []
        for key, (slug, digest) in current.items():
            state = known.get(key)
            if state is None:
                new_states.append(
                    PublicState(object=key[0], object_id=key[1], slug=slug, digest=digest)
                )
                action = PublicChange.Action.CREATED
            elif state.digest != digest or state.slug != slug:
                state.slug, state.digest = slug, digest
                changed_states.append(state)
                action = PublicChange.Action.UPDATED
            else:
                continue
            changes.append(
                PublicChange(object=key[0], object_id=key[1], slug=slug, action=action, at=now)
            )
        gone = [state for key, state in known.items() if key not in current]
        for state in gone:
            changes.append(
                PublicChange(
                    object=state.object,
                    object_id=state.object_id,
                    slug=state.slug,
                    action=PublicChange.Action.REMOVED,
                    at=now,
                )
            )
        # Oldest first by id: within one refresh, in (object, id) order.
        changes.sort(key=lambda change: (change.object, change.object_id))
        PublicState.objects.bulk_create(new_states, batch_size=500)
        PublicState.objects.bulk_update(changed_states, ["slug", "digest"], batch_size=500)
        PublicState.objects.filter(pk__in=[state.pk for state in gone]).delete()
        PublicChange.objects.bulk_create(changes, batch_size=500)
        if mark is None:
            PublicStateMark.objects.create(token=token, taken_at=now)
        else:
            PublicStateMark.objects.filter(pk=mark.pk).update(token=token, taken_at=now)
        return len(changes)


def last_modified():
    """When the public set last changed, without taking it again: the last change's time
    if the state is current, else a second from now (something changed that the feed has
    not taken: later than any time already sent, which HTTP dates give to the second)."""
    mark = PublicStateMark.objects.first()
    if mark is None or mark.token != _token():
        return timezone.now() + datetime.timedelta(seconds=1)
    last = PublicChange.objects.order_by("-id").values_list("at", flat=True).first()
    return last or mark.taken_at
