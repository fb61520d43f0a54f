"""Template helpers for the reader site: dates at their true precision, JSON-LD, paging."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from events.models import NAME_LANGUAGES, name_language
from sources.models import DatePrecision, format_date
from sources.text import script_language

register = template.Library()

_GAPS = {
    DatePrecision.YEAR: "exact date not reported",
    DatePrecision.MONTH: "day not reported",
}
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def dated(value, precision, end=None):
    """'28 July 2021', '2024 — exact date not reported', 'date not reported'."""
    text = format_date(value, precision)
    if end and end != value:
        text = f"{text} – {format_date(end, precision)}"
    gap = _GAPS.get(precision)
    return f"{text} — {gap}" if gap and value else text


@register.simple_tag
def iso_date(value, precision):
    """An ISO 8601 date no more precise than what is known ('2024', '2022-08', '2021-07-28')."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


@register.filter
def json_ld(data):
    """A dict as the body of a `<script type="application/ld+json">` block, safely escaped."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (None or '' drops one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def script_lang(text):
    """A language tag for a name by its script (WCAG 3.1.2); see ``text.script_language``."""
    return script_language(text)


def _reader_language():
    return name_language(get_language() or settings.LANGUAGE_CODE)


@register.simple_tag
def name_of(obj):
    """The name (or title) of an entity, series or event in the active language, falling
    back to the canonical name; a name in another language than the page's carries its
    own `lang` (WCAG 3.1.2)."""
    language = _reader_language()
    name, lang = obj.name_and_language(language)
    if lang == language or (lang == "en" and language not in NAME_LANGUAGES):
        return name
    return format_html('<span lang="{}">{}</span>', lang, name)


@register.filter
def local_name(obj):
    """`name_of` as plain text, for titles and attributes."""
    return obj.name_in(_reader_language())
