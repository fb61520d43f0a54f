"""Metadata read from the article itself: dates with precision, title, language, outlet."""

import datetime

import pytest

from sources import metadata
from sources.metadata import detect_date, parse_published


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "SCO ministers meet\n08:52, 26 April 2024\nThe ministers met.",
            datetime.date(2024, 4, 26),
        ),
        ("Posted on 28th April, 2023\nThe ministers met in Delhi.", datetime.date(2023, 4, 28)),
        ("Ministers meet\n26.04.2024\nThe ministers met.", datetime.date(2024, 4, 26)),
        ("Ministers meet\n2024-04-26\nThe ministers met.", datetime.date(2024, 4, 26)),
        (
            "Министры встретились\n26 апреля 2024 г.\nМинистры встретились.",
            datetime.date(2024, 4, 26),
        ),
        ("国防部长会议举行\n2024年4月26日 10:15\n会议举行。", datetime.date(2024, 4, 26)),
        ("Ministers meet\nApril 26, 2024\nThe ministers met.", datetime.date(2024, 4, 26)),
        (
            " date 2023-10-17 On 16 October 2023, a conference was held.",
            datetime.date(2023, 10, 17),
        ),
    ],
)
def test_publication_dates_at_day_precision(text, expected):
    found = detect_date(text)
    assert (found.value, found.precision) == (expected, "day")
    assert found.note


def test_an_event_date_inside_a_sentence_is_not_the_publication_date():
    found = detect_date("On 28 July 2021, Tajikistan chaired a meeting of the defence ministers.")
    assert found.value is None and found.precision == "unknown"


def test_a_sign_off_at_the_end_gives_the_date():
    text = "On 16 October 2023, a conference was held in Almaty.\nIt ended. ///nCa, 17 October 2023"
    found = detect_date(text)
    assert (found.value, found.precision) == (datetime.date(2023, 10, 17), "day")


def test_a_dateline_without_a_year_takes_the_reference_year_at_month_precision():
    text = "ASTANA, April 29 (Kazinform) – The SCO defence ministers met on Friday."
    found = detect_date(text, reference=parse_published("2024"))
    assert (found.value, found.precision) == (datetime.date(2024, 4, 1), "month")
    assert "no year" in found.note and "2024" in found.note and "month precision" in found.note


def test_a_dateline_without_a_year_takes_the_only_year_of_the_text():
    text = "ASTANA, April 29 – The ministers agreed on the plan for 2024 and met again."
    found = detect_date(text)
    assert (found.value, found.precision) == (datetime.date(2024, 4, 1), "month")
    assert "only year" in found.note


def test_a_dateline_without_any_year_is_left_unknown_with_a_note():
    text = "BEIJING, Aug 26 (ABC): The ministers planned Vostok 2022 and Peaceful Mission 2023."
    found = detect_date(text)
    assert found.value is None and found.precision == "unknown"
    assert "Aug 26" in found.note and "2022, 2023" in found.note


def test_a_chinese_dateline_takes_the_reference_year():
    found = detect_date(
        "新华社青岛4月26日电 会议在青岛举行。", reference=parse_published("2024-04")
    )
    assert (found.value, found.precision) == (datetime.date(2024, 4, 1), "month")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-26", (datetime.date(2024, 4, 26), "day")),
        ("2024-04", (datetime.date(2024, 4, 1), "month")),
        ("2024", (datetime.date(2024, 1, 1), "year")),
    ],
)
def test_parse_published(value, expected):
    found = parse_published(value)
    assert (found.value, found.precision) == expected


@pytest.mark.parametrize("value", ["26/04/2024", "April 2024", "2024-13-01", ""])
def test_parse_published_refuses_other_forms(value):
    with pytest.raises(ValueError):
        parse_published(value)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The defence ministers of the SCO member states met in Astana to discuss security.", "en"),
        ("В Ташкенте прошло совещание министров обороны государств — членов ШОС.", "ru"),
        ("上海合作组织成员国国防部长会议26日在青岛举行。与会各方交换了意见。", "zh"),
        ("", "und"),
    ],
)
def test_language(text, language):
    assert metadata.detect_language(text) == language


