"""A W3C Reconciliation API service for entities, at /api/reconcile (as OpenRefine uses it).

- ``GET /api/reconcile`` (no ``queries``): the service manifest — versions, identifier
  space (the entity pages), default types (the entity kinds), view and preview URLs.
- ``GET`` or ``POST`` with ``queries={"q0": {"query": "Kazakstan", "type": "country",
  "limit": 3}, …}`` (form-encoded, as OpenRefine sends it, or a JSON body): for each
  query, candidates best first — ``id`` (the entity's slug), ``name``, ``type``,
  ``score`` (0–100), ``match`` and a ``description`` naming the Wikidata id when known.

Candidates are the active entities (``Entity.objects.active()``: merged entities are left
out), matched on every name they have — name, aliases and the per-language ``names`` —
with rapidfuzz's weighted ratio over case- and accent-folded text, so misspellings
("Kazakstan") still find their entity. ``match`` is true only for an exact (folded) hit
on one entity and no other. ``type`` is optional; one that is not an entity kind finds
nothing. A ``queries`` that is not a JSON object of queries is a 400 saying why.
"""

from __future__ import annotations

import json
import re
import unicodedata

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rapidfuzz import fuzz
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from .models import Entity

DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERIES = 5, 50, 100
MIN_SCORE = 50
CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,63}$")
TYPES = [{"id": value, "name": label} for value, label in Entity.Kind.choices]
TYPE_NAMES = dict(Entity.Kind.choices)


