"""JSON shapes of outlets, articles and quotes (the public API contract, v1)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Article, DatePrecision, Language, Outlet, Quote, QuoteTranslation

_CHOICE_FIELDS = {}


def choice_field(choices, component, *, allow_null=False, **kwargs):
    """A read-only choice field documented as the named enum component ``component``.

    Naming the component avoids drf-spectacular's enum-name collisions (several models
    have a ``kind``) without a settings override.
    """
    field_class = _CHOICE_FIELDS.get(component)
    if field_class is None:
        values = [value for value, _label in choices]
        schema = {"type": "string", "enum": values + ([None] if allow_null else [])}
        if allow_null:
            schema["nullable"] = True
        field_class = extend_schema_field(schema, component_name=component)(
            type(f"{component}Field", (serializers.ChoiceField,), {})
        )
        _CHOICE_FIELDS[component] = field_class
    return field_class(choices=choices, read_only=True, allow_null=allow_null, **kwargs)


class OutletRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ("slug", "name")


class ArticleRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ("slug", "title")


class QuoteRefSerializer(serializers.ModelSerializer):
    """A quote as a citation shows it."""

    class Meta:
        model = Quote
        fields = ("id", "exact", "start", "end")


class CitedArticleSerializer(serializers.ModelSerializer):
    """An article as a citation shows it: ``outlet`` is the outlet's name (null if unknown)."""

    url = serializers.SerializerMethodField()
    outlet = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = ("slug", "title", "url", "outlet", "published_on")

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj):
        return obj.url or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_outlet(self, obj):
        return obj.outlet.name if obj.outlet_id else None


class ArticleQuoteSerializer(serializers.ModelSerializer):
    """A quote inside its article."""

    class Meta:
        model = Quote
        fields = ("id", "exact", "start", "end", "prefix", "suffix", "updated_at")


class QuoteTranslationSerializer(serializers.ModelSerializer):
    """A published translation of a quote (issue #18)."""

    class Meta:
        model = QuoteTranslation
        fields = ("language", "text", "translator", "method", "stale")


class QuoteSerializer(serializers.ModelSerializer):
    article = ArticleRefSerializer(read_only=True)
    translations = QuoteTranslationSerializer(
        source="public_translations",
        many=True,
        read_only=True,
        help_text="Its published translations; `stale` when the quote's words changed since.",
    )

    class Meta:
        model = Quote
        fields = (
            "id",
            "article",
            "exact",
            "start",
            "end",
            "prefix",
            "suffix",
            "translations",
            "updated_at",
        )


class ArticleSerializer(serializers.ModelSerializer):
    outlet = OutletRefSerializer(read_only=True, allow_null=True)
    published_precision = choice_field(DatePrecision.choices, "DatePrecision")
    language = choice_field(Language.choices, "Language")
    url = serializers.SerializerMethodField(help_text="The outlet's link; null when unknown.")

    class Meta:
        model = Article
        fields = (
            "id",
            "slug",
            "title",
            "outlet",
            "url",
            "published_on",
            "published_precision",
            "language",
            "updated_at",
        )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, obj):
        return obj.url or None


class ArticleDetailSerializer(ArticleSerializer):
    quotes = ArticleQuoteSerializer(many=True, read_only=True)

    class Meta(ArticleSerializer.Meta):
        fields = (*ArticleSerializer.Meta.fields, "body", "quotes")
