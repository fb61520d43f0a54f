"""Clutter removal: the article's own text out of a copied or saved web page.

`clean_text(original)` works line by line on text copied from a page; `clean_html(html)`
extracts the main text with trafilatura (recall first, so no sentence of the article is
lost) and then applies the same line rules. Neither rewrites a line it keeps: the body is
the original's own lines (right-stripped), so quotes made on the body are the outlet's
words. No Django here.

A line is dropped when it is page furniture:

- navigation menus and breadcrumbs ("Home | News | Sport", "Главная › Новости"), runs of
  three or more one-to-three-word lines (a menu copied one item per line);
- currency and stock tickers ("USD 92,15 ▲ EUR 99,80 ▼", "上证指数 3071.38 ▲0.52%");
- lines that hold only a timestamp ("08:52, 26 April 2024", "2024年4月26日 10:15");
- share / print / views / reading time lines ("Share Tweet Print", "7 min read",
  "Просмотров: 3 418", "分享到：微信 微博", "阅读 2356");
- "Related" / "Popular" / "Recommended" / "Read also" / "Читайте также" / "Похожие
  новости" / "相关新闻" / "推荐阅读" headings and the headline list or teaser after them
  (up to the next real paragraph), and the same after comment prompts ("Leave a Reply",
  "Comments", "Добавить комментарий", "发表评论") and "Check also";
- copyright and "all rights reserved" footers, tag lists, "Load more" links;
- a short heading-like line repeated further down (the page repeats its title).

A line that ends like a sentence (. ! ? 。 ！ ？ or a closing quote after one) and is not
itself one of the patterns above is always kept: losing an article sentence is worse than
keeping a stray line.
"""

from __future__ import annotations

import re

from . import text as textlib

# -- helpers ----------------------------------------------------------------------------

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")
_SENTENCE_END = re.compile(r"[.!?。！？…][\"'”’»)\]]*\s*$")
_SEPARATORS = re.compile(r"\s*(?:\||•|·|›|»|>|/|\u2022|\u00b7)\s*")


def weight(line: str) -> int:
    """A rough word count that also works for Chinese (two characters ≈ one word)."""
    cjk = len(_CJK.findall(line))
    words = len(_CJK.sub(" ", line).split())
    return words + (cjk + 1) // 2


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line.strip()))


def fold_line(line: str) -> str:
    return textlib.fold(line.strip())[0]


# -- line classes -----------------------------------------------------------------------

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|"
    r"январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]"
)
_TIMESTAMP_WORDS = (
    r"updated|published|posted|last|modified|date|on|at|am|pm|gmt|utc|msk|today|yesterday|"
    r"обновлено|опубликовано|дата|сегодня|вчера|в|г|года|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"发布时间|发布日期|更新时间|时间|日期|星期[一二三四五六日天]|周[一二三四五六日]"
)
_TIMESTAMP_TOKEN = re.compile(
    rf"(?:\d+年|\d+月|\d+日|\d{{1,4}}(?:[:./-]\d{{1,4}})*(?:st|nd|rd|th)?|{_MONTHS}|"
    rf"{_TIMESTAMP_WORDS})",
    re.IGNORECASE,
)

_CURRENCY = re.compile(
    r"(?:\b(?:USD|EUR|RUB|CNY|GBP|JPY|KZT|UZS|INR|PKR|BTC|Brent|WTI|Dow|Nasdaq|S&P|"
    r"FTSE|Nikkei|Hang Seng|MOEX|RTS|IMOEX)\b|[$€₽¥£₸▲▼↑↓]|%|指数|成指|沪指|深指|"
    r"курс|нефть|доллар|евро|юань)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:[.,\s]\d+)*")

_SOCIAL = re.compile(
    r"^(?:share|tweet|print|email|e-mail|whatsapp|telegram|facebook|twitter|x|linkedin|"
    r"vk|вконтакте|телеграм|одноклассники|reddit|pinterest|copy link|save|"
    r"поделиться|печать|распечатать|отправить|分享到?|打印|收藏|微信|微博|qq|"
    r"views?|просмотр(?:ов|а|ы)?|阅读|浏览|评论数|comments?\s*\(\d+\)|"
    r"\d+\s*(?:min(?:ute)?s?|мин\.?)\s*(?:read|чтения)|читать\s+\d+\s*мин\.?)$",
    re.IGNORECASE,
)
_SOCIAL_TOKEN = re.compile(
    r"share|tweet|print|email|whatsapp|telegram|facebook|twitter|linkedin|views?|"
    r"min(?:ute)?s?\s+read|reading time|поделиться|печать|просмотр\w*|мин\.?\s+чтения|"
    r"время чтения|分享|打印|微信|微博|阅读|浏览|收藏|转发|点赞",
    re.IGNORECASE,
)

