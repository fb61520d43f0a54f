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
import re
from dataclasses import dataclass

from .cleaning import ends_sentence, is_clutter, weight

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
_YEARS = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")


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
        if heavy >= 25 or (heavy >= 8 and ends_sentence(line)):
            break
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


def detect_title(text: str) -> str:
    """The first heading-like line, else the first sentence (shortened to ~120 chars)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:10]:
        if is_clutter(line):
            continue
        if 2 <= weight(line) <= 25 and not ends_sentence(line) and not line.endswith(":"):
            return line
    if not lines:
        return ""
    first = _SENTENCE.match(lines[0])
    title = first.group(1) if first else lines[0]
    if len(title) > 120:
        title = title[:120].rsplit(" ", 1)[0] + "…"
    return title


_LANGUAGES = {"en", "ru", "zh", "kk", "uz", "hi", "ur", "fa"}
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