def test_title_is_the_first_heading_like_line():
    text = "Home | News | Sport\nUSD 470.52 ▲ EUR 509.14 ▼\nSCO ministers meet\nThey met in Astana."
    assert metadata.detect_title(text) == "SCO ministers meet"


def test_title_falls_back_to_the_first_sentence():
    text = "On 28 July 2021, Tajikistan chaired a meeting in Dushanbe. It went well."
    assert (
        metadata.detect_title(text) == "On 28 July 2021, Tajikistan chaired a meeting in Dushanbe."
    )


def test_html_metadata():
    html = (
        '<html><head><title>Ministers meet | Steppe Wire</title><meta property="og:title" '
        'content="Ministers meet"><meta property="og:site_name" content="Steppe Wire">'
        '<meta property="article:published_time" content="2024-04-26T08:52:00"></head>'
        "<body><h1>Ministers meet</h1><p>The ministers met in Astana.</p></body></html>"
    )
    meta = metadata.html_metadata(html)
    assert meta.title == "Ministers meet"
    assert meta.outlet == "Steppe Wire"
    assert (meta.published_on, meta.published_precision) == (datetime.date(2024, 4, 26), "day")


def test_a_known_outlet_named_in_the_header_or_footer():
    text = "Astana, The Gulf Observer: The meeting began.\n" + "More text.\n" * 10 + "The end."
    assert metadata.find_outlet(text, ["The Gulf Observer", "nCa"]) == "The Gulf Observer"
    assert metadata.find_outlet("Text.\nMore. ///nCa, 17 October 2023", ["nCa"]) == "nCa"
    assert metadata.find_outlet("Nothing named here.", ["nCa", "The Gulf Observer"]) == ""


# -- #17: headlines, outlets, datelines, relative dates ------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "date 2024-04-26 EN",
        "date 2019-12-13 3.42 RUB",
        "ASTANA, April 29.",
        "@tass_agency",
        "USD 69.74",
        "您的当前位置:首页>科技快讯 > 正文",
        "नवभारत टाइम्स",
        "Source: Xinhua",
        "Politics Economy Society Culture Sport",  # a menu without separators
        "Breaking: PM chairs cabinet meeting | Gold price rises | Stocks gain 410 points",
        "Срочно: курс рубля вырос на бирже в понедельник утром",
        "Ticker: GDP up 2.1% in January-February 2027 * Tractor Works ships 1,000th tractor",
    ],
)
def test_page_clutter_is_never_a_title(line):
    assert metadata.is_title_clutter(line) or metadata.is_masthead_line(line)
    text = (
        f"{line}\nSCO defence ministers meet in New Delhi\n"
        "NEW DELHI, April 28 (ANI): The ministers met."
    )
    assert metadata.detect_title(text) == "SCO defence ministers meet in New Delhi"


def test_a_masthead_is_not_the_headline():
    text = "Trend News Agency\nThe Frontier Post\nSCO defence ministers pledge closer cooperation\n"
    assert metadata.detect_title(text) == "SCO defence ministers pledge closer cooperation"


@pytest.mark.parametrize(
    "text, outlet",
    [
        ("Title here\n2022-08-31 19:45:30 来源:科技日报\n正文。", "Science and Technology Daily"),
        ("Title\nMOSCOW, April 26. /TASS/. The ministers met in Moscow today.", "TASS"),
        ("Title\nBEIJING, Aug 26 (ABC): The SCO held talks in the city on Friday.", "ABC"),
        ("Заголовок\nИсточник: Звезда\nТекст новости здесь.", "Zvezda"),
        ("Title\nThe ministers met.\nSource: Xinhua", "Xinhua"),
        # a full-width space ends the name: the author and editor follow it
        ("标题\n来源：新华社\u3000作者：赵毅\u3000责任编辑：孙静\n正文。", "Xinhua"),
        (
            "标题\n来源：人民网－国际频道\n正文。",
            "People's Daily Online",
        ),  # the site, not its section
        # a name right above the site's menu is its masthead
        ("DAWN\nEPAPER | LIVE TV | Images | Advertise\nHeadline here\nISLAMABAD: Text.", "DAWN"),
    ],
)
def test_outlets_printed_in_the_text(text, outlet):
    assert metadata.outlet_from_text(text).name == outlet


