"""The reader site in English, Russian and Simplified Chinese (issue #18).

The language is the URL's (sco_archive/locale.py): /ru/… and /zh-hans/… for every reader
page, English unprefixed; Accept-Language only redirects `/`. So the response cache and
nginx, which key by URL, never serve one language's page for another — checked here in
one process here, and across gunicorn workers behind deploy/nginx.conf in
tests/deploy/test_i18n_nginx.py.
"""

import re
import uuid

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from sco_archive import messages
from sco_archive.locale import preferred_language
from sources import caching
from tests.sitemaps import NS, sitemap_urls

EVENT = "/events/sco-defence-ministers-meeting-2021-dushanbe/"
SOURCE = "/sources/sco-defence-ministers-meeting-dushanbe-2021/"
READER_PAGES = [
    "/",
    "/events/",
    "/events/?kind=meeting",
    EVENT,
    "/sources/",
    SOURCE,
    f"{SOURCE}original/",
    "/entities/",
    "/entities/tajikistan/",
    "/series/",
    "/series/sco-defence-ministers-meeting/",
    "/participation/",
    "/map/",
    "/search/?q=Dushanbe",
    "/about/",
]
# Words of each language's navigation and of its date formats.
NAV = {"en": "Events", "ru": "События", "zh-hans": "活动"}
PREFIX = {"en": "", "ru": "/ru", "zh-hans": "/zh-hans"}


@pytest.fixture
def reader(seed_archive, db, client):
    return client


def html_lang(content):
    return re.search(r'<html lang="([^"]+)">', content).group(1)


# --- The catalogues ---------------------------------------------------------------------


def test_every_message_has_a_translation_in_both_catalogues_and_the_mo_files_are_current():
    found = messages.extracted()
    # The extraction reads templates and code, as makemessages does.
    assert (None, "exact date not reported") not in found  # only the phrase with its date
    assert (None, "%(date)s — exact date not reported") in found  # templatetags/archive.py
    assert ("rank", "Preferred") in found  # about.html, pgettext
    assert (None, ("%(counter)s claim", "%(counter)s claims")) in found  # a plural
    assert (None, "Taking part") in found  # events/views.py, gettext_lazy
    assert (None, "Exercise") in found  # events/models.py, Event.Kind
    assert messages.problems() == []


def test_a_missing_translation_is_reported(monkeypatch):
    real = messages.extracted()
    monkeypatch.setattr(
        messages, "extracted", lambda: {**real, (None, "A sentence nobody translated"): "x.py"}
    )
    found = messages.problems()
    assert any("ru: missing 'A sentence nobody translated'" in p for p in found)
    assert any("zh_Hans: missing 'A sentence nobody translated'" in p for p in found)


# --- One language per URL ---------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_every_reader_page_answers_in_each_language(reader, language):
    for path in READER_PAGES:
        response = reader.get(PREFIX[language] + path)
        assert response.status_code == 200, (language, path)
        content = response.content.decode()
        assert html_lang(content) == language, path
        assert f">{NAV[language]}</a></li>" in content, path  # the main navigation
        assert response["Content-Language"] == language
        varies = "Accept-Language" in response.get("Vary", "")
        assert varies == (PREFIX[language] + path == "/"), path
        # The switcher: the same page in every language, each link tagged, the current
        # marked; and the page's alternates.
        for code, name in (("en", "English"), ("ru", "Русский"), ("zh-hans", "简体中文")):
            href = (PREFIX[code] + path).replace("&", "&amp;")
            current = ' aria-current="true" class="current"' if code == language else ""
            link = f'<a href="{href}" lang="{code}" hreflang="{code}"{current}>{name}</a>'
            assert link in content, (language, path, link)
            alternate = f'<link rel="alternate" hreflang="{code}" href="http://testserver{href}">'
            assert alternate in content, (language, path, code)
        english = f"http://testserver{path}".replace("&", "&amp;")
        assert f'<link rel="alternate" hreflang="x-default" href="{english}">' in content


def test_pages_run_the_same_queries_in_every_language(reader):
    counts = {}
    for language in PREFIX:
        for path in (EVENT, "/events/", SOURCE):
            with CaptureQueriesContext(transaction.get_connection()) as queries:
                assert reader.get(PREFIX[language] + path).status_code == 200
            counts.setdefault(path, set()).add(len(queries))
    assert all(len(found) == 1 for found in counts.values()), counts


def test_interface_words_dates_and_labels_are_in_the_page_language(reader):
    ru = reader.get("/ru" + EVENT).content.decode()
    zh = reader.get("/zh-hans" + EVENT).content.decode()
    en = reader.get(EVENT).content.decode()
    assert "What the sources say" in en and "Что сообщают источники" in ru and "来源所述" in zh
    assert "28 July 2021" in en and "28 июля 2021 г." in ru and "2021年7月28日" in zh
    assert "Совещание" in ru and "会晤" in zh  # Event.Kind, gettext_lazy in events/models.py
    assert "Cite this page" not in ru and "Cite this page" not in zh
    # Facet labels and sort names on the events list; a year-only date's phrase.
    events_ru = reader.get("/ru/events/").content.decode()
    assert ">Тип</h2>" in events_ru and "Сначала новые" in events_ru
    assert "— точная дата не сообщается" in events_ru or "— число не сообщается" in events_ru
    events_zh = reader.get("/zh-hans/events/").content.decode()
    assert ">类型</h2>" in events_zh and "最新优先" in events_zh
    # Page titles and descriptions.
    assert "<title>События · Архив ШОС</title>" in events_ru
    assert "<title>活动 · 上合组织档案库</title>" in events_zh
    about = reader.get("/ru/about/").content.decode()
    assert 'content="Архив сотрудничества Шанхайской организации сотрудничества' in about


