"""Importing articles from files: .txt (text copied from a page), .html (a saved page) and
.json (see docs/ingestion.md), behind `manage.py import_articles` and the admin's import
form.

For each file: decode it (UTF-8, else Windows-1251 when that reads as text), keep it as
the article's `original`, cut the clean `body` out of it (sources.cleaning), read its
metadata (sources.metadata; what the editor gave at import wins), then

- skip it when an article with the same clean body (content hash) or the same original
  (import_ref) exists: re-importing adds nothing;
- else create a draft (or in-review) article, flagged `near_duplicate_of` when its body
  is near-identical (word-shingle Jaccard ≥ 0.8) to an existing article's;
- and run the import hooks on it (by default `events.suggest.suggest_for_article`, which
  records suggested draft claims; settings.SCO_IMPORT_HOOKS overrides the dotted paths —
  a plugin point, so that `sources` imports nothing of `events`).

Each file is imported in its own transaction. A file that cannot be imported is refused
with one reason and writes nothing; the rest of the batch goes on.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from . import cleaning, metadata, text
from .models import (
    Article,
    ArticleSketch,
    DatePrecision,
    Language,
    Outlet,
    Status,
    title_slug,
    unique_slug,
)

SUPPORTED = {".txt": "text", ".text": "text", ".html": "html", ".htm": "html", ".json": "json"}
IMPORT_STATUSES = (Status.DRAFT, Status.REVIEW)
DEFAULT_HOOKS = ()  # settings.SCO_IMPORT_HOOKS names them (sco_archive/settings.py)
NEAR_DUPLICATE_THRESHOLD = 0.8
SHINGLE_SIZE = 4  # tokens per shingle (a CJK character is a token)
SKETCH_SIZE = 16  # bottom-k sketch of each body's shingles, for cheap candidate search
# Bodies with Jaccard ≥ 0.8 share ~13 of 16 sketch values; unrelated ones at most a few.
MIN_SHARED = 6
COMMON_SHINGLE = 50  # a sketch value shared by more articles than this is boilerplate
MAX_BYTES = 10 * 1024 * 1024  # a bigger file is not an article (a dump, a video, a log)


class HookError(Exception):
    """A configured import hook (settings.SCO_IMPORT_HOOKS) that cannot be imported."""


class Refused(Exception):
    """A file that cannot be imported; the message is the reason, in one line."""


@dataclass
class ImportOptions:
    outlet: str = ""  # slug or name; created when new
    url: str = ""
    published: str = ""  # YYYY-MM-DD, YYYY-MM or YYYY
    language: str = ""
    title: str = ""
    status: str = Status.DRAFT
    dry_run: bool = False
    suggest: bool = True

    def __post_init__(self):
        if self.status not in IMPORT_STATUSES:
            raise ValueError(
                f"Imported articles start as draft or review, not “{self.status}”: "
                "publishing is a reviewer's decision."
            )
        if self.language and self.language not in Language.values:
            raise ValueError(f"Unknown language “{self.language}” (use {', '.join(Language)}).")
        if self.published:
            metadata.parse_published(self.published)  # raises ValueError


@dataclass
class Document:
    """One parsed source, ready to become an Article."""

    name: str
    kind: str  # text | html | json
    original: str
    body: str
    title: str = ""
    url: str = ""
    outlet: str = ""
    outlet_from_page: bool = False  # og:site_name & co: create the outlet if new
    published: metadata.FoundDate | None = None
    language: str = ""
    plain: str = ""  # for HTML: the page's text, which metadata is read from
    notes: list[str] = field(default_factory=list)  # how each value was found

    @property
    def text(self) -> str:
        """The text the metadata is read from: the page's text for HTML, else the original."""
        return self.plain or self.original


@dataclass(slots=True)
class Outcome:
    name: str
    action: str  # created | duplicate | near_duplicate | refused
    reason: str = ""
    article: Article | ArticleRef | None = None
    # the duplicate's or near-duplicate's existing article
    other: Article | ArticleRef | None = None
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.action == "refused":
            return f"refused {self.name}: {self.reason}"
        title = self.article.title if self.article else ""
        if self.action == "duplicate":
            return f"duplicate {self.name}: same text as “{self.other}” — skipped"
        if self.action == "near_duplicate":
            return f"created {self.name}: “{title}” (near-duplicate of “{self.other}”)"
        return f"created {self.name}: “{title}”"


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False

    def count(self, *actions) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action in actions)

    @property
    def created(self) -> int:
        return self.count("created", "near_duplicate")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def near_duplicates(self) -> int:
        return self.count("near_duplicate")

    @property
    def refused(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.action == "refused"]

    def text(self) -> str:
        verb = "would be created" if self.dry_run else "created"
        text = (
            f"{self.created} article(s) {verb}, {self.duplicates} duplicate(s) skipped, "
            f"{self.near_duplicates} near-duplicate(s) flagged, {len(self.refused)} refused"
        )
        return text + (" (dry run: nothing written)" if self.dry_run else "")


