"""How good the suggestions are: precision, recall and the right-event rate, measured on
the development set (fixtures/eval/, articles written by the team with the claims a
careful editor records) and on the seed archive, separately. Tune on the first; the
second is a check that nothing was bent to fit it.

A suggestion is right when it is on the right event, its property and value are the
editor's (an entity by slug, a date with its precision, an event, or text that contains
or is contained in the editor's words, or shares half of them), and the quote it cites
overlaps the words the editor cites. Each editor's claim is matched once. An article
lands on the right event when the event its suggestions hold is the editor's: an archive
event, or — for a new event — the same one for every article that reports it.

Everything runs inside a transaction that is rolled back: the database is left as it was.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from sources import text as textlib
from sources.models import Article, DatePrecision

from . import suggest
from .models import Claim, Event


def dev_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "eval"


class _Rollback(Exception):
    pass


@dataclass
class Gold:
    property: str
    value: tuple  # ("entity", slug) | ("date", date, precision) | ("event", ref) | ("text", words)
    span: tuple[int, int] | None
    on: str | None = None  # an event reference (slug or new:KEY); None: the article's


@dataclass
class Case:
    name: str
    article: Article
    event: str  # slug or new:KEY
    gold: list[Gold] = field(default_factory=list)


class EventKeys:
    """Which archive event each `new:KEY` of the gold became (the first to claim it)."""

    def __init__(self, preexisting):
        self.preexisting = set(preexisting)
        self.keys: dict[str, int] = {}

    def matches(self, ref: str, event) -> bool:
        if event is None:
            return False
        if not ref.startswith("new:"):
            return event.slug == ref
        if ref in self.keys:
            return self.keys[ref] == event.pk
        if event.pk in self.preexisting or event.pk in self.keys.values():
            return False
        self.keys[ref] = event.pk
        return True


def parse_gold_value(item) -> tuple:
    if "entity" in item:
        return ("entity", item["entity"])
    if "event" in item:
        return ("event", item["event"])
    if "date" in item:
        raw = str(item["date"])
        parts = raw.split("-")
        precision = {1: DatePrecision.YEAR, 2: DatePrecision.MONTH, 3: DatePrecision.DAY}[
            len(parts)
        ]
        numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
        return ("date", datetime.date(*numbers), precision)
    return ("text", item["text"])


def _words(text):
    return set(re.findall(r"[^\W_]+", textlib.fold(text)[0]))


def text_agrees(suggested: str, gold: str) -> bool:
    a = " ".join(textlib.fold(suggested)[0].split()).strip(" .")
    b = " ".join(textlib.fold(gold)[0].split()).strip(" .")
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.5


def _value_agrees(claim, gold: Gold, keys: EventKeys) -> bool:
    kind = gold.value[0]
    if kind == "entity":
        return claim.value_entity is not None and claim.value_entity.slug == gold.value[1]
    if kind == "date":
        return claim.value_date == gold.value[1] and claim.value_date_precision == gold.value[2]
    if kind == "event":
        return keys.matches(gold.value[1], claim.value_event)
    return (
        claim.value_entity is None
        and claim.value_date is None
        and claim.value_event is None
        and text_agrees(claim.value_text, gold.value[1])
    )


def _overlaps(spans, gold_span):
    if gold_span is None:
        return True
    return any(start < gold_span[1] and gold_span[0] < end for start, end in spans)


def score(cases, run, keys: EventKeys) -> dict:
    """Score `run(article) -> suggest.Recorded` on the cases."""
    rows = []
    totals = {"suggested": 0, "gold": 0, "correct": 0, "matched": 0, "right_event": 0}
    for case in cases:
        recorded = run(case.article)
        right = keys.matches(case.event, recorded.event)
        claims = [
            claim
            for claim in Claim.objects.filter(pk__in=[c.pk for c in recorded.claims])
            .select_related("event", "value_entity", "value_event")
            .prefetch_related("citations__quote")
        ]
        unmatched = list(case.gold)
        correct = 0
        for claim in claims:
            spans = [
                (c.quote.start, c.quote.end)
                for c in claim.citations.all()
                if c.quote.article_id == case.article.pk
            ]
            for gold in unmatched:
                if gold.property != claim.property or not _overlaps(spans, gold.span):
                    continue
                if not keys.matches(gold.on or case.event, claim.event):
                    continue
                if _value_agrees(claim, gold, keys):
                    unmatched.remove(gold)
                    correct += 1
                    break
        row = {
            "article": case.name,
            "suggested": len(claims),
            "gold": len(case.gold),
            "correct": correct,
            "right_event": right,
            "event": recorded.event.slug if recorded.event else None,
            "precision": correct / len(claims) if claims else 0.0,
            "recall": correct / len(case.gold) if case.gold else 0.0,
            "missed": [
                f"{g.property}={g.value[-1] if g.value[0] != 'date' else g.value[1]}"
                for g in unmatched
            ],
            "wrong": [
                f"{c.property}={c.value}@{c.event.slug}"
                for c in claims
                if not _claim_was_right(c, case, keys)
            ],
        }
        rows.append(row)
        totals["suggested"] += len(claims)
        totals["gold"] += len(case.gold)
        totals["correct"] += correct
        totals["right_event"] += int(right)
    n = len(cases) or 1
    return {
        "articles": rows,
        "suggested": totals["suggested"],
        "gold": totals["gold"],
        "correct": totals["correct"],
        "precision": totals["correct"] / totals["suggested"] if totals["suggested"] else 0.0,
        "recall": totals["correct"] / totals["gold"] if totals["gold"] else 0.0,
        "right_event": totals["right_event"],
        "right_event_rate": totals["right_event"] / n,
        "cases": len(cases),
    }


def _claim_was_right(claim, case, keys):
    for gold in case.gold:
        if gold.property == claim.property and _value_agrees(claim, gold, keys):
            return True
    return False


def _ensure_seed():
    if not Article.objects.filter(import_ref__startswith="seed:").exists():
        from . import curation

        curation.load()


def dev_cases(path: Path, importer, problems: list) -> list[Case]:
    from sources.importers import Outcome  # noqa: F401 — sources is below events

    with (path / "gold.yaml").open(encoding="utf-8") as handle:
        items = yaml.safe_load(handle) or []
    cases = []
    for item in items:
        data = (path / "articles" / item["file"]).read_bytes()
        outcome = importer.import_bytes(item["file"], data)
        article = outcome.article
        if article is None or article.pk is None:
            problems.append(f"{item['file']}: not imported ({outcome.action} {outcome.reason})")
            continue
        case = Case(item["file"], article, item["event"])
        for claim in item.get("claims", []):
            found = textlib.anchor(article.body, claim["cite"])
            span = found.span or (found.occurrences[0] if found.occurrences else None)
            if span is None:
                problems.append(f"{item['file']}: cite not in the body: “{claim['cite']}”")
            case.gold.append(
                Gold(
                    claim["property"],
                    parse_gold_value(claim),
                    (span.start, span.end) if span else None,
                    claim.get("about"),
                )
            )
        case.expect = item.get("expect", {})
        cases.append(case)
    return cases


def evaluate_dev(path: Path | None = None) -> dict:
    """Import the development set into the archive (seed loaded), suggest, score; roll
    everything back. Articles are taken one after another, as an editor imports them, so
    an event created for one must be found for the next."""
    from sources.importers import Importer, ImportOptions

    path = Path(path or dev_path())
    result = {}
    try:
        with transaction.atomic():
            _ensure_seed()
            keys = EventKeys(Event.objects.values_list("pk", flat=True))
            importer = Importer(ImportOptions(suggest=False), hooks=[])
            problems: list[str] = []
            cases = []
            # import and score one by one: each article is read with what came before
            scored = {"articles": []}
            with (path / "gold.yaml").open(encoding="utf-8") as handle:
                count = len(yaml.safe_load(handle) or [])
            cases = dev_cases(path, _Lazy(importer), problems)
            scored = score(cases, lambda article: suggest.record(article), keys)
            scored["problems"] = problems
            scored["metadata"] = metadata_report(cases)
            scored["files"] = count
            result = scored
            raise _Rollback
    except _Rollback:
        pass
    return result


class _Lazy:
    """Imports without suggestions (the scorer runs them, in order)."""

    def __init__(self, importer):
        self.importer = importer

    def import_bytes(self, name, data):
        return self.importer.import_bytes(name, data)


def metadata_report(cases) -> dict:
    """How many articles got the expected title, outlet, date (with precision), language."""
    fields = {"title": 0, "outlet": 0, "published": 0, "language": 0}
    wrong = []
    for case in cases:
        expect, article = getattr(case, "expect", {}), case.article
        got = {
            "title": article.title,
            "outlet": article.outlet.name if article.outlet else "",
            "published": _date_text(article.published_on, article.published_precision),
            "language": article.language,
        }
        # an outlet is right under any name it goes by ("PTI", "Press Trust of India")
        outlet_names = {got["outlet"].casefold()} | {
            alias.casefold() for alias in (article.outlet.aliases if article.outlet else ())
        }
        for name in fields:
            if name not in expect:
                continue
            if str(expect[name]) == got[name] or (
                name == "outlet" and str(expect[name]).casefold() in outlet_names
            ):
                fields[name] += 1
            else:
                wrong.append(f"{case.name}: {name} “{got[name]}”, expected “{expect[name]}”")
    return {"right": fields, "of": len(cases), "wrong": wrong}


def _date_text(value, precision):
    if value is None:
        return "unknown"
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return f"{value.year}-{value.month:02d}"
    return value.isoformat()


def evaluate_seed() -> dict:
    """The five seed articles: their published (seed) claims are the gold; the suggester
    is run on each, in a transaction rolled back afterwards."""
    result = {}
    try:
        with transaction.atomic():
            _ensure_seed()
            keys = EventKeys(Event.objects.values_list("pk", flat=True))
            cases = []
            for article in Article.objects.filter(import_ref__startswith="seed:").order_by(
                "import_ref"
            ):
                claims = (
                    Claim.objects.published()
                    .filter(citations__quote__article=article)
                    .select_related("event", "value_entity", "value_event")
                    .prefetch_related("citations__quote")
                    .distinct()
                )
                counts: dict = {}
                gold = []
                for claim in claims:
                    counts[claim.event.slug] = counts.get(claim.event.slug, 0) + 1
                    value = (
                        ("entity", claim.value_entity.slug)
                        if claim.value_entity
                        else ("date", claim.value_date, claim.value_date_precision)
                        if claim.value_date
                        else ("event", claim.value_event.slug)
                        if claim.value_event
                        else ("text", claim.value_text)
                    )
                    for citation in claim.citations.all():
                        if citation.quote.article_id == article.pk:
                            span = (citation.quote.start, citation.quote.end)
                            break
                    else:
                        span = None
                    gold.append(Gold(claim.property, value, span, claim.event.slug))
                main = max(counts, key=counts.get) if counts else ""
                cases.append(Case(article.slug, article, main, gold))
            result = score(cases, lambda article: suggest.record(article), keys)
            raise _Rollback
    except _Rollback:
        pass
    return result
