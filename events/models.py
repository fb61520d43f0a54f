"""Events and what the sources say about them.

An Event is described only through Claims: one property, one typed value, a rank, and
citations pointing at Quotes of source articles. Entities and Series are the shared
reference data claims point to.
"""

import builtins

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from sources.models import (
    DatePrecision,
    PublishableQuerySet,
    Quote,
    Reviewable,
    SlugHistoryMixin,
    Status,
    TimeStamped,
    date_precision_constraint,
    format_date,
    truncate_date,
)


def names_help(kind):
    return f"Other names of this {kind} (outlets and languages differ), one per line."


class EntityQuerySet(models.QuerySet):
    def active(self):
        """Entities not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def of_kind(self, kind):
        return self.filter(kind=kind)


class Entity(SlugHistoryMixin, TimeStamped):
    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        ORGANISATION = "organisation", "Organisation"
        PERSON = "person", "Person"
        PLACE = "place", "Place"

    kind = models.CharField(max_length=16, choices=Kind, db_index=True)
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text=names_help("entity"))
    wikidata_id = models.CharField(
        max_length=20, blank=True, help_text="Wikidata item, e.g. Q12345 — only when certain."
    )
    description = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        help_text="Set when this entity was merged into another; its slug then redirects.",
    )

    history = HistoricalRecords()
    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "entities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wikidata_id="") | models.Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="entity_wikidata_id_format",
                violation_error_message="A Wikidata id looks like Q123.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:entity-detail", kwargs={"slug": self.slug})

    @property
    def all_names(self):
        return [self.name, *self.aliases]


class Series(SlugHistoryMixin, TimeStamped):
    """A recurring kind of event, such as the SCO Defence Ministers' Meeting."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text=names_help("series"))
    kind = models.CharField(max_length=16, blank=True, help_text="The usual kind of its events.")
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("events:series-detail", kwargs={"slug": self.slug})


class EventQuerySet(PublishableQuerySet):
    def in_year(self, year):
        return self.filter(start_date__year=year)

    def chronological(self):
        return self.order_by(models.F("start_date").asc(nulls_last=True), "title")


class Event(SlugHistoryMixin, Reviewable):
    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        SEMINAR = "seminar", "Seminar"
        CONFERENCE = "conference", "Conference"
        EXERCISE = "exercise", "Exercise"
        FESTIVAL = "festival", "Festival"
        SUMMIT = "summit", "Summit"
        AGREEMENT = "agreement", "Agreement"
        DECLARATION = "declaration", "Declaration"
        FOUNDING = "founding", "Founding"
        RESOLUTION = "resolution", "Resolution"
        OTHER = "other", "Other"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text=names_help("event"))
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.OTHER, db_index=True)
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    start_date = models.DateField(
        null=True, blank=True, help_text="Month precision: the 1st; year precision: 1 January."
    )
    end_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision, default=DatePrecision.DAY
    )
    date_note = models.TextField(
        blank=True, help_text="What was inferred about the date, and from which source."
    )
    place = models.ForeignKey(
        Entity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events_here",
        limit_choices_to={"kind__in": [Entity.Kind.PLACE, Entity.Kind.COUNTRY]},
    )
    summary = models.TextField(blank=True)
    note = models.TextField(blank=True, help_text="Editorial note, not shown to readers.")

    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = [models.F("start_date").desc(nulls_last=True), "title"]
        permissions = [("publish_event", "Can publish events")]
        constraints = [
            date_precision_constraint(
                "start_date", "date_precision", "event_date_matches_precision"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=False, end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
                violation_error_message="An event cannot end before it starts.",
            ),
        ]
        # Each index serves a list ordering or filter of the pages and the API
        # (measured in docs/performance.md).
        indexes = [
            models.Index(fields=["status", "start_date", "id"], name="event_status_start_id"),
            models.Index(
                fields=["status", "-start_date", "title"], name="event_status_start_title"
            ),
            models.Index(
                fields=["status", "kind", "-start_date", "title"], name="event_status_kind_start"
            ),
            models.Index(fields=["status", "title"], name="event_status_title"),
            # Previous/next edition on an event page, and a series' editions in order.
            models.Index(
                fields=["series", "status", "start_date", "id"], name="event_series_start"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.start_date = truncate_date(self.start_date, self.date_precision)
        self.end_date = truncate_date(self.end_date, self.date_precision)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:event-detail", kwargs={"slug": self.slug})

    @property
    def date_display(self):
        start = format_date(self.start_date, self.date_precision)
        if self.end_date and self.end_date != self.start_date:
            return f"{start} – {format_date(self.end_date, self.date_precision)}"
        return start

    def clean(self):
        super().clean()
        if self.end_date and not self.start_date:
            raise ValidationError({"end_date": "Give a start date before an end date."})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "An event cannot end before it starts."})
        if self.date_precision == DatePrecision.UNKNOWN and self.start_date:
            raise ValidationError({"date_precision": "A date is given: choose its precision."})
        if self.date_precision != DatePrecision.UNKNOWN and not self.start_date:
            raise ValidationError({"start_date": "Give the date, or set the precision to unknown."})


