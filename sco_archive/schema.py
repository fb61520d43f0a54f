"""OpenAPI post-processing: the schema says what the API refuses (issue #16).

- Every free-text string parameter (query or path) has ``pattern: ^[^\\x00]*$``: a NUL
  character is refused (a 400 naming the parameter; a 404 in a path), so it is not
  schema-valid data.
- ``?format=`` given empty is the default format, as DRF reads it.
- Every operation documents 414 (a request line longer than the server's limit —
  gunicorn's 4,094 bytes — never reaches the archive) and 503 (the database is down or
  read-only, ``Retry-After`` says when to retry; sco_archive/faults.py).
- ``/api/reconcile``'s ``queries`` is a JSON object, declared as the parameter's
  ``application/json`` content (drf-spectacular only writes a schema).
- Links from the lists to the objects they name, so that a client (or schemathesis'
  stateful phase) can follow them: a claim's cited quote to its annotation, a list's
  objects to their detail.
"""

NO_NUL = "^[^\\x00]*$"
FREE_TEXT = {"enum", "pattern", "format", "const"}

RESPONSE_414 = {
    "description": (
        "Request-URI too long: the request line exceeds the server's limit (4,094 bytes "
        "under gunicorn); shorten the query."
    )
}
RESPONSE_503 = {
    "description": (
        "The database is unreachable or read-only for now: retry after `Retry-After` "
        'seconds. The body is `{"detail": ...}`.'
    ),
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
}

# (list path, 200 response pointer to an id or slug) -> (detail operationId, parameter)
LINKS = {
    "/api/v1/claims/": {
        "AnnotationOfCitedQuote": (
            "$response.body#/results/0/citations/0/quote/id",
            "v1_annotations_retrieve",
            "id",
        ),
        "Claim": ("$response.body#/results/0/id", "v1_claims_retrieve", "id"),
        "Event": ("$response.body#/results/0/event/slug", "v1_events_retrieve", "slug"),
    },
    "/api/v1/events/": {
        "Event": ("$response.body#/results/0/slug", "v1_events_retrieve", "slug"),
    },
    "/api/v1/articles/": {
        "Article": ("$response.body#/results/0/slug", "v1_articles_retrieve", "slug"),
    },
    "/api/v1/quotes/": {
        "Quote": ("$response.body#/results/0/id", "v1_quotes_retrieve", "id"),
    },
    "/api/v1/entities/": {
        "Entity": ("$response.body#/results/0/slug", "v1_entities_retrieve", "slug"),
    },
    "/api/v1/series/": {
        "Series": ("$response.body#/results/0/slug", "v1_series_retrieve", "slug"),
    },
}


def _string_parameters(operation):
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if schema.get("type") == "string" and not FREE_TEXT & schema.keys():
            yield schema


def declare_refusals(result, generator, request, public):
    """``POSTPROCESSING_HOOKS`` entry (see the module docstring)."""
    operation_ids = set()
    for item in result.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation_ids.add(operation.get("operationId"))
            for schema in _string_parameters(operation):
                schema["pattern"] = NO_NUL
            for parameter in operation.get("parameters", []):
                enum = parameter.get("schema", {}).get("enum")
                if parameter["name"] == "format" and enum and "" not in enum:
                    enum.append("")  # DRF reads an empty ?format= as no format at all
            operation["responses"].setdefault("414", RESPONSE_414)
            operation["responses"].setdefault("503", RESPONSE_503)
    from events.reconcile import QUERIES_SCHEMA

    for parameter in result["paths"].get("/api/reconcile", {}).get("get", {}).get("parameters", []):
        if parameter["name"] == "queries":
            parameter.pop("schema", None)
            parameter["content"] = {"application/json": {"schema": QUERIES_SCHEMA}}
    for path, links in LINKS.items():
        response = result["paths"].get(path, {}).get("get", {}).get("responses", {}).get("200")
        if response is None:
            continue
        response["links"] = {
            name: {"operationId": target, "parameters": {parameter: pointer}}
            for name, (pointer, target, parameter) in links.items()
            if target in operation_ids
        }
    return result
