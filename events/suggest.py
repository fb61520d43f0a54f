"""Suggested claims: what a newly imported article seems to say, for an editor to check.

`suggest_for_article(article)` runs after each import (sources.importers calls it through
its hook setting). It reads the clean body sentence by sentence and records DRAFT claims
with `origin=suggested`, each citing a Quote of the sentence it comes from (anchored in
the body, so `body[start:end] == exact`), on a DRAFT event created (or reused, by title)
for the article. Nothing suggested is ever published: the editor re-targets, accepts
(`accept`: the claim becomes the editor's, still a draft) or rejects (`reject`: deleted;
django-simple-history keeps the record).

What is suggested, by plain rules (honest, not clever — see docs/ingestion.md for the
measured precision and recall):

- `date`: day or month dates written in a sentence ("On 28 July 2021", "18-23 October
  2021"); the publication date and the page header are not event dates;
- entities of the archive (names and aliases, ≥ 3 characters, whole words, any case):
  `chair` ("chaired by X", "X chaired", "под председательством X", "由X主持"), `host`
  ("hosted by X", "X's presidency"), `initiative` ("at the initiative of X", "X
  suggested"), `invited` ("have been invited"), `supporter` ("with the support of X"),
  `speaker` (a person with a verb of saying), `place` (a place), else `participant`
  when the sentence speaks of taking part;
- events and series of the archive by name ("Peace Mission 2021", "West-2021", "Trumpet
  of Peace"): `announced_event` pointing to the event, or naming the series;
- "next meeting … in X in YEAR": `next_meeting` (text), its year as a `date` and the
  country as `host`;
- a chair not in the archive ("chaired by the Ministry of X"): `chair` as text.

`evaluate_seed()` measures precision and recall against the curated seed archive.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q

from sources import text as textlib
from sources.cleaning import ends_sentence, weight
from sources.history import bulk_create_with_history
from sources.metadata import find_dates, relative_phrase
from sources.models import DatePrecision, Quote, Status, title_slug, truncate_date, unique_slug

from . import gazetteer, search
from .models import Citation, Claim, Entity, Event, Series

MIN_NAME = 3
SUGGESTION_NOTE = "Suggested by the importer from the quoted sentence; check it before use."

KIND_WORDS = [
    (Event.Kind.EXERCISE, r"exercise|drill|manoeuvre|maneuver|учени|маневр|演习|演练"),
    (Event.Kind.FESTIVAL, r"festival|фестивал|艺术节|音乐节|节"),
    (Event.Kind.SEMINAR, r"seminar|workshop|webinar|семинар|研讨会"),
    (Event.Kind.CONFERENCE, r"conference|forum|конференци|форум|论坛|大会"),
    (Event.Kind.SUMMIT, r"summit|саммит|峰会"),
    (Event.Kind.MEETING, r"meeting|ministers|talks|convene|встреч|совещани|заседани|会议|会晤"),
]

# -- sentences ----------------------------------------------------------------------------

_BREAK = re.compile(r"(?<=[.!?])[\"'”’»)\]]*\s+(?=[\"'“‘«(\[]?[A-ZА-ЯЁ0-9])|(?<=[。！？])|\n+")


_ABBREVIATION = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|No|St|Gen|Lt|Col|Maj|Capt|Dr|Mr|Mrs|Ms|"
    r"Prof)\.$"
)


def sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the body, whitespace trimmed."""
    spans = []
    start = 0
    for match in _BREAK.finditer(body):
        if _ABBREVIATION.search(body, max(0, match.start() - 8), match.start()):
            continue  # "held on Sept. 6-10", "Lt. Gen. Ali": no sentence ends there
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(body)))
    trimmed = []
    for first, last in spans:
        piece = body[first:last]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            trimmed.append((first + left, first + right))
    return trimmed


# -- the lexicon: the archive's names and the gazetteer's ---------------------------------


_CJK = re.compile(r"[\u3400-\u9fff]")
_CYRILLIC_END = re.compile(r"[а-яё][аяьйео]$")
_CYRILLIC_STEM = re.compile(r"[а-яё]{3}(?:[бвгдзклмнпрстфхь])$")  # Иссык-Куль, Ташкент
_CYRILLIC_ADJ = re.compile(r"(?:ский|ская|ские|ской|ского|ских|ское|ским|скую)$")


def _alternation(names):
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


# For the same words, an entity beats an event title, which beats a series name.
_PRECEDENCE = {"entity": 0, "event": 1, "series": 2, "demonym": 3}


@dataclass(frozen=True)
class Known:
    """A name's referent: an archive object, or a gazetteer entry not yet in the archive."""

    what: str  # entity | series | event | demonym
    obj: object  # Entity / Series / Event / gazetteer.Entry

    @property
    def slug(self):
        return self.obj.slug

    @property
    def kind(self):
        return getattr(self.obj, "kind", "")

    @property
    def name(self):
        return getattr(self.obj, "name", None) or getattr(self.obj, "title", "")


class Lexicon:
    """Entities, series and events (of the archive and of the gazetteer) by name, in
    English, Russian and Chinese; demonyms ("Kazakh", "российский", "中方") stand for
    their country."""

    def __init__(self, entities=None, series=None, events=None, entries=None):
        from . import gazetteer

        self.names: dict[str, Known] = {}
        archive = {}
        for entity in entities if entities is not None else Entity.objects.active():
            archive[entity.slug] = entity
            for name in entity.all_names:
                self._add(name, Known("entity", entity))
        series_slugs = set()
        self.series = {}
        for item in series if series is not None else Series.objects.all():
            series_slugs.add(item.slug)
            self.series[item.slug] = item
            from .models import names_in_languages

            for name in [item.name, *item.aliases, *names_in_languages(item.names)]:
                self._add(name, Known("series", item))
        if events is None:
            events = Event.objects.exclude(status=Status.DRAFT).only(
                "id", "slug", "title", "aliases", "series_id", "start_date", "place_id"
            )
        for event in events:
            for name in [event.title, *(event.aliases or [])]:
                self._add(name, Known("event", event))
        for entry in entries if entries is not None else gazetteer.entries():
            if entry.kind == "series":
                target = self.series.get(entry.slug)
                known = Known("series", target or entry)
                if target is None:
                    self.series[entry.slug] = entry
            else:
                known = Known("entity", archive.get(entry.slug, entry))
            for name in entry.all_names():
                self._add(name, known)
            if entry.kind == "country":
                for name in entry.demonyms:
                    self._add(name, Known("demonym", known.obj), demonym=True)
        cjk = [name for name in self.names if _CJK.search(name)]
        other = [name for name in self.names if not _CJK.search(name)]
        self.patterns = []
        if other:
            self.patterns.append(
                re.compile(
                    rf"(?<!\w)(?P<name>{_alternation(other)})"
                    rf"(?:(?<=[а-яё])[а-яё]{{1,2}})?(?!\w)"
                )
            )
        if cjk:
            self.patterns.append(re.compile(rf"(?P<name>{_alternation(cjk)})"))

    def _add(self, name, known, demonym=False):
        folded = textlib.fold(name or "")[0].strip()
        if len(folded) < (1 if _CJK.search(folded) else MIN_NAME):
            return
        if len(folded) < 2 and not folded.endswith("方"):
            return
        if _CYRILLIC_ADJ.search(folded):
            self._put(folded[:-3], known)  # российск-ий/-ая/-ие: any ending
        elif _CYRILLIC_END.search(folded) and len(folded) >= 5:
            # Russian declension changes the last letter: Индия → Индии, Россия → России
            self._put(folded[:-1], known)
        if known.kind == "place" and _CYRILLIC_STEM.search(folded):
            # the region of a place: «в Иссык-Кульской области», «Ташкентская область»
            self._put(f"{folded}ск", known)
        self._put(folded, known)

    def _put(self, folded, known):
        current = self.names.get(folded)
        if current is None or _PRECEDENCE[known.what] < _PRECEDENCE[current.what]:
            self.names[folded] = known

    def find(self, folded: str):
        """(folded start, folded end, Known) of every name in the folded text, longest
        first where they overlap."""
        found = []
        for pattern in self.patterns:
            for match in pattern.finditer(folded):
                name = match.group("name")
                found.append((match.start(), match.end(), self.names[name]))
        found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        kept, last_end = [], -1
        for item in found:
            if item[0] >= last_end:
                kept.append(item)
                last_end = item[1]
        return kept


# -- suggestions --------------------------------------------------------------------------


@dataclass
class EventRef:
    """The event a suggestion is about, before it is looked up or created."""

    series: object = None  # Series or gazetteer Entry
    year: int | None = None
    place: Known | None = None
    kind: str = ""
    title: str = ""
    event: Event | None = None  # an archive event named in the text
    date: datetime.date | None = None
    precision: str = ""

    def same(self, other) -> bool:
        if self.event is not None or other.event is not None:
            return (
                self.event is not None
                and other.event is not None
                and (self.event.pk == other.event.pk)
            )
        return (
            self.series is not None
            and other.series is not None
            and self.series.slug == other.series.slug
            and (self.year is None or other.year is None or self.year == other.year)
        )


MAIN = "main"


@dataclass
class Suggestion:
    property: str
    start: int  # of the quoted sentence in the body
    end: int
    entity: object = None  # Entity, or a gazetteer Entry (made an Entity when recorded)
    date: datetime.date | None = None
    precision: str = ""
    event: object = None  # Event, or an EventRef resolved when recorded
    text: str = ""
    on: object = MAIN  # the event it is a fact of: the article's, or an announced EventRef
    confidence: float = 0.5
    reason: str = ""

    def __post_init__(self):
        kind = (
            "entity"
            if self.entity is not None
            else "date"
            if self.date
            else "event"
            if self.event is not None
            else "text"
        )
        if kind not in Claim.value_kinds(self.property):
            raise ValueError(f"{self.property} does not take a value of kind {kind}")

    def key(self) -> tuple[str, str]:
        event = self.event
        if isinstance(event, EventRef):
            event = event.event or (event.series and f"{event.series.slug}/{event.year}")
        return (
            self.property,
            value_key(self.entity, self.date, self.precision, event, self.text),
        )


