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
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from sources import text as textlib
from sources.cleaning import ends_sentence, weight
from sources.metadata import find_dates
from sources.models import DatePrecision, Quote, Status, truncate_date, unique_slug

from . import search
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


def sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the body, whitespace trimmed."""
    spans = []
    start = 0
    for match in _BREAK.finditer(body):
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


# -- the lexicon of the archive -----------------------------------------------------------


_CJK = re.compile(r"[\u3400-\u9fff]")
_CYRILLIC_END = re.compile(r"[а-яё][аяьйео]$")


def _compact(folded: str) -> str:
    return re.sub(r"[\s\-«»\"']+", "", folded)


def _alternation(names):
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


# For the same words, an entity beats an event title, which beats a series name.
_PRECEDENCE = {"entity": 0, "event": 1, "series": 2}


class Lexicon:
    """Entities, series and events of the archive, found by name in folded text."""

    def __init__(self, entities=None, series=None, events=None):
        self.names: dict[str, tuple[str, object]] = {}  # folded name -> (what, object)
        self.event_keys: dict[str, Event] = {}  # names without spaces or dashes -> event
        for entity in entities if entities is not None else Entity.objects.active():
            for name in entity.all_names:
                self._add(name, "entity", entity)
        for item in series if series is not None else Series.objects.all():
            for name in [item.name, *item.aliases]:
                self._add(name, "series", item)
        if events is None:
            events = Event.objects.exclude(status=Status.DRAFT).only(
                "id", "slug", "title", "aliases"
            )
        for event in events:
            for name in [event.title, *(event.aliases or [])]:
                self._add(name, "event", event)
        # Latin and Cyrillic names match whole words (a Russian name may take a case
        # ending: Узбекистан-а); Chinese names match anywhere (no spaces between words).
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

    def _add(self, name, what, obj):
        folded = textlib.fold(name or "")[0].strip()
        if len(folded) < (2 if _CJK.search(folded) else MIN_NAME):
            return  # 中国 is a name; "UN" or "X" would match everywhere
        if what == "event":
            self.event_keys.setdefault(_compact(folded), obj)
        if _CYRILLIC_END.search(folded) and len(folded) >= 5:
            # Russian declension changes the last letter: Индия → Индии, Россия → России
            self._put(folded[:-1], what, obj)
        self._put(folded, what, obj)

    def _put(self, folded, what, obj):
        current = self.names.get(folded)
        if current is None or _PRECEDENCE[what] < _PRECEDENCE[current[0]]:
            self.names[folded] = (what, obj)

    def find(self, folded: str):
        """(folded start, folded end, what, object) of every name in the folded text."""
        found = []
        for pattern in self.patterns:
            for match in pattern.finditer(folded):
                found.append((match.start(), match.end(), *self.names[match.group("name")]))
        return sorted(found, key=lambda item: item[0])


# -- suggestions --------------------------------------------------------------------------


@dataclass
class Suggestion:
    property: str
    start: int  # of the quoted sentence in the body
    end: int
    entity: Entity | None = None
    date: datetime.date | None = None
    precision: str = ""
    event: Event | None = None
    text: str = ""

    def __post_init__(self):
        # A value the property does not take (say, a next meeting known only by words)
        # is recorded as what it is: a statement, in the words of the source.
        kind = (
            "entity" if self.entity else "date" if self.date else "event" if self.event else "text"
        )
        if kind not in Claim.value_kinds(self.property):
            label = Claim.Property(self.property).label
            self.text = f"{label}: {self.text}" if self.text else label
            self.property, self.entity, self.date, self.event = "statement", None, None, None

    def key(self) -> tuple[str, str]:
        return (
            self.property,
            value_key(self.entity, self.date, self.precision, self.event, self.text),
        )


def value_key(entity, date, precision, event, text) -> str:
    if entity is not None:
        return f"entity:{entity.slug}"
    if date is not None:
        return f"date:{date.isoformat()}/{precision}"
    if event is not None:
        return f"event:{event.slug}"
    return "text:" + " ".join(textlib.fold(text)[0].strip(" .").split())


_CHAIR_AFTER = re.compile(
    r"(?:chaired by|under the chairmanship of|presided over by|под председательством|由)\s*$"
)
_CHAIR_BEFORE = re.compile(r"^\s*(?:chaired|chairs|presided|председательств\w*|主持)")
_HOST_AFTER = re.compile(r"(?:hosted by|host(?:ed)? country)\s+(?:the\s+)?$")
_HOST_BEFORE = re.compile(r"^(?:'s|’s)\s*(?:presidency|chairmanship)|^\s*(?:hosted|hosts)\b")
_INITIATIVE_AFTER = re.compile(
    r"(?:at the (?:initiative|invitation|suggestion) of|по инициативе)\s+(?:the\s+)?$"
)
_INITIATIVE_BEFORE = re.compile(r"^(?:'s|’s)?\s*(?:initiative|suggested|proposed|倡议)")
_SUPPORT_AFTER = re.compile(r"(?:support of|supported by|при поддержке)\s+(?:the\s+)?$")
_INVITED = re.compile(r"\b(?:have|has|had|were|was|been|are|is)\s+invited\b|приглашен|应邀")
_SPEECH = re.compile(
    r"\b(?:said|says|noted|stated|emphasi[sz]ed|underscored|stressed|added|told|message|"
    r"speech|addressed|remarks)\b|заявил|отметил|подчеркнул|сказал|表示|指出|强调",
    re.IGNORECASE,
)
_TAKING_PART = re.compile(
    r"\b(?:took part|take part|taking part|participat\w*|attended|attend|delegations?|"
    r"representatives|deputies|including|joined)\b|участ\w*|делегаци\w*|参加|出席|与会",
    re.IGNORECASE,
)
_ADJECTIVAL = re.compile(r"^(?:'s|’s)?\s*(?:member|countries|states|space|family|activity|region)")
_NEXT = re.compile(
    r"\bnext\b.{0,60}?\bmeeting\b|следующ\w+\s+(?:\w+\s+){0,3}?(?:совещани|встреч|заседани)\w*|"
    r"下一次|下次|下届",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_CHAIR_TEXT = re.compile(r"chaired by (?:the )?([A-Z][\w’'-]*(?:\s+(?:of|the|and|[A-Z][\w’'-]*))*)")
_RANGE_BEFORE = re.compile(r"(\d{1,2})\s*[-–—]\s*$")


_LEXICON_CACHE: dict = {}


def current_lexicon() -> Lexicon:
    """The archive's Lexicon, rebuilt only when entities, series or events changed."""
    from django.db.models import Count, Max

    querysets = (
        Entity.objects.all(),
        Series.objects.all(),
        # the importer's own drafts don't count (status__in can use the status index)
        Event.objects.filter(status__in=[Status.REVIEW, Status.PUBLISHED]),
    )
    key = tuple(
        tuple(queryset.aggregate(n=Count("pk"), last=Max("updated_at")).values())
        for queryset in querysets
    )
    if _LEXICON_CACHE.get("key") != key:
        _LEXICON_CACHE.clear()
        _LEXICON_CACHE.update(key=key, lexicon=Lexicon())
    return _LEXICON_CACHE["lexicon"]


