"""The seed archive: readable YAML in fixtures/ turned into rows, quotes anchored by words.

An editor reviews `fixtures/*.yaml` (see fixtures/README.md); nothing there counts
characters. At load time each quote's words are found in its article's clean body by
`sources.text.anchor`, so `body[start:end] == exact` holds by construction.

Loading is atomic (one transaction: any error writes nothing) and idempotent (rows are
found by natural keys and saved only when something differs, so a second load changes
nothing, not even `updated_at`).
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sources import text
from sources.models import Article, DatePrecision, Outlet, Quote, QuoteTranslation, Status

from .models import Citation, Claim, Entity, Event, Series, normalise_names

DEFAULT_PATH = Path(settings.BASE_DIR) / "fixtures"
ENTITY_GROUPS = {
    "countries": Entity.Kind.COUNTRY,
    "organisations": Entity.Kind.ORGANISATION,
    "people": Entity.Kind.PERSON,
    "places": Entity.Kind.PLACE,
}
LINE = "__line__"


class CurationError(Exception):
    """A problem in the curation files, named by file and line."""


@dataclass
class Counts:
    created: dict = field(default_factory=dict)
    unchanged: dict = field(default_factory=dict)
    updated: dict = field(default_factory=dict)

    def add(self, label, outcome):
        bucket = getattr(self, outcome)
        bucket[label] = bucket.get(label, 0) + 1

    def summary(self):
        labels = sorted({*self.created, *self.updated, *self.unchanged})
        return ", ".join(
            f"{label}: {self.created.get(label, 0)} created, "
            f"{self.updated.get(label, 0)} updated, {self.unchanged.get(label, 0)} unchanged"
            for label in labels
        )


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line number under LINE."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        return mapping


def read_yaml(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 — a SafeLoader
    except (OSError, yaml.YAMLError) as exc:
        raise CurationError(f"{path}: cannot read: {exc}") from exc


def parse_date(value, where):
    """(date, precision) from 2021-07-28 / "2021-10" / 2021 / "unknown"."""
    if value is None or value == "unknown":
        return None, DatePrecision.UNKNOWN
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    if isinstance(value, int):
        return datetime.date(value, 1, 1), DatePrecision.YEAR
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(value).strip())
    if not match:
        raise CurationError(f"{where}: “{value}” is not a date (2021-07-28, 2021-07 or 2021).")
    year, month, day = match.groups()
    if day:
        return datetime.date(int(year), int(month), int(day)), DatePrecision.DAY
    if month:
        return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
    return datetime.date(int(year), 1, 1), DatePrecision.YEAR


def clean_body(original, spec, where):
    """Cut the article's own text out of the original: start/end words, dropped lines."""
    body = text.normalise(original)
    start_words = spec.get("body_starts_at")
    if start_words:
        body = body[_find(body, start_words, where, "body_starts_at").start :]
    end_words = spec.get("body_ends_with")
    if end_words:
        body = body[: _find(body, end_words, where, "body_ends_with").end]
    dropped = {text.fold(line.strip())[0] for line in spec.get("drop_lines", [])}
    lines = [line for line in body.split("\n") if text.fold(line.strip())[0] not in dropped]
    body = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", body).strip()


def _find(body, words, where, what):
    result = text.anchor(body, words, occurrence=0)
    if not result.found:
        raise CurationError(f"{where}: {what} “{words}” is not in the text.")
    return result.span