def value_key(entity, date, precision, event, text) -> str:
    if entity is not None:
        return f"entity:{entity.slug}"
    if date is not None:
        return f"date:{date.isoformat()}/{precision}"
    if event is not None:
        return f"event:{getattr(event, 'slug', event)}"
    return "text:" + " ".join(textlib.fold_key(text).strip(" .").split())


_CHAIR_AFTER = re.compile(
    r"(?:chaired by|under the chairmanship of|presided over by|под председательством|"
    r"председательствовал\w*(?:\s+на\s+\w+)?)\s*(?:the\s+)?"
    r"(?:(?:defen[cs]e\s+minister|minister\s+of\s+defen[cs]e|head\s+of\s+the\s+delegation)\s+of\s+"
    r"(?:the\s+)?)?$"
)
# "白方总参谋长主持会议": a title between the country and 主持
_CHAIR_BEFORE = re.compile(
    r"^\s*(?:chaired|chairs|presided|председательств\w*|(?:[\u4e00-\u9fff]{0,6}?长)?主持)"
)
# "hosted by Pakistan", "hosted by the Ministry of Defence of Pakistan", "Принимающей
# стороной выступило Министерство обороны Пакистана": the country hosts (#17)
_HOST_AFTER = re.compile(
    r"(?:hosted by|host(?:ed)? country|hosting country|"
    r"принимающ\w+ сторон\w+(?:\s+(?:выступил\w*|стал\w*|был\w*|является))?)\s+"
    r"(?:the\s+)?(?:(?:ministry|министерств\w+|минобороны)(?:\s+[\w-]+){0,4}?\s+)?$"
)
_HOST_BEFORE = re.compile(
    r"^(?:'s|’s)\s*(?:presidency|chairmanship)\b(?! of the)|"
    # "India, which holds the SCO chair this year, hosted the meeting"
    r"^(?:\s*,\s*(?:which|who|что|который|которая)\b[^,;.]{3,80},)?"
    r"\s*(?:hosted|hosts|(?:is|was|are|were)\s+hosting|(?:[\u4e00-\u9fff]{0,8}?(?:部|委员会|政府))?(?:主办|承办))"
)
_ORGANISER_AFTER = re.compile(
    r"(?:organi[sz]ed by|organi[sz]er[s]? (?:was|were|is)|(?:run|conducted) by|"
    r"организовал[аио]?|организован[аоы]?|организатор\w*|"
    r"организованн\w+|руководит учениями|проводит|проводят|провели)\s+(?:the\s+)?"
    # "organised by the Ministry of Defence of Kazakhstan", "организованный Министерством
    # обороны Казахстана": the country organises
    r"(?:(?:ministry|executive committee|secretariat|министерств\w+|минобороны|"
    r"исполнительн\w+\s+комитет\w*|секретариат\w*)(?:\s+[\w-]+){0,4}?\s+)?$"
)
# "Tajikistan is to host the next exercise", «Казахстан примет у себя следующую встречу»
_HOST_TO_COME = re.compile(
    r"\s*(?:will|shall|is (?:due |set |expected )?to)\s+host\b|\s*примет у себя|\s*将(?:主办|承办)",
    re.IGNORECASE,
)
_INITIATIVE_AFTER = re.compile(
    r"(?:at the (?:initiative|invitation|suggestion) of|по инициативе)\s+(?:the\s+)?$"
)
_INITIATIVE_BEFORE = re.compile(r"^(?:'s|’s)?\s*(?:initiative|suggested|proposed|倡议)")
_SUPPORT_AFTER = re.compile(
    r"(?:support of|supported by|при поддержке)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?$"
)
# invited, or there as an observer: "sent observers", «в качестве наблюдателей», "派员观摩"
_INVITED = re.compile(
    r"\b(?:have|has|had|were|was|been|are|is)\s+invited\b|\bas observers?\b|приглашен|"
    r"в качестве наблюдател\w+|应邀|观摩|作为观察员"
)
_SPEECH = re.compile(
    r"\b(?:said|says|noted|stated|emphasi[sz]ed|underscored|stressed|added|told|message|"
    r"greeting|speech|addressed|remarks|read out)\b|"
    r"заявил|отметил|подчеркнул|сказал|表示|指出|强调",
    re.IGNORECASE,
)
_TAKING_PART = re.compile(
    r"\b(?:took part|take part|taking part|participat\w*|attended|attend|delegations?|"
    r"representatives|(?:experts|troops|bands|cadets|teams?|units) from|contingents? (?:from|of)|"
    r"joined|competed|compete|competing)\b|участ\w*|делегаци\w*|представител\w*|контингент\w*|"
    r"военнослужащ\w+ из|задействован\w*|привлечен\w*|参加|出席|与会|参演|派兵",
    re.IGNORECASE,
)
_ADJECTIVAL = re.compile(
    r"^(?:'s|’s)?\s*(?:member|countries|states|space|family|region|secretary|presidency|"
    r"chairmanship)"
)
_NEXT = re.compile(
    r"\bnext\b|\bfollowing (?:meeting|session)\b|следующ\w+|下一次|下次|下届|下一届|"
    # the edition after the first: "the second games would be held in China in 2029"
    r"\b(?:second|third|fourth|fifth)\s+(?:edition|games|festival|seminar|meeting|exercise)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:(?:will|would) be held|to be held|(?:will|would) take place|(?:will|would) host|"
    r"(?:decide|agree)[sd]? to hold|"
    r"(?:is|are) (?:due |set |expected )?to (?:host|hold|take place)|"
    r"supported holding|support(?:ed)? the holding|planned|scheduled|will hold)\b|"
    r"решено провести|договорились провести|решили провести|пройд[её]т|состоится|"
    r"планиру\w+|запланирован\w*|将于|将在|计划|拟于|同意于|决定于|同意在|决定在|决定举行|同意举行|"
    r"商定举行",
    re.IGNORECASE,
)
# Verbs of holding an event, past or present; `_HELD` adds the copula ("The meeting was
# in Astana"), which says nothing happened before an announcement ("In 2024 Kazakhstan
# is scheduled to host"): `_HAPPENED` leaves it out (#17).
_HOLDING = (
    r"\b(?:held|met|meet|opened|open|began|begin|started|took place|convened|hosted|"
    r"kicked off|attended|chaired|presided)\b|прош(?:ло|ел|ёл|ла|ли)|состоял\w*|начал\w*|"
    r"стартовал\w*|открыл\w*|завершил\w*|举行|开幕|召开|举办|启动|闭幕|拉开帷幕|落下帷幕"
)
_HELD = re.compile(rf"{_HOLDING}|\b(?:was|were|is|are)\b", re.IGNORECASE)
_HAPPENED = re.compile(_HOLDING, re.IGNORECASE)


def _reported_part(text):
    """``text`` up to where it turns to what will be held or comes next."""
    cuts = [found.start() for found in (_FUTURE.search(text), _NEXT.search(text)) if found]
    return text[: min(cuts)] if cuts else text  # "The next joint exercise is to be held …"


def _before_announcement(sentence):
    """How much of a sentence with an announcement reports the article's own event (the
    part before the announcing verb, when it says what was held or when), else 0."""
    cut = _FUTURE.search(sentence)
    if cut is None or not cut.start() or _NEXT.search(sentence):
        return 0
    # what was held, or the day it happened ("met in Dushanbe on Wednesday and agreed …",
    # «на совещании в Ташкенте в среду решили провести …»)
    prefix = sentence[: cut.start()]
    return cut.start() if _HAPPENED.search(prefix) or relative_phrase(prefix) else 0


