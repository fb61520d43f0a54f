"""Sources: who published (Outlet), what they published (Article) and the exact words
the archive relies on (Quote).

This app depends on nothing else of ours; `events` builds on it. The shared vocabularies
(editorial status, date precision) and the abstract bases live here for that reason.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from slugify import slugify as transliterated

from . import text
from .history import HistoricalRecords
from .links import object_url


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


def truncate_date(value, precision):
    """The canonical stored form of a date of the given precision.

    A month is stored as its first day and a year as 1 January, so that sorting and
    range filters work on one column; the precision says how much of it is known.
    """
    if value is None or precision == DatePrecision.DAY:
        return value
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return None


def format_date(value, precision):
    """A date as a reader should see it: no more precise than what is known."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return "date not reported"
    if precision == DatePrecision.YEAR:
        return f"{value.year}"
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def date_precision_constraint(date_field, precision_field, name):
    """A date is null exactly when its precision is unknown."""
    return models.CheckConstraint(
        condition=(
            models.Q(**{f"{date_field}__isnull": True, precision_field: DatePrecision.UNKNOWN})
            | (
                models.Q(**{f"{date_field}__isnull": False})
                & ~models.Q(**{precision_field: DatePrecision.UNKNOWN})
            )
        ),
        name=name,
        violation_error_message="A date must be given unless its precision is unknown.",
    )


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """JSON as people write it: Cyrillic and Chinese kept as letters, not ``\\uXXXX``
    escapes, so that searching a JSON column for a name finds it on SQLite too."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class StaleObjectError(ValidationError):
    """A save from a copy that another save has changed since the copy was read."""


class Versioned(models.Model):
    """Optimistic locking for every editable model.

    Every save bumps ``version``; a save whose copy carries an older version than the
    stored row is refused with :class:`StaleObjectError`, whoever saves — the admin, an
    import, a command or a shell. The check and the bump are one conditional UPDATE in
    the save's transaction, so two concurrent saves of one version cannot both pass.
    """

    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every save; a save from a stale copy is refused."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        stored = type(self)._base_manager.filter(pk=self.pk)
        with transaction.atomic(using=kwargs.get("using")):
            claimed = stored.filter(version=self.version).update(version=self.version + 1)
            if not claimed:
                current = stored.values_list("version", flat=True).first()
                if current is not None:
                    raise StaleObjectError(self.stale_message(current), code="stale")
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            self.version += 1
            try:
                return super().save(*args, **kwargs)
            except BaseException:
                self.version -= 1  # rolled back with the transaction
                raise

    def stale_message(self, current):
        name = self._meta.verbose_name
        return (
            f"Someone else saved this {name} (now version {current}) since this copy "
            f"(version {self.version}) was read, so it was not saved. Reload it and apply "
            "the changes again."
        )

    def check_version(self, version=None):
        """Raise StaleObjectError if the stored row has moved past this copy (or past
        ``version``, the one a form's copy was read at)."""
        if self._state.adding or self.pk is None:
            return
        stored = type(self)._base_manager.filter(pk=self.pk)
        current = stored.values_list("version", flat=True).first()
        if current is not None and current != (self.version if version is None else version):
            raise StaleObjectError(self.stale_message(current), code="stale")


class Reviewable(Versioned, TimeStamped):
    """Editorial workflow shared by Article, Event and Claim (and, from Versioned,
    optimistic locking)."""

    status = models.CharField(
        max_length=12,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        help_text="Draft → in review → published. Only published material is public.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who last submitted this for review.",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The reviewer who last published or sent this back.",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(
        blank=True, help_text="The reviewer's comment when sending this back to draft."
    )

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def save_revision(self, user):
        """Keep this copy's edits as the object's pending revision instead of saving them;
        the live row stays as it is. A second edit merges into the pending revision (its
        changes are recomputed against the live row). Returns the revision, or None when
        nothing differs from the live row (and any pending revision is then dropped)."""
        self.full_clean()
        with transaction.atomic():
            live = type(self)._base_manager.select_for_update().get(pk=self.pk)
            self.check_version()
            changes = {}
            for field in revisable_fields(self):
                old, new = (
                    _plain(getattr(live, field.attname)),
                    _plain(getattr(self, field.attname)),
                )
                if old != new:
                    changes[field.attname] = {"old": old, "new": new}
            pending = Revision.objects.of(self).pending().select_for_update().first()
            if not changes:
                if pending:
                    pending.delete()
                return None
            revision = pending or Revision(
                content_type=ContentType.objects.get_for_model(type(self)), object_id=self.pk
            )
            revision.changes, revision.base_version, revision.author = changes, live.version, user
            revision.save()
            return revision

    def pending_revision(self):
        return Revision.objects.of(self).pending().first()


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_review(self):
        return self.filter(status=Status.REVIEW)


class FormerSlug(models.Model):
    """An old slug of a renamed (or merged) object, answered with a permanent redirect."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "slug"], name="former_slug_unique_per_model"
            ),
        ]

    def __str__(self):
        return f"{self.content_type.model}:{self.slug} → #{self.object_id}"

    @classmethod
    def find(cls, model, slug):
        """The current object of `model` that once had `slug`, or None."""
        return cls.current(model._default_manager.all(), slug)

    @classmethod
    def current(cls, queryset, slug):
        """The object of `queryset` that once had `slug`, or None: what an old slug
        redirects to, if the reader may see it."""
        content_type = ContentType.objects.get_for_model(queryset.model)
        object_id = (
            cls.objects.filter(content_type=content_type, slug=slug)
            .values_list("object_id", flat=True)
            .first()
        )
        return None if object_id is None else queryset.filter(pk=object_id).first()


_NON_LATIN = re.compile(r"[\u0400-\u04ff\u3400-\u9fff]")


def title_slug(title: str, max_length: int = 80) -> str:
    """A slug for a title: Django's for Latin script; a Russian or Chinese title is
    transliterated (python-slugify), where Django's would keep only its digits ("2026")."""
    if _NON_LATIN.search(title):
        return transliterated(title, max_length=max_length, word_boundary=True)
    return slugify(title)[:max_length].strip("-")


def unique_slug(model, base: str) -> str:
    """`base`, or the first of `base-2`, `base-3`, … that no row of `model` has."""
    if not model._default_manager.filter(slug=base).exists():  # indexed: the usual case
        return base
    taken = set(model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class SlugHistoryMixin:
    """Records the old slug in FormerSlug whenever a saved object's slug changes."""

    def save(self, *args, **kwargs):
        if self.pk:
            saved = type(self)._default_manager.filter(pk=self.pk)
            old_slug = saved.values_list("slug", flat=True).first()
            if old_slug and old_slug != self.slug:
                content_type = ContentType.objects.get_for_model(type(self))
                FormerSlug.objects.filter(content_type=content_type, slug=self.slug).delete()
                FormerSlug.objects.get_or_create(
                    content_type=content_type, slug=old_slug, defaults={"object_id": self.pk}
                )
        super().save(*args, **kwargs)


class Outlet(Versioned, TimeStamped):
    class Kind(models.TextChoices):
        AGENCY = "agency", "News agency"
        NEWSPAPER = "newspaper", "Newspaper or news site"
        OFFICIAL = "official", "Official body"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.NEWSPAPER)
    url = models.URLField(blank=True, help_text="The outlet's home page, if known.")
    country = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other names the outlet signs with: “TASS”, “ТАСС”, “新华社”.",
    )
    needs_check = models.BooleanField(
        default=False,
        help_text="Created by the importer from a source line or dateline: check the name, "
        "then untick. Its articles are shown as usual meanwhile.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    RUSSIAN = "ru", "Russian"
    CHINESE = "zh", "Chinese"
    KAZAKH = "kk", "Kazakh"
    UZBEK = "uz", "Uzbek"
    HINDI = "hi", "Hindi"
    URDU = "ur", "Urdu"
    PERSIAN = "fa", "Persian"
    OTHER = "und", "Other or undetermined"


class ArticleQuerySet(PublishableQuerySet):
    pass


class Article(SlugHistoryMixin, Reviewable):
    title = models.CharField(max_length=500)
    original_title = models.CharField(
        max_length=500,
        blank=True,
        help_text="The title as printed in another language, e.g. a Russian heading.",
    )
    slug = models.SlugField(max_length=200, unique=True)
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    url = models.URLField(
        max_length=1000, blank=True, help_text="The outlet's link; leave empty when unknown."
    )
    published_on = models.DateField(null=True, blank=True, db_index=True)
    published_precision = models.CharField(
        max_length=8, choices=DatePrecision, default=DatePrecision.DAY
    )
    date_note = models.TextField(
        blank=True, help_text="What was inferred about the publication date, and from what."
    )
    language = models.CharField(max_length=8, choices=Language, default=Language.ENGLISH)
    original = models.TextField(help_text="The text exactly as received. Never edited.")
    body = models.TextField(
        help_text="The clean article text that quotes point into (page clutter removed)."
    )
    content_hash = models.CharField(
        max_length=64, db_index=True, editable=False, help_text="SHA-256 of the clean body."
    )
    retrieved_at = models.DateTimeField(null=True, blank=True)
    normalised_hash = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
        help_text="SHA-256 of the body with case, spacing, quotes and dashes folded: the "
        "importer's exact-duplicate key, whatever the file name.",
    )
    byline = models.CharField(max_length=300, blank=True, help_text="The author as printed.")
    dateline = models.CharField(
        max_length=200, blank=True, help_text="The dateline as printed: “ASTANA, April 29”."
    )
    dateline_place = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the story was filed from — not necessarily where the event was.",
    )
    metadata_note = models.TextField(
        blank=True, help_text="How the importer found the title, outlet, byline and language."
    )
    import_ref = models.CharField(
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text="Where the import came from (file or seed key); keeps re-imports idempotent.",
    )
    near_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="near_duplicates",
        help_text="Set by the importer when this looks like the same story as another article.",
    )
    note = models.TextField(blank=True, help_text="Editorial note, not shown to readers.")

    history = HistoricalRecords()
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "title"]
        permissions = [("publish_article", "Can publish articles")]
        constraints = [
            date_precision_constraint(
                "published_on", "published_precision", "article_date_matches_precision"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_on"], name="article_status_date"),
            models.Index(
                fields=["outlet", "status", "-published_on"], name="article_outlet_status_date"
            ),
            models.Index(
                fields=["status", "language", "-published_on"], name="article_status_lang_date"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = text.normalise(self.body)
        self.published_on = truncate_date(self.published_on, self.published_precision)
        self.content_hash = hashlib.sha256(self.body.encode()).hexdigest()
        with transaction.atomic(using=kwargs.get("using")):
            plan = self.reanchoring()
            super().save(*args, **kwargs)
            plan.apply(self)
        self.last_reanchoring, self._reanchoring = plan, None

    def get_absolute_url(self):
        return object_url("sources:article-detail", slug=self.slug)

    def clean(self):
        super().clean()
        self.body = text.normalise(self.body)
        self.reanchoring()  # refuses, naming the claims, an edit that loses a cited quote

    def reanchoring(self):
        """What the new body does to this article's quotes, as a :class:`Reanchoring`.

        Every quote is re-found by its words, prefix and suffix (``text.reanchor_all``).
        Raises ValidationError on ``body``, naming the claims, when a cited quote can no
        longer be found: the edit would leave evidence pointing at the wrong words."""
        cached = getattr(self, "_reanchoring", None)
        if cached is not None and cached.body == self.body:
            return cached
        plan = Reanchoring(self.body)
        if self.pk is not None:
            stored = Article._base_manager.filter(pk=self.pk).values_list("body", flat=True)
            old_body = stored.first()
            if old_body is not None and old_body != self.body:
                plan.plan(self)
        self._reanchoring = plan
        return plan

    @property
    def published_display(self):
        return format_date(self.published_on, self.published_precision)


@dataclass
class Reanchoring:
    """The quotes of an article whose body changes: moved exactly, moved to words that
    match only approximately (flagged for review), or lost (uncited, flagged)."""

    body: str
    moved: dict = field(default_factory=dict)  # quote -> Span with the same words
    approximate: dict = field(default_factory=dict)  # quote -> Span, words differ slightly
    lost: list = field(default_factory=list)  # uncited quotes no longer found

    def plan(self, article):
        quotes = {quote.pk: quote for quote in Quote.objects.filter(article=article)}
        found, lost = text.reanchor_all(
            self.body, [(q.pk, q.exact, q.prefix, q.suffix, q.start) for q in quotes.values()]
        )
        for pk, span in found.items():
            quote = quotes[pk]
            if span.exact != quote.exact:
                self.approximate[quote] = span
            elif (span.start, span.end) != (quote.start, quote.end):
                self.moved[quote] = span
        cited = [quotes[pk] for pk in lost if quotes[pk].is_cited()]
        if cited:
            claims = [claim for quote in cited for claim in quote.citing_claims()]
            raise ValidationError(
                {
                    "body": "This edit removes words that claims cite, so it was not saved. "
                    "Claims affected: " + "; ".join(claims) + "."
                },
                code="loses_cited_quote",
            )
        self.lost = [quotes[pk] for pk in lost]

    @property
    def changed(self):
        return bool(self.moved or self.approximate or self.lost)

    def apply(self, article):
        """Write the plan: each quote through its own save (versions, history). Quotes
        moving forward go last-first and the others first-first, so no quote lands on a
        span another one has not left yet (one span per article is unique)."""
        moves = [*self.moved.items(), *self.approximate.items()]
        forward = sorted((m for m in moves if m[1].start > m[0].start), key=lambda m: -m[0].start)
        backward = sorted((m for m in moves if m[1].start <= m[0].start), key=lambda m: m[0].start)
        for quote, span in [*forward, *backward]:
            quote.article = article
            quote.start, quote.end, quote.exact = span.start, span.end, span.exact
            quote.prefix, quote.suffix = text.context(article.body, span.start, span.end)
            if quote in self.approximate:
                quote.needs_review = True
            quote.save()
            if quote in self.approximate:
                # Different words: what was translated is no longer what is quoted.
                for translation in quote.translations.filter(stale=False):
                    translation.stale = True
                    translation.save()
        for quote in self.lost:
            quote.needs_review = True
            quote.save(update_fields=["needs_review", "updated_at"])


class QuoteQuerySet(models.QuerySet):
    def published(self):
        """Quotes of published articles."""
        return self.filter(article__status=Status.PUBLISHED)

    def cited(self):
        return self.filter(citations__isnull=False).distinct()

    def verified(self):
        """Quotes not flagged by re-anchoring. `verify_quotes` checks the text itself."""
        return self.filter(needs_review=False)

    def with_public_translations(self):
        """Prefetch each quote's published translations as `public_translations`: one
        query for a whole list."""
        return self.prefetch_related(
            models.Prefetch(
                "translations",
                queryset=QuoteTranslation.objects.published().order_by("language", "method"),
                to_attr="public_translations",
            )
        )


class Quote(Versioned, TimeStamped):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    exact = models.TextField(help_text="The exact words of the body, as stored.")
    start = models.PositiveIntegerField(help_text="Offset of the first character in the body.")
    end = models.PositiveIntegerField(help_text="Offset just past the last character.")
    prefix = models.CharField(max_length=64, blank=True, help_text="Body text just before.")
    suffix = models.CharField(max_length=64, blank=True, help_text="Body text just after.")
    needs_review = models.BooleanField(
        default=False,
        help_text="Set when an edit of the body moved the words and they could not be re-found.",
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end"], name="quote_unique_span_per_article"
            ),
            models.CheckConstraint(
                condition=models.Q(start__gte=0) & models.Q(start__lt=models.F("end")),
                name="quote_start_before_end",
                violation_error_message="A quote must start before it ends.",
            ),
        ]

    def __str__(self):
        words = self.exact if len(self.exact) <= 80 else self.exact[:77] + "…"
        return f"“{words}” ({self.article_id and self.article.slug})"

    def save(self, *args, **kwargs):
        if self.article_id and self.start is not None and self.end is not None:
            if not self.prefix and not self.suffix:
                self.prefix, self.suffix = text.context(self.article.body, self.start, self.end)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#quote-{self.pk}"

    def picker_label(self, context: int = 40) -> str:
        """How a quote is offered where an editor picks one (#17): its article, its
        offsets and the words around it, so that two quotes with the same words (in one
        article or in two) read differently: ``…before ⟦exact⟧ after… — Title [120–180]``.
        """
        words = self.exact if len(self.exact) <= 120 else self.exact[:117] + "…"
        before = (self.prefix or "")[-context:].lstrip()
        after = (self.suffix or "")[:context].rstrip()
        title = self.article.title if self.article_id else ""
        title = title if len(title) <= 60 else title[:57] + "…"
        return f"…{before}⟦{words}⟧{after}… — {title} [{self.start}–{self.end}]"

    def is_cited(self):
        """True when some claim cites this quote (the citations live in `events`)."""
        return self.pk is not None and self.citations.exists()

    def citing_claims(self):
        """How the claims citing this quote are named in messages."""
        citations = self.citations.select_related("claim__event").order_by("claim_id")
        return [f"“{citation.claim}” (claim {citation.claim_id})" for citation in citations]

    @property
    def verifies(self):
        """True when the stored words are still exactly where the offsets say."""
        return self.article.body[self.start : self.end] == self.exact

    def clean(self):
        super().clean()
        if self.article_id is None or self.start is None or self.end is None:
            return
        if self.start >= self.end:
            raise ValidationError({"end": "A quote must end after it starts."})
        # The stored body: a quote points into what is saved, not into an unsaved edit.
        stored = Article._base_manager.filter(pk=self.article_id).values_list("body", flat=True)
        body = stored.first() or ""
        if body[self.start : self.end] != self.exact:
            closest = text.closest_passage(body, self.exact)
            hint = f" The closest passage is “{closest.exact}”." if closest else ""
            raise ValidationError(
                {"exact": f"These words are not at {self.start}–{self.end} of the article.{hint}"}
            )

    @classmethod
    def from_words(cls, article, words, *, occurrence=None, near=None):
        """An unsaved Quote for typed or pasted `words`, anchored in the article's body.

        Raises ValidationError naming the closest passage (not found) or every
        occurrence (ambiguous).
        """
        result = text.anchor(article.body, words, occurrence=occurrence, near=near)
        if result.status == "ambiguous":
            where = ", ".join(f"{span.start}–{span.end}" for span in result.occurrences)
            message = f"These words occur {len(result.occurrences)} times ({where}); choose one."
            raise ValidationError({"exact": ValidationError(message, code="ambiguous")})
        if not result.found:
            hint = f" The closest passage is “{result.closest.exact}”." if result.closest else ""
            message = f"These words are not in the article.{hint}"
            raise ValidationError({"exact": ValidationError(message, code="not_found")})
        return cls.at(article.body, result.span.start, result.span.end, article=article)

    @classmethod
    def at(cls, body, start, end, **fields):
        """An unsaved quote of ``body[start:end]`` with its context; ``fields`` name the
        article (``article`` or ``article_id``) and anything else to set."""
        prefix, suffix = text.context(body, start, end)
        return cls(
            exact=body[start:end], start=start, end=end, prefix=prefix, suffix=suffix, **fields
        )


# -- review of edits to published work --------------------------------------------------

# Fields a revision never carries: the workflow's own, and what every save stamps.
UNREVISED_FIELDS = {
    "id",
    "version",
    "status",
    "submitted_by",
    "submitted_at",
    "reviewed_by",
    "published_at",
    "review_comment",
    "created_at",
    "updated_at",
    "content_hash",
    "import_ref",
    "original",
}


def revisable_fields(obj):
    """The concrete fields of ``obj`` an edit of published work may change."""
    return [
        field
        for field in obj._meta.concrete_fields
        if field.editable and field.name not in UNREVISED_FIELDS
    ]


def _plain(value):
    """A field value as JSON holds it (dates as ISO strings), for storing and comparing."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _readable(model_field, value):
    if value is None or value == "":
        return value
    if model_field.is_relation:
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (deleted)"
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


class QuoteTranslationQuerySet(PublishableQuerySet):
    def published(self):
        """Published translations of quotes of published articles: what readers see."""
        return self.filter(status=Status.PUBLISHED, quote__article__status=Status.PUBLISHED)


class QuoteTranslation(Reviewable):
    """A quote's words in another language (issue #18), reviewed like a claim: drafted,
    submitted, published by a reviewer; an edit of a published one waits as a revision.
    Flagged `stale` when its quote is re-anchored to different words."""

    class Method(models.TextChoices):
        HUMAN = "human", _("Human")
        MACHINE = "machine", _("Machine")

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(
        max_length=8, choices=Language, help_text="The language of the translation."
    )
    text = models.TextField(help_text="The quote's words in that language.")
    translator = models.CharField(
        max_length=200, blank=True, help_text="Who translated it (a person, or the service)."
    )
    method = models.CharField(max_length=8, choices=Method, default=Method.HUMAN)
    translated_on = models.DateField(null=True, blank=True, help_text="When it was translated.")
    stale = models.BooleanField(
        default=False,
        help_text="Set when an edit of the article moved the quote to different words: "
        "check the translation against them, then untick.",
    )

    history = HistoricalRecords()
    objects = QuoteTranslationQuerySet.as_manager()

    class Meta:
        ordering = ["quote", "language", "method"]
        permissions = [("publish_quotetranslation", "Can publish quote translations")]
        constraints = [
            models.UniqueConstraint(
                fields=["quote", "language", "method"],
                name="quote_translation_unique_per_language_and_method",
                violation_error_message="This quote already has a translation in this "
                "language by this method.",
            )
        ]

    def __str__(self):
        words = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"{self.get_language_display()} translation: “{words}”"

    def get_absolute_url(self):
        return self.quote.get_absolute_url()

    def clean(self):
        super().clean()
        if self.quote_id and self.language and self.language == self.quote.article.language:
            raise ValidationError(
                {"language": "A translation is into another language than the article's."}
            )
        if not (self.text or "").strip():
            raise ValidationError({"text": "Give the translated words."})


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Revision.Status.PENDING)

    def of(self, obj):
        content_type = ContentType.objects.get_for_model(type(obj))
        return self.filter(content_type=content_type, object_id=obj.pk)


class Revision(models.Model):
    """An edit of published work, waiting for a reviewer (as Wagtail's revisions).

    ``changes`` maps each changed field to ``{"old": live value, "new": edited value}``.
    The live object stays as readers see it until :meth:`publish` writes the new values
    through the object's own ``full_clean()`` and ``save()``; at most one revision of an
    object is pending, and a further edit merges into it (:meth:`Reviewable.save_revision`).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        SENT_BACK = "sent_back", "Sent back"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    changes = models.JSONField(help_text="Each changed field: its live and its edited value.")
    base_version = models.PositiveIntegerField(help_text="The object's version when edited.")
    status = models.CharField(max_length=12, choices=Status, default=Status.PENDING, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="The reviewer's comment when sent back.")

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status="pending"),
                name="one_pending_revision_per_object",
                violation_error_message="This object already has a pending revision.",
            ),
        ]

    def __str__(self):
        return f"Revision {self.pk} of {self.content_type.model} #{self.object_id}"

    @property
    def target(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)

    def diff(self):
        """[(field label, live value, edited value)] in the model's field order, as a
        reviewer reads them: related objects by name, choices by their label."""
        model = self.content_type.model_class()
        rows = []
        for model_field in model._meta.concrete_fields:
            if model_field.attname in self.changes:
                change = self.changes[model_field.attname]
                old, new = (_readable(model_field, change[side]) for side in ("old", "new"))
                rows.append((model_field.verbose_name, old, new))
        return rows

    def apply_to(self, obj):
        """Set the edited values on ``obj`` (unsaved)."""
        for attname, change in self.changes.items():
            model_field = obj._meta.get_field(attname)  # found by attname too
            value = change["new"]
            setattr(obj, attname, None if value is None else model_field.to_python(value))

    @transaction.atomic
    def publish(self, user=None):
        """Write the revision to the live object, through its rules. Refused, naming the
        fields, when the live object has changed those fields since the edit."""
        self._check_pending()
        obj = type(self.target)._default_manager.select_for_update().get(pk=self.object_id)
        moved = [
            name
            for name, change in self.changes.items()
            if _plain(getattr(obj, name)) != change["old"]
        ]
        if moved:
            raise ValidationError(
                f"“{obj}” changed since this edit was made ({', '.join(sorted(moved))}), so "
                "it was not published. Send it back, or edit the object again."
            )
        self.apply_to(obj)
        obj.full_clean()
        obj._history_user = user
        obj.save()
        self._close(self.Status.PUBLISHED, user)
        return obj

    def send_back(self, user, comment):
        self._check_pending()
        if not comment.strip():
            raise ValidationError("Say why it goes back: a comment is required.")
        self.comment = comment.strip()
        self._close(self.Status.SENT_BACK, user)

    def _check_pending(self):
        if self.status != self.Status.PENDING:
            raise ValidationError(f"{self} is {self.get_status_display().lower()}, not pending.")

    def _close(self, status, user):
        self.status, self.reviewer, self.reviewed_at = status, user, timezone.now()
        self.save()


class ArticleSketch(models.Model):
    """One value of an article body's bottom-k shingle sketch (sources.importers): the
    near-duplicate index, kept as articles arrive, so that finding the candidates for a
    new article is an index lookup, not a scan of every body."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sketch")
    value = models.BigIntegerField()

    class Meta:
        ordering = ["article", "value"]
        indexes = [models.Index(fields=["value", "article"], name="article_sketch_value")]

    def __str__(self):
        return f"{self.article_id}:{self.value}"


def independent_count(sources) -> int:
    """How many independent sources (article id, cluster id, outlet id) triples are: one
    per cluster of syndicated copies (an article and its near-duplicates), and one per
    outlet — two articles joined by either count once."""
    sources = sources if isinstance(sources, list) else list(sources)
    if len(sources) < 2:  # most claims cite one source: nothing to join
        return len(sources)
    parent: dict = {}

    def find(key):
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for article_id, cluster_id, outlet_id in sources:
        root = find(("article", cluster_id or article_id))
        if outlet_id is not None:
            parent[find(("outlet", outlet_id))] = root
        parent.setdefault(root, root)
    return len({find(key) for key in list(parent) if key[0] == "article"})
