"""The API's orjson renderer writes exactly what DRF's JSON renderer writes."""

import dataclasses
import datetime
import decimal
import uuid
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from sco_archive.renderers import ArchiveJSONRenderer


@dataclasses.dataclass
class Point:
    x: int


AWKWARD = {
    "text": 'Ташкент 上海 \u2028 line \u2029 paragraph "quoted" \\ \n\t\x01',
    "utc": datetime.datetime(2026, 11, 25, 14, 0, 0, 123456, tzinfo=datetime.UTC),
    "local": datetime.datetime(2026, 11, 25, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Tashkent")),
    "date": datetime.date(2001, 6, 15),
    "time": datetime.time(9, 30),
    "decimal": decimal.Decimal("1.50"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Published"),
    "numbers": [0, -1, 2**63 - 1, 1.5, True, None],
    1: "an integer key",
    "nested": [{"empty": {}}, []],
}


@pytest.mark.parametrize(
    "data",
    [AWKWARD, {"big": 2**70}, [], "plain", None],
    ids=["awkward", "big", "list", "str", "none"],
)
def test_the_same_bytes_as_drf(data):
    assert ArchiveJSONRenderer().render(data) == JSONRenderer().render(data)


def test_what_drf_cannot_encode_fails_the_same_way():
    with pytest.raises(TypeError):
        JSONRenderer().render({"point": Point(3)})
    with pytest.raises(TypeError):
        ArchiveJSONRenderer().render({"point": Point(3)})


def test_indented_output_is_drfs():
    media_type = "application/json; indent=2"
    rendered = ArchiveJSONRenderer().render(AWKWARD, media_type)
    assert rendered == JSONRenderer().render(AWKWARD, media_type)
    assert b'\n  "text"' in rendered


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/?page_size=200",
        "/api/v1/events/",
        "/api/v1/events/sco-defence-ministers-meeting-2021-dushanbe/",
        "/api/v1/articles/",
        "/api/v1/quotes/",
        "/api/v1/entities/",
        "/api/v1/series/",
    ],
)
def test_every_list_of_the_seed_is_rendered_as_drf_would(url):
    call_command("load_seed", verbosity=0)
    response = APIClient().get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.content == JSONRenderer().render(response.data)
    assert response.accepted_renderer.__class__ is ArchiveJSONRenderer