_IN_BEFORE = re.compile(
    r"(?:\b(?:in|at|near)\s+(?:the\s+)?(?:city of\s+|capital\s+|\w+\s+(?:city|region)\s+of\s+|"
    r"\w+(?:'s|’s)\s+)?|"  # "in Kyrgyzstan's Issyk-Kul region"
    r"(?:^|\s)(?:в|во|на|под)\s+(?:\w+\s+){0,3}?|在[\u3400-\u9fff]{0,12}?|于)$",
    re.IGNORECASE,
)
_ZH_VENUE = re.compile(
    r"在(?P<span>[^，。；]{1,24}?)(?:举行|开幕|召开|举办|闭幕|拉开帷幕|落下帷幕)"
)
_DIGIT = re.compile(r"\d")  # what _COUNT's every alternative needs (\d, as there)
_COUNT = re.compile(
    r"(?:(?:about|around|some|more than|over|nearly|up to|approximately)\s+)?"
    r"\d[\d,.\s]*(?:thousand\s+)?(?:troops|servicemen|service personnel|soldiers|personnel|"
    r"military personnel|pieces of (?:military )?(?:hardware|equipment)|spectators|"
    r"participants|people|aircraft|ships|officers|(?:military\s+)?(?:officials|specialists|experts)|"
    r"delegates|cadets|musicians)"
    r"(?:\s+and\s+(?:about|around|some|more than|over|nearly)?\s*\d[\d,.]*\s+[\w\s]{3,40}?"
    r"(?=[,.;]|\s+(?:are|were|is|will|took|take)))?|"
    r"(?:около|более|свыше|порядка|до)\s+\d[\d\s]*(?:,\d+\s*)?(?:тысяч\w*\s+|тыс\.\s*)?"
    r"(?:военнослужащ\w+|(?:военных\s+)?(?:специалист\w*|эксперт\w*)|офицер\w*|делегат\w*|"
    r"человек|единиц\w* (?:военной )?техники|зрител\w+)|"
    r"(?:兵力)?约?\d+(?:余|多)?(?:名|人)(?:观众|官兵)?",
    re.IGNORECASE,
)
_DOCUMENT = (
    r"(?:joint\s+)?(?:communiqu[eé]|declaration|statement|memorandum|protocol|plan|agreement|"
    r"resolution|recommendations|programme|program|roadmap|road map|concept)"
)
_SIGNED = re.compile(
    rf"\b(?:signed|approved|adopted|endorsed|issued|released)\s+"
    rf"(?P<doc>(?:an?|the)?\s*(?:[\w-]+\s+){{0,3}}?{_DOCUMENT}\b[^.;]*?)"
    r"(?=\s+(?:and\s+(?:signed|approved|adopted|endorsed|issued)|at the end|after)\b|[.;]|$)|"
    # "подписали коммюнике", and the passive of wire copy: "принята совместная декларация"
    r"(?:подписали|приняли|утвердили|одобрили|подписан\w*|принят\w*|утвержден\w*|"
    r"одобрен\w*)\s+(?P<ru>(?:\w+\s+){0,2}?(?:коммюнике|"
    r"заявлени\w+|декларац\w+|меморандум\w*|протокол\w*|план\w*|соглашени\w+|"
    r"рекомендаци\w+|программ\w+)[^.;]*?)"
    r"(?=,\s+(?:\w+\s+){0,2}(?:подписал|утвердил|принял|одобрил)\w*|[.;]|$)|"
    r"(?:签署了?|通过了?|批准了?|发表了?)(?P<zh>[^，。；]*?(?:公报|宣言|声明|备忘录|议定书|计划|协定|协议|决议|建议))",
    re.IGNORECASE,
)
_DECISION = re.compile(
    r"\b(?:agreed|decided|resolved)\s+(?P<en>to\s+[^.;]{8,200})|"
    r"(?:договорились|решили|постановили|решено(?:\s+также)?)\s+(?P<ru>[^.;]{8,200})|"
    r"(?:同意|决定)(?P<zh>[^。；]{4,80})",
    re.IGNORECASE,
)
# What a meeting discussed or an exercise drilled: "discussed X", "a seminar on X",
# "обсудили X", "семинар «X»", "讨论了X", "重点演练X" (#17)
_THEME = re.compile(
    r"\b(?:discussed|focused on|devoted to|dedicated to|exchanged views on)\s+(?P<en>[^.;]{6,200})|"
    r"\b(?:seminar|conference|workshop|round table|forum)\s+on\s+(?:the\s+theme\s+)?"
    r"(?:[“\"«](?P<named>[^”\"»]{4,120})[”\"»]|(?P<on>[^,.;“]{6,120}?)"
    r"(?=\s+(?:was|were|is|took place|held|opened|organi[sz]ed)\b|[,.;]|$))|"
    r"(?:обсудили|обсуждали|рассмотрели|посвященн?\w*|обменялись мнениями (?:по|о))\s+"
    r"(?P<ru>[^.;]{6,200})|"
    r"(?:семинар|конференци\w*|форум)\s+(?:[\w—-]+\s+){0,8}?по\s+(?P<ru_po>[^.;,]{6,160}?)"
    r"(?=\s+(?:прош[её]л|прошла|прошло|состоял\w*|открыл\w*|начал\w*)\b|[,.;]|$)|"
    r"(?:семинар|конференци\w*|форум|круглый стол)\s+«(?P<quoted>[^»]{4,120})»|"
    r"(?:讨论了?|探讨了?|重点演练|围绕)(?P<zh>[^。；]{4,80})|"
    r"就(?P<zh_on>[^，。；]{4,60}?)(?:深入|广泛)?交换(?:了)?意见",
    re.IGNORECASE,
)
# A position the meeting or a speaker took, as wire copy reports it: "The ministers
# stressed that …", "condemned …", "expressed concern over …", "По словам министра, …",
# "Стороны подчеркнули, что …", "各方强调…" — a statement claim in the article's words
# (#17). The verb of saying alone ("said", "заявил", "表示") counts only with its clause.
_POSITION = re.compile(
    r"\b(?P<en_that>(?:stressed|emphasi[sz]ed|underlined|underscored|noted|pointed out|"
    r"reaffirmed|reiterated|said|stated|declared|believe[sd]?|agreed|were unanimous|"
    r"recognised|recognized|acknowledged|warned|insisted)),?\s+that\s+(?P<en>[^;]{12,300})|"
    r"\b(?P<en_verb>condemned|denounced|deplored|expressed\s+(?:their\s+|his\s+|her\s+)?"
    r"(?:deep\s+|serious\s+|grave\s+)?(?:concern|support|confidence|satisfaction|readiness)|"
    r"called for|urged|reaffirmed|reiterated|noted the (?:importance|need|role)|"
    r"stressed the (?:importance|need|role)|emphasi[sz]ed the (?:importance|need|role)|"
    r"spoke (?:out )?(?:in favour|in favor) of)\s+(?P<en_object>[^;]{8,300})|"
    r"\b(?:according to|in the words of)\s+[^,]{3,80},\s+(?P<en_per>[^;]{12,300})|"
    r"(?:подчеркнул\w*|отметил\w*|заявил\w*|указал\w*|констатировал\w*|сошлись во мнении|"
    r"убеждены|уверены)\s*,?\s+что\s+(?P<ru>[^;]{12,300})|"
    r"(?P<ru_verb>осудил\w*|выразил\w*\s+(?:\w+\s+)?(?:обеспокоенность|озабоченность|"
    r"поддержку|уверенность|готовность)|призвал\w*|выступил\w*\s+за|подтвердил\w*|"
    r"отметил\w*\s+(?:важность|необходимость|роль)|подчеркнул\w*\s+(?:важность|"
    r"необходимость|роль))\s+(?P<ru_object>[^;]{8,300})|"
    r"по\s+(?:словам|мнению)\s+[^,]{3,80},\s+(?P<ru_per>[^;]{12,300})|"
    r"(?:强调|指出|表示|认为|一致认为|重申|谴责|呼吁|表达了?|主张)[，,：:]?(?P<zh>[^；]{6,150})",
    re.IGNORECASE,
)
# "the ministry said that 2,000 troops…", "also said that the call-up would end in June":
# a fact told, not a position taken; "双方一致认为", "the two sides": a bilateral talk
_TELLING = re.compile(r"^(?:said|stated|declared|заявил\w*|表示)$", re.IGNORECASE)
_SCHEDULED = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|январ\w*|феврал\w*|март\w*|апрел\w*|ма[йяе]|июн\w*|июл\w*|август\w*|"
    r"сентябр\w*|октябр\w*|ноябр\w*|декабр\w*)\b|\d月",
    re.IGNORECASE,
)
_BILATERAL = re.compile(r"双方|两国|\b(?:the two sides|both sides|обе стороны)\b", re.IGNORECASE)
# How the event met, when not in person: "via video conference", "в режиме
# видеоконференции", "以视频方式" (a single-valued `format` claim)
_FORMAT = re.compile(
    r"\b(?:via|by|through|over|in the format of an?|in an?|as an?)\s+"
    r"(?:video\s*(?:conference|link)|videoconference)|"
    r"\b(?:held|met|took place|convened)\s+(?:virtually|online)\b|"
    r"(?:в|во)\s+(?:режиме|формате)\s+(?:видеоконференц\w+|видеосвязи|онлайн)|"
    r"以视频(?:会议)?(?:方式|形式)|视频会议(?:方式|形式)",
    re.IGNORECASE,
)
# "after the withdrawal of NATO contingents": who left, not who took part
_WITHDRAWN = re.compile(r"(?:withdrawal of|withdrawn|вывод\w*(?:\s+\w+)?|撤出|撤军)\s*$")
# The founding the background paragraph recounts: "The SCO was founded in 2001",
# "formally established on June 15, 2001", «ШОС была создана в 2001 году», "成立于2001年"
_FOUNDED = re.compile(
    r"\b(?:(?:was|were)\s+)?(?:formally\s+|officially\s+)?(?:founded|established|set up|created)"
    r"\s+(?:in|on)\b|\b(?:создан[аоы]?|основан[аоы]?|учрежден[аоы]?|созданн\w+|основанн\w+)\s+в?|"
    r"成立",
    re.IGNORECASE,
)
_SCO = re.compile(
    r"\bSCO\b|Shanghai Cooperation Organi[sz]ation|ШОС|Шанхайск\w+ организаци\w+ сотрудничества|"
    r"上合组织|上海合作组织"
)
_AT_PLACE = re.compile(r"(?:\bin|\bв|在)\s*$", re.IGNORECASE)
# What happened before the article's event: "Last year …", "В прошлом году …", "去年…"
_BACKGROUND = re.compile(
    r"^\W*(?:last year|a year ago|in previous years|в прошлом году|год назад|ранее|去年|此前)\b",
    re.IGNORECASE,
)
# "agreed to set up X and decided to hold Y": two decisions
_AND_DECIDED = re.compile(
    r",?\s+(?:and|а также|и)\s+(?=(?:also\s+)?(?:agreed|decided|resolved|договорились|решили)\b)",
    re.IGNORECASE,
)
# "agreed to continue/keep/expand their cooperation": communiqué boilerplate, no decision
_BOILERPLATE = re.compile(
    r"to\s+(?:continue|keep|expand|strengthen|further|deepen|enhance|promote|develop)\b|"
    r"(?:продолжить|развивать|укреплять|расширять|углублять)",
    re.IGNORECASE,
)
_NEXT_SAME = re.compile(
    r"\b(?:next|second|third|fourth|fifth)\s+(?:[\w-]+\s+){0,2}?(?:meeting|session|round|"
    r"seminar|conference|exercise|drill|festival|games|edition)\b|"
    r"следующ\w+\s+(?:[\w-]+\s+){0,2}?(?:заседани\w+|встреч\w+|совещани\w+|сесси\w+|"
    r"раунд\w*|семинар\w*|учени\w+|фестивал\w+)|"
    r"下一?[次届](?:会议|会晤|研讨会|论坛|演习|音乐节)",
    re.IGNORECASE,
)


