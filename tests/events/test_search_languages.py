"""Search in Russian and Chinese, the same on SQLite and PostgreSQL (issue #18).

The suite runs on both databases; every expected result here is written out, so a test
that passes on each passes with the same results on both.
"""

import pytest
from django.db import transaction

from events import search
from tests.factories import ArticleFactory, EntityFactory, EventFactory, SeriesFactory

RUSSIAN_TITLE = "Учение «Мирная миссия» началось под Челябинском"
RUSSIAN_BODY = (
    "ЧЕЛЯБИНСК, 20 сентября. Совместное антитеррористическое учение вооружённых сил "
    "государств — членов Шанхайской организации сотрудничества началось на полигоне "
    "Чебаркуль. В учении участвуют около четырёх тысяч военнослужащих из восьми стран."
)
CHINESE_TITLE = "上海合作组织联合反恐演习在车里雅宾斯克州举行"
CHINESE_BODY = (
    "新华社车里雅宾斯克9月20日电 上海合作组织成员国“和平使命-2021”联合反恐军事演习"
    "20日在俄罗斯车里雅宾斯克州举行，来自八个国家的约四千名军人参加了演习。"
)
ENGLISH_BODY = "Defence ministers of the member states discussed joint exercises in Dushanbe."


@pytest.fixture(scope="module")
def articles(django_db_setup, django_db_blocker):
    """A Russian, a Chinese and an English source, shared by the module and rolled back
    afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield {
                "ru": ArticleFactory(
                    title=RUSSIAN_TITLE, body=RUSSIAN_BODY, language="ru", slug="ru-uchenie"
                ),
                "zh": ArticleFactory(
                    title=CHINESE_TITLE, body=CHINESE_BODY, language="zh", slug="zh-yanxi"
                ),
                "en": ArticleFactory(
                    title="Ministers meet", body=ENGLISH_BODY, slug="en-ministers"
                ),
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def found(query):
    return {hit.url.rstrip("/").rsplit("/", 1)[-1] for hit in search.search(query)["article"]}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("учение", {"ru-uchenie"}),
        ("учения", {"ru-uchenie"}),  # the example: no such form in the text
        ("учениями", {"ru-uchenie"}),
        ("Учений", {"ru-uchenie"}),
        ("вооруженных сил", {"ru-uchenie"}),  # е for ё
        ("Шанхайская организация", {"ru-uchenie"}),
        ("учение Душанбе", set()),  # every word must match
        ("合作", {"zh-yanxi"}),  # two characters inside 上海合作组织
        ("上海合作组织", {"zh-yanxi"}),
        ("演习", {"zh-yanxi"}),
        ("军", {"zh-yanxi"}),  # one character
        ("合组", set()),  # not neighbours in the text
        ("和平使命", {"zh-yanxi"}),
        ("exercise", {"en-ministers"}),
        ("Dushanbe", {"en-ministers"}),
    ],
)
def test_word_forms_and_chinese_words_are_found(articles, query, expected):
    assert found(query) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("Челяб", {"ru-uchenie"}),
        ("учени", {"ru-uchenie"}),
        ("Шанхайской орг", {"ru-uchenie"}),
        ("Dusha", {"en-ministers"}),
        ("minist", {"en-ministers"}),
        ("exerc", {"en-ministers"}),
        ("Душ", set()),
    ],
)
def test_the_last_word_is_a_prefix_on_both_databases(articles, query, expected):
    assert found(query) == expected


def test_terms_are_stems_and_chinese_pairs():
    assert search.terms("Учения, учениями!") == ["учен", "учен"]
    assert search.terms("合作组") == ["合", "作", "组", "合作", "作组"]
    assert search.terms("West-2021 exercises") == ["west", "2021", "exercis"]
    assert search.query_terms("上海合作 军") == [
        ("上海", False),
        ("海合", False),
        ("合作", False),
        ("军", False),
    ]
    assert search.query_terms("учения Челяб") == [("учен", False), ("челяб", True)]


@pytest.mark.django_db
def test_the_search_page_lists_sources_with_title_link_and_snippet(articles, client):
    html = client.get("/search/", {"q": "учениями"}).content.decode()
    assert f'<a href="/sources/ru-uchenie/">{RUSSIAN_TITLE}</a>' in html.replace("&laquo;", "«")
    assert "<mark>учение</mark>" in html or "<mark>учении</mark>" in html
    html = client.get("/search/", {"q": "合作"}).content.decode()
    assert '<a href="/sources/zh-yanxi/">' in html
    assert "上海<mark>合作</mark>组织" in html


@pytest.mark.django_db
def test_names_in_other_languages_are_searched(django_assert_max_num_queries):
    kazakhstan = EntityFactory(name="Kazakhstan", names={"ru": ["Казахстан"], "zh": ["哈萨克斯坦"]})
    series = SeriesFactory(name="Peace Mission", names={"ru": ["Мирная миссия"]})
    event = EventFactory(title="Peace Mission 2021", names={"zh-hans": ["和平使命-2021"]})
    assert [hit.url for hit in search.search("Казахстана")["entity"]] == [
        kazakhstan.get_absolute_url()
    ]
    assert [hit.url for hit in search.search("萨克")["entity"]] == [kazakhstan.get_absolute_url()]
    assert [hit.url for hit in search.search("мирной миссии")["series"]] == [
        series.get_absolute_url()
    ]
    with django_assert_max_num_queries(8):
        assert [hit.url for hit in search.search("和平使命")["event"]] == [event.get_absolute_url()]