def test_a_masthead_spelled_out_by_the_datelines_acronym_is_the_outlet_not_the_headline():
    text = (
        "The Times of Central Asia\nHome > Kyrgyzstan > Security\n"
        "SCO security services wrap up drill at Issyk-Kul\nBy Aida Temirova\n"
        "BISHKEK (TCA) — Special forces of six SCO countries on Wednesday completed the drill."
    )
    assert metadata.detect_title(text) == "SCO security services wrap up drill at Issyk-Kul"
    found = metadata.outlet_from_text(text)
    assert found.name == "The Times of Central Asia"
    assert "(TCA)" in found.how
    # an acronym that nothing above spells out stays the outlet's name
    assert metadata.outlet_from_text(text.replace("Times", "Herald")).name == "TCA"
    assert not metadata.spells_out("TCA", "Tajikistan and Central Asia news")
    assert metadata.spells_out("APP", "Associated Press of Pakistan")


def test_the_headline_is_the_line_above_its_byline_or_date_and_a_ticker_dates_nothing():
    text = (
        "The Astana Times\nKazakhstan's first English-language national newspaper\n"
        "NATION | BUSINESS | WORLD | CULTURE | SPORTS\n"
        "Ticker: GDP up 2.1% in January-February 2027 * Snowfall warning for the north\n"
        "Chinese cadets top standings as first SCO military cadet games close in Almaty\n"
        "By Aigerim Sadykova in Nation on 10 September 2027\n"
        "ALMATY – The first SCO military cadet games closed on Thursday."
    )
    assert metadata.detect_title(text) == (
        "Chinese cadets top standings as first SCO military cadet games close in Almaty"
    )
    found = metadata.detect_date(text)
    assert (found.value, found.precision) == (datetime.date(2027, 9, 10), "day")
    # a section name above the date line is not the headline
    text = "TASS\nDrills of SCO armies open in Chelyabinsk Region\nMilitary & Defense\n"
    text += "September 12, 2025, 10:15\nCHEBARKUL, September 12. /TASS/. The drills opened."
    assert metadata.detect_title(text) == "Drills of SCO armies open in Chelyabinsk Region"


def test_a_long_ticker_does_not_end_the_header_before_its_date():
    text = (
        "КРАСНАЯ ЗВЕЗДА\nГлавная | Новости | Армия | Флот | Мнения | Архив номеров | Подписка\n"
        "Бегущая строка: В Подмосковье стартовали сборы командиров мотострелковых бригад • "
        "Экипажи Ту-22М3 выполнили полеты над нейтральными водами Балтики • Открыт прием "
        "заявок на конкурс «Армейские игры – 2028» для команд всех военных округов страны\n"
        "Сверили планы на год председательства\n"
        "16.02.2028 19:40 | Рубрика: Международная жизнь\n"
        "МОСКВА, 16 февраля. /«Красная звезда»/. Совещание прошло в Москве в 2027 году."
    )
    found = detect_date(text)
    assert (found.value, found.precision) == (datetime.date(2028, 2, 16), "day")
    assert metadata.detect_title(text) == "Сверили планы на год председательства"


def test_a_long_menu_does_not_end_the_header_before_its_date():
    text = (
        "中国新闻网\n首页 | 滚动 | 时政 | 国际 | 社会 | 财经 | 军事 | "
        "港澳 | 台湾 | 华人 | 文化 | 体育 | 视频\n"
        "上合组织成员国国防部长会议在伊斯兰堡举行\n2027年06月22日 21:36\u3000来源：中国新闻网\n"
        "中新网北京6月22日电 上海合作组织成员国国防部长会议22日在伊斯兰堡举行。"
    )
    found = metadata.detect_date(text)
    assert (found.value, found.precision) == (datetime.date(2027, 6, 22), "day")
    assert metadata.outlet_from_text(text).name == "China News Service"


