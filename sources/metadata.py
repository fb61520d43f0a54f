"""Metadata of an imported article read from its own text: title, publication date (with
its precision and a note on anything inferred), language and outlet. No Django here.

Dates are found in the page's header (the lines before the article's first paragraph),
in labelled lines ("Published: …", "date 2023-10-17", "发布时间：…"), in a dateline opening
the first paragraph ("ASTANA, April 29 –") and in a sign-off at the very end ("///nCa,
17 October 2023"). A date inside the article's sentences ("On 16 October 2023, a
conference was held") is an event date, not the publication date, and is not used here.

A dateline without a year gets a year only when one is known: the year of a reference
date given at import, or the single year the text mentions. The date is then recorded at
month precision with a `date_note` saying what was inferred — never as an exact day.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

from .cleaning import ends_sentence, is_clutter, is_timestamp, weight

DAY, MONTH, YEAR, UNKNOWN = "day", "month", "year", "unknown"

MONTHS = {
    # English (full and abbreviated)
    **{
        name: number
        for number, names in enumerate(
            [
                ("january", "jan"),
                ("february", "feb"),
                ("march", "mar"),
                ("april", "apr"),
                ("may",),
                ("june", "jun"),
                ("july", "jul"),
                ("august", "aug"),
                ("september", "sep", "sept"),
                ("october", "oct"),
                ("november", "nov"),
                ("december", "dec"),
            ],
            start=1,
        )
        for name in names
    },
    # Russian, genitive (26 апреля) and nominative (апрель 2024)
    **{
        name: number
        for number, names in enumerate(
            [
                ("января", "январь", "янв"),
                ("февраля", "февраль", "фев"),
                ("марта", "март", "мар"),
                ("апреля", "апрель", "апр"),
                ("мая", "май"),
                ("июня", "июнь", "июн"),
                ("июля", "июль", "июл"),
                ("августа", "август", "авг"),
                ("сентября", "сентябрь", "сен", "сент"),
                ("октября", "октябрь", "окт"),
                ("ноября", "ноябрь", "ноя"),
                ("декабря", "декабрь", "дек"),
            ],
            start=1,
        )
        for name in names
    },
}
_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

# Each pattern has named groups year/month/day (month may be a name or a number).
DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),  # 2024-04-26
    re.compile(rf"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.{_YEAR}\b"),  # 26.04.2024
    # 26/04/2024: day first, as SCO countries' outlets write it (#17); 04/26/2024 only
    # when the day-first reading is no date
    re.compile(rf"\b(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/{_YEAR}\b"),
    re.compile(rf"\b(?P<month>[01]?\d)/(?P<day>[0-3]?\d)/{_YEAR}\b"),
    re.compile(
        rf"{_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"
    ),  # 2024年4月26日
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.IGNORECASE),  # 26 April 2024
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # April 26, 2024
    re.compile(rf"{_YEAR}\s*年\s*(?P<month>[01]?\d)\s*月(?!\s*\d)"),  # 2024年4月 (month)
    re.compile(rf"\b{_MONTH}\s+{_YEAR}\b", re.IGNORECASE),  # October 2023 (month)
]
# A date without its year: "April 29", "29 April", "26 апреля", "4月26日".
PARTIAL_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH}(?!\s*,?\s*(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(r"(?<![年\d])(?P<month>[01]?\d)\s*月\s*(?P<day>[0-3]?\d)\s*日"),
]
_LABEL = re.compile(
    r"(?:published|posted|updated|date|dated|опубликовано|обновлено|дата(?:\s+публикации)?|"
    r"发布时间|发布日期|发表时间|日期|时间)\s*[:：]?\s*",
    re.IGNORECASE,
)
# "ASTANA, April 29 (Kazinform) –", "BEIJING, Aug 26 (ABC):", "ТАШКЕНТ, 26 апреля.",
# "新华社青岛4月26日电"
DATELINE = re.compile(
    r"^\s*(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ.'’ -]{1,40}|[A-ZА-ЯЁ][a-zа-яё]+),\s*", re.UNICODE
)
_ZH_DATELINE = re.compile(r"^\s*\S{0,12}?(?P<month>[01]?\d)月(?P<day>[0-3]?\d)日电")
_YEARS = re.compile(
    r"(?<![\d©])(?<!© )(?<!около )(?<!about )(?<!some )(?<!over )(?<!nearly )"
    r"((?:19|20)\d\d)(?![\d\s]*(?:troops|servicemen|soldiers|personnel|military|people|"
    r"военнослужащ|человек|солдат|名|人))",
    re.IGNORECASE,
)


@dataclass
class FoundDate:
    value: datetime.date | None
    precision: str
    note: str = ""
    matched: str = ""


@dataclass
class Metadata:
    title: str = ""
    published_on: datetime.date | None = None
    published_precision: str = UNKNOWN
    date_note: str = ""
    language: str = ""
    outlet: str = ""
    url: str = ""


def _month_number(value: str) -> int | None:
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(value.lower().rstrip("."))


def _build(match: re.Match) -> FoundDate | None:
    groups = match.groupdict()
    month = _month_number(groups["month"])
    if month is None:
        return None
    year = int(groups["year"])
    try:
        if groups.get("day"):
            return FoundDate(datetime.date(year, month, int(groups["day"])), DAY, "", match[0])
        return FoundDate(datetime.date(year, month, 1), MONTH, "", match[0])
    except ValueError:
        return None


def find_date(text: str) -> FoundDate | None:
    """The first complete date in `text` (day, or month when no day is written)."""
    best: tuple[int, FoundDate] | None = None
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _build(match)
            if found is not None:
                if best is None or match.start() < best[0]:
                    best = (match.start(), found)
                break
    return best[1] if best else None


def find_dates(text: str) -> list[tuple[int, int, FoundDate]]:
    """Every complete date in `text`, as (start, end, FoundDate), without overlaps."""
    found: list[tuple[int, int, FoundDate]] = []
    taken: list[tuple[int, int]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            date = _build(match)
            if date is None:
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.end(), date))
    return sorted(found, key=lambda item: item[0])


def _partial(text: str) -> tuple[int, int, str] | None:
    """(month, day, matched) of a date written without its year."""
    for pattern in PARTIAL_PATTERNS:
        match = pattern.search(text)
        if match:
            month = _month_number(match["month"])
            day = int(match["day"])
            if month and 1 <= day <= 31:
                return month, day, match[0]
    return None


def years_in(text: str) -> set[int]:
    return {int(year) for year in _YEARS.findall(text)}


def infer_from_dateline(
    month: int, day: int, matched: str, text: str, reference_year: int | None
) -> FoundDate:
    """A dateline's day and month, with a year only when one is known (month precision)."""
    if reference_year:
        source = f"the year given at import ({reference_year})"
        year = reference_year
    else:
        years = years_in(text)
        if len(years) != 1:
            mentioned = ", ".join(str(y) for y in sorted(years)) or "none"
            return FoundDate(
                None,
                UNKNOWN,
                f"The dateline “{matched}” gives no year and the text does not settle one "
                f"(years mentioned: {mentioned}); the date is left unknown.",
                matched,
            )
        year = years.pop()
        source = f"the only year the text mentions ({year})"
    try:
        value = datetime.date(year, month, 1)
    except ValueError:
        return FoundDate(None, UNKNOWN, "", matched)
    try:
        datetime.date(year, month, day)
        day_text = f"{day} "
    except ValueError:
        day_text = ""
    return FoundDate(
        value,
        MONTH,
        f"The dateline “{matched}” gives no year; {source} is assumed, so the date is "
        f"recorded at month precision ({day_text}{value.strftime('%B %Y')} is not certain).",
        matched,
    )