def _next_of_same_body(sentence, main) -> bool:
    """Whether the sentence announces the next event of the main one's (unnamed) body:
    "their next meeting", «следующее совместное учение» — an exercise or a festival only
    after one of its own kind, a meeting after any (the next meeting of a seminar's
    experts)."""
    found = _NEXT_SAME.search(sentence)
    if found is None:
        return False
    kind = guess_kind(found[0])
    return kind not in (Event.Kind.EXERCISE, Event.Kind.FESTIVAL) or kind == main.kind


def _next_title(main) -> str:
    """The title of a draft for the next meeting of an unnamed body: the current one's,
    marked as the next (an editor renames it)."""
    return f"Next: {main.title}" if main.title else ""


_NAME_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # "china's" → "china", "s"
_HAPPENINGS = {"meeting", "seminar", "conference", "exercise", "festival", "summit"}
# the first day of a range: "6-10 September", "from 20 to 22 April", «с 6 по 10 сентября»,
# "20日至22日"
_RANGE_BEFORE = re.compile(r"(\d{1,2})(?:\s*日)?\s*(?:[-–—]|to|and|по|至)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)(?!\s*[-–]\s*(?:19|20)\d\d)")
_SERIES_YEAR = re.compile(r"^[\s\-–—»”\"']*((?:19|20)\d\d)\b")
# The year written before a series' name, as Chinese puts it: "2027年国防部长会议"
_SERIES_YEAR_BEFORE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年(?:度)?\s*$")


def _series_year(body, n_start, n_end):
    """The year a series' name carries, after it ("Peace Mission 2025") or, in Chinese,
    before it; None when it has none."""
    year = _SERIES_YEAR.match(body[n_end : n_end + 12]) or _SERIES_YEAR_BEFORE.search(
        body[max(0, n_start - 8) : n_start]
    )
    return int(year.group(1)) if year else None


_LEXICON_CACHE: dict = {}