# Headings after which comes a list of other stories (dropped with the heading).
_RELATED = re.compile(
    r"^(?:related(?:\s+(?:articles?|news|stories|posts|content|topics))?|popular(?:\s+news)?|"
    r"most\s+(?:read|popular|viewed)|recommended(?:\s+for\s+you)?|you\s+may\s+also\s+like|"
    r"read\s+(?:also|more|next)|see\s+also|also\s+read|more\s+(?:news|stories|from\s+.{1,40})|"
    r"latest(?:\s+news)?|top\s+stories|trending|check\s+also|load\s+more.*|"
    r"читайте\s+также|смотрите\s+также|похожие\s+(?:новости|материалы|статьи)|"
    r"популярное|популярные\s+новости|рекомендуем|по\s+теме|другие\s+новости|"
    r"последние\s+новости|главное|новости\s+по\s+теме|"
    r"相关新闻|相关阅读|相关文章|推荐阅读|热门新闻|热点新闻|延伸阅读|更多新闻|猜你喜欢|热门推荐)"
    r"\s*[:：]?$",
    re.IGNORECASE,
)
# "Read also: <headline>" on one line: that line only.
_RELATED_INLINE = re.compile(
    r"^(?:read\s+also|see\s+also|also\s+read|read\s+more|читайте\s+также|смотрите\s+также|"
    r"相关新闻|推荐阅读|延伸阅读)\s*[:：]\s*\S",
    re.IGNORECASE,
)
_COMMENTS = re.compile(
    r"^(?:leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|add\s+a\s+comment|comments?|"
    r"\d+\s+comments?|comments?\s*\(\d+\)|join\s+the\s+discussion|"
    r"your\s+email\s+address\s+will\s+not\s+be\s+published\..*|"
    r"добавить\s+комментарий|комментарии(?:\s*\(\d+\))?|оставить\s+комментарий|"
    r"оставьте\s+комментарий|发表评论|评论|网友评论|我要评论|留言)\s*[:：]?$",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"^(?:©|\(c\)\s|copyright\b|all\s+rights\s+reserved|все\s+права\s+защищены|"
    r"版权所有|版权声明|tags?\s*:|теги\s*:|标签\s*[:：]|subscribe\b|sign\s+up\b|"
    r"follow\s+us\b|подпишитесь|подписывайтесь|关注我们|advertisement$|реклама$|广告$|"
    r"编辑\s*[:：]|责任编辑\s*[:：]|"
    r"load\s+more\b|show\s+more\b|показать\s+ещ[её]|加载更多|skip\s+to\s+content|search$|"
    r"поиск$|搜索$|menu$|меню$|菜单$|"
    r"(?:home|главная|首页)\s*(?:[|›»>/•·]|$))",
    re.IGNORECASE,
)
_FOOTER_ANYWHERE = re.compile(
    r"all\s+rights\s+reserved|все\s+права\s+защищены|版权所有", re.IGNORECASE
)


# The sections of a news site, as its menu names them (a menu without separators,
# "Politics Economy Society Culture Sport", is told by its words).
_SECTIONS = frozenset(
    "home news politics economy business society culture sport sports world region regions "
    "opinion video videos photo photos science health tech technology entertainment "
    "lifestyle analytics interview interviews military defence defense security "
    "главная новости политика экономика общество культура спорт мир видео фото наука "
    "армия регионы аналитика интервью происшествия "
    "首页 新闻 要闻 国际 国内 军事 财经 体育 文化 社会 科技 视频 图片 评论".split()
)


def is_navigation(line: str) -> bool:
    """A menu on one line: three or more short items between separators, or three or
    more words nearly all of which name a site's sections."""
    parts = [part for part in _SEPARATORS.split(line.strip()) if part]
    if len(parts) < 3:
        words = line.casefold().split()
        if len(words) < 3 or ends_sentence(line):
            return False
        return sum(word in _SECTIONS for word in words) >= 0.75 * len(words)
    return all(weight(part) <= 4 for part in parts) and not ends_sentence(line)


def is_ticker(line: str) -> bool:
    """Currency or stock quotes: several numbers next to currency codes or arrows."""
    stripped = line.strip()
    if ends_sentence(stripped):
        return False  # checked first: it is cheap, and most lines are sentences (#17)
    numbers = _NUMBER.findall(stripped)
    markers = _CURRENCY.findall(stripped)
    if len(numbers) < 2 or len(markers) < 2:
        return False
    rest = _NUMBER.sub(" ", _CURRENCY.sub(" ", stripped))
    return len(_LETTER_WORD.findall(rest)) <= 3


