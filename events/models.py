"""Events and what the sources say about them.

An Event is described only through Claims: one property, one typed value, a rank, and
citations pointing at Quotes of source articles. Entities and Series are the shared
reference data claims point to.
"""

import builtins

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sources import text as textlib
from sources.history import HistoricalRecords
from sources.links import object_url
from sources.models import (
    DatePrecision,
    FormerSlug,
    PublishableQuerySet,
    Quote,
    Reviewable,
    SlugHistoryMixin,
    Status,
    TimeStamped,
    UnicodeJSONEncoder,
    Versioned,
    date_precision_constraint,
    format_date,
    truncate_date,
)


def names_in_languages(names):
    """Every name of a ``names`` field ({language: [name, …]}), in language order."""
    if not isinstance(names, dict):
        return []
    return [name for language in sorted(names) for name in names[language] or ()]


# The reader's languages (issue #18); a `names` field is keyed by these codes. Ingestion
# and older rows say "zh" (sources.metadata's code for Chinese): it means zh-hans here.
NAME_LANGUAGES = ("en", "ru", "zh-hans")
_LANGUAGE_CODES = {"zh": "zh-hans", "zh-cn": "zh-hans", "zh-sg": "zh-hans"}


def name_language(code):
    """The `names` key for a language code: 'ru-RU' → 'ru', 'zh', 'zh-Hans' → 'zh-hans';
    an unknown code as it is (lower case)."""
    code = (code or "").strip().lower().replace("_", "-")
    if code in NAME_LANGUAGES:
        return code
    if code in _LANGUAGE_CODES:
        return _LANGUAGE_CODES[code]
    if code.startswith("zh"):
        return "zh-hans" if "hant" not in code and code not in ("zh-tw", "zh-hk") else code
    return code.split("-")[0]


def normalise_names(names):
    """A ``names`` value as stored: {language: [name, …]}, keys by `name_language()`, each
    list without blanks or repeats, the preferred name first; strings become lists."""
    if not isinstance(names, dict):
        return {}
    out = {}
    for language, values in names.items():
        if isinstance(values, str):
            values = [values]
        key = name_language(language)
        cleaned = [str(value).strip() for value in values or () if str(value).strip()]
        merged = list(dict.fromkeys([*out.get(key, []), *cleaned]))
        if merged:
            out[key] = merged
    return out


def choice_label(choices, value):
    """``value``'s label in the active language, as ``get_FOO_display()`` gives it.

    Pages ask for hundreds of labels; Django's ``get_FOO_display`` hashes every choice's
    lazy label on each call (0.2 ms for the claim vocabulary), the enum looks one up.
    """
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class NamedInLanguages(models.Model):
    """Names per language (issue #18) beside the canonical one (`name_field`)."""

    name_field = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.names = normalise_names(self.names)
        super().save(*args, **kwargs)

    @property
    def canonical_name(self):
        return getattr(self, self.name_field)

    def names_by_language(self):
        """{en, ru, zh-hans: [name, …]}, the preferred first; English starts with the
        canonical name, which is English in this archive."""
        names = normalise_names(self.names)
        english = list(dict.fromkeys([self.canonical_name, *names.get("en", [])]))
        return {
            "en": english,
            **{language: names.get(language, []) for language in NAME_LANGUAGES[1:]},
        }

    def name_and_language(self, language):
        """(name, its language) in `language`, else the canonical name, whose language
        is told by its script (English unless Cyrillic or Chinese)."""
        key = name_language(language)
        if key != "en":
            known = normalise_names(self.names).get(key)
            if known:
                return known[0], key
        canonical = self.canonical_name
        return canonical, name_language(textlib.script_language(canonical, "en"))

    def name_in(self, language):
        """The name in `language` (a code such as 'ru' or 'zh-hans'), falling back to the
        canonical name."""
        return self.name_and_language(language)[0]


def names_help(kind):
    return f"Other names of this {kind} (outlets and languages differ), one per line."


class EntityQuerySet(models.QuerySet):
    def active(self):
        """Entities not merged into another one."""
        return self.filter(merged_into__isnull=True)

    def of_kind(self, kind):
        return self.filter(kind=kind)


