"""JSON shapes of events, claims, entities and series (the public API contract, v1).

Field names here are a public contract (BRIEF.md, "API contract"): tests/api/test_contract.py
fails when one is renamed or dropped.
"""

import re

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from sources.models import DatePrecision
from sources.serializers import CitedArticleSerializer, QuoteRefSerializer, choice_field

from . import asof, rows
from .models import NAME_LANGUAGES, Citation, Claim, Entity, Event, Series, name_language

# -- Names in the reader's language (issue #18) -------------------------------------------

LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=list(NAME_LANGUAGES),
    description="The language of names and titles (`name`, `title` and those of nested "
    "objects): en, ru or zh-hans, falling back to the canonical (English) name. Without "
    "it, the first of these the `Accept-Language` header names; else English. The field "
    "names never change; `names` lists every language's names.",
)
_ACCEPTED = re.compile(
    r"\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?"
)


def accepted_languages(header):
    """The language codes of an `Accept-Language` header, most wanted first."""
    found = []
    for order, part in enumerate((header or "").split(",")[:20]):
        match = _ACCEPTED.fullmatch(part)
        if not match or match.group(1) == "*":
            continue
        try:
            weight = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if weight > 0:
            found.append((-weight, order, name_language(match.group(1))))
    return [code for _, _, code in sorted(found)]


def request_language(request):
    """The names' language of an API request: `?lang=`, else `Accept-Language`, else
    English. An unknown `?lang=` is a 400 naming the parameter."""
    if request is None:
        return "en"
    language = getattr(request, "sco_language", None)
    if language is None:
        asked = request.query_params.get("lang")
        if asked is not None:
            language = name_language(asked)
            if language not in NAME_LANGUAGES:
                raise serializers.ValidationError(
                    {"lang": [f"Unknown language “{asked[:20]}”: use en, ru or zh-hans."]}
                )
        else:
            accepted = accepted_languages(request.headers.get("Accept-Language", ""))
            language = next((code for code in accepted if code in NAME_LANGUAGES), "en")
        request.sco_language = language
    return language