# -- reading files ----------------------------------------------------------------------


def collect(paths: Iterable[str | Path]) -> list[tuple[str, Path | None, str]]:
    """(name, path, refusal) per file: folders give their .txt/.html/.json files."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(
                child
                for child in path.iterdir()
                if child.is_file() and child.suffix.lower() in SUPPORTED
            )
            found.extend((str(child), child, "") for child in files)
        elif not path.exists():
            found.append((str(raw), None, "no such file or folder"))
        elif path.suffix.lower() not in SUPPORTED:
            kinds = ", ".join(sorted({".txt", ".html", ".json"}))
            found.append(
                (str(raw), None, f"unsupported file type “{path.suffix or path.name}” ({kinds})")
            )
        else:
            found.append((str(raw), path, ""))
    return found


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """The bytes as text: UTF-8 (BOM allowed), else Windows-1251 only if it reads as text."""
    if not data.strip():
        raise Refused("empty file")
    if b"\x00" in data[:4096]:
        raise Refused("binary file, not text")
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = data.decode("cp1251")
        except UnicodeDecodeError:
            raise Refused("cannot be decoded as UTF-8 or Windows-1251 text") from None
        letters = sum(1 for char in decoded if char.isalpha())
        cyrillic = sum(1 for char in decoded if "\u0400" <= char <= "\u04ff")
        odd = sum(1 for char in decoded if not (char.isprintable() or char.isspace()))
        if odd or letters == 0 or cyrillic / letters < 0.3:
            raise Refused("not UTF-8, and not Windows-1251 Russian text either") from None
    if len(_CONTROL.findall(decoded[:4096])) > 8:
        raise Refused("binary file, not text")
    if not decoded.strip():
        raise Refused("empty file")
    return decoded


def parse(name: str, data: bytes, kind: str | None = None) -> Document:
    """The Document in a file's bytes; `kind` defaults to the one its extension says."""
    kind = kind or SUPPORTED.get(Path(name).suffix.lower())
    if kind is None:
        raise Refused(f"unsupported file type “{Path(name).suffix or name}”")
    original = decode(data)
    if kind == "json":
        return _parse_json(name, original)
    if kind == "html":
        return _parse_html(name, original)
    return _parse_text(name, original)


def _parse_text(name: str, original: str, **fields) -> Document:
    if cleaning.looks_like_html(original):
        return _parse_html(name, original, **fields)
    body = cleaning.clean_text(original)
    if not body:
        raise Refused("no article text (nothing left once page clutter is removed)")
    return Document(name, "text", original, body, **fields)


def _parse_html(name: str, original: str, **fields) -> Document:
    extracted = cleaning.extract_html(original)
    body = cleaning.clean_text(extracted)
    if not body:
        raise Refused("no article text found in the HTML")
    page = metadata.html_metadata(original)
    document = Document(name, "html", original, body, plain=extracted, **fields)
    document.title = document.title or page.title
    document.language = document.language or page.language
    document.url = document.url or page.url
    if not document.outlet and page.outlet:
        document.outlet, document.outlet_from_page = page.outlet, True
    if document.published is None and page.published_on:
        document.published = metadata.FoundDate(
            page.published_on, page.published_precision, page.date_note
        )
    return document


JSON_FIELDS = ("title", "url", "outlet", "published_on", "language", "text", "html")


