"""Names per language (issue #18): one normalised `names` field, `name_in()` with a
fallback, and the template tag that shows the active language's name with its `lang`."""

import pytest
from django.template import Context, Template
from django.utils import translation

from events.models import Entity, name_language, normalise_names
from tests.factories import EntityFactory, EventFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def test_names_are_stored_normalised_with_zh_as_zh_hans():
    entity = EntityFactory(
        name="Kazakhstan", names={"ru": "Казахстан", "zh": ["哈萨克斯坦", " ", "哈萨克斯坦"]}
    )
    entity.refresh_from_db()
    assert entity.names == {"ru": ["Казахстан"], "zh-hans": ["哈萨克斯坦"]}
    assert Entity.objects.filter(names__has_key="zh-hans").exists()
    assert normalise_names({"ZH-Hans": ["中亚"], "en": []}) == {"zh-hans": ["中亚"]}
    assert [name_language(code) for code in ("ru-RU", "zh-CN", "zh_Hans", "en-GB")] == [
        "ru",
        "zh-hans",
        "zh-hans",
        "en",
    ]


def test_name_in_falls_back_to_the_canonical_name():
    series = SeriesFactory(
        name="Peace Mission", names={"ru": ["Мирная миссия", "Мирная миссия — учения"]}
    )
    assert series.name_in("ru") == "Мирная миссия"
    assert series.name_in("zh-hans") == "Peace Mission"
    assert series.name_in("en") == "Peace Mission"
    assert series.names_by_language() == {
        "en": ["Peace Mission"],
        "ru": ["Мирная миссия", "Мирная миссия — учения"],
        "zh-hans": [],
    }
    event = EventFactory(title="West-2021", names={"ru": ["Запад-2021"]})
    assert event.name_in("ru") == "Запад-2021" and event.name_in("zh-hans") == "West-2021"


def render(obj, language):
    template = Template("{% load archive %}{% name_of obj %}|{{ obj|local_name }}")
    with translation.override(language):
        return template.render(Context({"obj": obj}))


def test_the_tag_shows_the_active_languages_name_and_marks_a_fallback():
    entity = EntityFactory(name="Central Asia", names={"ru": ["Центральная Азия"], "zh": ["中亚"]})
    assert render(entity, "en") == "Central Asia|Central Asia"
    assert render(entity, "ru") == "Центральная Азия|Центральная Азия"
    assert render(entity, "zh-hans") == "中亚|中亚"
    unnamed = EntityFactory(name="Kaha Imnadze", names={"ru": ["Каха Имнадзе"]})
    # No Chinese name: the English one, in its own language on a Chinese page.
    assert render(unnamed, "zh-hans") == '<span lang="en">Kaha Imnadze</span>|Kaha Imnadze'
    cyrillic = EntityFactory(name="Мажилис <Парламента>", names={})
    assert render(cyrillic, "en") == (
        '<span lang="ru">Мажилис &lt;Парламента&gt;</span>|Мажилис &lt;Парламента&gt;'
    )


def test_reader_pages_show_names_in_the_active_language(client):
    place = EntityFactory(kind="place", name="Chelyabinsk", names={"ru": ["Челябинск"]})
    event = EventFactory(
        title="Peace Mission 2021", names={"ru": ["Мирная миссия — 2021"]}, place=place
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<h1 id="event-title">Peace Mission 2021</h1>' in html
    # The URL's prefix says the language; links on the page keep it.
    with translation.override("ru"):
        event_url, place_url = event.get_absolute_url(), place.get_absolute_url()
    assert event_url.startswith("/ru/")
    html = client.get(event_url).content.decode()
    assert '<h1 id="event-title">Мирная миссия — 2021</h1>' in html
    assert f'<a href="{place_url}">Челябинск</a>' in html
