"""W3C Web Annotations: shape, media type, and the W3C test suite's MUST assertions.

The schemas in tests/api/conformance/ are the W3C Web Annotation test suite's (see its
license.md). ``annotationMusts.test`` lists the assertions every annotation must pass;
each says what result it expects (``expectedResult``) and we honour it.
"""

import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.management import call_command
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from rest_framework.test import APIClient

from events.annotations import ANNO_CONTEXT, ANNO_MEDIA_TYPE

CONFORMANCE = Path(__file__).parent / "conformance"


def _is_absolute_uri(value):
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in {"urn", "mailto"})


FORMATS = jsonschema.FormatChecker()
FORMATS.checks("uri", raises=ValueError)(_is_absolute_uri)


def load_assertions():
    test = json.loads((CONFORMANCE / "annotations" / "annotationMusts.test").read_text())
    return [json.loads((CONFORMANCE / path).read_text()) for path in test["assertions"]]


def build_registry():
    """Every schema under its own ``id``; relative ``$ref``s resolve against those ids."""
    resources = []
    for path in sorted(CONFORMANCE.rglob("*.json")):
        schema = json.loads(path.read_text())
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


def check(annotation, assertions, registry):
    """The failed assertions (their ids and messages) for one annotation."""
    failures = []
    for assertion in assertions:
        validator = jsonschema.Draft4Validator(assertion, registry=registry, format_checker=FORMATS)
        errors = list(validator.iter_errors(annotation))
        result = "invalid" if errors else "valid"
        if result != assertion.get("expectedResult", "valid"):
            failures.append((assertion["id"], assertion.get("errorMessage"), errors[:1]))
    return failures


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


def test_assertion_files_load():
    assertions = load_assertions()
    assert len(assertions) == 54
    assert all(a["assertionType"] == "must" for a in assertions)


def test_the_suite_catches_a_broken_annotation():
    """The registry and format checker really bite: a relative id fails."""
    assertions, registry = load_assertions(), build_registry()
    broken = {
        "@context": ANNO_CONTEXT,
        "id": "annotations/1",
        "type": "Annotation",
        "target": "http://example.org/",
    }
    assert any(
        f[0] == "3.1-annotationIdValidated.json" for f in check(broken, assertions, registry)
    )
    assert not check({**broken, "id": "http://example.org/a/1"}, assertions, registry)


def test_every_served_annotation_passes_the_musts(seed):
    api = APIClient()
    assertions, registry = load_assertions(), build_registry()
    collection = api.get("/api/v1/annotations/?page_size=200")
    assert collection["Content-Type"] == ANNO_MEDIA_TYPE
    data = collection.json()
    assert data["type"] == "AnnotationCollection"
    assert ANNO_CONTEXT in data["@context"]
    assert data["total"] == len(data["first"]["items"]) > 0
    checked = 0
    for item in data["first"]["items"]:
        # embedded annotations take the collection's context
        assert not check({"@context": ANNO_CONTEXT, **item}, assertions, registry), item["id"]
        detail = api.get(urlsplit(item["id"]).path)
        assert detail.status_code == 200
        assert detail["Content-Type"] == ANNO_MEDIA_TYPE
        annotation = detail.json()
        assert annotation == {"@context": ANNO_CONTEXT, **item}
        assert not check(annotation, assertions, registry), annotation["id"]
        checked += 1
    assert checked == data["total"]


def test_annotation_content(seed):
    api = APIClient()
    item = api.get("/api/v1/annotations/").json()["first"]["items"][0]
    assert item["motivation"] == "linking"
    quote_id = int(item["id"].rstrip("/").rsplit("/", 1)[1])
    quote = api.get(f"/api/v1/quotes/{quote_id}/").json()
    article = api.get(f"/api/v1/articles/{quote['article']['slug']}/").json()
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == quote["exact"]
    position = selectors["TextPositionSelector"]
    assert article["body"][position["start"] : position["end"]] == quote["exact"]
    # A generic client applies the offsets to the target's source itself (issue #20).
    assert item["target"]["source"] == f"http://testserver/sources/{article['slug']}/body.txt"
    source = api.get(urlsplit(item["target"]["source"]).path)
    assert source["Content-Type"] == "text/plain; charset=utf-8"
    text = source.content.decode("utf-8")
    assert text == article["body"]
    assert text[position["start"] : position["end"]] == quote["exact"]
    assert item["target"]["scope"].endswith(f"/sources/{article['slug']}/#quote-{quote_id}")
    for body in item["body"]:
        assert api.get(urlsplit(body["id"]).path).status_code == 200


def test_pages_and_plain_json_ld(seed):
    api = APIClient()
    collection = api.get("/api/v1/annotations/?page_size=10").json()
    assert collection["first"]["next"].endswith("page=2&page_size=10")
    page = api.get("/api/v1/annotations/?page=2&page_size=10")
    data = page.json()
    assert data["type"] == "AnnotationPage"
    assert data["partOf"] == {"id": collection["id"], "total": collection["total"]}
    assert data["startIndex"] == 10 and "prev" in data
    assert api.get("/api/v1/annotations/?page=999").status_code == 404
    plain = api.get("/api/v1/annotations/", HTTP_ACCEPT="application/ld+json")
    assert plain.status_code == 200 and plain["Content-Type"] == ANNO_MEDIA_TYPE