class ClaimQuerySet(PublishableQuerySet):
    def published(self):
        """Published claims of published events."""
        return self.filter(status=Status.PUBLISHED, event__status=Status.PUBLISHED)

    def public(self):
        """What readers and consumers see: published claims of published events whose
        value names no unpublished event."""
        return self.published().filter(
            models.Q(value_event__isnull=True) | models.Q(value_event__status=Status.PUBLISHED)
        )

    def for_event(self, event):
        return self.filter(event=event)

    def about_entity(self, entity):
        return self.filter(value_entity=entity)

    def suggested(self):
        return self.filter(origin=Claim.Origin.SUGGESTED)


class Claim(Reviewable):
    class Property(models.TextChoices):
        DATE = "date", "Date"
        PLACE = "place", "Place"
        HOST = "host", "Host"
        CHAIR = "chair", "Chair"
        INITIATIVE = "initiative", "Initiative of"
        FORMAT = "format", "Format"
        PARTICIPANT = "participant", "Participant"
        INVITED = "invited", "Invited"
        SPEAKER = "speaker", "Speaker"
        ORGANISER = "organiser", "Organiser"
        SUPPORTER = "supporter", "Supported by"
        DECISION = "decision", "Decision"
        ANNOUNCED_EVENT = "announced_event", "Announced event"
        NEXT_MEETING = "next_meeting", "Next meeting"
        OUTCOME_DOCUMENT = "outcome_document", "Outcome document"
        THEME = "theme", "Theme"
        STATEMENT = "statement", "Statement"
        PART_OF = "part_of", "Part of"

    class Rank(models.TextChoices):
        PREFERRED = "preferred", "Preferred"
        NORMAL = "normal", "Normal"
        DEPRECATED = "deprecated", "Deprecated"

    class Origin(models.TextChoices):
        EDITOR = "editor", "Recorded by an editor"
        SEED = "seed", "Seed curation"
        SUGGESTED = "suggested", "Suggested by the importer"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="claims")
    property = models.CharField(max_length=20, choices=Property, db_index=True)
    value_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    value_date = models.DateField(null=True, blank=True)
    value_date_precision = models.CharField(
        max_length=8, choices=DatePrecision, blank=True, default=""
    )
    value_event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.PROTECT, related_name="mentioned_in"
    )
    value_text = models.TextField(blank=True)
    qualifier = models.CharField(
        max_length=200,
        blank=True,
        help_text="Role or detail of the value, e.g. “SCO Secretary-General” for a speaker.",
    )
    rank = models.CharField(max_length=12, choices=Rank, default=Rank.NORMAL, db_index=True)
    rank_reason = models.TextField(
        blank=True, help_text="Required when deprecated: why this statement is not to be trusted."
    )
    note = models.TextField(blank=True, help_text="Editorial note: what was inferred, and how.")
    origin = models.CharField(max_length=12, choices=Origin, default=Origin.EDITOR)
    quotes = models.ManyToManyField(Quote, through="Citation", related_name="claims")

    history = HistoricalRecords()
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["event", "property", "id"]
        permissions = [("publish_claim", "Can publish claims")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(rank="deprecated") | ~models.Q(rank_reason=""),
                name="claim_deprecated_has_reason",
                violation_error_message="A deprecated claim needs a reason.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        value_entity__isnull=False,
                        value_date__isnull=True,
                        value_event__isnull=True,
                        value_text="",
                    )
                    | models.Q(
                        value_entity__isnull=True,
                        value_date__isnull=False,
                        value_event__isnull=True,
                        value_text="",
                    )
                    | models.Q(
                        value_entity__isnull=True,
                        value_date__isnull=True,
                        value_event__isnull=False,
                        value_text="",
                    )
                    | (
                        models.Q(
                            value_entity__isnull=True,
                            value_date__isnull=True,
                            value_event__isnull=True,
                        )
                        & ~models.Q(value_text="")
                    )
                ),
                name="claim_has_exactly_one_value",
                violation_error_message="A claim has exactly one value: an entity, a date, "
                "an event or a text.",
            ),
            models.CheckConstraint(
                condition=models.Q(value_date__isnull=True, value_date_precision="")
                | (
                    models.Q(value_date__isnull=False)
                    & models.Q(value_date_precision__in=["day", "month", "year"])
                ),
                name="claim_value_date_has_precision",
                violation_error_message="A date value needs its precision (day, month or year).",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "event"], name="claim_status_event"),
            models.Index(fields=["status", "id"], name="claim_status_id"),
            models.Index(fields=["event", "property"], name="claim_event_property"),
            models.Index(fields=["value_entity", "status", "id"], name="claim_entity_status"),
            models.Index(
                fields=["value_entity", "property", "status", "event"],
                name="claim_entity_property_event",
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.get_property_display()} = {self.value}"

    def save(self, *args, **kwargs):
        if self.value_date is None:
            self.value_date_precision = ""
        else:
            self.value_date = truncate_date(self.value_date, self.value_date_precision)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#claim-{self.pk}"

    @builtins.property  # the `property` field shadows the builtin in this class
    def value_kind(self):
        if self.value_entity_id:
            return "entity"
        if self.value_date:
            return "date"
        if self.value_event_id:
            return "event"
        return "text"

    @builtins.property
    def value(self):
        """The value as a reader reads it."""
        if self.value_entity_id:
            return self.value_entity.name
        if self.value_date:
            return format_date(self.value_date, self.value_date_precision)
        if self.value_event_id:
            return self.value_event.title
        return self.value_text

    def clean(self):
        super().clean()
        errors = {}
        values = [
            self.value_entity_id is not None,
            self.value_date is not None,
            self.value_event_id is not None,
            bool(self.value_text.strip()),
        ]
        if sum(values) != 1:
            errors["value_text"] = "Give exactly one value: an entity, a date, an event or a text."
        if self.value_date and self.value_date_precision not in ("day", "month", "year"):
            errors["value_date_precision"] = "Say how precise the date is (day, month or year)."
        if self.rank == self.Rank.DEPRECATED and not self.rank_reason.strip():
            errors["rank_reason"] = "A deprecated claim needs a reason."
        if self.value_event_id and self.value_event_id == self.event_id:
            errors["value_event"] = "A claim cannot point to its own event."
        if errors:
            raise ValidationError(errors)


class CitationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(quote__article__status=Status.PUBLISHED)

    def public(self):
        """Citations readers see: of a public claim (see `ClaimQuerySet.public`), quoting a
        published article. Written as joins, not `claim__in=<subquery>`, which SQLite
        re-evaluates inside a correlated EXISTS."""
        return self.published().filter(
            models.Q(claim__value_event__isnull=True)
            | models.Q(claim__value_event__status=Status.PUBLISHED),
            claim__status=Status.PUBLISHED,
            claim__event__status=Status.PUBLISHED,
        )


class Citation(TimeStamped):
    """A claim's evidence: one quote of one article."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="citations")
    note = models.TextField(blank=True)

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "quote"], name="citation_unique_per_claim"),
        ]

    def __str__(self):
        return f"{self.claim_id} ← {self.quote}"