def is_timestamp(line: str) -> bool:
    """Nothing on the line but a date and/or time (and words like "Updated")."""
    stripped = line.strip()
    if not stripped or not re.search(r"\d", stripped):
        return False
    rest = _TIMESTAMP_TOKEN.sub(" ", stripped)
    return not re.search(r"[^\W_]", rest)


def is_social(line: str) -> bool:
    stripped = line.strip().strip("|•·:：")
    if not stripped:
        return False
    if _SOCIAL.match(stripped):
        return True
    if weight(stripped) > 8 or ends_sentence(stripped):
        return False
    # "Share  Tweet  Print", "1,204 views", "Просмотров: 3 418", "分享到：微信 微博"
    tokens = _SOCIAL_TOKEN.findall(stripped)
    rest = _SOCIAL_TOKEN.sub(" ", stripped)
    rest = re.sub(r"[\d\s.,:：|•·/()（）-]+", " ", rest)
    leftover = _SOCIAL_TOKEN.sub(" ", rest).split()
    return bool(tokens) and len(leftover) <= 2


def is_footer(line: str) -> bool:
    stripped = line.strip()
    if _FOOTER.match(stripped):
        return weight(stripped) <= 20
    return bool(_FOOTER_ANYWHERE.search(stripped)) and weight(stripped) <= 20


def is_related_heading(line: str) -> bool:
    return bool(_RELATED.match(line.strip()))


def is_comment_prompt(line: str) -> bool:
    return bool(_COMMENTS.match(line.strip()))


_BREADCRUMB = re.compile(
    r"^(?:home|главная|首页)\s+\S|^(?:您的(?:当前)?位置|当前位置|you are here|вы здесь)\s*[:：]?",
    re.IGNORECASE,
)
_LEADING_TIMESTAMP = re.compile(rf"^(?:{_TIMESTAMP_TOKEN.pattern}|[\s,.:|•·-])+", re.IGNORECASE)


def is_breadcrumb(line: str) -> bool:
    """ "Home China SCO outlines steps…": a trail from the home page, no sentence."""
    return bool(_BREADCRUMB.match(line)) and not ends_sentence(line) and weight(line) <= 20


SOURCE_LINE = re.compile(
    r"^(?:source|sources|источник|来源|稿源|消息来源)\s*[:：]\s*\S", re.IGNORECASE
)
_DATE_IN_LINE = re.compile(rf"\d+\s*年|\d+\s*月|\d{{4}}|{_MONTHS}", re.IGNORECASE)


def is_source_line(line: str) -> bool:
    """ "Source: Xinhua", "Источник: ТАСС", "来源：科技日报" (perhaps after a timestamp)."""
    stripped = line.strip()
    prefix = _LEADING_TIMESTAMP.match(stripped)
    if prefix and re.search(r"\d", prefix.group()):
        stripped = stripped[prefix.end() :]
    return bool(SOURCE_LINE.match(stripped)) and weight(stripped) <= 12


def is_dated_timestamp(line: str) -> bool:
    """A timestamp that gives the article's date ("08:52, 26 April 2024"): it stays, a
    quote may need it; a bare time ("12:30") is furniture."""
    return is_timestamp(line) and bool(_DATE_IN_LINE.search(line))


_PINYIN = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")
_FOREIGN_SCRIPT = re.compile(r"[\u0900-\u097f\u0600-\u06ff]")  # Devanagari, Arabic script


# A syllable of toneless pinyin: an initial, then a final ("shang", "zhu", "yan", "er").
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ao|an|ei|en|er|ia|ie|in|iu|ou|"
    r"ua|ue|ui|un|uo|a|e|i|o|u|v)"
)
_PINYIN_WORD = re.compile(rf"(?:{_SYLLABLE})+", re.IGNORECASE)


