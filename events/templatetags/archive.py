"""Template helpers for the reader site: dates at their true precision in the reader's
language, the language switcher and alternates, JSON-LD, paging."""

import functools
import html
import json

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext

from events.models import NAME_LANGUAGES, name_language
from sources.models import DatePrecision, Language
from sources.text import script_language

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def local_date(value, precision):
    """A date no more precise than what is known, in the active language's formats:
    '28 July 2021', 'July 2021', '2021', 'date not reported' (in English exactly as
    ``sources.models.format_date`` writes them); '28 июля 2021 г.', '2021年7月28日'."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return gettext("date not reported")
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def date_phrase(value, precision, end=None):
    """A date, or a span, with what the sources leave out: '2024 — exact date not reported'."""
    text = local_date(value, precision)
    if end and end != value:
        text = pgettext("date span", "%(start)s – %(end)s") % {
            "start": text,
            "end": local_date(end, precision),
        }
    if value and precision == DatePrecision.YEAR:
        return gettext("%(date)s — exact date not reported") % {"date": text}
    if value and precision == DatePrecision.MONTH:
        return gettext("%(date)s — day not reported") % {"date": text}
    return text


@register.simple_tag
def dated(value, precision, end=None):
    """'28 July 2021', '2024 — exact date not reported', 'date not reported'."""
    return date_phrase(value, precision, end)


@register.simple_tag
def local_dated(value, precision):
    """A date at its precision with no gap phrase, as claim values show one."""
    return local_date(value, precision)


@register.filter
def claim_value(claim):
    """A claim's value as the reader sees it: a date in the reader's language, else the
    value's own text (names and quoted words are not translated)."""
    if getattr(claim, "value_date", None):
        return local_date(claim.value_date, claim.value_date_precision)
    return claim.value


@register.simple_tag
def evidence_ref(claim):
    """The marker after a summary value, '[3]', linking to the evidence it rests on (a
    tag, not an included template: an event page prints dozens)."""
    label = gettext("Evidence %(ref)s") % {"ref": claim.ref}
    return format_html(
        '<a class="ref" href="#evidence-{}" aria-label="{}">[{}]</a>', claim.ref, label, claim.ref
    )