class Entity(NamedInLanguages, SlugHistoryMixin, Versioned, TimeStamped):
    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Person")
        PLACE = "place", _("Place")

    kind = models.CharField(max_length=16, choices=Kind, db_index=True)
    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(
        default=list, blank=True, encoder=UnicodeJSONEncoder, help_text=names_help("entity")
    )
    names = models.JSONField(
        default=dict,
        blank=True,
        encoder=UnicodeJSONEncoder,
        help_text="Names by language, the preferred first: "
        '{"ru": ["Казахстан"], "zh-hans": ["哈萨克斯坦"]}.',
    )
    wikidata_id = models.CharField(
        max_length=20, blank=True, help_text="Wikidata item, e.g. Q12345 — only when certain."
    )
    latitude = models.FloatField(
        null=True,
        blank=True,
        help_text="Degrees north (−90 to 90) of a place, for the map — e.g. 41.31 for Tashkent.",
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        help_text="Degrees east (−180 to 180) of a place, for the map — e.g. 69.28 for Tashkent.",
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
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(
                        latitude__isnull=False,
                        longitude__isnull=False,
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="entity_coordinates_in_range",
                violation_error_message="Give both latitude (−90 to 90) and longitude "
                "(−180 to 180), or neither.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_url("events:entity-detail", slug=self.slug)

    @property
    def all_names(self):
        return [self.name, *self.aliases, *names_in_languages(self.names)]

    def clean(self):
        super().clean()
        if self.merged_into_id is not None and self.merged_into_id == self.pk:
            raise ValidationError({"merged_into": "An entity cannot be merged into itself."})

    @transaction.atomic
    def merge(self, other):
        """Merge ``other`` into this entity: its names become aliases, its claims and the
        events held there move here, and its slug redirects here. ``other`` stays, marked
        merged, so history and old links keep working."""
        if other.pk == self.pk:
            raise ValidationError("An entity cannot be merged into itself.")
        names = [*self.aliases, other.name, *other.aliases]
        self.aliases = [name for name in dict.fromkeys(names) if name != self.name]
        mine, theirs = normalise_names(self.names), normalise_names(other.names)
        self.names = {
            language: [*mine.get(language, []), *theirs.get(language, [])]
            for language in [*mine, *theirs]
        }
        for claim in Claim.objects.filter(value_entity=other):
            claim.value_entity = self
            claim.save()
        for event in Event.objects.filter(place=other):
            event.place = self
            event.save()
        self.save()  # after the moves: saving re-indexes what names this entity
        for merged in Entity.objects.filter(merged_into=other):
            merged.merged_into = self
            merged.save()
        content_type = ContentType.objects.get_for_model(Entity)
        FormerSlug.objects.filter(content_type=content_type, object_id=other.pk).update(
            object_id=self.pk
        )
        FormerSlug.objects.update_or_create(
            content_type=content_type, slug=other.slug, defaults={"object_id": self.pk}
        )
        other.merged_into = self
        other.slug = f"{other.slug}-merged-{other.pk}"
        other.save()


class Series(NamedInLanguages, SlugHistoryMixin, Versioned, TimeStamped):
    """A recurring kind of event, such as the SCO Defence Ministers' Meeting."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(
        default=list, blank=True, encoder=UnicodeJSONEncoder, help_text=names_help("series")
    )
    names = models.JSONField(
        default=dict,
        blank=True,
        encoder=UnicodeJSONEncoder,
        help_text="Names by language, the preferred first: "
        '{"ru": ["Мирная миссия"], "zh-hans": ["和平使命"]}.',
    )
    kind = models.CharField(max_length=16, blank=True, help_text="The usual kind of its events.")
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return object_url("events:series-detail", slug=self.slug)


class EventQuerySet(PublishableQuerySet):
    def in_year(self, year):
        return self.filter(start_date__year=year)

    def chronological(self):
        return self.order_by(models.F("start_date").asc(nulls_last=True), "title")


class Event(NamedInLanguages, SlugHistoryMixin, Reviewable):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        SEMINAR = "seminar", _("Seminar")
        CONFERENCE = "conference", _("Conference")
        EXERCISE = "exercise", _("Exercise")
        FESTIVAL = "festival", _("Festival")
        SUMMIT = "summit", _("Summit")
        AGREEMENT = "agreement", _("Agreement")
        DECLARATION = "declaration", _("Declaration")
        FOUNDING = "founding", _("Founding")
        RESOLUTION = "resolution", _("Resolution")
        OTHER = "other", _("Other")

    name_field = "title"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(
        default=list, blank=True, encoder=UnicodeJSONEncoder, help_text=names_help("event")
    )
    names = models.JSONField(
        default=dict,
        blank=True,
        encoder=UnicodeJSONEncoder,
        help_text="Titles by language, the preferred first: "
        '{"ru": ["Мирная миссия — 2021"], "zh-hans": ["和平使命-2021"]}.',
    )
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
        return object_url("events:event-detail", slug=self.slug)

    @property
    def kind_label(self):
        return choice_label(self.Kind, self.kind)

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
        if self.place_id and self.place.merged_into_id:
            raise ValidationError(
                {"place": f"“{self.place}” was merged into “{self.place.merged_into}”."}
            )


def public_claim_q(prefix=""):
    """The part of "what the public sees" that a claim's own row and its relations
    decide (``prefix`` reaches the claim from another model, e.g. ``"claim__"``): a
    published claim of a published event, naming no unpublished event and no entity
    merged away. :meth:`ClaimQuerySet.public` adds the last part, a citation of a
    published article."""
    return Q(
        Q(**{f"{prefix}value_event__isnull": True})
        | Q(**{f"{prefix}value_event__status": Status.PUBLISHED}),
        Q(**{f"{prefix}value_entity__isnull": True})
        | Q(**{f"{prefix}value_entity__merged_into__isnull": True}),
        **{f"{prefix}status": Status.PUBLISHED, f"{prefix}event__status": Status.PUBLISHED},
    )


class ClaimQuerySet(PublishableQuerySet):
    def published(self):
        """Published claims of published events."""
        return self.filter(status=Status.PUBLISHED, event__status=Status.PUBLISHED)

    def public(self):
        """What readers and consumers see, on every surface (pages, facets, filters,
        search, feeds, API, exports, annotations): see :func:`public_claim_q`, and at
        least one citation of a published article — no fact without its source."""
        cited = Citation.objects.published().filter(claim=OuterRef("pk"))
        return self.filter(public_claim_q(), Exists(cited))

    def standing(self):
        """Claims whose rank is preferred or normal: what facets, filters and conflicts
        count. A deprecated claim is shown, struck through, and counts for nothing."""
        return self.exclude(rank=Claim.Rank.DEPRECATED)

    def for_event(self, event):
        return self.filter(event=event)

    def about_entity(self, entity):
        return self.filter(value_entity=entity)

    def suggested(self):
        return self.filter(origin=Claim.Origin.SUGGESTED)


class ValueKind(models.TextChoices):
    ENTITY = "entity", "An entity"
    DATE = "date", "A date"
    EVENT = "event", "Another event"
    TEXT = "text", "Text"


# Which kinds of value each property takes, the usual one first. The database holds it
# (constraint claim_value_kind_matches_property), Claim.clean() explains it, and the
# admin's claim-value.js only mirrors it (it is handed this table by the admin form).
VALUE_KINDS = {
    "date": ("date",),
    "place": ("entity",),
    "host": ("entity",),
    "chair": ("entity",),
    "initiative": ("entity",),
    "format": ("text",),
    # A participant is an entity, or a group no entity names ("experts from …").
    "participant": ("entity", "text"),
    "invited": ("entity",),
    "speaker": ("entity",),
    "organiser": ("entity",),
    "supporter": ("entity",),
    "decision": ("text",),
    "announced_event": ("event",),
    "next_meeting": ("event",),
    "outcome_document": ("text",),
    "theme": ("text",),
    "statement": ("text",),
    # Part of a larger event, or of a standing platform or organisation.
    "part_of": ("event", "entity"),
}
# Properties that hold one value per qualifier: two values that disagree are a conflict.
SINGLE_VALUED = ("date", "place", "host", "chair", "format", "next_meeting")
_VALUE_COLUMNS = {
    "entity": Q(value_entity__isnull=False),
    "date": Q(value_date__isnull=False),
    "event": Q(value_event__isnull=False),
    "text": Q(value_entity__isnull=True, value_date__isnull=True, value_event__isnull=True),
}


def _value_kind_condition():
    condition = Q()
    for kind, column in _VALUE_COLUMNS.items():
        properties = [prop for prop, kinds in VALUE_KINDS.items() if kind in kinds]
        condition |= Q(property__in=properties) & column
    return condition


class Claim(Reviewable):
    class Property(models.TextChoices):
        DATE = "date", _("Date")
        PLACE = "place", _("Place")
        HOST = "host", _("Host")
        CHAIR = "chair", _("Chair")
        INITIATIVE = "initiative", _("Initiative of")
        FORMAT = "format", _("Format")
        PARTICIPANT = "participant", _("Participant")
        INVITED = "invited", _("Invited")
        SPEAKER = "speaker", _("Speaker")
        ORGANISER = "organiser", _("Organiser")
        SUPPORTER = "supporter", _("Supported by")
        DECISION = "decision", _("Decision")
        ANNOUNCED_EVENT = "announced_event", _("Announced event")
        NEXT_MEETING = "next_meeting", _("Next meeting")
        OUTCOME_DOCUMENT = "outcome_document", _("Outcome document")
        THEME = "theme", _("Theme")
        STATEMENT = "statement", _("Statement")
        PART_OF = "part_of", _("Part of")

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
            models.CheckConstraint(
                condition=_value_kind_condition(),
                name="claim_value_kind_matches_property",
                violation_error_message="This property does not take that kind of value.",
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
        return f"{self.event}: {self.property_label} = {self.value}"

    @builtins.property  # ``property`` is the claim's field here
    def property_label(self):
        return choice_label(self.Property, self.property)

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
        kinds = VALUE_KINDS.get(self.property, ())
        if sum(values) == 1 and self.property and self.value_kind not in kinds:
            wanted = " or ".join(ValueKind(kind).label.lower() for kind in kinds)
            errors[f"value_{kinds[0]}"] = (
                f"“{self.get_property_display()}” takes {wanted}, not "
                f"{ValueKind(self.value_kind).label.lower()}."
            )
        if self.value_entity_id and self.value_entity.merged_into_id:
            errors["value_entity"] = (
                f"“{self.value_entity}” was merged into “{self.value_entity.merged_into}”: "
                "name that entity instead."
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def value_kinds(cls, prop):
        """The kinds of value a property takes, the usual one first."""
        return VALUE_KINDS[prop]

    def agrees_with(self, other):
        """True when two values of one property can both be right: the same value, or
        dates of which the less precise one contains the other (15 June 2001 and 2001)."""
        if self.value_kind != other.value_kind:
            return False
        if self.value_kind == "date":
            coarser = min(
                (self.value_date_precision, other.value_date_precision), key=_PRECISION_RANK.get
            )
            return truncate_date(self.value_date, coarser) == truncate_date(
                other.value_date, coarser
            )
        if self.value_kind == "text":
            return _folded(self.value_text) == _folded(other.value_text)
        return (self.value_entity_id, self.value_event_id) == (
            other.value_entity_id,
            other.value_event_id,
        )


_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


def _folded(value):
    return " ".join(textlib.fold(value)[0].strip(" .").split())


def sources_differ(claims):
    """True when standing claims of one single-valued property disagree, comparing only
    claims with the same qualifier (the chair in 2021 and the chair in 2022 are two
    facts, not a conflict). The one definition the event page marks "Sources differ"."""
    claims = [claim for claim in claims if claim.rank != Claim.Rank.DEPRECATED]
    if not claims or claims[0].property not in SINGLE_VALUED:
        return False
    by_qualifier = {}
    for claim in claims:
        by_qualifier.setdefault(_folded(claim.qualifier), []).append(claim)
    return any(
        not first.agrees_with(other)
        for group in by_qualifier.values()
        for first in group
        for other in group
    )


class CitationQuerySet(models.QuerySet):
    def published(self):
        """Citations quoting a published article."""
        return self.filter(quote__article__status=Status.PUBLISHED)

    def public(self):
        """Citations readers see: quoting a published article, of a claim that passes
        :func:`public_claim_q` — and so a public claim, since this citation is the
        published source :meth:`ClaimQuerySet.public` asks for. Joins, not
        ``claim__in=<subquery>``, which SQLite re-evaluates inside a correlated EXISTS."""
        return self.published().filter(public_claim_q("claim__"))


class Citation(Versioned, TimeStamped):
    """A claim's evidence: one quote of one article."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="citations")
    quote = models.ForeignKey(Quote, on_delete=models.PROTECT, related_name="citations")
    note = models.TextField(blank=True)

    history = HistoricalRecords()
    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["claim", "id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "quote"], name="citation_unique_per_claim"),
        ]

    def __str__(self):
        return f"{self.claim_id} ← {self.quote}"


# -- the changes feed's record of the public set (events/changes.py) ---------------------


class FeedObject(models.TextChoices):
    EVENT = "event", "Event"
    CLAIM = "claim", "Claim"
    ARTICLE = "article", "Article"
    QUOTE = "quote", "Quote"
    ENTITY = "entity", "Entity"
    SERIES = "series", "Series"


class PublicState(models.Model):
    """One object of the public set as the changes feed last saw it (a digest of its
    public JSON). Derived data: not an archive table, so writing it bumps no version."""

    archive_versioned = False

    object = models.CharField(max_length=8, choices=FeedObject)
    object_id = models.PositiveIntegerField()
    slug = models.CharField(max_length=200, blank=True)
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object", "object_id"], name="public_state_unique")
        ]

    def __str__(self):
        return f"{self.object} {self.object_id}"


class PublicChange(models.Model):
    """One entry of /api/v1/changes/: an object entered, changed in or left the public set."""

    archive_versioned = False

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        REMOVED = "removed", "Removed"

    object = models.CharField(max_length=8, choices=FeedObject)
    object_id = models.PositiveIntegerField()
    slug = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=8, choices=Action)
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.action} {self.object} {self.object_id}"


class PublicStateMark(models.Model):
    """The archive version (sources.triggers token) the public state was last taken at."""

    archive_versioned = False

    token = models.CharField(max_length=32)
    taken_at = models.DateTimeField()

    def __str__(self):
        return self.token


assert set(VALUE_KINDS) == set(Claim.Property.values), "every property needs its value kinds"