class Suggester:
    """Finds suggestions in one body (no writes; see `suggest_for_article`)."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lexicon = lexicon or current_lexicon()

    def suggest(self, body: str, published_on=None) -> list[Suggestion]:
        found: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()

        def add(suggestion):
            key = suggestion.key()
            if key not in seen:
                seen.add(key)
                found.append(suggestion)

        for start, end in sentences(body):
            sentence = body[start:end]
            if weight(sentence) < 5 and not ends_sentence(sentence):
                continue  # headings and stray lines state nothing
            for suggestion in self._sentence(sentence, start, end, published_on):
                add(suggestion)
        return found

    def _sentence(self, sentence, start, end, published_on):
        folded, index_map = textlib.fast_fold(sentence)
        next_meeting = _NEXT.search(sentence)
        out = []
        # dates
        for d_start, _d_end, date in find_dates(sentence):
            if date.precision not in (DatePrecision.DAY, DatePrecision.MONTH):
                continue
            if published_on and date.value == published_on:
                continue
            value = date.value
            first_day = _RANGE_BEFORE.search(sentence[:d_start])
            if first_day and date.precision == DatePrecision.DAY:
                try:
                    value = value.replace(day=int(first_day.group(1)))
                except ValueError:
                    pass
            out.append(Suggestion("date", start, end, date=value, precision=date.precision))
        if next_meeting:
            tail = sentence[next_meeting.end() :].strip(" .。")
            out.append(Suggestion("next_meeting", start, end, text=tail or sentence))
            years = _YEAR.findall(tail or sentence)
            if years:
                out.append(
                    Suggestion(
                        "date",
                        start,
                        end,
                        date=datetime.date(int(years[0]), 1, 1),
                        precision=DatePrecision.YEAR,
                    )
                )
        # names of the archive
        chair_named = False
        for f_start, f_end, what, obj in self.lexicon.find(folded):
            o_start, o_end = textlib.original_span(index_map, f_start, f_end)
            before = sentence[:o_start]
            after = sentence[o_end:]
            if what == "event":
                out.append(Suggestion("announced_event", start, end, event=obj))
                continue
            if what == "series":
                year = re.match(r"^[\s\-–—]*((?:19|20)\d\d)\b", after)
                label = sentence[o_start:o_end] + (f" {year.group(1)}" if year else "")
                event = self.lexicon.event_keys.get(_compact(textlib.fold(label)[0]))
                if event is not None:
                    out.append(Suggestion("announced_event", start, end, event=event))
                else:
                    out.append(Suggestion("announced_event", start, end, text=label))
                continue
            prop = self._property(obj, before, after, sentence, next_meeting)
            if prop:
                chair_named = chair_named or prop == "chair"
                out.append(Suggestion(prop, start, end, entity=obj))
        if not chair_named:
            chair = _CHAIR_TEXT.search(sentence)
            if chair:
                out.append(Suggestion("chair", start, end, text=chair.group(1)))
        return out

    def _property(self, entity, before, after, sentence, next_meeting):
        # no-break spaces and line breaks between words: match on single spaces
        lower_before = re.sub(r"\s+", " ", before).lower()
        lower_after = re.sub(r"\s+", " ", after).lower()
        sentence = re.sub(r"\s+", " ", sentence)
        if _CHAIR_AFTER.search(lower_before) or _CHAIR_BEFORE.match(lower_after):
            return "chair"
        if next_meeting:
            if entity.kind == Entity.Kind.COUNTRY:
                return "host"
            if entity.kind == Entity.Kind.PLACE:
                return "place"
            return None
        if _HOST_AFTER.search(lower_before) or _HOST_BEFORE.match(lower_after):
            return "host"
        if _INITIATIVE_AFTER.search(lower_before) or _INITIATIVE_BEFORE.match(lower_after):
            return "initiative"
        if _SUPPORT_AFTER.search(lower_before):
            return "supporter"
        if _INVITED.search(sentence):
            return "invited"
        if entity.kind == Entity.Kind.PERSON:
            return "speaker" if _SPEECH.search(sentence) else "participant"
        if entity.kind == Entity.Kind.PLACE:
            return "place"
        if _ADJECTIVAL.match(lower_after):
            return None
        if _TAKING_PART.search(sentence):
            return "participant"
        return None


# -- writing them ---------------------------------------------------------------------------


def guess_kind(words: str) -> str:
    for kind, pattern in KIND_WORDS:
        if re.search(pattern, words, re.IGNORECASE):
            return kind
    return Event.Kind.OTHER


def event_for(article) -> Event:
    """The draft event holding the article's suggestions: reused by title, else created."""
    title = (article.title or article.slug)[:300]
    base = slugify(title)[:80].strip("-") or f"event-{article.slug}"[:80]
    # Looked up by slug (indexed) first: the title column has no index.
    slugs = [base, *(f"{base}-{number}" for number in range(2, 6))]
    taken = {event.slug: event for event in Event.objects.filter(slug__in=slugs)}
    for event in taken.values():
        if event.title == title and event.status == Status.DRAFT:
            return event
    return Event.objects.create(
        title=title,
        slug=unique_slug(Event, base),
        kind=guess_kind(f"{title} {article.body[:400]}"),
        date_precision=DatePrecision.UNKNOWN,
        status=Status.DRAFT,
        note=f"Created by the importer to hold the claims suggested from “{article.title}” "
        f"({article.slug}). Re-target or reject them, then edit or delete this event.",
    )