def test_bad_input_is_a_400_in_the_page_language(reader):
    response = reader.get("/ru/events/?year=abc")
    assert response.status_code == 400
    content = response.content.decode()
    assert html_lang(content) == "ru" and "Не удалось разобрать запрос" in content
    response = reader.get("/zh-hans/no-such-page/")
    assert response.status_code == 404 and "页面未找到" in response.content.decode()


def test_accept_language_only_redirects_the_home_page(reader):
    response = reader.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert response.status_code == 302 and response["Location"] == "/ru/"
    assert "Accept-Language" in response["Vary"]
    response = reader.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert response["Location"] == "/zh-hans/"
    for header in ("en-GB,en;q=0.9,ru;q=0.5", "", "de-DE", "*"):
        response = reader.get("/", headers={"Accept-Language": header})
        assert response.status_code == 200 and html_lang(response.content.decode()) == "en"
        assert "Accept-Language" in response["Vary"]
    # Any other URL means its one language, whatever the browser or a cookie prefers.
    reader.cookies["django_language"] = "ru"
    for path in ("/events/", EVENT, SOURCE):
        response = reader.get(path, headers={"Accept-Language": "ru"})
        assert response.status_code == 200
        assert "Accept-Language" not in response.get("Vary", ""), path
        assert response["Content-Language"] == "en"
    assert html_lang(reader.get("/events/", headers={"Accept-Language": "ru"}).text) == "en"


@pytest.mark.parametrize(
    "header, wanted",
    [
        ("ru", "ru"),
        ("en;q=0.4, ru;q=0.8", "ru"),
        ("zh-Hans-CN", "zh-hans"),
        ("zh-TW, en;q=0.1", "zh-hans"),
        ("fr, de;q=0.5", None),
        ("ru;q=0, en", "en"),
        ("ru;q=abc, zh", "zh-hans"),
        ("", None),
    ],
)
def test_preferred_language(header, wanted):
    assert preferred_language(header) == wanted


def test_the_admin_and_the_api_stay_english_and_unprefixed(reader):
    assert reader.get("/ru/admin/").status_code == 404
    assert reader.get("/ru/api/v1/events/").status_code == 404
    response = reader.get("/admin/login/", headers={"Accept-Language": "ru"})
    assert 'lang="en"' in response.content.decode()


def test_the_feed_answers_in_each_language(reader):
    ru = reader.get("/ru/feeds/events/").content.decode()
    assert "<title>Архив ШОС — события</title>" in ru and 'xml:lang="ru"' in ru
    assert "http://testserver/ru/events/" in ru
    en = reader.get("/feeds/events/").content.decode()
    assert "<title>SCO Archive — events</title>" in en and 'xml:lang="en"' in en


def test_the_sitemap_lists_every_page_in_every_language_with_alternates(reader):
    ns = NS
    urls = sitemap_urls(reader)
    locations = [u.find("s:loc", ns).text for u in urls]
    for path in (EVENT, "/about/"):
        assert {f"http://testserver{PREFIX[code]}{path}" for code in PREFIX} <= set(locations)
    for url in urls:
        alternates = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        assert set(alternates) == {"en", "ru", "zh-hans", "x-default"}
        assert alternates["x-default"] == alternates["en"]
        assert url.find("s:loc", ns).text in alternates.values()


# --- Caches never mix languages -----------------------------------------------------------


@pytest.fixture
def cache_on(settings):
    settings.SCO_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    caching._faults.update(down_until=0.0, warned_at=float("-inf"))


def test_cached_pages_never_mix_languages(reader, cache_on):
    for _ in range(2):  # the second round comes from the cache
        for language, prefix in PREFIX.items():
            for header in ("", "ru", "zh-CN", "en"):
                response = reader.get(f"{prefix}/events/", headers={"Accept-Language": header})
                content = response.content.decode()
                assert html_lang(content) == language, (prefix, header, response["X-Cache"])
                # The timeline and facets are cached too (sources/counting.py): their
                # links are the page's language's.
                links = re.findall(r'href="((?:/ru|/zh-hans)?/events/[^"?/]+/)"', content)
                assert links and all(link.startswith(f"{prefix}/events/") for link in links)
    assert reader.get("/ru/events/")["X-Cache"] == "hit"
    home = reader.get("/ru/").content.decode()
    assert 'href="/ru/events/sco-' in home and 'href="/events/sco-' not in home
    assert 'href="/events/sco-' in reader.get("/").content.decode()