def current_lexicon() -> Lexicon:
    """The archive's Lexicon, rebuilt only when entities, series or events changed.

    The key (count and latest change of entities, series and reviewed or published
    events — the importer's own drafts don't count) is read in one statement of scalar
    subqueries: it is asked once per imported article."""
    from django.db import connection

    quote = connection.ops.quote_name
    parts, params = [], []
    for model, where in ((Entity, ""), (Series, ""), (Event, " WHERE status IN (%s, %s)")):
        table = quote(model._meta.db_table)
        for aggregate in ("COUNT(*)", f"MAX({quote('updated_at')})"):
            parts.append(f"(SELECT {aggregate} FROM {table}{where})")
            params.extend([Status.REVIEW, Status.PUBLISHED] if where else [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        key = tuple(cursor.fetchone())
    if _LEXICON_CACHE.get("key") != key:
        _LEXICON_CACHE.clear()
        _LEXICON_CACHE.update(key=key, lexicon=Lexicon())
    return _LEXICON_CACHE["lexicon"]


@dataclass
class Reading:
    """What the suggester read in one article: the event it reports and the claims."""

    main: EventRef
    suggestions: list


class Suggester:
    """Reads one body (no writes; see `suggest_for_article`).

    The article's event is read from its headline and lead (series and year named,
    venue, date); each sentence then gives claims about it — or, when it announces a
    later event ("next meeting … in 2026", "decided to hold Peace Mission 2025 …"), an
    `announced_event` / `next_meeting` claim pointing at that event and that event's own
    place and date. The dateline's city is where the story was filed, never the venue.
    """

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or current_lexicon()

    def suggest(self, body, published_on=None, title="", precision=DatePrecision.DAY):
        return self.read(body, published_on, title, precision).suggestions

    # -- the article's event

    def read(self, body, published_on=None, title="", precision=DatePrecision.DAY) -> Reading:
        from sources import metadata

        self._dated = False
        self._format_found = False  # one format an event
        self._names_read = {}  # _names() of this body
        self.base = published_on if precision == DatePrecision.DAY else None
        self.year = published_on.year if published_on else None
        dateline = metadata.find_dateline(body)
        self.dateline_end = -1
        if dateline is not None:
            at = body.find(dateline.text)
            if at >= 0:
                self.dateline_end = at + len(dateline.text)
                dated = metadata.find_date(dateline.text)
                if dated and dated.precision == DatePrecision.DAY:
                    self.base = dated.value
                elif self.year and metadata._partial(dateline.text):
                    month, day, _ = metadata._partial(dateline.text)
                    try:
                        self.base = datetime.date(self.year, month, day)
                    except ValueError:
                        pass
                elif dateline.date and re.fullmatch(r"\d{1,2}月\d{1,2}日", dateline.date):
                    month, day = map(int, re.findall(r"\d+", dateline.date))
                    if self.year:
                        try:
                            self.base = datetime.date(self.year, month, day)
                        except ValueError:
                            pass
        spans = [
            (start, end)
            for start, end in sentences(body)
            if weight(body[start:end]) >= 5 or ends_sentence(body[start:end])
        ]
        title_key = textlib.fold_key(title or "")
        dateline_start = body.find(dateline.text) if dateline is not None else -1
        spans = [
            (start, end)
            for start, end in spans
            if textlib.fold_key(body[start:end]) != title_key
            and not (dateline_start > 0 and end <= dateline_start)
        ]
        main = self._main_event(body, spans, title)
        found: list[Suggestion] = []
        seen: set = set()
        for start, end in spans:
            for suggestion in self._sentence(body, start, end, main):
                key = (id(suggestion.on) if suggestion.on is not MAIN else MAIN, *suggestion.key())
                if key not in seen:
                    seen.add(key)
                    found.append(suggestion)
        for suggestion in found:
            if suggestion.on is MAIN and suggestion.property == "date" and main.date is None:
                main.date, main.precision = suggestion.date, suggestion.precision
        return Reading(main, found)

    def _names(self, body, start, end):
        """(start, end, Known) of the names in body[start:end] (body offsets), the
        dateline left out. Kept for the reading: a sentence is asked for its names up to
        four times (its facts, its venue, the lead, a future sentence's event) (#17)."""
        memo = self.__dict__.setdefault("_names_read", {})
        key = (start, end, body)
        if key not in memo:
            memo[key] = self._find_names(body, start, end)
        return list(memo[key])

    def _find_names(self, body, start, end):
        sentence = body[start:end]
        folded, index_map = textlib.fast_fold(sentence)
        out = []
        for f_start, f_end, known in self.lexicon.find(folded):
            o_start, o_end = textlib.original_span(index_map, f_start, f_end)
            if start + o_start < self.dateline_end:
                continue  # the dateline names where the story was filed from
            out.append((start + o_start, start + o_end, known))
        return out

    def _series_ref(self, body, names, default_year=None):
        """The first series or event named, as an EventRef (with the year after it); an
        archive event years away from the article (a resolution of 2000 named as the
        theme of a 2023 conference) is not what the article reports."""
        for n_start, n_end, known in names:
            if known.what == "event":
                event = known.obj
                year = _year_of(event)
                if year and self.year and abs(year - self.year) > 1:
                    continue
                return EventRef(event=event, series=None, year=year)
            if known.what == "series":
                year = _series_year(body, n_start, n_end)
                return EventRef(
                    series=known.obj,
                    year=year or default_year,
                    kind=getattr(known.obj, "kind", ""),
                )
        return None

    def _main_event(self, body, spans, title):
        lead_spans = []
        for start, end in spans[:2]:
            lead_spans.append((start, start + len(_reported_part(body[start:end]))))
        ref = None
        # "Ministers decided to hold Peace Mission 2021": what a headline says was decided
        # is the announced event, not the one reported (#17)
        reported = _reported_part(title)
        if reported:
            ref = self._series_ref(reported, _title_names(self.lexicon, reported), None)
        for start, end in lead_spans:
            if ref is not None:
                break
            ref = self._series_ref(body, self._names(body, start, end), None)
        if ref is None:
            # the kind of what is reported, not of what was announced (#17)
            lead = " ".join(_reported_part(body[start:end]) for start, end in spans[:4])
            ref = EventRef(kind=guess_kind(f"{reported} {lead}"), title=title)
        if ref is None:
            ref = EventRef(kind=guess_kind(title), title=title)
        if ref.event is None and ref.year is None:
            ref.year = self.year
        self.main_place = None
        for start, end in spans:
            sentence = body[start:end]
            if _FUTURE.search(sentence) and not _MAIN_FUTURE(sentence, ref, self, body, start, end):
                end = start + _before_announcement(sentence)  # "met in Dushanbe and agreed …"
                if end == start:
                    continue
            place = self._venue(body, start, end, announcement=False, kind=ref.kind)
            if place is not None:
                ref.place = place
                break
        return ref

    def _host_to_come(self, body, start, end):
        """The country named just before "will host" / "is to host" / «примет у себя»."""
        for _n_start, n_end, known in self._names(body, start, end):
            if known.what in ("entity", "demonym") and known.kind == "country":
                if _HOST_TO_COME.match(body[n_end:end]):
                    return known
        return None

    def _venue(self, body, start, end, announcement, kind=None):
        """The place an event is held at, named in the sentence: the most specific one.
        With the event's ``kind``, not a place another kind of event was held at ("weeks
        after the SCO summit in Dushanbe", for a seminar)."""
        sentence = body[start:end]
        names = self._names(body, start, end)
        places = []
        zh = [m.span("span") for m in _ZH_VENUE.finditer(sentence)]
        for n_start, n_end, known in names:
            if known.what != "entity" or known.kind not in ("place", "country"):
                continue
            before = body[start:n_start]
            in_zh = any(a <= n_start - start and n_end - start <= b for a, b in zh)
            if not (in_zh or _IN_BEFORE.search(before[-40:].lower())):
                continue
            if kind in _EVENT_KINDS and _another_kind(before[-40:], kind):
                continue
            places.append(known)
        specific = [known for known in places if known.kind == "place"]
        if specific:
            return specific[-1] if zh and _CJK.search(sentence) else specific[0]
        if places and (announcement or not _CJK.search(sentence)):
            return places[0] if announcement else None
        return None

    # -- one sentence

    def _mentions(self, body, names):
        """(start, end, EventRef) of every series or event named, with the year after it."""
        found = []
        for n_start, n_end, known in names:
            if known.what == "event":
                found.append((n_start, n_end, EventRef(event=known.obj, year=_year_of(known.obj))))
            elif known.what == "series":
                ref = EventRef(
                    series=known.obj,
                    year=_series_year(body, n_start, n_end),
                    kind=getattr(known.obj, "kind", ""),
                )
                found.append((n_start, n_end, ref))
        return found

    def _named_in_passing(self, start, end, mentions, main):
        """Another archive event named in a sentence about this one ("welcomed Russia's
        invitation to take part in the West-2021 exercise"): an announced event, as
        editors record it — only an event the archive already has, of about this time."""
        out = []
        for _m_start, _m_end, ref in mentions:
            event = ref.event
            if event is None and ref.series is not None and ref.year:
                event = _existing_event(ref)
                if event is not None and event.status == Status.DRAFT:
                    event = None
            if event is None or ref.same(main) or (main.event and main.event.pk == event.pk):
                continue
            if event.kind not in _HAPPENINGS:
                continue  # a charter or declaration named is background, not an event
            year = _year_of(event)
            if year and self.year and not (self.year - 1 <= year <= self.year + 1):
                continue
            ref.event = event
            out.append(
                Suggestion(
                    "announced_event",
                    start,
                    end,
                    event=ref,
                    confidence=0.5,
                    reason="another event of the archive named in the sentence",
                )
            )
        return out

    def _sentence(self, body, start, end, main):
        names = self._names(body, start, end)
        founding = self._founding(body, start, end, names)
        if founding and not _HELD.search(body[start:end]):
            return founding  # "The SCO was founded on 15 June 2001 in Shanghai": history
        # "Ministers of the SCO, founded in 2001, met in Astana": both
        return founding + self._reported(body, start, end, main, names)

    def _reported(self, body, start, end, main, names):
        sentence = body[start:end]
        out = []
        mentions = self._mentions(body, names)
        is_next = bool(_NEXT.search(sentence))
        future = bool(_FUTURE.search(sentence)) or is_next
        if _BACKGROUND.search(sentence) and not mentions:
            return out  # "Last year the ministers met in Dushanbe, where …": history
        if not future:
            out.extend(self._facts(body, start, end, names, main))
            out.extend(self._named_in_passing(start, end, mentions, main))
            return out
        held = _before_announcement(sentence)
        if held:  # where and when the article's own event was held, before the announcement
            cut = start + held
            before = [name for name in names if name[1] <= cut]
            out.extend(
                suggestion
                for suggestion in self._facts(body, start, cut, before, main, dated_by_day=True)
                if suggestion.property in ("place", "date")
            )
        announced = []
        for index, (m_start, _m_end, ref) in enumerate(mentions):
            if ref.same(main) and not (is_next and ref.year is None):
                continue
            segment_end = mentions[index + 1][0] if index + 1 < len(mentions) else end
            announced.append((m_start, segment_end, ref))
        same_body = set()  # announcements of the next meeting of an unnamed body
        if not mentions and is_next and main.series is not None:
            announced.append((start, end, EventRef(series=main.series, kind=main.kind)))
        elif (
            not mentions and is_next and main.series is None and _next_of_same_body(sentence, main)
        ):
            # "agreed to hold their next meeting in Islamabad", "Следующее заседание
            # экспертов пройдет в Душанбе": the same (unnamed) body meets again (#17)
            ref = EventRef(kind=main.kind, title=_next_title(main))
            same_body.add(id(ref))
            announced.append((start, end, ref))
        for a_start, a_end, ref in announced:
            segment = body[a_start:a_end]
            if ref.event is None and ref.year is None:
                years = sorted(int(y) for y in _free_years(segment) or _free_years(sentence))
                month = _month_year(segment) or _month_year(sentence)
                if month is not None:
                    years.insert(0, month.year)
                series_of_main = (
                    main.series is not None
                    and ref.series is not None
                    and ref.series.slug == main.series.slug
                )
                later = [
                    y
                    for y in years
                    if not main.year or y > main.year or (y == main.year and not series_of_main)
                ]
                ref.year = later[0] if later else None
            if ref.event is None and ref.year is None:
                continue  # "the next festival": which one the archive cannot tell
            if ref.event is None:
                existing = _existing_event(ref)
                if existing is not None and existing.status != Status.DRAFT:
                    ref.event = existing
            same_series = (
                id(ref) in same_body
                or (
                    main.series is not None
                    and ref.series is not None
                    and ref.series.slug == main.series.slug
                )
                or (
                    ref.event is not None
                    and main.series is not None
                    and getattr(ref.event, "series_id", None) == getattr(main.series, "pk", -1)
                )
            )
            prop = "next_meeting" if same_series else "announced_event"
            out.append(
                Suggestion(
                    prop,
                    start,
                    end,
                    event=ref,
                    confidence=0.8 if same_series else 0.7,
                    reason="the sentence announces a later event"
                    + (" of the same series" if same_series else ""),
                )
            )
            # one announcement: anywhere in the sentence after what it says was held
            place = self._venue(body, a_start if len(announced) > 1 else start + held, a_end, True)
            host = self._host_to_come(body, start + held, end) if len(announced) == 1 else None
            if host is not None:  # "Tajikistan is to host the next exercise in 2027"
                out.append(
                    Suggestion(
                        "host",
                        start,
                        end,
                        entity=host.obj,
                        on=ref,
                        confidence=0.6,
                        reason="the country to host the announced event",
                    )
                )
                place = place or host
            if place is not None:
                ref.place = place
                out.append(
                    Suggestion(
                        "place",
                        start,
                        end,
                        entity=place.obj,
                        on=ref,
                        confidence=0.6,
                        reason="where the announced event is to be held",
                    )
                )
            announcing = segment if len(announced) > 1 else sentence[held:]
            month = _month_year(announcing) or (ref.year and _month_in(announcing, ref.year))
            if month:
                ref.date, ref.precision = month, DatePrecision.MONTH
            elif str(ref.year) in _free_years(announcing):
                ref.date, ref.precision = datetime.date(ref.year, 1, 1), DatePrecision.YEAR
            if ref.date is not None:
                out.append(
                    Suggestion(
                        "date",
                        start,
                        end,
                        date=ref.date,
                        precision=ref.precision,
                        on=ref,
                        confidence=0.6,
                        reason="when the announced event is to be held",
                    )
                )
        if announced:
            return out
        mentioned = mentions[0][2] if mentions else None
        if not (mentioned is not None and mentioned.same(main)) and not _MAIN_FUTURE(
            sentence, main, self, body, start, end
        ):
            # about some other future: nothing for this event but what was decided
            # ("agreed to set up a working group and decided to hold regular consultations")
            return out + ([] if mentions else self._decisions(sentence, start, end))
        out.extend(self._facts(body, start, end, names, main))
        return out

    def _country_of(self, obj):
        """The one country an organisation's name names ("Ministry of National Defense
        of China", "Russian Defence Ministry"), else None."""
        found = {}
        for name in [getattr(obj, "name", ""), *(getattr(obj, "aliases", None) or [])]:
            # the name's own words, up to three at a time: the whole name is the
            # organisation itself, which would hide the country inside it
            words = _NAME_WORD.findall(textlib.fold(name or "")[0])
            for size in (3, 2, 1):
                for first in range(len(words) - size + 1):
                    if size == len(words):
                        continue
                    for _start, _end, known in self.lexicon.find(
                        " ".join(words[first : first + size])
                    ):
                        if known.kind == "country":
                            found.setdefault(known.slug, known)
        return next(iter(found.values())) if len(found) == 1 else None

    def _facts(self, body, start, end, names, main, dated_by_day=False):
        sentence = body[start:end]
        out = []
        # the event's date
        if (
            not getattr(self, "_dated", False)  # first: once dated, no search is needed
            and (_HELD.search(sentence) or (dated_by_day and relative_phrase(sentence)))
            and not _ENDED.search(sentence)
        ):
            date = self._event_date(body, start, end)
            if date is not None:
                value, precision, how = date
                out.append(
                    Suggestion(
                        "date",
                        start,
                        end,
                        date=value,
                        precision=precision,
                        confidence=0.7,
                        reason=how,
                    )
                )
        # the venue
        if main.place is not None and not any(s.property == "place" for s in out):
            for _start, _end, known in names:
                if known.obj is main.place.obj and known.what == "entity":
                    place = self._venue(body, start, end, announcement=False)
                    if place is not None and place.obj is main.place.obj:
                        out.append(
                            Suggestion(
                                "place",
                                start,
                                end,
                                entity=place.obj,
                                confidence=0.75,
                                reason="where the sentence says it was held (not the dateline)",
                            )
                        )
                    break
        roles = set()
        lowered = re.sub(r"\s+", " ", sentence)
        for index, (n_start, n_end, known) in enumerate(names):
            if known.what not in ("entity", "demonym"):
                continue
            before = re.sub(r"\s+", " ", body[start:n_start]).lower()
            after = re.sub(r"\s+", " ", body[n_end:end]).lower()
            entity = known.obj
            kind = known.kind
            prop, reason, confidence = None, "", 0.6
            if known.what == "demonym":
                if _TAKING_PART.search(lowered) and _demonym_takes_part(after):
                    prop, reason = (
                        "participant",
                        f"“{body[n_start:n_end]}” in a sentence about taking part",
                    )
            elif (
                _CHAIR_AFTER.search(before)
                or _CHAIR_BEFORE.match(after)
                or (before.endswith("由") and after.startswith("主持"))
            ):
                prop, reason, confidence = "chair", "named as chair", 0.85
            elif (
                _HOST_AFTER.search(before)
                or _HOST_BEFORE.match(after)
                or (before.endswith("由") and after.startswith(("主办", "承办")))
            ):
                # "hosted by China's Ministry of National Defense": China hosts; but
                # "由中国国防部主办" (organised by) keeps the ministry as organiser
                country = (
                    self._country_of(known.obj)
                    if kind != "country" and _HOST_AFTER.search(before)
                    else None
                )
                if kind == "country":
                    prop, reason, confidence = "host", "named as host", 0.8
                elif country is not None:
                    entity, kind = country.obj, "country"
                    prop, reason, confidence = "host", f"named as host ({known.name})", 0.75
                else:
                    prop, reason, confidence = "organiser", "named as organiser", 0.75
            elif _SUPPORT_AFTER.search(before):  # "organised by X with the support of Y"
                prop, reason, confidence = "supporter", "named as supporter", 0.75
            elif _ORGANISER_AFTER.search(before):
                prop, reason, confidence = "organiser", "named as organiser", 0.75
            elif _INITIATIVE_AFTER.search(before) or _INITIATIVE_BEFORE.match(after):
                prop, reason = "initiative", "named as initiator"
            elif kind == "person":
                prop = "speaker" if _SPEECH.search(lowered) else "participant"
                reason = "a person named in the sentence"
            elif kind in ("country", "organisation"):
                clause = _clause(body, start, end, n_start, n_end)
                if _ADJECTIVAL.match(after):
                    continue
                if _INVITED.search(clause):
                    prop, reason = "invited", "named in a clause saying who was invited"
                    roles.add((entity.slug, prop))
                    out.append(
                        Suggestion(prop, start, end, entity=entity, confidence=0.6, reason=reason)
                    )
                    continue
                if _LOCATIVE.search(before[-3:]) and index and names[index - 1][2].kind == "place":
                    continue  # "Tashkent, Uzbekistan": where, not who
                if _WITHDRAWN.search(before[-40:]):
                    continue  # "after the withdrawal of NATO contingents": who left
                if _DESTINATION.search(before[-12:]):
                    continue  # "left for Russia", "in Russia": where, not who
                if _TAKING_PART.search(clause) or (
                    _TAKING_PART.search(lowered) and not _INVITED.search(lowered)
                ):
                    prop, reason = "participant", "named in a sentence about taking part"
            if prop is None or (entity.slug, prop) in roles:
                continue
            if prop == "participant" and any(slug == entity.slug for slug, _ in roles):
                continue
            if prop == "participant" and entity.slug == _THE_SCO:
                continue  # "the SCO member states took part": the states do, named or not
            roles.add((entity.slug, prop))
            out.append(
                Suggestion(prop, start, end, entity=entity, confidence=confidence, reason=reason)
            )
        # numbers: troops, hardware, audience
        # every count has a digit: a sentence without one is not searched (#17)
        for count in _COUNT.finditer(sentence) if _DIGIT.search(sentence) else ():
            words = count.group(0).strip(" ,.")
            if re.search(r"[^\d\s,.]", words) and re.search(r"\d", words):
                if re.fullmatch(r"\d+(?:名|人)", words):
                    continue
                out.append(
                    Suggestion(
                        "statement",
                        start,
                        end,
                        text=words,
                        confidence=0.6,
                        reason="a number the article reports",
                    )
                )
                break
        # documents signed or adopted
        for signed in _SIGNED.finditer(sentence):
            doc = (signed.group("doc") or signed.group("ru") or signed.group("zh") or "").strip(
                " ,."
            )
            if doc:
                out.append(
                    Suggestion(
                        "outcome_document",
                        start,
                        end,
                        text=doc,
                        confidence=0.7,
                        reason="a document the sentence says was signed or adopted",
                    )
                )
        if not any(s.property == "outcome_document" for s in out) and not _FUTURE.search(sentence):
            out.extend(self._decisions(sentence, start, end))
        met = None if self._format_found else _FORMAT.search(sentence)
        if met is not None:
            self._format_found = True
            online = re.search(r"online|virtually|онлайн", met[0], re.IGNORECASE)
            out.append(
                Suggestion(
                    "format",
                    start,
                    end,
                    text="online" if online else "video conference",
                    confidence=0.6,
                    reason="the sentence says how it met (not in person)",
                )
            )
        position = self._position(sentence, out)
        if position is not None:
            out.append(
                Suggestion(
                    "statement",
                    start,
                    end,
                    text=position,
                    confidence=0.45,
                    reason="a position the sentence reports (stressed, noted, condemned …)",
                )
            )
        theme = None if _FUTURE.search(sentence) else _THEME.search(sentence)
        if theme is not None:
            words = next(group for group in theme.groups() if group).strip(" ,.:")
            out.append(
                Suggestion(
                    "theme",
                    start,
                    end,
                    text=words,
                    confidence=0.5,
                    reason="what the sentence says was discussed or practised",
                )
            )
        return out

    def _founding(self, body, start, end, names):
        """The date and place of the SCO's founding, as a report recounts it, on the
        archive's founding event of that year; nothing when the archive has none."""
        sentence = body[start:end]
        founded = _FOUNDED.search(sentence)
        if founded is None or not _SCO.search(sentence):
            return []
        # the date or year nearest the verb: the sentence may date the meeting too
        near = founded.start()
        found = [
            (abs(d_start - near), date.value.year, date.value)
            for d_start, _e, date in find_dates(sentence)
            if date.precision == DatePrecision.DAY
        ] + [(abs(m.start() - near), int(m.group(0)), None) for m in _YEAR.finditer(sentence)]
        if not found:
            return []
        _distance, year, day = min(found, key=lambda item: item[0])
        event = (
            Event.objects.filter(kind=Event.Kind.FOUNDING, start_date__year=year)
            .order_by("pk")
            .first()
        )
        if event is None:
            return []
        ref = EventRef(kind=Event.Kind.FOUNDING, year=year, event=event)
        reason = "the founding of the SCO, as the article recounts it"
        value, precision = (
            (day, DatePrecision.DAY) if day else (datetime.date(year, 1, 1), DatePrecision.YEAR)
        )
        out = [
            Suggestion(
                "date", start, end, date=value, precision=precision, on=ref,
                confidence=0.6, reason=reason,
            )
        ]  # fmt: skip
        for n_start, _n_end, known in names:
            if known.kind == "place" and known.what == "entity":
                if _AT_PLACE.search(body[max(start, n_start - 4) : n_start]):
                    out.append(
                        Suggestion(
                            "place", start, end, entity=known.obj, on=ref,
                            confidence=0.6, reason=reason,
                        )
                    )  # fmt: skip
                    break
        return out

    @staticmethod
    def _decisions(sentence, start, end):
        """A decision claim for each thing the sentence says was agreed or decided, but
        communiqué boilerplate ("agreed to continue cooperation")."""
        out = []
        for part in _AND_DECIDED.split(sentence):
            decided = _DECISION.search(part)
            if decided is None:
                continue
            words = next(group for group in decided.groups() if group).strip(" ,.")
            if _BOILERPLATE.match(words):
                continue
            out.append(
                Suggestion(
                    "decision",
                    start,
                    end,
                    text=words,
                    confidence=0.55,
                    reason="what the sentence says was agreed or decided",
                )
            )
        return out

    @staticmethod
    def _position(sentence, found):
        """The words of a position the sentence reports, or None: the clause after
        "stressed that" / "подчеркнули, что", the object of "condemned" / "осудили"
        (with the verb: "Condemned attempts to …"), what follows "强调"."""
        if any(s.property == "statement" for s in found):
            return None  # a number told in the same sentence is the fact recorded
        match = _POSITION.search(sentence)
        if match is None:
            return None
        groups = match.groupdict()
        verb = groups["en_that"] or ""
        words = groups["en"] or groups["ru"] or groups["en_per"] or groups["ru_per"] or ""
        if not words and (groups["en_object"] or groups["ru_object"]):
            verb = groups["en_verb"] or groups["ru_verb"]
            words = f"{verb} {groups['en_object'] or groups['ru_object']}"
        if not words:
            words = groups["zh"] or ""
        words = words.strip(" ,.。:;\"'“”«»")
        told = _TELLING.match(verb.strip()) or re.search(r"заявил\w*\s*,?\s+что|表示", match[0])
        if told and (_DIGIT.search(words) or _SCHEDULED.search(words)):
            return None  # "said that about 2,000 troops …", "… would end in June": news told
        if _BILATERAL.search(sentence):
            return None
        if len(words) < 6 or len(words.split()) < 3 and not re.search(r"[\u3400-\u9fff]{6}", words):
            return None
        return words[:1].upper() + words[1:]

    def _event_date(self, body, start, end):
        """(date, precision, how) of the event in a sentence: a written date, or a
        relative one ("on Friday", "в четверг", "26日") counted from the dateline."""
        from sources import metadata

        sentence = body[start:end]
        skip = max(0, self.dateline_end - start)
        text = sentence[skip:] if skip else sentence
        for d_start, _d_end, date in find_dates(text):
            if date.precision in (DatePrecision.DAY, DatePrecision.MONTH):
                value = date.value
                first_day = _RANGE_BEFORE.search(text[:d_start])
                if first_day and date.precision == DatePrecision.DAY:
                    try:
                        value = value.replace(day=int(first_day.group(1)))
                    except ValueError:
                        pass
                self._dated = True
                return value, date.precision, f"the date written in the sentence (“{date.matched}”)"
        year = self.base or (datetime.date(self.year, 1, 1) if self.year else None)
        partial = metadata._partial(text)
        if partial and year:
            month, day, matched = partial
            first_day = _RANGE_BEFORE.search(text[: text.find(matched)])
            if first_day:  # "on 20–22 April": the event began on the 20th
                day = int(first_day.group(1))
            try:
                value = datetime.date(year.year, month, day)
            except ValueError:
                value = None
            if value:
                self._dated = True
                return value, DatePrecision.DAY, f"“{matched}”, in the year of the article"
        if self.base is not None:
            relative = metadata.relative_phrase(text)
            if relative:
                value = metadata.resolve_relative(relative.group(0), self.base)
                if value is not None:
                    self._dated = True
                    return (
                        value,
                        DatePrecision.DAY,
                        (
                            f"“{relative.group(0).strip()}” counted from the dateline or "
                            f"publication date ({self.base.isoformat()})"
                        ),
                    )
        return None


_LOCATIVE = re.compile(r",\s*$")
_THE_SCO = "sco"  # the gazetteer's Shanghai Cooperation Organisation
# in Chinese a list is joined by 、 and clauses by ，: "…10个成员国的军队代表团与会，…主任应邀出席"
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|а|но|и)\s+|，|；")


def _clause(body, start, end, n_start, n_end):
    """The clause of the sentence body[start:end] holding the name at n_start."""
    sentence = body[start:end]
    cuts = [0, *(m.end() for m in _CLAUSE_BREAK.finditer(sentence)), len(sentence)]
    at = n_start - start
    for left, right in zip(cuts, cuts[1:], strict=False):
        if left <= at < right:
            return re.sub(r"\s+", " ", sentence[left:right])
    return sentence


_ENDED = re.compile(
    r"\b(?:ended|concluded|closed|wrapped up|left|departed|arrived)\b|завершил\w*|закончил\w*|"
    r"闭幕|结束",
    re.IGNORECASE,
)
_DESTINATION = re.compile(
    r"(?:\b(?:for|to|into|in|at|near)\s+(?:the\s+)?|(?:^|\s)(?:в|во|на)\s+|在|赴|前往|"
    r"就|关于)$",  # 就阿富汗局势交换意见, 关于…: what was discussed, not who (#17)
    re.IGNORECASE,
)


def _demonym_takes_part(after):
    return bool(
        re.match(
            r"^\s*(?:units|troops|servicemen|military|soldiers|contingent|band|officers|"
            r"delegation|military band|военнослужащ|подразделени|делегаци|офицер|"
            r"военны[хе]\b|参演|官兵|军乐团)",
            after,
        )
    )


def _MAIN_FUTURE(sentence, main, suggester, body, start, end):
    """A future sentence about the article's own event ("the exercise will be held …
    from September 12 to 20", "会议将于6月25日至26日在青岛举行")."""
    names = suggester._names(body, start, end)
    mentioned = suggester._series_ref(body, names, None)
    if _NEXT.search(sentence):
        return False
    if mentioned is not None:
        return mentioned.same(main)
    return bool(
        re.match(
            r"^\s*(?:the\s+)?(?:exercise|drills?|meeting|festival|seminar|conference|"
            r"учени|совещани|фестивал|семинар|会议|演习|军乐节)",
            sentence,
            re.IGNORECASE,
        )
    ) or (_CJK.search(sentence) is not None and sentence.startswith(("会议", "演习")))


def _title_names(lexicon, title):
    folded, index_map = textlib.fast_fold(title)
    out = []
    for f_start, f_end, known in lexicon.find(folded):
        o_start, o_end = textlib.original_span(index_map, f_start, f_end)
        out.append((o_start, o_end, known))
    return out


_MONTH_YEAR = re.compile(
    r"\b(?P<month>january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\s+(?P<year>(?:19|20)\d\d)\b|(?P<zy>(?:19|20)\d\d)年(?P<zm>\d{1,2})月",
    re.IGNORECASE,
)
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]


