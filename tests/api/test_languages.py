"""Names in the API follow `?lang=` or `Accept-Language`, without changing field names;
`names` lists them by language (issue #18)."""

import pytest
from rest_framework.test import APIClient

from events.serializers import accepted_languages

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_event_names_follow_accept_language(seed_archive, api):
    response = api.get("/api/v1/events/west-2021/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert response.status_code == 200
    assert "Accept-Language" in response["Vary"]
    event = response.json()
    assert event["title"] == "西方-2021"
    assert event["names"] == {"en": ["West-2021"], "ru": ["Запад-2021"], "zh-hans": ["西方-2021"]}
    assert event["series"] == {"slug": "zapad", "name": "西方"}
    assert {claim["event"]["title"] for claim in event["claims"]} == {"西方-2021"}


def test_lang_parameter_wins_and_falls_back_to_the_canonical_name(seed_archive, api):
    response = api.get(
        "/api/v1/entities/", {"lang": "ru", "page_size": 200}, HTTP_ACCEPT_LANGUAGE="zh"
    )
    by_slug = {entity["slug"]: entity for entity in response.json()["results"]}
    assert by_slug["kazakhstan"]["name"] == "Казахстан"
    assert by_slug["kazakhstan"]["aliases"]  # still a list of strings
    assert all(isinstance(alias, str) for alias in by_slug["kazakhstan"]["aliases"])
    # No Chinese name recorded: the canonical name, and an empty list under `names`.
    imnadze = api.get("/api/v1/entities/kaha-imnadze/", {"lang": "zh-hans"}).json()
    assert imnadze["name"] == "Kaha Imnadze" and imnadze["names"]["zh-hans"] == []
    english = api.get("/api/v1/entities/kazakhstan/").json()
    assert english["name"] == "Kazakhstan"
    assert english["names"]["en"][0] == "Kazakhstan"
    assert english["names"]["zh-hans"][0] == "哈萨克斯坦"


def test_claims_list_names_in_the_language_at_constant_queries(
    seed_archive, api, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        claims = api.get("/api/v1/claims/", {"lang": "ru", "page_size": 200}).json()["results"]
    assert len(claims) > 50
    values = {
        claim["value_entity"]["slug"]: claim["value_entity"]["name"]
        for claim in claims
        if claim["value_entity"]
    }
    assert values["tajikistan"] == "Таджикистан"
    tajik = next(
        claim for claim in claims if (claim["value_entity"] or {}).get("slug") == "tajikistan"
    )
    assert tajik["value"] == "Таджикистан"
    detail = api.get(f"/api/v1/claims/{tajik['id']}/", {"lang": "ru"}).json()
    assert detail == tajik
    assert api.get(f"/api/v1/claims/{tajik['id']}/").json()["value_entity"]["name"] == "Tajikistan"


def test_an_unknown_lang_is_a_400_naming_it(seed_archive, api):
    response = api.get("/api/v1/events/", {"lang": "xx"})
    assert response.status_code == 400
    assert "lang" in response.json()


def test_the_schema_documents_lang_and_names(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    parameters = schema["paths"]["/api/v1/events/"]["get"]["parameters"]
    assert any(parameter["name"] == "lang" for parameter in parameters)
    names = schema["components"]["schemas"]["Entity"]["properties"]["names"]
    assert set(names["properties"]) == {"en", "ru", "zh-hans"}


def test_accept_language_is_read_by_weight():
    assert accepted_languages("en;q=0.3, ru-RU;q=0.8, zh-Hans") == ["zh-hans", "ru", "en"]
    assert accepted_languages("*, garbage;;, fr;q=0") == []
