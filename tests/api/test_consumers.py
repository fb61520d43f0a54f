"""The archive as its consumers use it (issue #20): pandas over every export, the data
package under the frictionless validator, a sync job replaying the changes feed, "as of"
queries, a reference manager reading a claim's citation, and OpenRefine reconciling
entities. The seed archive is loaded once for the module; each test's writes are rolled
back."""

import csv
import io
import json

import bibtexparser
import pandas
import pytest
from django.core.management import call_command
from django.utils import timezone
from frictionless import validate
from rest_framework.test import APIClient

from events import changes
from events.exports import EXPORTS
from events.models import Citation, Claim, Entity, Event
from sources.models import Article, Quote


@pytest.fixture
def api(seed_archive, db):
    return APIClient()


def body(response):
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


def api_count(api, path):
    return api.get(path, {"page_size": 1}).json()["count"]


# -- exports -------------------------------------------------------------------------------

API_LISTS = {
    "events": "/api/v1/events/",
    "claims": "/api/v1/claims/",
    "articles": "/api/v1/articles/",
    "quotes": "/api/v1/quotes/",
    "entities": "/api/v1/entities/",
    "series": "/api/v1/series/",
}


@pytest.mark.parametrize("name", list(EXPORTS))
def test_pandas_loads_every_export_typed_with_the_apis_row_counts(api, name):
    export = EXPORTS[name]
    dates = [c.name for c in export.columns if c.type in ("date", "datetime")]
    csv_bytes = body(api.get(f"/api/v1/export/{name}.csv"))
    frame = pandas.read_csv(
        io.BytesIO(csv_bytes), parse_dates=dates, keep_default_na=False, na_values=[""]
    )
    assert list(frame.columns) == export.column_names
    for column in dates:
        assert pandas.api.types.is_datetime64_any_dtype(frame[column]), column
    assert pandas.api.types.is_integer_dtype(frame["id"])
    lines = pandas.read_json(io.BytesIO(body(api.get(f"/api/v1/export/{name}.jsonl"))), lines=True)
    assert sorted(lines["id"]) == sorted(frame["id"])
    if name in API_LISTS:
        assert len(frame) == api_count(api, API_LISTS[name]) > 0
    elif name == "citations":
        claims = api.get("/api/v1/claims/", {"page_size": 200}).json()["results"]
        assert len(frame) == sum(len(claim["citations"]) for claim in claims) > 0
    else:  # outlets: those of the published articles
        articles = api.get("/api/v1/articles/", {"page_size": 200}).json()["results"]
        assert len(frame) == len({a["outlet"]["slug"] for a in articles if a["outlet"]}) > 0


def test_claims_export_columns_are_typed_and_complete(api):
    rows = list(csv.DictReader(io.StringIO(body(api.get("/api/v1/export/claims.csv")).decode())))
    dated = next(row for row in rows if row["value_date"])
    claim = Claim.objects.get(pk=dated["id"])
    assert dated["value_date"] == claim.value_date.isoformat()
    assert dated["value_date_precision"] == claim.value_date_precision
    assert dated["event_slug"] == claim.event.slug
    entity = next(row for row in rows if row["value_entity_slug"])
    assert Entity.objects.filter(slug=entity["value_entity_slug"]).exists()
    assert all(row["rank"] in ("preferred", "normal", "deprecated") for row in rows)
    assert any(row["rank_reason"] for row in rows if row["rank"] == "deprecated")
    assert all(row["updated_at"].endswith("Z") for row in rows)
    citations = list(
        csv.DictReader(io.StringIO(body(api.get("/api/v1/export/citations.csv")).decode()))
    )
    cited = citations[0]
    quote = Quote.objects.select_related("article").get(pk=cited["quote_id"])
    assert (
        quote.article.body[int(cited["quote_start"]) : int(cited["quote_end"])]
        == (cited["quote_exact"])
    )
    assert cited["article_slug"] == quote.article.slug
    article = json.loads(body(api.get("/api/v1/export/articles.jsonl")).splitlines()[0])
    assert article["body"] == Article.objects.get(pk=article["id"]).body