@extend_schema_field(
    {
        "type": "string",
        "description": "In the requested language (`lang`), else the canonical name.",
    }
)
class LocalNameField(serializers.Field):
    """The object's name (or title) in the request's language, with fallback."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return obj.name_in(request_language(self.context.get("request")))


_NAME_LIST = {"type": "array", "items": {"type": "string"}}


@extend_schema_field(
    {
        "type": "object",
        "description": "Every known name by language, the preferred first; `en` starts "
        "with the canonical name. An empty list: no name known in that language.",
        "properties": {language: _NAME_LIST for language in NAME_LANGUAGES},
        "required": list(NAME_LANGUAGES),
    }
)
class NamesField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return obj.names_by_language()


class AbsoluteUrlMixin(serializers.Serializer):
    """``url``: the absolute URL of the object's public page."""

    url = serializers.SerializerMethodField(help_text="The absolute URL of its public page.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, obj):
        path = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class PlaceRefSerializer(serializers.ModelSerializer):
    name = LocalNameField()

    class Meta:
        model = Entity
        fields = ("slug", "name")


class EntityRefSerializer(serializers.ModelSerializer):
    name = LocalNameField()
    kind = choice_field(Entity.Kind.choices, "EntityKind")

    class Meta:
        model = Entity
        fields = ("slug", "name", "kind")


class SeriesRefSerializer(serializers.ModelSerializer):
    name = LocalNameField()

    class Meta:
        model = Series
        fields = ("slug", "name")


class EventRefSerializer(serializers.ModelSerializer):
    title = LocalNameField()

    class Meta:
        model = Event
        fields = ("slug", "title")


class CitationSerializer(serializers.ModelSerializer):
    quote = QuoteRefSerializer(read_only=True)
    article = CitedArticleSerializer(source="quote.article", read_only=True)

    class Meta:
        model = Citation
        fields = ("quote", "article")


class ClaimSerializer(serializers.ModelSerializer):
    event = EventRefSerializer(read_only=True)
    property = choice_field(Claim.Property.choices, "ClaimProperty")
    rank = choice_field(Claim.Rank.choices, "ClaimRank")
    value = serializers.SerializerMethodField(help_text="The value as a reader reads it.")
    value_date_precision = serializers.SerializerMethodField()
    value_entity = EntityRefSerializer(read_only=True, allow_null=True)
    value_event = EventRefSerializer(read_only=True, allow_null=True)
    citations = serializers.SerializerMethodField()
    independent_sources = serializers.IntegerField(
        read_only=True,
        help_text="How many independent sources back the claim: one per outlet and per "
        "cluster of syndicated copies.",
    )

    class Meta:
        model = Claim
        fields = (
            "id",
            "event",
            "property",
            "value",
            "value_date",
            "value_date_precision",
            "value_entity",
            "value_event",
            "rank",
            "rank_reason",
            "citations",
            "independent_sources",
            "updated_at",
        )

    def to_representation(self, instance):
        # The fields above describe the shape for the schema; the JSON itself is made by
        # events.rows, like every other claim the API shows.
        citations = rows.citations_by_claim([instance.pk])[instance.pk]
        utc = timezone.get_current_timezone_name() == "UTC"
        language = request_language(self.context.get("request"))
        return rows.claim_dict(rows.claim_row(instance), citations, utc, language)

    @extend_schema_field(serializers.CharField())
    def get_value(self, obj):
        return obj.value

    @extend_schema_field(
        {
            "type": "string",
            "nullable": True,
            "enum": ["day", "month", "year", None],
            "description": "How precise `value_date` is; null when the value is not a date.",
        }
    )
    def get_value_date_precision(self, obj):
        return obj.value_date_precision or None

    @extend_schema_field(CitationSerializer(many=True))
    def get_citations(self, obj):
        raise NotImplementedError  # made by to_representation


class EventSerializer(AbsoluteUrlMixin, serializers.ModelSerializer):
    title = LocalNameField()
    names = NamesField()
    kind = choice_field(Event.Kind.choices, "EventKind")
    date_precision = choice_field(DatePrecision.choices, "DatePrecision")
    place = PlaceRefSerializer(read_only=True, allow_null=True)
    series = SeriesRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Event
        fields = (
            "id",
            "slug",
            "title",
            "names",
            "kind",
            "start_date",
            "end_date",
            "date_precision",
            "place",
            "series",
            "summary",
            "url",
            "updated_at",
        )


class EventDetailSerializer(EventSerializer):
    claims = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = (*EventSerializer.Meta.fields, "claims")

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, obj):
        at = self.context.get("as_of")
        if at is not None:  # the claims as they stood then (events/asof.py)
            claims = asof.public_claims(at, event_id=obj.pk)
            return sorted(claims, key=lambda claim: (claim["property"], claim["id"]))
        # Lean rows, the same JSON as ClaimSerializer (see events/rows.py): two queries.
        claims = (
            Claim.objects.public()
            .filter(event=obj)
            .order_by("property", "id")
            .values(*rows.CLAIM_FIELDS)
        )
        return rows.claim_dicts(list(claims), request_language(self.context.get("request")))


class CoordinatesSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="Degrees north.")
    lon = serializers.FloatField(help_text="Degrees east.")


class EntitySerializer(AbsoluteUrlMixin, serializers.ModelSerializer):
    name = LocalNameField()
    names = NamesField()
    kind = choice_field(Entity.Kind.choices, "EntityKind")
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    coordinates = serializers.SerializerMethodField(
        help_text="Where a place is (WGS 84 degrees), or null when not recorded."
    )

    @extend_schema_field(CoordinatesSerializer(allow_null=True))
    def get_coordinates(self, obj):
        if obj.latitude is None or obj.longitude is None:
            return None
        return {"lat": obj.latitude, "lon": obj.longitude}

    class Meta:
        model = Entity
        fields = (
            "id",
            "slug",
            "name",
            "names",
            "kind",
            "aliases",
            "wikidata_id",
            "description",
            "coordinates",
            "url",
            "updated_at",
        )


class SeriesSerializer(AbsoluteUrlMixin, serializers.ModelSerializer):
    name = LocalNameField()
    names = NamesField()
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Series
        fields = (
            "id",
            "slug",
            "name",
            "names",
            "kind",
            "aliases",
            "description",
            "url",
            "updated_at",
        )


class ChangeSerializer(serializers.Serializer):
    """One entry of the changes feed."""

    object = serializers.ChoiceField(
        choices=["event", "claim", "article", "quote", "entity", "series"], read_only=True
    )
    id = serializers.IntegerField(source="object_id", read_only=True)
    slug = serializers.CharField(
        read_only=True, allow_null=True, help_text="Its slug (null for claims and quotes)."
    )
    action = serializers.ChoiceField(choices=["created", "updated", "removed"], read_only=True)
    at = serializers.DateTimeField(read_only=True, help_text="When the feed took the change.")

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["slug"] = data["slug"] or None
        return data