def _header_lines(lines: list[str]) -> list[str]:
    """The lines before the first real paragraph or sentence (at most 12)."""
    header = []
    for line in lines[:12]:
        heavy = weight(line)
        if (heavy >= 25 and not is_clutter(line) and not _TICKER.match(line)) or (
            heavy >= 8 and ends_sentence(line)
        ):
            break  # a long menu ("首页 | 滚动 | 时政 | …") or ticker is still the header
        header.append(line)
    return header


def detect_date(text: str, reference: FoundDate | None = None) -> FoundDate:
    """The publication date of `text`, at the precision the text supports.

    `reference` (a date given at import, any precision) supplies a year for a dateline
    that has none; a complete reference date is not looked for here (the caller uses it).
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return FoundDate(None, UNKNOWN)
    reference_year = reference.value.year if reference and reference.value else None
    # 1. a labelled date anywhere in the first lines, or in the header
    for line in lines[:15]:
        for label in _LABEL.finditer(line):
            found = find_date(line[label.end() : label.end() + 40])
            if found and line[label.end() :].startswith(found.matched[:1]):
                found.note = f"From “{line[label.start() : label.end()]}{found.matched}”."
                return found
    header = _header_lines(lines)
    for line in header:
        if _TICKER.match(line):
            continue  # "Ticker: GDP up 2.1% in January-February 2027 * …" dates other news
        found = find_date(line)
        if found:
            found.note = f"From the page header: “{found.matched}”."
            return found
    # 2. a dateline opening the first paragraph
    body_start = len(header)
    for line in lines[body_start : body_start + 2] or lines[:1]:
        dateline = _dateline(line)
        if dateline is None:
            continue
        complete = find_date(dateline)
        if complete:
            complete.note = f"From the dateline “{complete.matched}”."
            return complete
        partial = _partial(dateline)
        zh = _ZH_DATELINE.match(line)
        if zh:
            partial = (int(zh["month"]), int(zh["day"]), zh[0].strip())
        if partial:
            return infer_from_dateline(*partial, text, reference_year)
    # 3. a sign-off after the last sentence: "… recovery. ///nCa, 17 October 2023"
    last = lines[-1]
    pieces = re.split(r"[.!?。！？]\s", last)
    if len(pieces) > 1:
        tail = pieces[-1]
    else:
        tail = last if not ends_sentence(last) and weight(last) <= 15 and len(lines) > 1 else ""
    signoff = find_dates(tail)
    if signoff:
        found = signoff[-1][2]
        found.note = f"From the sign-off at the end of the text: “{found.matched}”."
        return found
    return FoundDate(None, UNKNOWN)


def _dateline(line: str) -> str | None:
    """The dateline part of a first paragraph ("ASTANA, April 29 (Kazinform) –"), if any."""
    zh = _ZH_DATELINE.match(line)
    if zh:
        return zh[0]
    match = DATELINE.match(line)
    if not match:
        return None
    rest = line[match.end() : match.end() + 40]
    cut = re.search(r"[–—:(]|\.\s|-\s", rest)
    return line[: match.end() + (cut.start() if cut else len(rest))]


# -- title, language, outlet -----------------------------------------------------------

_SENTENCE = re.compile(r"^(.+?[.!?。！？])(?:\s|$)")


_HANDLE = re.compile(r"^@\w+|^\W*(?:twitter|telegram|x)\s*[:：]", re.IGNORECASE)
_DATE_LABEL = re.compile(r"^(?:date|дата|日期)\b", re.IGNORECASE)
_NON_TITLE_SCRIPT = re.compile(r"[\u0900-\u097f\u0600-\u06ff]")
# a ticker of headlines: "Breaking: … | … | …", «Срочно: …», "快讯：…"
_TICKER = re.compile(
    r"^(?:breaking(?: news)?|latest|just in|news alert|ticker|срочно|молния|последние новости|"
    r"бегущая строка|"
    r"快讯|最新消息|突发)\s*[:：!|—–-]",
    re.IGNORECASE,
)


def is_title_clutter(line: str) -> bool:
    """A line that is never a headline: page furniture, a dateline label ("date
    2024-04-26 EN"), a ticker ("3.42 RUB"), a dateline alone ("ASTANA, April 29."),
    a handle, a breadcrumb, a source line or a masthead in another script."""
    from .cleaning import is_breadcrumb, is_source_line, is_timestamp

    stripped = line.strip()
    if is_clutter(stripped) or is_timestamp(stripped) or is_source_line(stripped):
        return True
    if _HANDLE.match(stripped) or _DATE_LABEL.match(stripped) or is_breadcrumb(stripped):
        return True
    if _TICKER.match(stripped):
        return True
    if ">" in stripped or "›" in stripped or "»" in stripped and "«" not in stripped:
        return True
    if _NON_TITLE_SCRIPT.search(stripped):
        return True
    letters = [char for char in stripped if char.isalpha()]
    digits = sum(char.isdigit() for char in stripped)
    if len(letters) < 6 or digits > len(letters) / 2:
        return True  # "USD 69.74", "3.42 RUB", "date 2019-12-13"
    dateline = DATELINE.match(stripped)
    if dateline and (find_date(stripped) or _partial(stripped)) and weight(stripped) <= 6:
        return True
    return bool(dateline_parts(stripped)) and weight(stripped) <= 6


_MASTHEAD = re.compile(
    r"news agency|information agency|news service|информационное агентство|агентство|"
    r"通讯社|新闻网|^by\s|^автор|^作者",
    re.IGNORECASE,
)


def is_masthead_line(line: str) -> bool:
    """The outlet's own name ("TASS", "Trend News Agency", "UzA | Uzbekistan National
    News Agency", "The Frontier Post" in its masthead) or a byline."""
    stripped = line.strip()
    parts = [part.strip() for part in re.split(r"\s*[|•·]\s*", stripped) if part.strip()]
    if any(_known(part) for part in parts):
        return True
    if _MASTHEAD.search(stripped) and weight(stripped) <= 6:
        return True
    if _BYLINE.match(stripped) and weight(stripped) <= 6:
        return True
    return False


_ACRONYM = re.compile(r"[A-ZА-ЯЁ]{2,6}")
_NOT_INITIALS = {"of", "the", "and", "for", "on", "in", "&", "и"}


def spells_out(acronym: str, line: str) -> bool:
    """Whether ``line`` is the name that ``acronym`` abbreviates: "The Times of Central
    Asia" for the dateline's "(TCA)", "Associated Press of Pakistan" for "(APP)"."""
    if not _ACRONYM.fullmatch(acronym or ""):
        return False
    words = [word for word in re.findall(r"[^\W\d_]+", line) if word.lower() not in _NOT_INITIALS]
    return 2 <= len(words) <= 8 and "".join(word[0] for word in words).upper() == acronym


def _dateline_acronym(text: str) -> str:
    parts = find_dateline(text)
    outlet = parts.outlet.strip(" .") if parts else ""
    return outlet if _ACRONYM.fullmatch(outlet) else ""


def _dated(line: str) -> bool:
    """A short line giving a date or a time stamp: "16 March 2027, 18:42 | Defence"."""
    return weight(line) <= 12 and (is_timestamp(line) or bool(find_date(line)))


def detect_title(text: str) -> str:
    """The first heading-like line, else the first sentence (shortened to ~120 chars)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    header = []
    for line in lines[:12]:
        if (weight(line) >= 25 and ends_sentence(line)) or dateline_parts(line):
            break  # the first paragraph: the headline comes before it
        header.append(line)
    acronym = _dateline_acronym(text)  # its name spelled out above is the masthead
    candidates = [
        line
        for line in header
        if not is_title_clutter(line)
        and not is_masthead_line(line)
        and not spells_out(acronym, line)
        and 3 <= weight(line) <= 25
        and not ends_sentence(line)
        and not line.endswith(":")
    ]
    if candidates:
        # the headline stands right above its byline or date line, where the page has one
        # (a masthead's tagline comes first: "Kazakhstan's first English-language …")
        above = [
            line
            for line, following in zip(header, header[1:], strict=False)
            if line in candidates
            and weight(line) >= 5  # not a section name ("Military & Defense") above the date
            and (_BYLINE.match(following) or _dated(following))
        ]
        if above:
            return above[-1]
        # a masthead or section name is short; the headline is the first full one
        full = [line for line in candidates if weight(line) >= 5]
        return (full or candidates)[0]
    for line in lines[:10]:
        if is_title_clutter(line) or is_masthead_line(line) or weight(line) < 3:
            continue
        if 2 <= weight(line) <= 25 and not ends_sentence(line) and not line.endswith(":"):
            return line
    lines = [
        line for line in lines if not is_title_clutter(line) and not is_masthead_line(line)
    ] or lines
    if not lines:
        return ""
    first = _SENTENCE.match(dateline_rest(lines[0]))
    title = first.group(1) if first else dateline_rest(lines[0])
    if len(title) > 120:
        title = title[:120].rsplit(" ", 1)[0] + "…"
    return title


_LANGUAGES = {"en", "ru", "zh", "kk", "uz", "hi", "ur", "fa"}
_EN_FUNCTION = set("the of and in to a was were is on for with by from that at as has have".split())
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language: en, ru, zh, … ("und" when unsure)."""
    sample = text[:600]  # enough to tell languages apart; langdetect is slow on more
    if not sample.strip():
        return "und"
    letters = sum(1 for char in sample if char.isalpha()) or 1
    if len(_CJK.findall(sample)) / letters > 0.5:
        return "zh"  # Chinese script: no need to ask langdetect (ja/ko are not CJK-only)
    if len(_CYRILLIC.findall(sample)) / letters > 0.6:
        return "ru"  # langdetect knows neither Kazakh nor Uzbek: Cyrillic here is Russian
    words = re.findall(r"[a-z]+", sample.lower())
    if len(words) >= 30 and sum(word in _EN_FUNCTION for word in words) / len(words) > 0.12:
        return "en"  # plainly English: langdetect (10 ms an article) would say the same
    try:
        from langdetect import DetectorFactory, detect_langs

        DetectorFactory.seed = 0  # langdetect is random unless seeded
        guesses = detect_langs(sample)
    except Exception:  # noqa: BLE001 — langdetect raises on text with no features
        guesses = []
    code = guesses[0].lang if guesses else ""
    code = {"zh-cn": "zh", "zh-tw": "zh"}.get(code, code)
    if code in _LANGUAGES:
        return code
    if len(_CJK.findall(sample)) / letters > 0.3:
        return "zh"
    if len(_CYRILLIC.findall(sample)) / letters > 0.5:
        return "ru"
    return "und"


def find_outlet(text: str, names: list[str]) -> str:
    """The first known outlet name (of `names`) printed in the header or footer."""
    lines = [line for line in text.split("\n") if line.strip()]
    head = "\n".join(lines[:6])
    foot = "\n".join(lines[-6:])
    # the first paragraph's dateline often names the outlet too: "Astana, The Gulf Observer:"
    zones = (head[:1500], foot[-1500:])
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 3:
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
        if any(pattern.search(zone) for zone in zones):
            return name
    return ""


# -- HTML -------------------------------------------------------------------------------


def html_metadata(html: str) -> Metadata:
    """Title, date, site name and URL that a saved page declares (og:, <title>, <time>)."""
    import trafilatura

    meta = Metadata()
    try:
        document = trafilatura.extract_metadata(html)
    except Exception:  # noqa: BLE001 — a page trafilatura cannot parse has no metadata
        document = None
    if document is not None:
        meta.title = (document.title or "").strip()
        meta.outlet = (document.sitename or "").strip()
        meta.url = (document.url or "").strip()
        if document.date:
            try:
                meta.published_on = datetime.date.fromisoformat(document.date[:10])
                meta.published_precision = DAY
                meta.date_note = "From the page's metadata."
            except ValueError:
                pass
    declared = re.search(r"<html[^>]*\slang=[\"']?([A-Za-z]{2,3})", html[:3000], re.IGNORECASE)
    if declared and declared.group(1).lower() in _LANGUAGES:
        meta.language = declared.group(1).lower()  # <html lang="zh-CN"> → zh
    if not meta.title:
        match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.IGNORECASE | re.DOTALL)
        if match:
            meta.title = re.sub(r"<[^>]+>|\s+", " ", match.group(1)).strip()
    return meta