def _parse_json(name: str, raw: str) -> Document:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise Refused(f"broken JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    if not isinstance(data, dict):
        raise Refused("the JSON must be one object with “text” or “html” (see docs/ingestion.md)")
    for key in JSON_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            raise Refused(f"JSON field “{key}” must be a string")
    fields = {
        "title": (data.get("title") or "").strip(),
        "url": (data.get("url") or "").strip(),
        "outlet": (data.get("outlet") or "").strip(),
        "language": (data.get("language") or "").strip(),
    }
    if fields["language"] and fields["language"] not in Language.values:
        raise Refused(f"JSON language “{fields['language']}” is not one of {', '.join(Language)}")
    if data.get("published_on"):
        try:
            fields["published"] = metadata.parse_published(data["published_on"])
        except ValueError as exc:
            raise Refused(f"JSON published_on: {exc}") from None
        fields["published"].note = "Given in the imported JSON."
    if (data.get("html") or "").strip():
        return _parse_html(name, data["html"], **fields)
    if (data.get("text") or "").strip():
        return _parse_text(name, data["text"], **fields)
    raise Refused("JSON has no “text” or “html” with the article")


# -- near-duplicates --------------------------------------------------------------------

_TOKEN = re.compile(r"[\u3400-\u9fff]|[^\W_]+")


def shingles(body: str) -> set[int]:
    """Hashes of the body's overlapping runs of SHINGLE_SIZE words (CJK: characters)."""
    tokens = [token.casefold() for token in _TOKEN.findall(body)]
    if len(tokens) < SHINGLE_SIZE:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {
        zlib.crc32("\x1f".join(tokens[i : i + SHINGLE_SIZE]).encode())
        for i in range(len(tokens) - SHINGLE_SIZE + 1)
    }


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class NearDuplicateIndex:
    """Near-duplicates through the bottom-k sketch of each body, kept in the database
    (`ArticleSketch`, indexed by value) as articles arrive.

    Two bodies with Jaccard ≥ 0.8 share most of their smallest shingle hashes, so a new
    body is compared (exactly, on its shingles) only with the articles sharing at least
    MIN_SHARED of its sketch values (one indexed query; values common to more than
    COMMON_SHINGLE articles are boilerplate and ignored). No body is read
    but the few candidates': the cost of an import stays flat as the archive grows.
    """

    @staticmethod
    def sketch(shingle_set: set[int]) -> list[int]:
        return sorted(shingle_set)[:SKETCH_SIZE]

    def add(self, article, shingle_set: set[int]):
        """One executemany of the sketch's rows: the index is plain data (no model
        logic, no signals), and bulk_create's per-object preparation cost more than the
        insert itself (#17)."""
        values = self.sketch(shingle_set)
        if not values:
            return
        quote = connection.ops.quote_name
        table = quote(ArticleSketch._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} ({quote('article_id')}, {quote('value')}) VALUES (%s, %s)",
                [(article.pk, value) for value in values],
            )

    def candidates(self, title: str, shingle_set: set[int]) -> set[int]:
        """Articles sharing at least MIN_SHARED sketch values: per value at most
        COMMON_SHINGLE + 1 index entries are read (more is boilerplate, ignored), so the
        lookup costs the same in an archive of a hundred articles or of a million.

        One statement for the whole sketch: a UNION ALL of one LIMITed index range per
        value (written in SQL because the ORM's union of sliced querysets is not portable
        between SQLite and PostgreSQL). No ORDER BY: the model's default ordering (by
        article) made the database join and sort every row sharing a value, a cost that
        grew with the archive; unordered, the (value, article) index yields the first
        entries and stops."""
        values = self.sketch(shingle_set)
        if not values:
            return set()
        quote = connection.ops.quote_name
        table, key, value = quote(ArticleSketch._meta.db_table), quote("article_id"), quote("value")
        parts = [
            f"SELECT {n} AS n, {key} FROM "
            f"(SELECT {key} FROM {table} WHERE {value} = %s LIMIT {COMMON_SHINGLE + 1}) s{n}"
            for n in range(len(values))
        ]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), values)
            rows = cursor.fetchall()
        per_value: dict[int, list[int]] = {}
        for n, key in rows:
            per_value.setdefault(n, []).append(key)
        hits: dict[int, int] = {}
        for keys in per_value.values():
            if len(keys) > COMMON_SHINGLE:
                continue
            for key in keys:
                hits[key] = hits.get(key, 0) + 1
        needed = min(MIN_SHARED, max(len(values) - 2, 1))
        return {key for key, count in hits.items() if count >= needed}

    def find(self, title: str, shingle_set: set[int]) -> Article | None:
        """The first article of the cluster of the most similar indexed body at or over
        the threshold (None when there is none)."""
        candidates = self.candidates(title, shingle_set)
        if not candidates:  # the usual case: no query at all
            return None
        best = None
        rows = Article.objects.filter(pk__in=candidates).values_list(
            "pk", "body", "near_duplicate_of_id"
        )
        for pk, body, root in rows:
            score = jaccard(shingle_set, shingles(body))
            if score >= NEAR_DUPLICATE_THRESHOLD and (best is None or score > best[1]):
                best = (root or pk, score)
        return Article.objects.filter(pk=best[0]).first() if best else None


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An imported article as a batch's summary keeps it: about 100 bytes where even a
    model instance without its texts holds ~1.8 kB, which grew a 10,000-file batch by
    18 MB (#17)."""

    pk: int
    slug: str
    title: str

    def __str__(self):
        return self.title


def _slim(article):
    """The article as the summary needs it (id, slug, title), without its texts."""
    if article is None or article.pk is None:
        return article
    return ArticleRef(article.pk, article.slug, article.title)


def normalised_hash(body: str) -> str:
    """SHA-256 of the body with whitespace, case, quotes and dashes folded: the same text
    copied twice hashes the same."""
    folded = " ".join(body.translate(_FOLD_MARKS).casefold().split())
    return hashlib.sha256(folded.encode()).hexdigest()


# typographic quotes and dashes as their plain forms, invisible characters dropped
_FOLD_MARKS = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", None),
    }
)