def _month_year(sentence):
    match = _MONTH_YEAR.search(sentence)
    if not match:
        return None
    if match.group("zy"):
        return datetime.date(int(match.group("zy")), int(match.group("zm")), 1)
    return datetime.date(
        int(match.group("year")), _MONTH_NAMES.index(match.group("month").lower()) + 1, 1
    )


# A month named without its year: "in September", "в сентябре", "9月" (not "7月28日").
_BARE_MONTH = re.compile(
    r"\bin (?P<en>january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b|\bв (?P<ru>январе|феврале|марте|апреле|мае|июне|июле|августе|"
    r"сентябре|октябре|ноябре|декабре)\b|(?<!\d)(?P<zh>\d{1,2})月(?!\s*\d)",
    re.IGNORECASE,
)
_RU_MONTHS = ["январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
              "сентябре", "октябре", "ноябре", "декабре"]  # fmt: skip


def _month_in(text, year):
    """The first month ``text`` names without a year, in ``year`` (the year of the event
    it announces: "Peace Mission 2021 … in September"), or None (#17)."""
    match = _BARE_MONTH.search(text)
    if match is None:
        return None
    if match.group("en"):
        number = _MONTH_NAMES.index(match.group("en").lower()) + 1
    elif match.group("ru"):
        number = _RU_MONTHS.index(match.group("ru").lower()) + 1
    else:
        number = int(match.group("zh"))
    return datetime.date(year, number, 1) if 1 <= number <= 12 else None