def parse_published(value: str) -> FoundDate:
    """YYYY-MM-DD (day), YYYY-MM (month) or YYYY (year); raises ValueError otherwise."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value.strip())
    if not match:
        raise ValueError(f"“{value}” is not a date: use YYYY-MM-DD, YYYY-MM or YYYY.")
    year, month, day = match.groups()
    if day:
        return FoundDate(datetime.date(int(year), int(month), int(day)), DAY)
    if month:
        return FoundDate(datetime.date(int(year), int(month), 1), MONTH)
    return FoundDate(datetime.date(int(year), 1, 1), YEAR)


# -- dateline, byline, outlet from the text (#17) ---------------------------------------

# "ASTANA, April 29 (Kazinform) –", "MOSCOW, April 26. /TASS/.", "BEIJING, Aug 26 (ABC):",
# "ТАШКЕНТ, 26 апреля. /Корр. ИА «Кабар»/.", "新华社青岛4月26日电（记者 王某）"
_EN_DATELINE = re.compile(
    r"^(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ.'’ -]{1,30}|[A-ZА-ЯЁ][a-zа-яё]+(?: [A-ZА-ЯЁ][a-zа-яё]+)?)"
    r"(?:,\s*(?P<date>[^–—:(/]{0,30}?))?\s*"
    r"(?:[(/]\s*(?P<outlet>[^)/]{2,40}?)\s*[)/]\s*)?\.?\s*[–—:-]+\s*|"
    r"^(?P<place2>[A-ZА-ЯЁ][A-ZА-ЯЁ.'’ -]{1,30}),\s*(?P<date2>[^./]{3,30})\.\s*"
    r"(?:/(?P<outlet2>[^/]{2,40})/\.?\s*)?"
)
_ZH_DATELINE_FULL = re.compile(
    r"^(?P<outlet>新华社|中新社|中新网|人民网|央视网|解放军报|中国军网|新华网)?\s*"
    r"(?P<place>[\u4e00-\u9fff]{2,6}?)(?P<date>\d{1,2}月\d{1,2}日)电"
    r"(?:\s*[（(](?:记者|通讯员)\s*(?P<byline>[^）)]+)[）)])?"
)


@dataclass
class Dateline:
    place: str = ""
    date: str = ""
    outlet: str = ""
    byline: str = ""
    text: str = ""  # the dateline as printed


def dateline_parts(line: str) -> Dateline | None:
    """The dateline opening a paragraph, split into place, date and outlet."""
    stripped = line.strip()
    zh = _ZH_DATELINE_FULL.match(stripped)
    if zh:
        return Dateline(zh["place"], zh["date"], zh["outlet"] or "", zh["byline"] or "", zh[0])
    match = _EN_DATELINE.match(stripped)
    if not match:
        return None
    place = (match["place"] or match["place2"] or "").strip(" .")
    date = (match["date"] or match["date2"] or "").strip(" .,")
    outlet = (match["outlet"] or match["outlet2"] or "").strip()
    if date and not (find_date(date) or _partial(date) or relative_phrase(date)):
        if not outlet:
            return None
        date = ""
    if not date and not outlet:
        return None
    if not place.isupper() and not date:
        return None  # "Moscow (Reuters) -" is fine, "Meanwhile (he said) -" is not
    return Dateline(place.title() if place.isupper() else place, date, outlet, "", match[0].strip())


def dateline_rest(line: str) -> str:
    parts = dateline_parts(line)
    return line.strip()[len(parts.text) :].strip() if parts else line.strip()


def find_dateline(text: str) -> Dateline | None:
    """The dateline of the first paragraphs (the first six lines that read as text)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:10]:
        parts = dateline_parts(line)
        if parts is not None and weight(line) > weight(parts.text) + 3:
            return parts
    return None