def fold(text):
    """Lower case, no accents, single spaces: what a name is compared as."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def manifest(base):
    return {
        "versions": ["0.1", "0.2"],
        "name": "SCO Archive entities",
        "identifierSpace": f"{base}/entities/",
        "schemaSpace": f"{base}/api/schema/#/components/schemas/Entity",
        "defaultTypes": TYPES,
        "view": {"url": f"{base}/entities/{{{{id}}}}/"},
        "preview": {
            "url": f"{base}{reverse('reconcile-preview')}?id={{{{id}}}}",
            "width": 400,
            "height": 120,
        },
    }


class BadQuery(ValueError):
    pass


def parse_queries(raw):
    try:
        queries = json.loads(raw)
    except ValueError:
        raise BadQuery("`queries` is not JSON.") from None
    if not isinstance(queries, dict) or not queries:
        raise BadQuery('`queries` must be a JSON object: {"q0": {"query": "…"}, …}.')
    if len(queries) > MAX_QUERIES:
        raise BadQuery(f"At most {MAX_QUERIES} queries at once.")
    for key, query in queries.items():
        if not isinstance(query, dict) or not isinstance(query.get("query"), str):
            raise BadQuery(f'Query "{key}" needs a "query" string.')
        limit = query.get("limit", DEFAULT_LIMIT)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise BadQuery(f'Query "{key}": "limit" must be a positive integer.')
        types = query.get("type")
        if "type" in query and not (
            isinstance(types, str)
            or (isinstance(types, list) and all(isinstance(t, str) for t in types))
        ):
            raise BadQuery(f'Query "{key}": "type" must be a string or a list of strings.')
    return queries


def candidates():
    """(entity, [folded names]) of every active entity: one query for a whole batch."""
    entities = Entity.objects.active().only(
        "slug", "name", "kind", "aliases", "names", "wikidata_id", "description"
    )
    return [(entity, {fold(name) for name in entity.all_names if name}) for entity in entities]


def answer(query, pool):
    """The candidates of one query, best first (see the module docstring)."""
    wanted = fold(query["query"])
    types = query.get("type")
    types = {types} if isinstance(types, str) else set(types or ())
    limit = min(query.get("limit", DEFAULT_LIMIT), MAX_LIMIT)
    scored = []
    for entity, names in pool:
        if types and entity.kind not in types:
            continue
        if not wanted or not names:
            continue
        exact = wanted in names
        score = 100.0 if exact else max(fuzz.WRatio(wanted, name) for name in names)
        if score >= MIN_SCORE:
            scored.append((score, exact, entity))
    scored.sort(key=lambda item: (-item[0], not item[1], item[2].name))
    exact_hits = sum(1 for _, exact, _ in scored if exact)
    results = []
    for score, exact, entity in scored[:limit]:
        description = TYPE_NAMES[entity.kind]
        if entity.wikidata_id:
            description += f" · Wikidata {entity.wikidata_id}"
        results.append(
            {
                "id": entity.slug,
                "name": entity.name,
                "type": [{"id": entity.kind, "name": TYPE_NAMES[entity.kind]}],
                "score": round(score, 1),
                "match": exact and exact_hits == 1,
                "description": description,
            }
        )
    return results


def _respond(request, data, status=200):
    callback = request.GET.get("callback")
    if callback and CALLBACK.match(callback):  # JSONP, as older OpenRefine versions ask
        body = f"{callback}({json.dumps(data, ensure_ascii=False)})"
        return HttpResponse(body, content_type="application/javascript", status=status)
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def respond(request, raw):
    """The manifest (``raw`` None), or the answers to the ``queries`` in ``raw``."""
    if raw is None:
        return _respond(request, manifest(request.build_absolute_uri("/").rstrip("/")))
    if not isinstance(raw, str):  # a JSON body's object
        raw = json.dumps(raw)
    try:
        queries = parse_queries(raw)
    except BadQuery as exc:
        return _respond(request, {"queries": [str(exc)]}, status=400)
    pool = candidates()
    return _respond(request, {key: {"result": answer(q, pool)} for key, q in queries.items()})


QUERIES_SCHEMA = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": MAX_QUERIES,
    "description": 'Queries by key: {"q0": {"query": "Kazakstan", "type": "country"}}.',
    "additionalProperties": {
        "type": "object",
        "required": ["query"],
        "properties": {
            "query": {"type": "string"},
            "type": {
                "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "An entity kind (country, organisation, person, place).",
            },
            "limit": {"type": "integer", "minimum": 1},
        },
    },
}
ANSWER_SCHEMA = {
    "type": "object",
    "description": "The service manifest (no `queries`), or each query's candidates.",
    "additionalProperties": True,
}
ERROR_SCHEMA = {
    "type": "object",
    "properties": {"queries": {"type": "array", "items": {"type": "string"}}},
}


class ReconcileView(APIView):
    """W3C Reconciliation API for entities (see the module docstring)."""

    authentication_classes = []  # anonymous and read-only: no session, so no CSRF
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="reconcile",
        summary="Reconcile names to entities (W3C Reconciliation API)",
        description=(
            "Without `queries`: the service manifest. With `queries` (a JSON object of "
            "queries): each query's candidate entities, best first — `id` (slug), "
            "`name`, `type`, `score` (0–100), `match` (an exact, unambiguous hit) and "
            "a `description` naming the Wikidata id when known. Matches every name, "
            "alias and per-language name, tolerant of misspellings. POST takes the same "
            "`queries` form-encoded (as OpenRefine sends it) or in a JSON body."
        ),
        parameters=[
            OpenApiParameter("queries", OpenApiTypes.STR, description="JSON: see above."),
        ],
        responses={
            200: OpenApiResponse(ANSWER_SCHEMA, description="The manifest or the answers."),
            400: OpenApiResponse(ERROR_SCHEMA, description="`queries` is not valid."),
        },
        tags=["reconcile"],
    )
    def get(self, request, *args, **kwargs):
        return respond(request, request.GET.get("queries"))

    @extend_schema(
        operation_id="reconcile_post",
        summary="Reconcile names to entities (POST)",
        request={
            "application/json": {
                "type": "object",
                "description": "Without `queries`: the manifest, as for GET.",
                "properties": {"queries": QUERIES_SCHEMA},
            }
        },
        responses={
            200: OpenApiResponse(ANSWER_SCHEMA, description="The answers."),
            400: OpenApiResponse(ERROR_SCHEMA, description="`queries` is not valid."),
        },
        tags=["reconcile"],
    )
    def post(self, request, *args, **kwargs):
        data = request.data
        if not hasattr(data, "get"):
            return _respond(request, {"queries": ["Send a JSON object or a form."]}, status=400)
        raw = data.get("queries")
        if raw is None and "queries" in data:
            return _respond(request, {"queries": ["Give the queries, not null."]}, status=400)
        return respond(request, raw)  # no queries: the manifest, as for GET


service = ReconcileView.as_view()


@require_http_methods(["GET", "HEAD"])
def preview(request):
    """A small HTML card of one entity, for OpenRefine's preview pane."""
    entity = get_object_or_404(Entity.objects.active(), slug=request.GET.get("id", ""))
    wikidata = (
        format_html(' · <a href="https://www.wikidata.org/wiki/{0}">{0}</a>', entity.wikidata_id)
        if entity.wikidata_id
        else ""
    )
    body = format_html(
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>{name}</title>'
        '<body style="font:14px sans-serif;margin:8px"><p><strong><a href="{url}" '
        'target="_blank">{name}</a></strong> — {kind}{wikidata}</p><p>{description}</p>'
        "<p>{aliases}</p></body></html>",
        name=entity.name,
        url=request.build_absolute_uri(entity.get_absolute_url()),
        kind=TYPE_NAMES[entity.kind],
        wikidata=wikidata,
        description=entity.description,
        aliases=", ".join(entity.aliases),
    )
    return HttpResponse(body, content_type="text/html; charset=utf-8")