def too_large(size: int) -> str:
    return f"file too large ({size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 2**20} MB)"


def _title_key(title: str) -> str:
    return " ".join(_TOKEN.findall(title.casefold()))


# -- the importer -----------------------------------------------------------------------


def default_hooks() -> list[Callable]:
    """The hooks settings.SCO_IMPORT_HOOKS names; one that cannot be imported is an error
    (sources.checks reports it at start-up), never silently skipped."""
    hooks = []
    for dotted in getattr(settings, "SCO_IMPORT_HOOKS", DEFAULT_HOOKS):
        try:
            hooks.append(import_string(dotted))
        except ImportError as exc:
            raise HookError(f"SCO_IMPORT_HOOKS: cannot import “{dotted}” ({exc}).") from exc
    return hooks


class Importer:
    """Imports files (or pasted text) with one set of options; keeps state per batch."""

    def __init__(self, options: ImportOptions | None = None, hooks: list[Callable] | None = None):
        self.options = options or ImportOptions()
        self.hooks = default_hooks() if hooks is None and self.options.suggest else hooks or []
        self.index = NearDuplicateIndex()
        self.outlets: dict[str, str] | None = None
        self.now = timezone.now()
        self._outlet_cache: dict[str, Outlet] = {}

    # -- entry points

    def import_paths(self, paths, progress: Callable[[Outcome], None] | None = None) -> Summary:
        return self.import_files(collect(paths), progress)

    def import_files(self, files, progress: Callable[[Outcome], None] | None = None) -> Summary:
        """Import what :func:`collect` found, calling ``progress`` after each file.

        A dry run is the real import, in one transaction that is rolled back at the end."""
        summary = Summary(dry_run=self.options.dry_run)
        if not self.options.dry_run:
            self._import_files(files, summary, progress)
            return summary
        with transaction.atomic():
            self._import_files(files, summary, progress)
            transaction.set_rollback(True)
        self._outlet_cache.clear()
        self.outlets = None
        return summary

    def _import_files(self, files, summary, progress):
        for name, path, refusal in files:
            if refusal:
                outcome = Outcome(name, "refused", refusal)
            else:
                try:
                    size = path.stat().st_size
                    if size > MAX_BYTES:
                        raise Refused(too_large(size))
                    data = path.read_bytes()
                except Refused as exc:
                    outcome = Outcome(name, "refused", str(exc))
                except OSError as exc:
                    outcome = Outcome(name, "refused", f"cannot read: {exc.strerror or exc}")
                else:
                    outcome = self.import_bytes(name, data)
            if progress:
                progress(outcome)
            # keep the summary light: a batch of 10,000 must not hold 10,000 bodies
            outcome.article, outcome.other = _slim(outcome.article), _slim(outcome.other)
            summary.outcomes.append(outcome)

    def import_bytes(self, name: str, data: bytes, kind: str | None = None) -> Outcome:
        """Import one file's bytes in its own transaction; never raises for a bad file."""
        if len(data) > MAX_BYTES:
            return Outcome(name, "refused", too_large(len(data)))
        try:
            document = parse(name, data, kind)
        except Refused as exc:
            return Outcome(name, "refused", str(exc))
        except Exception as exc:  # noqa: BLE001 — a parser crash refuses this file only
            return Outcome(name, "refused", f"cannot be read ({type(exc).__name__}: {exc})")
        return self.import_document(document)

    def import_text(self, name: str, pasted: str, kind: str = "text") -> Outcome:
        """Import pasted text (or HTML, with kind="html")."""
        data = pasted.encode("utf-8")
        if not self.options.dry_run:
            return self.import_bytes(name, data, kind)
        with transaction.atomic():
            outcome = self.import_bytes(name, data, kind)
            transaction.set_rollback(True)
        return outcome

    def import_document(self, document: Document) -> Outcome:
        try:
            with transaction.atomic():
                return self._import(document)
        except Refused as exc:
            reason = str(exc)
        except DatabaseError as exc:  # e.g. a constraint: this file is refused, not the batch
            reason = f"cannot be saved ({type(exc).__name__}: {exc})"
        # the transaction was rolled back: forget outlets it may have created
        self._outlet_cache.clear()
        self.outlets = None
        return Outcome(document.name, "refused", reason)

    # -- the work

    def _import(self, document: Document) -> Outcome:
        body = text.normalise(document.body)
        import_ref = "import:" + hashlib.sha256(document.original.encode()).hexdigest()[:40]
        normalised = normalised_hash(body)

        # one statement, a UNION of three lookups each on its own index (an OR of them
        # makes SQLite scan the table)
        found = Article.objects.order_by().values_list("pk", "slug", "title")
        content_hash = hashlib.sha256(body.encode()).hexdigest()
        row = next(
            iter(
                found.filter(normalised_hash=normalised)
                .union(
                    found.filter(import_ref=import_ref),
                    found.filter(content_hash=content_hash),
                    all=True,
                )
                .order_by()[:1]
            ),
            None,
        )
        if row is not None:
            existing = ArticleRef(*row)
            return Outcome(document.name, "duplicate", other=existing)

        article = self._build(document, body, import_ref)
        article.normalised_hash = normalised
        shingle_set = shingles(body)
        near = self.index.find(article.title, shingle_set)
        if near is not None:
            article.near_duplicate_of = near  # the first article of its cluster

        outcome = Outcome(
            document.name,
            "near_duplicate" if near is not None else "created",
            article=article,
            other=near,
        )
        try:
            article.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise Refused("; ".join(_messages(exc))) from None
        article.save()
        self.index.add(article, shingle_set)
        for hook in self.hooks:
            try:
                with transaction.atomic():
                    hook(article)
            except Exception as exc:  # noqa: BLE001 — a failing hook must not lose the import
                outcome.warnings.append(f"{getattr(hook, '__name__', hook)} failed: {exc}")
        return outcome

    def _build(self, document: Document, body: str, import_ref: str) -> Article:
        options = self.options
        notes = list(document.notes)
        title, how = options.title, "given at import"
        if not title and document.title and not metadata.is_title_clutter(document.title):
            title, how = document.title, f"from the {document.kind} file"
        if not title:
            title, how = metadata.detect_title(document.text), "the headline line of the text"
        title = re.sub(r"\s+", " ", title).strip()[:500]
        if not title:
            title, how = Path(document.name).stem[:500], "the file name (no headline found)"
        notes.append(f"Title: {how}.")
        published, precision, note = self._date(document)
        language = options.language or document.language
        notes.append(f"Language: {'given' if language else 'detected from the body'}.")
        language = language or metadata.detect_language(body)
        if language not in Language.values:
            language = Language.OTHER
        outlet = self._outlet(document, notes)
        url = options.url or document.url
        dateline = metadata.find_dateline(body)
        byline = metadata.find_byline(document.text)
        if dateline:
            notes.append(f"Dateline: “{dateline.text}” (filed from {dateline.place}).")
        if byline:
            notes.append(f"Byline: “{byline}”.")
        return Article(
            title=title,
            slug=self._slug(title, import_ref),
            outlet=outlet,
            url=url[:1000],
            published_on=published,
            published_precision=precision,
            date_note=note,
            language=language,
            original=document.original,
            body=body,
            import_ref=import_ref,
            retrieved_at=self.now,
            status=options.status,
            byline=byline[:300],
            dateline=(dateline.text if dateline else "")[:200],
            dateline_place=(dateline.place if dateline else "")[:100],
            metadata_note=" ".join(notes),
        )

    def _date(self, document: Document):
        """(date, precision, note): the editor's date, the file's, or the text's."""
        given = None
        if self.options.published:
            given = metadata.parse_published(self.options.published)
            given.note = "Given at import."
        given = given or document.published
        if given and given.precision == DatePrecision.DAY:
            return given.value, given.precision, given.note
        found = metadata.detect_date(document.text, reference=given)
        if found.value and given:
            # a less precise date given at import: keep the text's date only if it agrees
            agrees = found.value.year == given.value.year and (
                given.precision == DatePrecision.YEAR or found.value.month == given.value.month
            )
            if not agrees:
                found = given
        elif given:
            found = metadata.FoundDate(given.value, given.precision, given.note or found.note)
        if found.value is None:
            return None, DatePrecision.UNKNOWN, found.note
        return found.value, found.precision, found.note

    def _outlet(self, document: Document, notes: list[str]) -> Outlet | None:
        wanted = self.options.outlet or document.outlet
        if wanted:  # named by the editor, the JSON or the page itself: create it if new
            notes.append(f"Outlet: “{wanted}”, given with the file.")
            return self._find_outlet(wanted, create=True)
        printed = metadata.outlet_from_text(document.text)
        if printed is not None:
            outlet = self._find_outlet(printed.name, create=False)
            if outlet is not None:
                notes.append(f"Outlet: {outlet.name}, from the {printed.how}.")
                return outlet
            outlet = self._find_outlet(printed.name, create=True, check=True)
            notes.append(
                f"Outlet: “{printed.name}”, from the {printed.how}; new in the archive, "
                "flagged for an editor's check."
            )
            return outlet
        names = self._outlet_names()
        found = metadata.find_outlet(document.text, list(names))
        if found:
            notes.append(f"Outlet: named in the text (“{found}”).")
            return self._find_outlet(names[found], create=False)
        notes.append("Outlet: not named in the text.")
        return None

    def _outlet_names(self) -> dict[str, str]:
        """Every name an outlet goes by (its name, aliases, and the parts in and before
        brackets) -> its slug."""
        if self.outlets is None:
            self.outlets = {}
            for name, slug, aliases in Outlet.objects.values_list("name", "slug", "aliases"):
                self.outlets[name] = slug
                for alias in aliases or ():
                    self.outlets.setdefault(alias, slug)
                bracket = re.match(r"^(.*?)\s*\((.+)\)\s*$", name)
                if bracket:
                    for part in bracket.groups():
                        if len(part.strip()) >= 3:
                            self.outlets.setdefault(part.strip(), slug)
        return self.outlets

    def _find_outlet(self, wanted: str, create: bool, check: bool = False) -> Outlet | None:
        wanted = wanted.strip()
        cached = self._outlet_cache.get(wanted)
        if cached is not None:
            return cached
        outlet = self._lookup_outlet(wanted, create, check)
        if outlet is not None and outlet.pk:
            self._outlet_cache[wanted] = outlet
        return outlet

    def _lookup_outlet(self, wanted: str, create: bool, check: bool = False) -> Outlet | None:
        by_alias = self._outlet_names()
        folded = {name.casefold(): slug for name, slug in by_alias.items()}
        known = metadata._known(wanted)
        slug_of = folded.get(wanted.casefold()) or (known and folded.get(known.casefold()))
        outlet = (
            Outlet.objects.filter(slug=wanted).first()
            or (Outlet.objects.filter(slug=slug_of).first() if slug_of else None)
            or Outlet.objects.filter(name__iexact=wanted).first()
            or Outlet.objects.filter(slug=title_slug(wanted, 190)).first()
        )
        if outlet is None and create:
            wanted = known or wanted
            aliases = [a for a in metadata.KNOWN_OUTLETS.get(known, [])] if known else []
            slug = (
                title_slug(wanted, 190) or "outlet-" + hashlib.sha1(wanted.encode()).hexdigest()[:8]
            )
            outlet = Outlet.objects.create(
                name=wanted[:200],
                slug=unique_slug(Outlet, slug),
                aliases=aliases,
                kind=Outlet.Kind.AGENCY if known else Outlet.Kind.NEWSPAPER,
                needs_check=check,
            )
            self.outlets = None
        return outlet

    def _slug(self, title: str, import_ref: str) -> str:
        base = title_slug(title)
        if not base:
            base = "article-" + import_ref.split(":")[1][:10]
        return unique_slug(Article, base)


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{key}: {' '.join(m for m in msgs)}" for key, msgs in exc.message_dict.items()]
    return list(exc.messages)