_BYLINE = re.compile(
    r"^(?:by|автор|текст|作者|记者|文[/／])\s*[:：]?\s*(?P<name>[^\d,;|]{3,60}?)\s*"
    r"(?:[,|;]|$)",
    re.IGNORECASE,
)


def find_byline(text: str) -> str:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:12]:
        match = _BYLINE.match(line)
        if match and weight(line) <= 10:
            return match["name"].strip()
    parts = find_dateline(text)
    return parts.byline if parts else ""


# Source lines: "Source: Xinhua", "Источник: ТАСС", "来源:科技日报", "/TASS/", "(ABC)".
_SOURCE = re.compile(
    r"(?:^|\s)(?:source|sources|источник|来源|稿源|消息来源)\s*[:：]\s*"
    r"(?P<name>[^\n|,;。，\u3000]{2,40}?)\s*(?:$|[|,;。，\n\u3000]|\s{2})",
    re.IGNORECASE | re.MULTILINE,
)
_SLASHED = re.compile(r"/\s*(?P<name>[A-ZА-ЯЁ][\w .«»\"-]{1,30}?)\s*/")

# Well-known agencies and papers: canonical name -> other names, so that “ТАСС” and
# “/TASS/” are one outlet. An outlet not in the archive is created from the canonical name.
KNOWN_OUTLETS = {
    "TASS": ["ТАСС", "ИТАР-ТАСС", "TASS Russian News Agency", "塔斯社"],
    "Xinhua": ["Xinhua News Agency", "新华社", "新华网", "Синьхуа"],
    "RIA Novosti": ["РИА Новости", "RIA", "俄新社"],
    "Interfax": ["Интерфакс"],
    "Sputnik": ["Спутник"],
    "Kazinform": ["Казинформ", "Kazinform International News Agency", "哈通社"],
    "Kabar": ["Кабар", "ИА «Кабар»", "Kabar News Agency"],
    "Khovar": ["Ховар", "НИАТ «Ховар»"],
    "UzA": ["УзА", "Uzbekistan National News Agency", "National News Agency of Uzbekistan"],
    "AKIpress": ["АКИpress"],
    "Trend": ["Trend News Agency"],
    "ANI": ["Asian News International"],
    "Press Trust of India": ["PTI"],
    "Associated Press of Pakistan": ["APP"],
    "IRNA": ["Islamic Republic News Agency"],
    "BelTA": ["БелТА", "Belarusian Telegraph Agency"],
    "China Daily": ["中国日报"],
    "Global Times": ["环球时报"],
    "CGTN": ["China Global Television Network"],
    "PLA Daily": ["解放军报", "中国军网", "China Military Online"],
    "Science and Technology Daily": ["科技日报"],
    "People's Daily": ["人民日报"],
    "People's Daily Online": ["人民网"],
    "China News Service": ["中新社", "中新网", "中国新闻网", "Chinanews.com"],
    "Krasnaya Zvezda": ["Красная звезда", "Red Star"],
    "Zvezda": ["Звезда", "ТРК «Звезда»"],
}