def test_bom_etag_last_modified_and_304(api):
    changes.refresh()  # the feed has taken the public set: Last-Modified is its last change
    response = api.get("/api/v1/export/entities.csv", {"bom": "1"})
    data = body(response)
    assert data.startswith("\ufeff".encode()) and data.decode("utf-8-sig").startswith("id,")
    assert not body(api.get("/api/v1/export/entities.csv")).startswith(b"\xef\xbb\xbf")
    etag, last_modified = response["ETag"], response["Last-Modified"]
    url = "/api/v1/export/entities.csv?bom=1"
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    entity = Entity.objects.first()
    entity.description = "changed"
    entity.save()
    fresh = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert body(fresh) and fresh["ETag"] != etag
    assert body(api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified))
    assert api.get("/api/v1/export/entities.csv", {"bom": "yes"}).status_code == 400


def test_frictionless_validates_the_data_package_and_matches_the_api(api, tmp_path):
    out = io.StringIO()
    call_command("export_dataset", str(tmp_path), stdout=out)
    (release,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    report = validate(str(release / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((release / "datapackage.json").read_text())
    served = api.get("/api/v1/datapackage.json").json()
    assert [r["path"] for r in served["resources"]] == [f"export/{n}.csv" for n in EXPORTS]
    assert [r["schema"] for r in served["resources"]] == [r["schema"] for r in package["resources"]]
    assert served["licenses"][0]["path"].startswith("https://creativecommons.org/")
    # the CSVs of the release are the served exports
    served_claims = body(api.get("/api/v1/export/claims.csv"))
    assert (release / "export" / "claims.csv").read_bytes() == served_claims
    import sqlite3

    database = sqlite3.connect(release / "sco-archive.sqlite")
    (count,) = database.execute("SELECT count(*) FROM claims").fetchone()
    assert count == Claim.objects.public().count()
    # a second release says what changed since the first
    Claim.objects.public().filter(pk=Claim.objects.public().first().pk).update(status="draft")
    call_command("export_dataset", str(tmp_path), stdout=io.StringIO())
    log = (tmp_path / "CHANGES").read_text()
    assert "first release" in log and f"claims: {count - 1} rows (+0 added, -1 removed" in log


# -- unknown parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/",
        "/api/v1/claims/",
        "/api/v1/articles/",
        "/api/v1/quotes/",
        "/api/v1/entities/",
        "/api/v1/series/",
        "/api/v1/annotations/",
        "/api/v1/changes/",
        "/api/v1/export/claims.csv",
        "/api/v1/datapackage.json",
    ],
)
def test_an_undocumented_parameter_is_a_400_naming_it(api, path):
    response = api.get(path, {"evnt": "x"})
    assert response.status_code == 400
    assert "evnt" in response.json()
    accepted = (
        {"lang": "ru"}
        if "export" in path or "annotations" in path
        else {"lang": "ru", "format": "json"}
    )
    response = api.get(path, accepted)
    assert response.status_code == 200
    if response.streaming:  # read it all: a stream left open holds a database cursor
        b"".join(response.streaming_content)


# -- as of ---------------------------------------------------------------------------------


def test_as_of_before_an_edit_answers_the_old_title(api):
    event = Event.objects.published().filter(claims__status="published").distinct().first()
    old_title = event.title
    claim = Claim.objects.public().filter(event=event).first()
    before = timezone.now()
    event.title = "A new title"
    event.save()
    Claim.objects.filter(pk=claim.pk).first().delete()
    moment = before.isoformat()
    detail = api.get(f"/api/v1/events/{event.slug}/", {"as_of": moment}).json()
    assert detail["title"] == old_title
    assert claim.pk in {c["id"] for c in detail["claims"]}
    now = api.get(f"/api/v1/events/{event.slug}/").json()
    assert now["title"] == "A new title" and claim.pk not in {c["id"] for c in now["claims"]}
    listed = api.get("/api/v1/events/", {"as_of": moment, "page_size": 200}).json()["results"]
    assert old_title in {e["title"] for e in listed}
    # the claim as it was, in the one JSON of a claim
    old = api.get(f"/api/v1/claims/{claim.pk}/", {"as_of": moment}).json()
    assert old["id"] == claim.pk and old["event"]["title"] == old_title
    assert set(old) == set(api.get(f"/api/v1/claims/{Claim.objects.public().first().pk}/").json())
    assert api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    claims = api.get("/api/v1/claims/", {"as_of": moment, "event": event.slug}).json()
    assert claim.pk in {c["id"] for c in claims["results"]}
    long_ago = api.get("/api/v1/claims/", {"as_of": "2000-01-01T00:00:00Z"}).json()
    assert long_ago["count"] == 0


def test_as_of_lists_are_constant_in_queries(api, django_assert_max_num_queries):
    moment = timezone.now().isoformat()
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/claims/", {"as_of": moment, "page_size": 200}).json()["count"]
    with django_assert_max_num_queries(2):
        assert api.get("/api/v1/events/", {"as_of": moment, "page_size": 200}).json()["count"]


def test_as_of_that_does_not_parse_is_a_400_naming_it(api):
    response = api.get("/api/v1/claims/", {"as_of": "yesterday"})
    assert response.status_code == 400 and "as_of" in response.json()


# -- the changes feed ----------------------------------------------------------------------


def replay(api, since=None):
    """Follow the feed from the start (or ``since``): {(object, id)} left public."""
    params = {"page_size": 50}
    if since:
        params["since"] = since
    url, entries = "/api/v1/changes/", []
    while url:
        page = api.get(url, params).json()
        entries += page["results"]
        url, params = page["next"], {}
    return entries


def public_now():
    keys = set()
    for kind, model_set in (
        ("event", Event.objects.published()),
        ("claim", Claim.objects.public()),
        ("article", Article.objects.published()),
        ("quote", Quote.objects.published()),
        ("entity", Entity.objects.active()),
        ("series", Event.series.field.related_model.objects.all()),
    ):
        keys |= {(kind, pk) for pk in model_set.values_list("pk", flat=True)}
    return keys


def apply(entries, state=None):
    state = set() if state is None else state
    for entry in entries:
        key = (entry["object"], entry["id"])
        if entry["action"] == "removed":
            state.discard(key)
        else:
            state.add(key)
    return state


def test_replaying_the_changes_feed_reproduces_the_public_set(api):
    entries = replay(api)
    assert [e for e in entries if e["action"] != "created"] == []
    assert apply(entries) == public_now()
    ats = [e["at"] for e in entries]
    assert ats == sorted(ats)
    mark = entries[-1]["at"]
    # one claim unpublished, a citation added to another, an article unpublished
    gone = Claim.objects.public().first()
    gone.status = "draft"
    gone.save()
    cited = Claim.objects.public().exclude(pk=gone.pk).first()
    quote = Quote.objects.published().exclude(citations__claim=cited).first()
    Citation.objects.create(claim=cited, quote=quote)
    later = replay(api, since=mark)
    assert {"object": "claim", "id": gone.pk, "slug": None, "action": "removed"}.items() <= next(
        e for e in later if e["id"] == gone.pk and e["object"] == "claim"
    ).items()
    assert any(
        e["object"] == "claim" and e["id"] == cited.pk and e["action"] == "updated" for e in later
    )
    # raw SQL from "another program" counts too
    article = Article.objects.published().first()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE sources_article SET status = 'draft' WHERE id = %s", [article.pk])
    assert apply(replay(api)) == public_now()
    assert ("article", article.pk) not in public_now()


def test_the_feed_is_constant_in_queries(api, django_assert_max_num_queries):
    changes.refresh()
    with django_assert_max_num_queries(8):
        api.get("/api/v1/changes/", {"page_size": 200})
    assert api.get("/api/v1/changes/", {"since": "soon"}).status_code == 400


# -- citing --------------------------------------------------------------------------------


def test_a_claims_citation_parses_in_every_format(api):
    claim = Claim.objects.public().select_related("event").first()
    response = api.get(f"/api/v1/claims/{claim.pk}/cite/", {"format": "bibtex"})
    assert response["Content-Type"].startswith("application/x-bibtex")
    (entry,) = bibtexparser.loads(response.content.decode()).entries
    assert entry["ID"] == f"sco-archive-claim-{claim.pk}"
    assert claim.event.title.split()[0] in entry["title"]
    assert entry["url"].endswith(f"/events/{claim.event.slug}/#claim-{claim.pk}")
    csl = api.get(f"/api/v1/claims/{claim.pk}/cite/", {"format": "csl"})
    assert csl["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    (item,) = json.loads(csl.content)
    assert item["type"] == "dataset" and item["URL"] == entry["url"]
    ris = api.get(f"/api/v1/claims/{claim.pk}/cite/", {"format": "ris"})
    assert ris["Content-Type"].startswith("application/x-research-info-systems")
    lines = ris.content.decode().split("\r\n")
    assert lines[0] == "TY  - DATA" and f"UR  - {entry['url']}" in lines and "ER  - " in lines
    event = api.get(f"/api/v1/events/{claim.event.slug}/cite/", {"format": "bibtex"})
    assert bibtexparser.loads(event.content.decode()).entries[0]["title"]
    missing = api.get("/api/v1/claims/999999/cite/", {"format": "bibtex"})
    assert missing.status_code == 404 and missing.json()["detail"]


def test_an_unknown_language_is_refused_even_for_an_empty_page(api):
    for url in ["/api/v1/entities/", "/api/v1/events/", "/api/v1/claims/", "/api/v1/series/"]:
        empty = api.get(url, {"modified_after": "2999-01-01T00:00:00Z"})
        assert empty.status_code == 200 and empty.json()["results"] == [], url
        response = api.get(url, {"lang": "xx", "modified_after": "2999-01-01T00:00:00Z"})
        assert response.status_code == 400, url
        assert "lang" in response.json(), url


def test_a_csl_citation_is_what_the_schema_documents(api):
    """The published schema says what the CSL-JSON answer is: an array of one item (it
    said an object, and a schema fuzzer following links found the difference)."""
    from drf_spectacular.generators import SchemaGenerator
    from jsonschema import validate as validate_json

    schema = SchemaGenerator().get_schema(request=None, public=True)
    media = "application/vnd.citationstyles.csl+json"
    claim = Claim.objects.public().first()
    for path, url in [
        ("/api/v1/claims/{id}/cite/", f"/api/v1/claims/{claim.pk}/cite/"),
        ("/api/v1/events/{slug}/cite/", f"/api/v1/events/{claim.event.slug}/cite/"),
    ]:
        documented = schema["paths"][path]["get"]["responses"]["200"]["content"][media]
        validate_json(json.loads(api.get(url, {"format": "csl"}).content), documented["schema"])


def test_the_event_page_offers_a_permalink_and_citation_per_claim(api, client):
    claim = Claim.objects.public().select_related("event").first()
    html = client.get(claim.event.get_absolute_url()).content.decode()
    assert f'href="#claim-{claim.pk}"' in html
    assert f"/api/v1/claims/{claim.pk}/cite/?format=bibtex" in html
    assert "Cite this claim" in html


# -- reconciliation ------------------------------------------------------------------------


def test_reconciliation_manifest_and_openrefine_queries(api, client):
    manifest = client.get("/api/reconcile").json()
    assert "0.2" in manifest["versions"] and manifest["identifierSpace"].endswith("/entities/")
    assert {"id": "country", "name": "Country"} in manifest["defaultTypes"]
    kazakhstan = Entity.objects.active().get(name="Kazakhstan")
    queries = {
        "q0": {"query": "Kazakstan", "type": "country", "type_strict": "should", "limit": 3},
        "q1": {"query": "Kazakhstan"},
        "q2": {"query": "Казахстан", "type": ["country"]},
    }
    # OpenRefine POSTs the batch form-encoded; a GET carries it in the query string
    posted = client.post("/api/reconcile", {"queries": json.dumps(queries)}).json()
    got = client.get("/api/reconcile", {"queries": json.dumps(queries)}).json()
    assert posted == got
    for key in queries:
        first = posted[key]["result"][0]
        assert first["id"] == kazakhstan.slug, (key, posted[key]["result"][:2])
        assert first["type"] == [{"id": "country", "name": "Country"}]
    assert posted["q0"]["result"][0]["match"] is False  # a misspelling is no exact match
    assert posted["q1"]["result"][0]["match"] is True and posted["q1"]["result"][0]["score"] == 100
    preview = client.get(manifest["preview"]["url"].replace("{{id}}", kazakhstan.slug))
    assert preview.status_code == 200 and "Kazakhstan" in preview.content.decode()
    as_json = client.post(
        "/api/reconcile", {"queries": queries}, content_type="application/json"
    ).json()
    assert as_json == posted
    refused = client.get("/api/reconcile", {"queries": "{nope"})
    assert refused.status_code == 400 and "not JSON" in refused.json()["queries"][0]
    no_query = client.post("/api/reconcile", {"queries": json.dumps({"q0": {"limit": 2}})})
    assert no_query.status_code == 400 and "query" in no_query.json()["queries"][0]


def test_the_events_pages_csv_link_takes_its_filters(api, client):
    html = client.get("/events/", {"kind": "meeting", "year": "", "page": "1"}).content.decode()
    link = html.split("Download these as CSV")[0].rsplit('href="', 1)[1].split('"')[0]
    assert link == "/api/v1/export/events.csv?kind=meeting"
    rows = list(csv.DictReader(io.StringIO(body(api.get(link)).decode())))
    assert rows and {row["kind"] for row in rows} == {"meeting"}
    assert len(rows) == Event.objects.published().filter(kind="meeting").count()