def _quotes(article, spans) -> dict[tuple[int, int], Quote]:
    """A Quote for each (start, end) span of the body: the existing one, or a new one.

    The spans are sentence bounds found in this very body, so `body[start:end]` is the
    exact text by construction; new quotes are created in one query (with history).
    """
    body = article.body
    found = {
        (quote.start, quote.end): quote
        for quote in Quote.objects.filter(article=article)
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


def suggest_for_article(article, lexicon: Lexicon | None = None) -> list[Claim]:
    """Record the article's suggested claims (drafts, each citing a quote); returns them."""
    suggestions = Suggester(lexicon).suggest(article.body, article.published_on)
    if not suggestions:
        return []
    with transaction.atomic():
        event = event_for(article)
        existing = {
            (claim.property, value_key(*_values(claim)))
            for claim in event.claims.select_related("value_entity", "value_event")
        }
        wanted = [
            suggestion
            for suggestion in suggestions
            if suggestion.key() not in existing
            and not (suggestion.event is not None and suggestion.event.pk == event.pk)
        ]
        if not wanted:
            return []
        quotes = _quotes(article, {(s.start, s.end) for s in wanted})
        claims = [
            Claim(
                event=event,
                property=suggestion.property,
                value_entity=suggestion.entity,
                value_date=suggestion.date,
                value_date_precision=suggestion.precision if suggestion.date else "",
                value_event=suggestion.event,
                value_text=""
                if (suggestion.entity or suggestion.date or suggestion.event)
                else suggestion.text[:2000],
                origin=Claim.Origin.SUGGESTED,
                status=Status.DRAFT,
                note=SUGGESTION_NOTE,
            )
            for suggestion in wanted
        ]
        for claim in claims:  # what Claim.save() would do, as bulk_create does not call it
            claim.value_date = truncate_date(claim.value_date, claim.value_date_precision)
        bulk_create_with_history(claims, Claim)
        Citation.objects.bulk_create(
            Citation(claim=claim, quote=quotes[(suggestion.start, suggestion.end)])
            for claim, suggestion in zip(claims, wanted, strict=True)
        )
        search.index_objects("claim", claims)
    return claims


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


def gold_pairs(article) -> set[tuple[str, str]]:
    """(property, value) of the published claims citing a quote of the article."""
    claims = (
        Claim.objects.published()
        .filter(citations__quote__article=article)
        .select_related("value_entity", "value_event")
        .distinct()
    )
    return {(claim.property, value_key(*_values(claim))) for claim in claims}


def evaluate(articles, lexicon: Lexicon | None = None) -> dict:
    """Precision and recall of the suggester against the articles' published claims."""
    suggester = Suggester(lexicon)
    rows = []
    total_suggested = total_gold = total_hits = 0
    for article in articles:
        suggested = {s.key() for s in suggester.suggest(article.body, article.published_on)}
        gold = gold_pairs(article)
        hits = suggested & gold
        rows.append(
            {
                "article": article.slug,
                "suggested": len(suggested),
                "gold": len(gold),
                "correct": len(hits),
                "precision": len(hits) / len(suggested) if suggested else 0.0,
                "recall": len(hits) / len(gold) if gold else 0.0,
            }
        )
        total_suggested += len(suggested)
        total_gold += len(gold)
        total_hits += len(hits)
    return {
        "articles": rows,
        "suggested": total_suggested,
        "gold": total_gold,
        "correct": total_hits,
        "precision": total_hits / total_suggested if total_suggested else 0.0,
        "recall": total_hits / total_gold if total_gold else 0.0,
    }


def evaluate_seed() -> dict:
    """`evaluate` on the five seed articles (load them first with `load_seed`)."""
    from sources.models import Article

    articles = Article.objects.filter(import_ref__startswith="seed:").order_by("import_ref")
    return evaluate(list(articles))