def _esc(value):
    """``conditional_escape`` for the event page's hot loops: the same HTML, without the
    lazy-string check Django makes on every call (a third of the evidence's rendering)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


@functools.lru_cache(maxsize=16)
def _evidence_words(language):
    """The words the evidence repeats for every cluster, translated once per language
    (the catalogues do not change while a process runs)."""
    return {
        "preferred": pgettext("rank", "Preferred"),
        "permalink": gettext("Permalink"),
        "cite_claim": gettext("Cite this claim"),
        "cite": gettext("Cite"),
        "in_context": gettext("in context"),
        "words_in_context": gettext("These words in context"),
        "not_trusted": gettext("Not to be trusted:"),
        "note": gettext("Editor's note:"),
    }


def _words():
    return _evidence_words(get_language())


def _translated(message, **values):
    """``{% blocktranslate %}`` in Python: the values escaped, the message as written."""
    return mark_safe(message % {name: _esc(value) for name, value in values.items()})


def claim_values(claims):
    """A cluster's values on an event page, each in the span its permalink points at:
    struck through when deprecated, linked when it names an entity or event, with its
    qualifier and a badge when preferred. (A tag: the same markup in template nodes cost
    a sixth of the page's rendering.)"""
    preferred = _words()["preferred"]
    values = []
    for claim in claims:
        value = _esc(claim_value(claim))
        if claim.value_link:
            value = f'<a href="{_esc(claim.value_link)}">{value}</a>'
        if claim.rank == "deprecated":
            value = f"<del>{value}</del>"
        if claim.qualifier:
            value = f'{value} <span class="qualifier">({_esc(claim.qualifier)})</span>'
        if claim.rank == "preferred":
            value = f'{value} <span class="badge">{_esc(preferred)}</span>'
        values.append(
            f'<span id="claim-{claim.pk}" class="claim rank-{_esc(claim.rank)}">{value}</span>'
        )
    return mark_safe(", ".join(values))


def claim_cite_links(claims):
    """The folded "Cite" box of a cluster: each claim's permalink and its citation in
    BibTeX, RIS and CSL-JSON (``claim.cite_url``)."""
    words = _words()
    permalink, cite = _esc(words["permalink"]), _esc(words["cite_claim"])
    several = len(claims) > 1
    links = []
    for claim in claims:
        url = _esc(claim.cite_url)
        value = f" ({_esc(claim_value(claim))})" if several else ""
        links.append(
            f'<p class="claim-links"><a href="#claim-{claim.pk}">{permalink}</a>{value} · '
            f'{cite}: <a href="{url}?format=bibtex">BibTeX</a> · '
            f'<a href="{url}?format=ris">RIS</a> · <a href="{url}?format=csl">CSL-JSON</a></p>'
        )
    return mark_safe(
        f'<details class="cite-claim"><summary>{_esc(words["cite"])}</summary>'
        f"{''.join(links)}</details>"
    )


@register.simple_tag
def quote_translations(quote):
    """A quote's published translations, each with how it was made (the event page and
    the source page)."""
    rows = []
    for made in quote.public_translations:
        method = made.get_method_display().lower()
        if made.translator:
            meta = _translated(
                gettext("Translation (%(method)s, %(translator)s)"),
                method=method,
                translator=made.translator,
            )
        else:
            meta = _translated(gettext("Translation (%(method)s)"), method=method)
        if made.stale:
            meta += _esc(gettext(", made before the quoted words changed"))
        rows.append(
            f'<p class="translation"><span class="meta">{meta}:</span> '
            f'<span lang="{_esc(made.language)}">{_esc(made.text)}</span></p>'
        )
    return mark_safe("".join(rows))


@register.simple_tag
def evidence_clusters(clusters, only_source):
    """The numbered evidence of one property on an event page: per cluster its "Cite"
    box, its values, its notes, and the quotes behind it with their translations and
    sources. (A tag, and plain string building: as template nodes this was two thirds of
    the page's rendering, issue #15.)"""
    words = _words()
    in_context = _esc(words["in_context"])
    items = []
    for cluster in clusters:
        claims, citations = cluster["claims"], cluster["citations"]
        several = len(claims) > 1
        line = [claim_values(claims)]
        n = cluster["source_count"]
        if n > 1:
            counted = ngettext(
                "%(counter)s independent source", "%(counter)s independent sources", n
            )
            line.append(
                f' <span class="sources-count">'
                f"{_translated(counted, counter=formats.localize(n))}</span>"
            )
        if only_source and len(citations) == 1:
            line.append(
                f' <a class="in-context" href="{_esc(citations[0].quote.url)}" '
                f'aria-label="{_esc(words["words_in_context"])}">{in_context}</a>'
            )
        notes = []
        for claim in claims:
            if claim.rank == "deprecated":
                label = (
                    _translated(gettext("Not to be trusted (%(value)s):"), value=claim_value(claim))
                    if several
                    else _esc(words["not_trusted"])
                )
                notes.append(
                    f'<p class="reason"><strong>{label}</strong> {_esc(claim.rank_reason)}</p>'
                )
            if claim.note:
                label = (
                    _translated(gettext("Editor's note on %(value)s:"), value=claim_value(claim))
                    if several
                    else _esc(words["note"])
                )
                notes.append(f'<p class="note">{label} {_esc(claim.note)}</p>')
        quotes = []
        for citation in citations:
            quote = citation.quote
            article = quote.article
            url = _esc(quote.url)
            source = ""
            if not only_source or len(citations) > 1:
                label = in_context if only_source else _esc(article.source_label)
                source = (
                    f'<p class="source"><a href="{url}" '
                    f'aria-label="{_esc(article.context_label)}">{label}</a></p>'
                )
            translations = quote_translations(quote) if quote.public_translations else ""
            quotes.append(
                f'<li><blockquote cite="{url}" lang="{_esc(article.language)}">'
                f"{_esc(quote.exact)}</blockquote>{translations}{source}</li>"
            )
        number = cluster["number"]
        items.append(
            f'<li class="cluster" id="evidence-{number}" value="{number}">'
            f'{claim_cite_links(claims)}<p class="value">{"".join(line)}</p>{"".join(notes)}'
            f'<ul class="citations">{"".join(quotes)}</ul></li>'
        )
    return mark_safe("\n".join(items))


_LANGUAGE_LABELS = dict(Language.choices)


@register.filter
def language_label(code):
    """An article language's name in the reader's language ('Russian', 'Русский', '俄语')."""
    names = {
        "en": gettext("English"),
        "ru": gettext("Russian"),
        "zh": gettext("Chinese"),
        "kk": gettext("Kazakh"),
        "uz": gettext("Uzbek"),
        "hi": gettext("Hindi"),
        "ur": gettext("Urdu"),
        "fa": gettext("Persian"),
    }
    return names.get(code) or _LANGUAGE_LABELS.get(code, code)


def path_in(path, language):
    """``path`` (a reader URL's path, query included) in ``language``: the same page
    under that language's prefix (none for English)."""
    prefix = get_script_prefix()
    rest = path[len(prefix) - 1 :] if path.startswith(prefix) else path
    current = translation.get_language_from_path(rest)
    if current and (rest == f"/{current}" or rest.startswith(f"/{current}/")):
        rest = rest[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE:
        rest = f"/{language}{rest}"
    return f"{prefix.rstrip('/')}{rest}"


@register.simple_tag(takes_context=True)
def language_links(context):
    """The current page in each language: ``{code, name, url, absolute, current}``."""
    request = context["request"]
    current = translation.get_language()
    full_path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        url = path_in(full_path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return links


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


@register.filter
def rounded(value):
    """A count to show: itself when exact; an estimate (:func:`sources.counting.bounded_count`)
    rounded to two significant figures."""
    if getattr(value, "exact", True):
        return value
    return round(value, 1 - len(str(int(value))))


@register.filter
def count(value):
    """A list's count as readers read it: exact, or "about 81,000" when it is an estimate."""
    if getattr(value, "exact", True):
        return value
    shown = formats.number_format(rounded(value), force_grouping=True)
    return gettext("about %(count)s") % {"count": shown}


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