def _known(name: str) -> str:
    folded = name.strip().casefold()
    for canonical, others in KNOWN_OUTLETS.items():
        if folded == canonical.casefold() or folded in (o.casefold() for o in others):
            return canonical
    return ""


@dataclass
class OutletFound:
    name: str  # as printed, or the canonical name of a known agency
    how: str  # a note for the editor


def outlet_from_text(text: str) -> OutletFound | None:
    """The outlet a text names in a source line, a dateline or a sign-off."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    zones = lines[:12] + lines[-4:]
    for line in zones:
        match = _SOURCE.search(line)
        if match:
            name = match["name"].strip(" .:：")
            # the site and its section: "人民网－国际频道", "Dawn - Pakistan"
            site = re.split(r"\s*[－—–-]\s*", name)[0]
            name = name if _known(name) or not _known(site) else site
            return OutletFound(_known(name) or name, f"source line “{match[0].strip()}”")
    parts = find_dateline(text)
    if parts and parts.outlet:
        name = re.sub(r"^(?:корр|corr)\.?\s*", "", parts.outlet.strip(" ."), flags=re.IGNORECASE)
        name = re.sub(r"^(?:ИА|НИАТ|МИА|агентство)\s+", "", name).strip('«»" ')
        if not re.fullmatch(r"(?:corr|корр)\.?.*", name, re.IGNORECASE) or _known(name):
            spelled = [line for line in lines[:4] if spells_out(name, line)]
            if spelled and not _known(name):  # "(TCA)" under the masthead "The Times of …"
                return OutletFound(
                    spelled[0], f"dateline “{parts.text}”, spelled out “{spelled[0]}”"
                )
            return OutletFound(_known(name) or name, f"dateline “{parts.text}”")
    for line in lines[:8]:
        slashed = _SLASHED.search(line)
        if slashed and _known(slashed["name"]):
            return OutletFound(_known(slashed["name"]), f"“{slashed[0]}” in the text")
    byline = find_byline(text)
    if _known(byline):  # "By PTI", "By Reuters": the agency's copy
        return OutletFound(_known(byline), f"byline “{byline}”")
    # a well-known agency's name printed in the masthead, a credit or the footer
    head, foot = "\n".join(lines[:4]), "\n".join(lines[-3:])
    any_name, patterns = _known_outlet_patterns()
    if any_name.search(head) or any_name.search(foot):  # else one search per zone, not per name
        for canonical, name, pattern in patterns:
            for zone, where in ((head, "masthead"), (foot, "footer")):
                if pattern.search(zone):
                    return OutletFound(canonical, f"{where} (“{name}”)")
    return _publisher_masthead(lines, text)


# The words that make a page's first line the name of its publisher: a ministry, an agency,
# a paper or a news site ("Министерство обороны Российской Федерации", "The Astana Times").
_PUBLISHER = re.compile(
    r"\b(?:ministry|department|agency|times|daily|post|herald|gazette|tribune|"
    r"министерство|ведомство|агентство|газета|вестник)\b|部$|日报|通讯社|新闻网",
    re.IGNORECASE,
)


def _publisher_masthead(lines: list[str], text: str) -> OutletFound | None:
    """The page's first line when it names a publisher and stands above the headline:
    a short name, no digits, no sentence, not a menu — the site's masthead (#17)."""
    if len(lines) < 2:
        return None
    first = lines[0]
    # a publisher's word ("Times", "агентство", "日报"), or a name right above the site's
    # menu ("DAWN" over "EPAPER | LIVE TV | …")
    above_menu = "|" in lines[1] and is_clutter(lines[1])
    if (
        not (_PUBLISHER.search(first) or above_menu)
        or not first[0].isupper()
        and not _CJK.match(first)
        or not (1 if above_menu else 2) <= weight(first) <= 8
        or any(char.isdigit() for char in first)
        or ends_sentence(first)
        or re.search(r"[|•·>»/]", first)
        or detect_title(text) == first
    ):
        return None
    return OutletFound(first, f"masthead “{first}”")