def _free_years(sentence):
    """Years the sentence gives as dates ("in 2026", "2026年"), not as part of a name
    ("Peace Mission 2025", "«Мирная миссия — 2025»")."""
    found = re.findall(
        r"(?:\b(?:in|by|of|for)\s+|(?:^|\s)в\s+|于)((?:19|20)\d\d)|((?:19|20)\d\d)\s*(?:году|年)",
        sentence,
    )
    return {year for pair in found for year in pair if year}


def _year_of(event):
    return event.start_date.year if getattr(event, "start_date", None) else None


# -- finding or making the events ------------------------------------------------------------


def _existing_event(ref: EventRef):
    """An archive event (any status) matching the reference: the named one; else one of
    the same series and year (or of no known year) whose place does not contradict; else,
    without a series, one of the same kind, year and place; without a place either, one
    of the same kind that began on the same day, placeless too."""
    if ref.event is not None:
        return ref.event
    series = ref.series if isinstance(ref.series, Series) else None
    if ref.series is not None and series is None:
        series = Series.objects.filter(slug=ref.series.slug).first()
    # unordered: the best candidate is the maximum of a key that ends in the id, so the
    # events' default ordering (a sort on every lookup) changes nothing (#17)
    candidates = []
    if series is not None:
        queryset = Event.objects.filter(series=series).select_related("place").order_by()
        for event in queryset:
            year = _year_of(event)
            if ref.year and year and year != ref.year:
                continue
            score = 2 if year and year == ref.year else 0
            same_place = (
                ref.place is not None
                and event.place_id
                and gazetteer.places_agree(event.place.slug, ref.place.slug)
            )
            if same_place:
                score += 2
            if not year:
                # an undated event of the series is this one only if held at the same place
                if not same_place or (ref.year and event.status == Status.DRAFT):
                    continue
            elif not ref.year and not same_place:
                continue
            candidates.append((score, event.status != Status.DRAFT, -event.pk, event))
    else:
        same = None
        if ref.year and ref.place is not None:
            same = {"start_date__year": ref.year, "place__slug": ref.place.slug}
        elif ref.date is not None and ref.precision == DatePrecision.DAY:
            # held nowhere in particular ("by video conference on Thursday"): one of the
            # same kind that began that very day, and has no place either
            same = {"start_date": ref.date, "place__isnull": True}
        if same is not None:
            queryset = Event.objects.filter(kind=ref.kind or Event.Kind.OTHER, **same).order_by()
            candidates = [(1, event.status != Status.DRAFT, -event.pk, event) for event in queryset]
    if not candidates:
        return None
    return max(candidates, key=lambda item: item[:3])[3]


def _entity(value):
    """The archive Entity for a suggestion's value (a gazetteer entry is made one)."""
    from . import gazetteer

    if isinstance(value, gazetteer.Entry):
        return gazetteer.materialise(value)
    return value


def _series(value):
    from . import gazetteer

    if isinstance(value, gazetteer.Entry):
        series = Series.objects.filter(slug=value.slug).first()
        if series is None:
            series = Series(
                slug=value.slug,
                name=value.name,
                kind=value.kind if value.kind != "series" else "",
                aliases=list(value.aliases),
                names=dict(value.names),
            )
            series.full_clean()
            series.save()
        return series
    return value