class Loader:
    """Loads one fixtures directory. Use `load(path)`."""

    def __init__(self, path):
        self.path = Path(path)
        self.counts = Counts()
        self.articles = {}  # ref -> Article
        self.now = timezone.now()

    def where(self, filename, item):
        return f"{self.path / filename}:{item.get(LINE, '?')}"

    # -- saving without needless writes ------------------------------------------------

    def upsert(self, model, lookup, values, *, create_only=None):
        """Create, or update only the fields that differ; full_clean() before saving."""
        label = model._meta.verbose_name_plural
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values, **(create_only or {}))
            outcome = "created"
        else:
            changed = {k: v for k, v in values.items() if _differs(getattr(obj, k), v)}
            if not changed:
                self.counts.add(label, "unchanged")
                return obj
            for name, value in changed.items():
                setattr(obj, name, value)
            outcome = "updated"
        obj.full_clean()
        obj.save()
        self.counts.add(label, outcome)
        return obj

    # -- the files ---------------------------------------------------------------------

    def load_outlets(self):
        for item in read_yaml(self.path / "outlets.yaml") or []:
            self.upsert(
                Outlet,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "kind": item.get("kind", Outlet.Kind.NEWSPAPER),
                    "url": item.get("url", ""),
                    "country": item.get("country", ""),
                    "description": item.get("description", ""),
                    "aliases": list(item.get("aliases", [])),
                },
            )

    def names(self, item, group="entities"):
        """{language: [names]} of a fixture item: its own `names`, then those of
        fixtures/names.yaml, then (entities and series) the gazetteer's Russian and
        Chinese names for the same slug (fixtures/gazetteer.yaml); stored normalised."""
        from .gazetteer import names_by_slug

        if not hasattr(self, "_names_file"):
            self._names_file = read_yaml(self.path / "names.yaml") or {}
        found = normalise_names(
            {k: v for k, v in (item.get("names") or {}).items() if not k.startswith("__")}
        )
        sources = [(self._names_file.get(group) or {}).get(item["slug"])]
        if group != "events":
            sources.append(names_by_slug(self.path).get(item["slug"], {}))
        for more in sources:
            more = {k: v for k, v in (more or {}).items() if not k.startswith("__")}  # __line__
            for lang, values in normalise_names(more).items():
                found.setdefault(lang, [])
                found[lang] += [value for value in values if value not in found[lang]]
        return found

    def load_entities(self):
        groups = read_yaml(self.path / "entities.yaml") or {}
        for group, kind in ENTITY_GROUPS.items():
            for item in groups.get(group, []):
                self.upsert(
                    Entity,
                    {"slug": item["slug"]},
                    {
                        "kind": kind,
                        "name": item["name"],
                        "aliases": list(item.get("aliases", [])),
                        "names": self.names(item),
                        "wikidata_id": item.get("wikidata", ""),
                        "description": item.get("description", ""),
                        # Coordinates only where the seed gives them: never wipes an
                        # editor's.
                        **(
                            {"latitude": item["lat"], "longitude": item["lon"]}
                            if "lat" in item
                            else {}
                        ),
                    },
                )

    def load_series(self):
        for item in read_yaml(self.path / "series.yaml") or []:
            self.upsert(
                Series,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "kind": item.get("kind", ""),
                    "aliases": list(item.get("aliases", [])),
                    "names": self.names(item, "series"),
                    "description": item.get("description", ""),
                },
            )

    def load_articles(self):
        for item in read_yaml(self.path / "articles.yaml") or []:
            where = self.where("articles.yaml", item)
            seed = self.path / "seeds" / item["seed"]
            try:
                original = seed.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CurationError(f"{where}: cannot read seed file {seed}: {exc}") from exc
            published_on, precision = parse_date(item.get("published_on"), where)
            outlet = None
            if item.get("outlet"):
                outlet = self.lookup(Outlet, item["outlet"], where)
            article = self.upsert(
                Article,
                {"slug": item["slug"]},
                {
                    "title": item["title"],
                    "original_title": item.get("original_title", ""),
                    "outlet": outlet,
                    "url": item.get("url", ""),
                    "published_on": published_on,
                    "published_precision": precision,
                    "date_note": item.get("date_note", ""),
                    "language": item.get("language", "en"),
                    "original": original,
                    "body": clean_body(original, item, where),
                    "import_ref": f"seed:{seed.stem}",
                    "note": item.get("note", ""),
                    "status": Status.PUBLISHED,
                },
                create_only={"published_at": self.now},
            )
            self.articles[item.get("ref", item["slug"])] = article

    def load_events(self):
        items = read_yaml(self.path / "events.yaml") or []
        events = {}
        # Events first, so that claims may point to events defined further down.
        for item in items:
            where = self.where("events.yaml", item)
            start, precision = parse_date(item.get("start"), where)
            end = parse_date(item["end"], where)[0] if item.get("end") else None
            events[item["slug"]] = self.upsert(
                Event,
                {"slug": item["slug"]},
                {
                    "title": item["title"],
                    "aliases": list(item.get("aliases", [])),
                    "names": self.names(item, "events"),
                    "kind": item["kind"],
                    "series": self.lookup(Series, item["series"], where)
                    if item.get("series")
                    else None,
                    "start_date": start,
                    "end_date": end,
                    "date_precision": precision,
                    "date_note": item.get("date_note", ""),
                    "place": self.lookup(Entity, item["place"], where)
                    if item.get("place")
                    else None,
                    "summary": item.get("summary", "").strip(),
                    "status": Status.PUBLISHED,
                },
                create_only={"published_at": self.now},
            )
        for item in items:
            for claim in item.get("claims", []):
                self.load_claim(events[item["slug"]], claim, events)

    def load_claim(self, event, item, events):
        where = self.where("events.yaml", item)
        value = {
            "value_entity": None,
            "value_date": None,
            "value_date_precision": "",
            "value_event": None,
            "value_text": "",
        }
        if "entity" in item:
            value["value_entity"] = self.lookup(Entity, item["entity"], where)
        elif "date" in item:
            value["value_date"], value["value_date_precision"] = parse_date(item["date"], where)
        elif "event" in item:
            if item["event"] not in events:
                raise CurationError(f"{where}: no event “{item['event']}” in events.yaml.")
            value["value_event"] = events[item["event"]]
        elif "text" in item:
            value["value_text"] = str(item["text"]).strip()
        else:
            raise CurationError(f"{where}: a claim needs entity:, date:, event: or text:.")
        if not item.get("cite"):
            raise CurationError(f"{where}: every claim needs at least one citation (cite:).")
        lookup = {
            "event": event,
            "property": item["property"],
            "qualifier": item.get("qualifier", ""),
            **value,
        }
        try:
            claim = self.upsert(
                Claim,
                lookup,
                {
                    "rank": item.get("rank", Claim.Rank.NORMAL),
                    "rank_reason": " ".join(str(item.get("reason", "")).split()),
                    "note": " ".join(str(item.get("note", "")).split()),
                    "status": Status.PUBLISHED,
                    "origin": Claim.Origin.SEED,
                },
                create_only={"published_at": self.now},
            )
        except ValidationError as exc:
            raise CurationError(f"{where}: invalid claim: {exc.messages}") from exc
        for citation in item["cite"]:
            quote = self.quote(citation, where)
            _, created = Citation.objects.get_or_create(claim=claim, quote=quote)
            self.counts.add("citations", "created" if created else "unchanged")

    def quote(self, citation, where):
        occurrence = citation.get("occurrence")
        refs = [key for key in citation if key not in (LINE, "occurrence")]
        if len(refs) != 1:
            raise CurationError(f'{where}: a citation is `- <article ref>: "words"`.')
        ref, words = refs[0], str(citation[refs[0]])
        line = citation.get(LINE, "?")
        article = self.articles.get(ref)
        if article is None:
            raise CurationError(f"{self.path / 'events.yaml'}:{line}: no article ref “{ref}”.")
        result = text.anchor(article.body, words, occurrence=occurrence)
        at = f"{self.path / 'events.yaml'}:{line}"
        if result.status == "ambiguous":
            spans = ", ".join(str(span.start) for span in result.occurrences)
            raise CurationError(
                f"{at}: “{words}” occurs {len(result.occurrences)} times in {ref} "
                f"(at {spans}); add `occurrence: N` or quote more words."
            )
        if not result.found:
            hint = f" Closest passage: “{result.closest.exact}”." if result.closest else ""
            raise CurationError(f"{at}: “{words}” is not in {ref} ({article.slug}).{hint}")
        span = result.span
        quote = Quote.objects.filter(article=article, start=span.start, end=span.end).first()
        if quote is not None and quote.exact == span.exact:
            self.counts.add("quotes", "unchanged")
            return quote
        quote = Quote(article=article, exact=span.exact, start=span.start, end=span.end)
        quote.full_clean(validate_unique=False)
        quote.save()
        self.counts.add("quotes", "created")
        return quote

    def load_translations(self):
        for item in read_yaml(self.path / "translations.yaml") or []:
            where = self.where("translations.yaml", item)
            fields = ("language", "text", "translator", "method", "translated_on", LINE)
            citation = {key: value for key, value in item.items() if key not in fields}
            citation[LINE] = item.get(LINE, "?")
            quote = self.quote(citation, where)
            self.upsert(
                QuoteTranslation,
                {"quote": quote, "language": item["language"], "method": item["method"]},
                {
                    "text": str(item["text"]).strip(),
                    "translator": item.get("translator", ""),
                    "translated_on": item.get("translated_on"),
                    "status": Status.PUBLISHED,
                },
            )

    def lookup(self, model, slug, where):
        try:
            return model._default_manager.get(slug=slug)
        except model.DoesNotExist:
            name = model._meta.verbose_name
            raise CurationError(f"{where}: no {name} with slug “{slug}”.") from None

    def run(self):
        if not self.path.is_dir():
            raise CurationError(f"{self.path}: no such directory.")
        with transaction.atomic():
            self.load_outlets()
            self.load_entities()
            self.load_series()
            self.load_articles()
            self.load_events()
            self.load_translations()
        return self.counts


def _differs(current, new):
    if hasattr(current, "pk") or hasattr(new, "pk"):
        return getattr(current, "pk", None) != getattr(new, "pk", None)
    return current != new


def load(path=DEFAULT_PATH):
    """Load the curated archive at `path`; returns Counts. Raises CurationError."""
    try:
        return Loader(path).run()
    except ValidationError as exc:
        raise CurationError(f"{path}: {'; '.join(exc.messages)}") from exc