@functools.cache
def _known_outlet_patterns():
    """(one pattern for any known outlet's name, [(canonical, name, pattern)] in the order
    they are tried: outlet by outlet, longest name first), compiled once (#17)."""
    patterns = []
    for canonical, others in KNOWN_OUTLETS.items():
        for name in sorted([canonical, *others], key=len, reverse=True):
            if len(name) >= 3:
                regex = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", re.IGNORECASE)
                patterns.append((canonical, name, regex))
    names = "|".join(re.escape(name) for _, name, _ in patterns)
    return re.compile(rf"(?<!\w)(?:{names})(?!\w)", re.IGNORECASE), patterns


# -- relative dates: "on Friday", "yesterday", "в пятницу", "昨天" -------------------------

_RELATIVE = re.compile(
    r"\b(?:on\s+|last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    r"\b(?:yesterday|today|this morning|earlier today)\b|"
    r"\bв(?:о)?\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)\b|"
    r"\b(?:вчера|сегодня|накануне)\b|"
    r"昨天|今天|昨日|今日|(?<!\d)(?P<zhday>[0-3]?\d)日(?!电)",
    re.IGNORECASE,
)
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4,
    "субботу": 5, "воскресенье": 6,
}  # fmt: skip


def relative_phrase(text: str) -> re.Match | None:
    return _RELATIVE.search(text)


def resolve_relative(phrase: str, base: datetime.date) -> datetime.date | None:
    """The day a relative phrase names, counted back from `base` (the dateline or the
    publication date): dateparser does it, with a base date; a weekday is the last one
    on or before the base, "26日" in Chinese copy the 26th of the base's month or the one before."""
    lower = phrase.strip().lower()
    zh = re.fullmatch(r"([0-3]?\d)日", lower)
    if zh:
        day = int(zh.group(1))
        year, month = base.year, base.month
        if day > base.day:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    word = lower.split()[-1]
    if word in _WEEKDAYS:
        return base - datetime.timedelta(days=(base.weekday() - _WEEKDAYS[word]) % 7)
    try:
        import dateparser

        found = dateparser.parse(
            lower,
            languages=["en", "ru", "zh"],
            settings={
                "RELATIVE_BASE": datetime.datetime.combine(base, datetime.time(12)),
                "PREFER_DATES_FROM": "past",
            },
        )
    except Exception:  # noqa: BLE001 — an odd phrase is no date
        found = None
    return found.date() if found else None