def is_pinyin(line: str) -> bool:
    """A romanised line injected into a Chinese page: with tone marks ("Shànghǎi Hézuò
    Zǔzhī"), or five words and more that are all pinyin syllables ("Shanghe Zuzhi
    Chengyuanguo … zai Dushanbie Kaimu")."""
    stripped = line.strip()
    if _CJK.search(stripped):
        return False
    words = re.findall(r"[^\W\d_]+", stripped)
    if len(words) >= 2 and len(_PINYIN.findall(stripped)) >= max(2, len(words) // 2):
        return True
    return len(words) >= 5 and all(_PINYIN_WORD.fullmatch(word) for word in words)


def is_masthead(line: str, script: str) -> bool:
    """A short line in another script than the article's (a Hindi or Urdu masthead over
    an English story)."""
    stripped = line.strip()
    if script in ("deva", "arab") or weight(stripped) > 12:
        return False
    letters = [char for char in stripped if char.isalpha()]
    foreign = len(_FOREIGN_SCRIPT.findall(stripped))
    return bool(letters) and foreign / len(letters) > 0.5


def main_script(lines) -> str:
    sample = "".join(lines)[:4000]
    counts = {
        "cjk": len(_CJK.findall(sample)),
        "deva": len(re.findall(r"[\u0900-\u097f]", sample)),
        "arab": len(re.findall(r"[\u0600-\u06ff]", sample)),
        "other": len(re.findall(r"[A-Za-zА-Яа-яЁё]", sample)),
    }
    return max(counts, key=counts.get)


def is_clutter(line: str) -> bool:
    """Page furniture on its own line (the list-after-a-heading rule is separate)."""
    stripped = line.strip()
    timestamp = is_timestamp(stripped)  # once per line (#17)
    if is_source_line(stripped) or (timestamp and _DATE_IN_LINE.search(stripped)):
        return False  # the article's own source line and date stay: a quote may need them
    prefix = _LEADING_TIMESTAMP.match(stripped)
    if prefix and re.search(r"\d", prefix.group()) and prefix.end() < len(stripped):
        # "08:52 | Share": a timestamp then furniture
        rest = stripped[prefix.end() :]
        if is_footer(rest) or is_social(rest):
            return True
    return (
        is_breadcrumb(stripped)
        or is_navigation(line)
        or is_ticker(line)
        or timestamp
        or is_pinyin(line)
        or is_social(line)
        or is_footer(line)
        or bool(_RELATED_INLINE.match(line.strip()))
        or is_comment_prompt(line)
    )


def _is_paragraph(line: str) -> bool:
    """A line that reads like article text: ends a sentence and is not a short teaser."""
    stripped = line.strip()
    if stripped.endswith(("…", "...")):
        return False  # a teaser cut short
    return ends_sentence(stripped) and weight(stripped) >= 25


# -- the cleaners -----------------------------------------------------------------------


def clean_lines(lines: list[str]) -> list[str]:
    """The kept lines (right-stripped), blank lines kept as paragraph breaks."""
    kept: list[str | None] = []
    skipping = False  # inside a "related" list or comment section
    script = main_script(lines)
    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            kept.append("")
            continue
        if is_related_heading(stripped) or is_comment_prompt(stripped):
            skipping = True
            continue
        if (
            is_clutter(stripped)
            or is_masthead(stripped, script)
            or (skipping and not _is_paragraph(stripped))
        ):
            continue
        skipping = False
        kept.append(line)
    kept = _drop_menu_runs(kept)
    kept = _drop_repeated_headings(kept)
    return kept


def _is_menu_item(line: str) -> bool:
    stripped = line.strip().lstrip("•·-–*► ")
    return bool(stripped) and weight(stripped) <= 3 and not ends_sentence(stripped)


def _drop_menu_runs(lines: list[str]) -> list[str]:
    """Drop runs of three or more consecutive one-to-three-word lines (a copied menu)."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        end = index
        while end < len(lines) and _is_menu_item(lines[end]):
            end += 1
        if end - index >= 3:
            index = end
            continue
        if end > index:
            out.extend(lines[index:end])
            index = end
            continue
        out.append(lines[index])
        index += 1
    return out


def _drop_repeated_headings(lines: list[str]) -> list[str]:
    """A short line without sentence punctuation repeated later: keep its first occurrence."""
    seen: set[str] = set()
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped and weight(stripped) <= 20 and not ends_sentence(stripped):
            key = fold_line(stripped)
            if key in seen:
                continue
            seen.add(key)
        out.append(line)
    return out


def _join(lines: list[str]) -> str:
    body = "\n".join(lines)
    body = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", body)
    return body.strip("\n").strip()


def clean_text(original: str) -> str:
    """The article's own text out of text copied from a web page."""
    return _join(clean_lines(textlib.normalise_newlines(original).split("\n")))


def extract_html(html: str) -> str:
    """The main text of a saved page, one paragraph a line ("" when there is none)."""
    import trafilatura  # imported late: it is heavy, and only HTML needs it

    extracted = trafilatura.extract(
        html,
        output_format="txt",
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
    )
    return textlib.normalise_newlines(extracted or "")


def clean_html(html: str) -> str:
    """The article's own text out of a saved web page ("" when there is none)."""
    return clean_text(extract_html(html))


def looks_like_html(data: str) -> bool:
    head = data[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)