def resolve_event(ref: EventRef, article) -> Event:
    """The event of a reference: an existing one, else a new draft made from it."""
    existing = _existing_event(ref)
    if existing is not None:
        ref.event = existing
        return existing
    series = _series(ref.series) if ref.series is not None else None
    place = _entity(ref.place.obj) if ref.place is not None else None
    if series is not None:
        title = series.name + (f" {ref.year}" if ref.year else "")
        if place is not None:
            title += f", {place.name}"
        kind = series.kind if series.kind in Event.Kind.values else guess_kind(series.name)
    else:
        title = (ref.title or article.title or article.slug)[:300]
        kind = ref.kind or guess_kind(f"{title} {article.body[:400]}")
    if ref.date is not None:
        start, precision = ref.date, ref.precision
    elif ref.year:
        start, precision = datetime.date(ref.year, 1, 1), DatePrecision.YEAR
    else:
        start, precision = None, DatePrecision.UNKNOWN
    event = Event(
        title=title[:300],
        slug=unique_slug(Event, title_slug(title) or f"event-{article.slug}"[:80]),
        kind=kind,
        series=series,
        place=place,
        start_date=start,
        date_precision=precision,
        status=Status.DRAFT,
        note=f"Created by the importer for the claims suggested from “{article.title}” "
        f"({article.slug}). Check it, merge it with the right event or delete it.",
    )
    # Event.clean() checks what the two check constraints say (a date given exactly when
    # its precision is known, no end before the start) and unique_slug() has just chosen
    # a slug no event has, in this transaction (the unique index refuses a race): asking
    # the database again for the constraints and the slug would repeat those checks,
    # eight statements a new event (#17). The fields and clean() are validated as always.
    event.full_clean(validate_unique=False, validate_constraints=False)
    event.save()
    ref.event = event
    return event


# -- writing them ---------------------------------------------------------------------------


# "preparations for the exercise", "подготовку к учениям", "筹备演习": the topic of a
# meeting, not what the event is (#17)
_PREPARING_FOR = re.compile(
    r"\b(?:preparations?|preparing|planning)\s+(?:for|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:exercises?|drills?|festival)\b|подготовк\w*\s+к\s+(?:[\w-]+\s+){0,3}?"
    r"(?:учени\w*|фестивал\w*)|筹备\S{0,6}?(?:演习|演练)",
    re.IGNORECASE,
)


_EVENT_KINDS = set(Event.Kind.values) - {Event.Kind.OTHER}


def _another_kind(words: str, kind) -> bool:
    """Whether ``words`` (just before a place) name an event of another kind only."""
    named = {found for found, pattern in KIND_WORDS if re.search(pattern, words, re.IGNORECASE)}
    return bool(named) and kind not in named


def guess_kind(words: str) -> str:
    words = _PREPARING_FOR.sub(" ", words)
    for kind, pattern in KIND_WORDS:
        if re.search(pattern, words, re.IGNORECASE):
            return kind
    return Event.Kind.OTHER


def _quotes(article, spans) -> dict[tuple[int, int], Quote]:
    """A Quote for each (start, end) span of the body: the existing one, or a new one.

    The spans are sentence bounds found in this very body, so `body[start:end]` is the
    exact text by construction; new quotes are created in one query (with history).
    """
    body = article.body
    found = {
        (quote.start, quote.end): quote
        for quote in Quote.objects.filter(article=article).order_by()
        if (quote.start, quote.end) in spans
    }
    new = []
    for start, end in sorted(set(spans) - set(found)):
        quote = Quote.at(body, start, end, article=article)
        found[(start, end)] = quote
        new.append(quote)
    if new:
        bulk_create_with_history(new, Quote)
        search.index_objects("quote", new)  # bulk_create sends no signals
    return found


def note_for(suggestion) -> str:
    return (
        f"Suggested by the importer (confidence {suggestion.confidence:.2f}): "
        f"{suggestion.reason or 'read in the quoted sentence'}. {SUGGESTION_NOTE}"
    )


@dataclass
class Recorded:
    event: Event | None
    claims: list


def record(article, lexicon: Lexicon | None = None) -> Recorded:
    """Read the article and record its suggestions; returns the event and the claims
    (new ones, and existing suggested claims that now cite this article too)."""
    reading = Suggester(lexicon).read(
        article.body, article.published_on, article.title, article.published_precision
    )
    if not reading.suggestions:
        return Recorded(None, [])
    with transaction.atomic():
        main = resolve_event(reading.main, article)
        events = {MAIN: main}
        for suggestion in reading.suggestions:
            for ref in (suggestion.on, suggestion.event):
                if isinstance(ref, EventRef) and id(ref) not in events:
                    events[id(ref)] = resolve_event(ref, article)
        rows = []
        for suggestion in reading.suggestions:
            event = events[MAIN if suggestion.on is MAIN else id(suggestion.on)]
            value_event = suggestion.event
            if isinstance(value_event, EventRef):
                value_event = events[id(value_event)]
            if value_event is not None and value_event.pk == event.pk:
                continue
            rows.append((suggestion, event, _entity(suggestion.entity), value_event))
        if not rows:
            return Recorded(main, [])
        quotes = _quotes(article, {(s.start, s.end) for s, *_ in rows})
        existing = {}
        # only the suggested claims that could be one of these (same event, property and
        # value): an event's other claims, which grow with every article about it, stay
        # unread, so the cost of an import does not grow with the archive
        same_value = (
            Q(value_entity__in={e.pk for _, _, e, _ in rows if e is not None})
            | Q(value_event__in={v.pk for *_, v in rows if v is not None})
            | Q(value_date__in={truncate_date(s.date, s.precision) for s, *_ in rows if s.date})
            | Q(value_text__in={s.text[:2000] for s, *_ in rows if s.text})
        )
        found = Claim.objects.filter(
            same_value,
            event__in={event.pk for _, event, *_ in rows},
            property__in={s.property for s, *_ in rows},
            origin=Claim.Origin.SUGGESTED,
        ).select_related("value_entity", "value_event")
        # the first of a key by id: within one key (one event and property) the default
        # ordering (event, property, id) is the id's; sorted here, as the database would
        # have to join the events table to sort by them (#17)
        for claim in sorted(found.order_by(), key=lambda claim: claim.pk):
            existing.setdefault((claim.event_id, claim.property, value_key(*_values(claim))), claim)
        new, cite_existing, chosen = [], [], []
        for suggestion, event, entity, value_event in rows:
            key = (
                event.pk,
                suggestion.property,
                value_key(
                    entity, suggestion.date, suggestion.precision, value_event, suggestion.text
                ),
            )
            quote = quotes[(suggestion.start, suggestion.end)]
            if key in existing:
                claim = existing[key]
                if claim not in cite_existing and claim not in new:
                    cite_existing.append(claim)
                    chosen.append((claim, quote))
                continue
            claim = Claim(
                event=event,
                property=suggestion.property,
                value_entity=entity,
                value_date=suggestion.date,
                value_date_precision=suggestion.precision if suggestion.date else "",
                value_event=value_event,
                value_text=""
                if (entity or suggestion.date or value_event)
                else suggestion.text[:2000],
                origin=Claim.Origin.SUGGESTED,
                status=Status.DRAFT,
                note=note_for(suggestion),
            )
            claim.value_date = truncate_date(claim.value_date, claim.value_date_precision)
            existing[key] = claim
            new.append(claim)
            chosen.append((claim, quote))
        if new:
            bulk_create_with_history(new, Claim)
            search.index_objects("claim", new)
        cited = set()
        if cite_existing:  # new claims cite nothing yet
            cited = set(
                Citation.objects.filter(
                    claim__in=cite_existing, quote__in=[quote for _, quote in chosen]
                )
                .order_by()  # a set: the default ordering would join claims and events
                .values_list("claim_id", "quote_id")
            )
        Citation.objects.bulk_create(
            Citation(claim=claim, quote=quote)
            for claim, quote in chosen
            if (claim.pk, quote.pk) not in cited
        )
    return Recorded(main, [claim for claim, _ in chosen])


def suggest_for_article(article, lexicon: Lexicon | None = None) -> list[Claim]:
    """Record the article's suggested claims (drafts, each citing a quote); returns them.
    The import hook (settings.SCO_IMPORT_HOOKS)."""
    return record(article, lexicon).claims


def _values(claim):
    return (
        claim.value_entity,
        claim.value_date,
        claim.value_date_precision,
        claim.value_event,
        claim.value_text,
    )


# -- the editor's answer ----------------------------------------------------------------------


def accept(claims, user=None) -> int:
    """Suggested claims become the editor's own (still drafts); returns how many."""
    count = 0
    for claim in claims:
        if claim.origin != Claim.Origin.SUGGESTED:
            continue
        claim.origin = Claim.Origin.EDITOR
        if user is not None and getattr(user, "pk", None):
            claim._history_user = user
        claim.save(update_fields=["origin", "updated_at"])
        count += 1
    return count


def reject(claims, user=None) -> int:
    """Suggested claims are deleted (their history stays); returns how many."""
    count = 0
    for claim in claims:
        if claim.origin != Claim.Origin.SUGGESTED:
            continue
        if user is not None and getattr(user, "pk", None):
            claim._history_user = user
        claim.delete()
        count += 1
    return count


@admin.action(description="Accept selected suggestions (they stay drafts)", permissions=["change"])
def accept_suggestions(modeladmin, request, queryset):
    count = accept(queryset.filter(origin=Claim.Origin.SUGGESTED), request.user)
    modeladmin.message_user(request, f"{count} suggestion(s) accepted.", messages.SUCCESS)


@admin.action(description="Reject selected suggestions (delete them)", permissions=["delete"])
def reject_suggestions(modeladmin, request, queryset):
    count = reject(queryset.filter(origin=Claim.Origin.SUGGESTED), request.user)
    modeladmin.message_user(request, f"{count} suggestion(s) rejected.", messages.SUCCESS)


# -- measuring them ---------------------------------------------------------------------------


def evaluate_seed() -> dict:
    """Precision, recall and right-event rate on the seed articles (events.evaluation)."""
    from . import evaluation

    return evaluation.evaluate_seed()


def evaluate_dev(path=None) -> dict:
    """The same on the development set in fixtures/eval/ (events.evaluation)."""
    from . import evaluation

    return evaluation.evaluate_dev(path)