def test_dateline_place_date_outlet_and_byline():
    parts = metadata.dateline_parts("新华社青岛4月26日电（记者 王小明）上海合作组织会议26日举行。")
    assert (parts.place, parts.date, parts.outlet, parts.byline) == (
        "青岛",
        "4月26日",
        "新华社",
        "王小明",
    )
    parts = metadata.dateline_parts("ASTANA, April 29 (Kazinform) – The ministers met today.")
    assert (parts.place, parts.date, parts.outlet) == ("Astana", "April 29", "Kazinform")
    assert metadata.find_byline("Headline of the story\nBy Zhang Hui\nBody text.") == "Zhang Hui"


def test_counts_and_copyright_are_not_years():
    assert metadata.years_in("около 2000 военнослужащих, © 2024, в 2023 году") == {2023}


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("on Friday", datetime.date(2024, 4, 26)),
        ("yesterday", datetime.date(2024, 4, 27)),
        ("в четверг", datetime.date(2024, 4, 25)),
        ("26日", datetime.date(2024, 4, 26)),
        ("30日", datetime.date(2024, 3, 30)),
    ],
)
def test_relative_dates_resolve_against_the_base_date(phrase, expected):
    assert metadata.resolve_relative(phrase, datetime.date(2024, 4, 28)) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("09/09/2025 18:40", datetime.date(2025, 9, 9)),
        ("14/10/2025 15:30", datetime.date(2025, 10, 14)),  # day first
        ("03/04/2025", datetime.date(2025, 4, 3)),  # day first when both read as dates
        ("10/14/2025", datetime.date(2025, 10, 14)),  # month first only when it must be
        ("10.09.2025 11:20", datetime.date(2025, 9, 10)),
    ],
)
def test_numeric_dates_with_slashes_and_dots_are_day_first(text, expected):
    found = metadata.find_date(text)
    assert found.value == expected and found.precision == "day"


def test_known_outlets_in_the_masthead_or_footer_only():
    found = metadata.outlet_from_text("Associated Press of Pakistan\nHeadline of the story here\n")
    assert found is not None and found.name == "Associated Press of Pakistan"
    footer = "Headline\nText of the story.\nMore.\nEven more.\n© РИА Новости"
    found = metadata.outlet_from_text(footer)
    assert found is not None and found.name == "RIA Novosti"
    assert metadata.outlet_from_text("A headline\nThe story names nobody.\nThe end.") is None


@pytest.mark.parametrize(
    "text, outlet",
    [
        (
            "Skip to content\nHeadline of the story here\nBy PTI\nNEW DELHI: Text.",
            "Press Trust of India",
        ),
        (
            "Министерство обороны Российской Федерации\nГлавная | Новости\n"
            "В Челябинской области началось учение\n14.08.2023\nТекст новости здесь.",
            "Министерство обороны Российской Федерации",
        ),
        ("The Astana Times\nSCO defence ministers meet in Astana\nText.", "The Astana Times"),
    ],
)
def test_a_byline_agency_or_the_publisher_masthead_is_the_outlet(text, outlet):
    found = metadata.outlet_from_text(text)
    assert found is not None and found.name == outlet


@pytest.mark.parametrize(
    "text",
    [
        "Defence ministry hosts SCO meeting in Astana\nThe ministers met on Friday.",  # headline
        "By Zhang Hui\nHeadline of the story here\nText of the story.",  # a person's byline
        "Latest news | World\nHeadline of the story here\nText of the story.",  # a menu
        "Daily briefing 12\nHeadline of the story here\nText of the story.",
    ],
)
def test_a_headline_a_person_or_a_menu_is_no_outlet(text):
    assert metadata.outlet_from_text(text) is None
