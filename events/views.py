"""Public pages: home, events, entities, series, search and the method page.

Every queryset starts from ``published()`` (or ``active()`` for entities), so drafts
and work in review never reach a reader. Each page runs a fixed number of queries
whatever the archive's size: related rows come with ``select_related`` or one
``prefetch_related`` per relation, and grouping happens in Python.
"""

import operator
from collections import Counter, OrderedDict
from functools import reduce
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from sources.counting import CachedCountPaginator, cached_count, cached_result, cached_value
from sources.expressions import Year
from sources.links import object_url
from sources.models import (
    Article,
    DatePrecision,
    Outlet,
    Quote,
    QuoteTranslation,
    Status,
    independent_count,
)
from sources.prepared import among, prepared
from sources.views import ArticleDetailView, FilteredListMixin, FormerSlugRedirectMixin

from . import pictures
from . import search as archive_search
from .filters import EventFilter
from .models import Citation, Claim, Entity, Event, Series, sources_differ
from .templatetags.archive import claim_value, dated, iso_date, local_date

# The group headings of events/search.py (LABELS), marked here for the catalogues.
SEARCH_LABELS = (
    gettext_noop("Events"),
    gettext_noop("Claims"),
    gettext_noop("Quotes"),
    gettext_noop("Sources"),
    gettext_noop("Entities"),
    gettext_noop("Series"),
)

PROPERTY_ORDER = {value: index for index, value in enumerate(Claim.Property.values)}
EVENT_SORTS = {
    "date": (F("start_date").desc(nulls_last=True), "title"),
    "date-asc": (F("start_date").asc(nulls_last=True), "title"),
    "title": ("title",),
}


def published_events():
    return Event.objects.published().select_related("series", "place")


def published_citations():
    """Citations a reader may see: quotes of published articles, with what shows them."""
    return (
        Citation.objects.published()
        .select_related("quote__article__outlet")
        .defer("quote__article__body", "quote__article__original")
        .prefetch_related(public_translations("quote__translations"))
        .order_by("quote__article__published_on", "id")
    )


def labelled(article):
    """``article`` with what an event page prints for each of its quotes, computed once:
    ``url``, ``published`` (its date at its precision) and ``context_label`` (the
    accessible name of a link to words in it)."""
    article.url = article.get_absolute_url()
    article.published = local_date(article.published_on, article.published_precision)
    values = {"published": article.published}
    if article.outlet_id:
        values["outlet"] = article.outlet.name
        article.context_label = _("These words in context: %(outlet)s, %(published)s") % values
        article.source_label = f"{article.outlet.name}, {article.published}"
    else:
        article.context_label = _("These words in context: unknown outlet, %(published)s") % values
        article.source_label = _("Unknown outlet, %(published)s") % values
    return article


def public_translations(lookup="translations"):
    """Prefetch of published quote translations as each quote's `public_translations`."""
    return Prefetch(
        lookup,
        queryset=QuoteTranslation.objects.published().order_by("language", "method"),
        to_attr="public_translations",
    )


def year_counts(events):
    """[(year, number of events)] of dated `events`, in year order."""
    return (
        events.exclude(start_date=None)
        .annotate(year=Year("start_date"))
        .order_by()
        .values_list("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )


def series_with_counts():
    """Every series with `n`, its number of published events; cached under the archive
    version."""
    series = Series.objects.annotate(
        n=Count("events", filter=Q(events__status=Status.PUBLISHED)),
    ).order_by("name")
    return cached_value("series-index", lambda: list(series))


def home(request):
    events = published_events()
    years = year_counts(events)
    counts = {
        "events": cached_count(events),
        "claims": cached_count(Claim.objects.public()),
        "sources": cached_count(Article.objects.published()),
        "entities": cached_count(Entity.objects.active()),
    }
    latest = events[:8]  # Event.Meta.ordering: newest first
    context = {
        "latest": latest,
        "counts": counts,
        "years": cached_value("timeline", lambda: list(years)),
        "undated": cached_count(events.filter(start_date=None)),
        "series_list": series_with_counts(),
        "timeline": timeline_picture(events),
    }
    return render(request, "events/home.html", context)


class EventFilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=1, max_value=9999)
    kind = forms.ChoiceField(
        choices=[("", gettext_lazy("Any kind")), *Event.Kind.choices], required=False
    )
    series = forms.SlugField(required=False)
    participant = forms.SlugField(required=False)
    sort = forms.ChoiceField(
        choices=[
            ("date", gettext_lazy("Newest first")),
            ("date-asc", gettext_lazy("Oldest first")),
            ("title", pgettext_lazy("sort by", "Title")),
        ],
        required=False,
    )
    page = forms.IntegerField(required=False, min_value=1)


def participant_claims():
    """Public participant claims that stand (a deprecated one takes part in nothing)."""
    return Claim.objects.public().standing().filter(property=Claim.Property.PARTICIPANT)


FACET_NAMES = ("year", "kind", "series", "participant")
# Facets count the 500 most recent events a facet's filters leave, and say so when there
# are more: over the whole archive each was a scan per request (the participant facet,
# which checks every participant claim's sources, 45 ms at 10,000 events; the others
# grew with the archive too). Counting 500 costs the same at any size (3 ms in all).
FACET_EVENTS = 500
# What a facet reads of each of those events: id, then what year, kind and series count.
FACET_FIELDS = ("pk", "start_date", "kind", "series__slug", "series__name")


def filter_events(events, filters, skip=None):
    """``events`` narrowed by the page's filters, all but ``skip`` (a facet counts its
    values over the events the *other* filters leave, so its own values stay visible)."""
    f = {name: value for name, value in filters.items() if name != skip and value}
    if f.get("year"):
        events = events.filter(start_date__year=f["year"])
    if f.get("kind"):
        events = events.filter(kind=f["kind"])
    if f.get("series"):
        events = events.filter(series__slug=f["series"])
    if f.get("participant"):
        takes_part = participant_claims().filter(
            event=OuterRef("pk"), value_entity__slug=f["participant"]
        )
        events = events.filter(Exists(takes_part))
    return events


class EventListView(FilteredListMixin, ListView):
    """Events with facets (year, kind, series, participant), their counts, paging and sort.
    Each facet keeps all its values, counted under the other filters; each active filter
    is named in the heading and removed by its own link."""

    filter_form_class = EventFilterForm
    paginate_by = 25
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        self.filtered = filter_events(published_events(), self.filters)
        return self.filtered.order_by(*EVENT_SORTS[self.filters.get("sort") or "date"])

    def facets(self):
        kinds = dict(Event.Kind.choices)
        counted, notes, shared = {}, {}, {}
        for name in FACET_NAMES:
            # A facet's events: those the other filters leave (the same set for every
            # facet whose own filter is not set), the FACET_EVENTS most recent of them.
            others = tuple(sorted((k, v) for k, v in self.filters.items() if k != name and v))
            if others not in shared:
                events = filter_events(published_events(), self.filters, skip=name)
                # Their rows, one more than counted to know whether there are more; year,
                # kind and series are counted from them here (four GROUP BY queries over
                # 500 listed ids cost 10 ms of compiling, issue #15).
                recent = events.order_by(*EVENT_SORTS["date"]).values_list(*FACET_FIELDS)
                rows = list(recent[: FACET_EVENTS + 1])
                note = None
                if len(rows) > FACET_EVENTS:
                    note = _("Counted in the %(n)s most recent of these events.") % {
                        "n": number_format(FACET_EVENTS, force_grouping=True)
                    }
                shared[others] = (rows[:FACET_EVENTS], note)
            counted[name], notes[name] = shared[others]
        years = Counter(day.year for _, day, *_rest in counted["year"] if day is not None)
        kind_counts = Counter(kind for _, _day, kind, *_rest in counted["kind"])
        series = Counter((slug, title) for *_rest, slug, title in counted["series"] if slug)
        # Given as a list of ids, PostgreSQL starts from these events (with a subquery it
        # checked every participant claim first, 120 ms); as one array, prepared, it skips
        # planning the joins of the visibility rule for 500 ids.
        participants = (
            among(participant_claims(), [row[0] for row in counted["participant"]], "event_id")
            .filter(value_entity__kind__in=[Entity.Kind.COUNTRY, Entity.Kind.ORGANISATION])
            .values_list("value_entity__slug", "value_entity__name")
            .annotate(n=Count("event", distinct=True))
            .order_by("-n", "value_entity__name")
        )
        with prepared():
            participants = list(participants[:40])
        return [
            (
                "year",
                _("Year"),
                [(y, y, n) for y, n in sorted(years.items(), reverse=True)],
                notes["year"],
            ),
            (
                "kind",
                _("Kind"),
                sorted(  # by the label in the reader's language
                    ((kind, str(kinds.get(kind, kind)), n) for kind, n in kind_counts.items()),
                    key=lambda option: (option[1], option[0]),
                ),
                notes["kind"],
            ),
            (
                "series",
                _("Series"),
                sorted(
                    ((slug, title, n) for (slug, title), n in series.items()),
                    key=lambda option: (option[1], option[0]),
                ),
                notes["series"],
            ),
            ("participant", _("Taking part"), participants, notes["participant"]),
        ]

    def link(self, **changes):
        """This list's URL with some filters changed (None drops one); back to page 1.
        (A plain dict of the query: a page links each of its ~100 facet values.)"""
        query = {key: values for key, values in self.request.GET.lists() if key != "page"}
        for key, value in changes.items():
            if value is None:
                query.pop(key, None)
            else:
                query[key] = [value]
        pairs = [(key, value) for key, values in query.items() for value in values]
        return f"?{urlencode(pairs)}" if pairs else self.request.path

    def get_context_data(self, **kwargs):
        facets, active = [], []
        facet_values = cached_result("event-facets-2", self.filtered, self.facets)
        for name, label, values, note in facet_values:
            current = str(self.filters.get(name) or "")
            options = []
            for value, text, n in values:
                chosen = str(value) == current
                url = self.link(**{name: None if chosen else value})
                options.append({"text": text, "n": n, "active": chosen, "url": url})
                if chosen:
                    active.append({"label": label, "text": text, "remove": url})
            if current and not any(option["active"] for option in options):
                active.append(
                    {"label": label, "text": current, "remove": self.link(**{name: None})}
                )
            facets.append({"name": name, "label": label, "options": options, "note": note})
        sorts = [
            {
                "text": str(text),
                "url": self.link(sort=value),
                "active": value == (self.filters.get("sort") or "date"),
            }
            for value, text in EventFilterForm.base_fields["sort"].choices
        ]
        export = self.request.GET.copy()
        for name in list(export):  # the CSV takes the API's filters, given non-empty
            if name not in EventFilter.base_filters or not export.get(name):
                export.pop(name, None)
        return super().get_context_data(
            facets=facets,
            sorts=sorts,
            active=active,
            heading=" · ".join(f"{a['label']}: {a['text']}" for a in active),
            export_query=export.urlencode(),
            **kwargs,
        )


def group_claims(claims):
    """The evidence of an event page: claims grouped by property in vocabulary order, and
    within a property by the quotes they cite, so a quote naming nine participants is
    printed once under its nine values. [{property, label, conflict, clusters}], each
    cluster {number, claims, citations, source_count}; every claim gets ``ref``, the
    number of its cluster, for the summary's reference markers."""
    groups = OrderedDict()
    for claim in sorted(claims, key=lambda c: (PROPERTY_ORDER.get(c.property, 99), c.pk)):
        groups.setdefault(claim.property, []).append(claim)
    result, number = [], 0
    for prop, items in groups.items():
        conflict = sources_differ(items)
        clusters = OrderedDict()
        for claim in items:
            quotes = tuple(sorted(c.quote_id for c in claim.shown_citations))
            # Values that disagree stay apart, side by side; agreeing ones share quotes.
            key = (claim.pk,) if conflict else quotes
            clusters.setdefault(key, []).append(claim)
        shown = []
        for members in clusters.values():
            number += 1
            for claim in members:
                claim.ref = number
            shown.append(
                {
                    "number": number,
                    "claims": members,
                    "citations": members[0].shown_citations,
                    "source_count": members[0].source_count,
                }
            )
        result.append(
            {
                "property": prop,
                "label": items[0].property_label,
                "conflict": conflict,
                "clusters": shown,
                # Background the summary box leaves out: folded away, one click to open
                # (and opened by the browser when a link points inside it).
                "secondary": prop in SECONDARY and not conflict,
            }
        )
    return result


# The summary box of an event page: the facts a reader looks for first, in this order.
SUMMARY_ROWS = [
    ("host", gettext_lazy("Host")),
    ("chair", gettext_lazy("Chair")),
    ("organiser", gettext_lazy("Organised by")),
    ("participant", gettext_lazy("Taking part")),
    ("invited", gettext_lazy("Invited")),
    ("decision", gettext_lazy("Decided")),
    ("outcome_document", gettext_lazy("Documents")),
    ("announced_event", gettext_lazy("Announced")),
    ("next_meeting", gettext_lazy("Next meeting")),
]


SECONDARY = {"statement", "theme", "format", "speaker", "supporter", "initiative", "part_of"}


def summary_rows(claims):
    """[(label, [claim, …])] of the standing claims a reader wants first."""
    standing = [claim for claim in claims if claim.rank != Claim.Rank.DEPRECATED]
    rows = []
    for prop, label in SUMMARY_ROWS:
        values = [claim for claim in standing if claim.property == prop]
        if not values:
            continue
        for claim, following in zip(values, [*values[1:], None], strict=True):
            # One marker after a run of values backed by the same evidence.
            claim.ref_shown = following is None or following.ref != claim.ref
        rows.append((label, values))
    return rows


# What an event page prints of its claims and their evidence: loading only these fields
# spares building every timestamp of every row (a third of the page's ORM time).
CLAIM_SHOWN = (
    *("id", "event_id", "property", "value_text", "value_date", "value_date_precision"),
    *("qualifier", "rank", "rank_reason", "note", "value_entity", "value_event"),
    *("value_entity__slug", "value_entity__name", "value_entity__names"),
    *("value_event__slug", "value_event__title", "value_event__names"),
)
EVIDENCE_FIELDS = (
    *("claim_id", "quote_id", "quote__exact", "quote__article_id"),
    *("quote__article__slug", "quote__article__title", "quote__article__language"),
    *("quote__article__published_on", "quote__article__published_precision"),
    *("quote__article__near_duplicate_of_id", "quote__article__outlet_id"),
    "quote__article__outlet__name",
)


def shown_evidence(claims):
    """{claim id: [citation, …]} of the claims' published citations, oldest source first,
    each ``citation.quote`` with its ``url`` and ``public_translations`` and its article
    :func:`labelled` — one object per quote and per article, however many claims cite them.

    Two queries of plain rows (citations, then translations): building model instances
    and prefetching cost 4 ms of an event page with 50 claims."""
    rows = (
        Citation.objects.published()
        .filter(claim__in=[claim.pk for claim in claims])
        .order_by("quote__article__published_on", "id")
        .values_list(*EVIDENCE_FIELDS)
    )
    evidence = {claim.pk: [] for claim in claims}
    quotes, articles = {}, {}
    for claim_id, quote_id, exact, article_id, *article_fields, outlet_id, outlet in rows:
        quote = quotes.get(quote_id)
        if quote is None:
            article = articles.get(article_id)
            if article is None:
                slug, title, language, published_on, precision, cluster = article_fields
                article = articles[article_id] = labelled(
                    Article(
                        id=article_id,
                        slug=slug,
                        title=title,
                        language=language,
                        published_on=published_on,
                        published_precision=precision,
                        near_duplicate_of_id=cluster,
                        outlet=Outlet(id=outlet_id, name=outlet) if outlet_id else None,
                    )
                )
            quote = quotes[quote_id] = Quote(id=quote_id, exact=exact, article=article)
            quote.url = f"{article.url}#quote-{quote_id}"
        evidence[claim_id].append(Citation(claim_id=claim_id, quote=quote))
    attach_translations(quotes)
    return evidence


def attach_translations(quotes):
    """Give each quote of ``{id: quote}`` its ``public_translations``, in one query."""
    for quote in quotes.values():
        quote.public_translations = []
    if quotes:
        translations = QuoteTranslation.objects.published().filter(quote_id__in=list(quotes))
        for translation in translations.order_by("language", "method"):
            quotes[translation.quote_id].public_translations.append(translation)


class EventDetailView(FormerSlugRedirectMixin, DetailView):
    """An event and its claims, grouped by property, each with the quotes that back it."""

    model = Event

    def get_queryset(self):
        return published_events()

    def get_claims(self):
        claims = list(
            Claim.objects.public()
            .filter(event=self.object)
            .select_related("value_entity", "value_event")
            .only(*CLAIM_SHOWN)
        )
        evidence = shown_evidence(claims)
        for claim in claims:  # public(): each has at least one published source
            claim.shown_citations = evidence[claim.pk]
            claim.source_count = independent_count(  # one per outlet and per syndication cluster
                (
                    c.quote.article_id,
                    c.quote.article.near_duplicate_of_id,
                    c.quote.article.outlet_id,
                )
                for c in claim.shown_citations
            )
            claim.value_link = None
            if claim.value_entity_id:
                claim.value_link = claim.value_entity.get_absolute_url()
            elif claim.value_event_id:
                claim.value_link = claim.value_event.get_absolute_url()
            claim.cite_url = object_url("claim-cite", pk=claim.pk)
        return claims

    @staticmethod
    def source_articles(claims):
        """{article id: article} of every quote the shown claims cite, in first use order."""
        return {
            c.quote.article_id: c.quote.article for claim in claims for c in claim.shown_citations
        }

    def neighbours(self):
        event = self.object
        if not event.series_id or not event.start_date:
            return None, None
        siblings = Event.objects.published().filter(series_id=event.series_id).exclude(pk=event.pk)
        earlier = Q(start_date__lt=event.start_date) | Q(
            start_date=event.start_date, pk__lt=event.pk
        )
        previous = siblings.filter(earlier).order_by("-start_date", "-pk").first()
        following = (
            siblings.exclude(start_date=None).exclude(earlier).order_by("start_date", "pk").first()
        )
        return previous, following

    def json_ld(self, claims, articles):
        event = self.object
        url = self.request.build_absolute_uri(event.get_absolute_url())
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "url": url,
            "description": event.summary,
            "eventStatus": "https://schema.org/EventScheduled",
        }
        if event.start_date:
            data["startDate"] = iso_date(event.start_date, event.date_precision)
            data["endDate"] = iso_date(event.end_date or event.start_date, event.date_precision)
        if event.place:
            data["location"] = {"@type": "Place", "name": event.place.name}
        organisers = [c for c in claims if c.property in ("host", "organiser", "chair")]
        if organisers and organisers[0].value_entity:
            data["organizer"] = {
                "@type": "Organization",
                "name": organisers[0].value_entity.name,
            }
        if event.series:
            data["superEvent"] = {"@type": "EventSeries", "name": event.series.name}
        if articles:
            data["citation"] = [
                {
                    "@type": "NewsArticle",
                    "headline": article.title,
                    "url": self.request.build_absolute_uri(article.get_absolute_url()),
                }
                for article in articles.values()
            ]
        return data

    def get_context_data(self, **kwargs):
        with prepared():  # the event is found; what follows is read by its id
            claims = self.get_claims()
            previous, following = self.neighbours()
            mentioned_in = list(
                Claim.objects.public()
                .filter(value_event=self.object)
                .select_related("event")
                .order_by("event__start_date", "pk")
            )
        groups = group_claims(claims)
        articles = self.source_articles(claims)
        return super().get_context_data(
            only_source=next(iter(articles.values())) if len(articles) == 1 else None,
            sources=sorted(
                articles.values(), key=lambda a: (a.published_on is None, a.published_on)
            ),
            groups=groups,
            summary=summary_rows(claims),
            dates=[c for c in claims if c.property == "date" and c.rank != "deprecated"],
            places=[c for c in claims if c.property == "place" and c.rank != "deprecated"],
            claim_count=len(claims),
            previous=previous,
            next=following,
            mentioned_in=mentioned_in,
            json_ld=self.json_ld(claims, articles),
            canonical=self.request.build_absolute_uri(self.object.get_absolute_url()),
            accessed=timezone.localdate(),
            **kwargs,
        )


class SourceDetailView(ArticleDetailView):
    """The source page with the claims behind each quote: only quotes cited by public
    claims are highlighted, each listing those claims. Wired in place of the plain
    `sources` view by sco_archive/urls.py (sources knows nothing of claims)."""

    shows_claims = True

    def get_context_data(self, **kwargs):
        with prepared():  # the article is found; its quotes and claims are read by its id
            return super().get_context_data(**kwargs)

    def get_notes(self, quotes):
        """Per quote, what it supports, compact: each event once, then property: values."""
        notes = {}
        for quote in quotes:
            events = OrderedDict()
            for citation in quote.public_citations:
                claim = citation.claim
                entry = events.setdefault(claim.event_id, (claim, OrderedDict()))
                value = claim_value(claim)
                if claim.rank == Claim.Rank.DEPRECATED:
                    value = _("%(value)s (disputed)") % {"value": value}
                entry[1].setdefault(claim.property_label, []).append(value)
            notes[quote.pk] = format_html_join(
                "",
                '<span class="note-event"><a href="{}">{}</a>: {}</span>',
                (
                    (
                        first.get_absolute_url(),
                        first.event.title,
                        "; ".join(
                            _("%(property)s — %(values)s")
                            % {"property": prop, "values": ", ".join(values)}
                            for prop, values in props.items()
                        ),
                    )
                    for first, props in events.values()
                ),
            )
        return notes

    def get_quotes(self, article):
        """The article's quotes that public claims cite, in text order, each with its
        ``public_citations`` and ``public_translations``: the citations in one query that
        brings their quotes, the translations in another."""
        citations = (
            Citation.objects.public()
            .filter(quote__article=article)
            .select_related("quote", "claim__event", "claim__value_entity", "claim__value_event")
            .only(
                *("id", "quote__id", "quote__article_id", "quote__exact", "quote__start"),
                *("quote__end", "claim__event__slug", "claim__event__title"),
                *(f"claim__{field}" for field in CLAIM_SHOWN),
            )
            .order_by("quote__start", "quote__end", "quote_id", "claim", "id")
        )
        quotes = {}
        for citation in citations:
            quote = quotes.setdefault(citation.quote_id, citation.quote)
            quote.__dict__.setdefault("public_citations", []).append(citation)
        attach_translations(quotes)
        return list(quotes.values())


class EntityListView(ListView):
    """Entities by kind, with how many published events each appears in; 200 a page
    (all 2,000 entities of a 10,000-event archive took half a second to count)."""

    template_name = "events/entity_list.html"
    paginate_by = 200
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        entities = Entity.objects.active().order_by("kind", "name")
        kind = self.request.GET.get("kind")
        if kind in Entity.Kind.values:
            entities = entities.filter(kind=kind)
        return entities

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entities = list(context["object_list"])
        # Events per entity of this page, in one query (counted for every entity and then
        # sorted, a subquery per row took 0.2 s at 2,000 entities).
        events_named = dict(
            Claim.objects.public()
            .filter(value_entity__in=[entity.pk for entity in entities])
            .order_by()
            .values_list("value_entity")
            .annotate(n=Count("event", distinct=True))
        )
        by_kind = OrderedDict((label, []) for _, label in Entity.Kind.choices)
        labels = dict(Entity.Kind.choices)
        for entity in entities:
            entity.n = events_named.get(entity.pk, 0)
            by_kind[labels[entity.kind]].append(entity)
        context["kinds"] = [(label, items) for label, items in by_kind.items() if items]
        return context


class EntityDetailView(FormerSlugRedirectMixin, DetailView):
    """An entity and the events it appears in, with its role in each."""

    model = Entity

    def get(self, request, *args, **kwargs):
        merged = Entity.objects.filter(slug=kwargs["slug"]).exclude(merged_into=None).first()
        if merged:
            return redirect(merged.merged_into, permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Entity.objects.active()

    def get_context_data(self, **kwargs):
        entity = self.object
        named = Claim.objects.public().filter(value_entity=entity)
        # The events that name it, most recent first, a page at a time (a country of a
        # 10,000-event archive appears in a thousand), each with its roles in them.
        events = published_events().filter(pk__in=named.values("event"))  # by the claims
        paginator = CachedCountPaginator(events.order_by(*EVENT_SORTS["date"]), APPEARANCES)
        page = paginator.get_page(self.request.GET.get("page"))
        appearances = OrderedDict((event.pk, {"event": event, "roles": []}) for event in page)
        for claim in named.filter(event__in=list(appearances)).order_by("property", "pk"):
            entry = appearances[claim.event_id]
            role = claim.property_label
            if claim.qualifier:
                role = f"{role} ({claim.qualifier})"
            if claim.rank == Claim.Rank.DEPRECATED:
                role = _("%(role)s — disputed") % {"role": role}
            if role not in entry["roles"]:
                entry["roles"].append(role)
        # Events held here that no claim names it in are listed apart; the rest, once.
        held_here = published_events().filter(place=entity).exclude(pk__in=named.values("event"))
        names = [name for name in entity.all_names if len(name) >= 3]
        mentions = Quote.objects.none()
        if names:
            cited = Citation.objects.public().filter(quote=OuterRef("pk"))
            mentions = (
                Quote.objects.published()
                .filter(Exists(cited))
                .filter(reduce(operator.or_, (Q(exact__icontains=name) for name in names)))
                .select_related("article__outlet")
                .order_by("article__published_on", "start")[:MENTIONS]
            )
        return super().get_context_data(
            appearances=list(appearances.values()),
            page_obj=page,
            held_here=held_here,
            mentions=mentions,
            json_ld=entity_json_ld(self.request, entity),
            map=entity_map(entity),
            **kwargs,
        )


MENTIONS = 20  # quotes naming an entity, shown on its page
APPEARANCES = 50  # events a page of an entity's page lists
SCHEMA_TYPES = {"country": "Country", "organisation": "Organization", "person": "Person",
                "place": "Place"}  # fmt: skip


def entity_json_ld(request, entity):
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES[entity.kind],
        "name": entity.name,
        "url": request.build_absolute_uri(entity.get_absolute_url()),
    }
    if entity.aliases:
        data["alternateName"] = entity.aliases
    if entity.description:
        data["description"] = entity.description
    if entity.wikidata_id:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{entity.wikidata_id}"
    return data


class SeriesListView(ListView):
    template_name = "events/series_list.html"

    def get_queryset(self):
        return series_with_counts()


class SeriesDetailView(FormerSlugRedirectMixin, DetailView):
    """A series and every published edition, in order."""

    model = Series

    def get_context_data(self, **kwargs):
        in_series = published_events().filter(series=self.object)
        editions = list(in_series.order_by(F("start_date").asc(nulls_last=True), "pk"))
        series = self.object
        absolute = self.request.build_absolute_uri
        json_ld = {
            "@context": "https://schema.org",
            "@type": "EventSeries",
            "name": series.name,
            "url": absolute(series.get_absolute_url()),
            "subEvent": [
                {"@type": "Event", "name": event.title, "url": absolute(event.get_absolute_url())}
                for event in editions
            ],
        }
        if series.aliases:
            json_ld["alternateName"] = series.aliases
        if series.description:
            json_ld["description"] = series.description
        return super().get_context_data(
            editions=editions,
            json_ld=json_ld,
            timeline=timeline_picture(in_series),
            participation=participation_picture(in_series),
            **kwargs,
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the archive"),
        required=False,
        max_length=archive_search.MAX_QUERY_LENGTH,
        strip=True,
    )


def search(request):
    form = SearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "events/search.html", {"form": form}, status=400)
    query = form.cleaned_data.get("q", "") if request.GET else ""
    groups = []
    if query:
        results = archive_search.search(query)
        groups = [
            (kind, _(archive_search.LABELS[kind]), results[kind])
            for kind in archive_search.KINDS
            if results.get(kind)
        ]
    context = {
        "form": form,
        "query": query,
        "groups": groups,
        "total": sum(len(hits) for _, _, hits in groups),
    }
    return render(request, "events/search.html", context)


class AboutView(TemplateView):
    template_name = "about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(licence=settings.SCO_DATA_LICENCE, **kwargs)


# -- Pictures drawn on the server (issue #19): timeline, participation matrix, map --------
# Each helper runs one query whatever the archive's size, turns the rows into plain data
# and hands them to events/pictures.py for the geometry; templates/events/_timeline.html,
# _participation.html and _map.html write it out as inline SVG with a list or table.

PICTURED_PARTICIPATION = (Claim.Property.PARTICIPANT, Claim.Property.INVITED)
# What makes a country's page show an event's place on its map.
COUNTRY_ROLES = (*PICTURED_PARTICIPATION, Claim.Property.HOST, Claim.Property.ORGANISER)


def _event_url(slug):
    return reverse("events:event-detail", kwargs={"slug": slug})


def _entity_url(slug):
    return reverse("events:entity-detail", kwargs={"slug": slug})


def _date_text(start, end, precision):
    return dated(start, precision, end)


def timeline_picture(events):
    """The timeline of ``events`` (published events): series as lanes, undated apart.
    Up to ``pictures.TL_MAX_MARKS`` dated events each is a mark; above, each mark is a
    lane's year, counted in SQL, and links to that year's list (the cost stays flat)."""

    def compute():
        dated = events.exclude(start_date=None).exclude(date_precision=DatePrecision.UNKNOWN)
        if dated[: pictures.TL_MAX_MARKS + 1].count() > pictures.TL_MAX_MARKS:
            return _timeline_by_year(dated, events)
        rows = events.order_by(F("start_date").asc(nulls_last=True), "title").values_list(
            "title", "slug", "start_date", "end_date", "date_precision", "series__name",
            "series__slug",
        )  # fmt: skip
        return pictures.timeline(
            [
                {
                    "title": title,
                    "url": _event_url(slug),
                    "start": start,
                    "end": end,
                    "precision": precision,
                    "date_text": _date_text(start, end, precision),
                    "lane": series or "",
                    "lane_url": _series_url(series_slug) if series_slug else None,
                }
                for title, slug, start, end, precision, series, series_slug in rows
            ]
        )

    return cached_result("picture-timeline", events, compute)


def _series_url(slug):
    return reverse("events:series-detail", kwargs={"slug": slug})


def _year_filter(series_slug, year):
    return {"series": series_slug, "year": year} if series_slug else {"year": year}


def _timeline_by_year(dated, events):
    years = (
        dated.annotate(year=Year("start_date"))
        .order_by()
        .values_list("series__name", "series__slug", "year")
        .annotate(n=Count("pk"))
    )
    events_url = reverse("events:event-list")
    picture = pictures.timeline_counts(
        [
            {
                "lane": name or "",
                "lane_url": _series_url(slug) if slug else None,
                "year": year,
                "n": n,
                "url": f"{events_url}?{urlencode(_year_filter(slug, year))}",
            }
            for name, slug, year, n in years
        ]
    )
    undated = events.filter(Q(start_date=None) | Q(date_precision=DatePrecision.UNKNOWN))
    shown = list(undated.order_by("title").values_list("title", "slug", "series__name")[:20])
    picture["undated"] = [
        {"title": title, "url": _event_url(slug), "lane": series or ""}
        for title, slug, series in shown
    ]
    picture["undated_more"] = cached_count(undated) - len(shown) if len(shown) == 20 else 0
    return picture


PARTICIPATION_PAGE = 50  # events drawn in one participation matrix


def participation_picture(events, page=1):
    """Countries × ``events``: a mark where a public, standing claim says the country took
    part (an observer when its qualifier says so) or was invited; each links to it.

    One matrix draws at most ``PARTICIPATION_PAGE`` events: those of page ``page``,
    counting from the most recent (shown oldest first), so the picture and its cost stay
    the same size whatever the archive's. The result has ``page`` (a Page of events) for
    the links to the others."""
    claims = (
        Claim.objects.public()
        .standing()
        .filter(property__in=PICTURED_PARTICIPATION, value_entity__kind=Entity.Kind.COUNTRY)
    )
    drawn = events.filter(Exists(claims.filter(event=OuterRef("pk")))).order_by(
        F("start_date").desc(nulls_last=True), "-title", "-pk"
    )
    paginator = CachedCountPaginator(drawn.values_list("pk", flat=True), PARTICIPATION_PAGE)
    events_page = paginator.get_page(page)
    claims = claims.filter(event__in=list(events_page)).order_by(
        F("event__start_date").asc(nulls_last=True), "event__title", "pk"
    )

    def compute():
        rows = claims.values_list(
            "pk", "property", "qualifier", "event__slug", "event__title", "event__start_date",
            "event__end_date", "event__date_precision", "value_entity__slug",
            "value_entity__name",
        )  # fmt: skip
        columns, marks = {}, []
        for pk, prop, qualifier, slug, title, start, end, precision, country, name in rows:
            url = _event_url(slug)
            columns.setdefault(
                slug,
                {
                    "key": slug,
                    "title": title,
                    "url": url,
                    "date_text": _date_text(start, end, precision),
                    "year": str(start.year) if start else "",
                },
            )
            marks.append(
                {
                    "event": slug,
                    "country": country,
                    "country_name": name,
                    "country_url": _entity_url(country),
                    "role": pictures.role_of(prop, qualifier),
                    "url": f"{url}#claim-{pk}",
                }
            )
        return pictures.participation(list(columns.values()), marks)

    picture = cached_result("picture-participation", claims, compute)
    return {**picture, "page": events_page if paginator.num_pages > 1 else None}


MAP_EVENTS_PER_PLACE = 5  # the latest events a place lists; its page has them all


def map_picture(events, *, current=None, highlight=(), focus=False):
    """The places where ``events`` were held, on the region's outline. ``current``: the
    slug of the page's own place; ``highlight``: outline countries to shade. Events held
    in a country (no point known) shade that country and are listed with it."""
    rows = events.exclude(place=None).order_by(F("start_date").desc(nulls_last=True), "title")

    def compute():
        places, shaded = {}, set(highlight)
        for slug, name, kind, lat, lon, n in (
            rows.order_by()
            .values_list("place__slug", "place__name", "place__kind", "place__latitude",
                         "place__longitude")
            .annotate(n=Count("pk"))
        ):  # fmt: skip
            places[slug] = {
                "key": slug,
                "name": name,
                "url": _entity_url(slug),
                "lat": lat,
                "lon": lon,
                "country": kind == Entity.Kind.COUNTRY,
                "current": slug == current,
                "n": n,
                "more": n - min(n, MAP_EVENTS_PER_PLACE),
                "events": [],
            }
            if kind == Entity.Kind.COUNTRY and lat is None:
                shaded.add(name)
        latest = rows.annotate(
            rank=Window(RowNumber(), partition_by=F("place"), order_by=rows.query.order_by)
        ).filter(rank__lte=MAP_EVENTS_PER_PLACE)
        for title, slug, start, end, precision, place in latest.values_list(
            "title", "slug", "start_date", "end_date", "date_precision", "place__slug"
        ):
            places[place]["events"].append(
                {
                    "title": title,
                    "url": _event_url(slug),
                    "date_text": _date_text(start, end, precision),
                }
            )
        return pictures.event_map(list(places.values()), highlight=shaded, focus=focus)

    extra = f"{current}|{sorted(highlight)}|{focus}"
    return cached_result("picture-map", rows, compute, extra=extra)


def entity_map(entity):
    """The map of an entity page, or None: a place's events with the place marked; a
    country's — the places of the events it took part in, hosted or was held in — with
    the country shaded."""
    events = published_events()
    if entity.kind == Entity.Kind.PLACE:
        if entity.latitude is None:
            return None
        picture = map_picture(events.filter(place=entity), current=entity.slug, focus=True)
        heading = _("%(name)s on the map") % {"name": entity.name}
    elif entity.kind == Entity.Kind.COUNTRY:
        takes_part = (  # found through the claims naming it, not by checking every event
            Claim.objects.public()
            .standing()
            .filter(value_entity=entity, property__in=COUNTRY_ROLES)
            .values("event")
        )
        picture = map_picture(
            events.filter(Q(place=entity) | Q(pk__in=takes_part)),
            highlight=(entity.name, *entity.aliases),
            focus=True,
        )
        heading = _("Where %(name)s took part") % {"name": entity.name}
    else:
        return None
    return {**picture, "heading": heading, "narrow": True}


def participation(request):
    """/participation/: which countries took part in which event, each mark its evidence."""
    picture = participation_picture(published_events(), request.GET.get("page") or 1)
    context = {"participation": picture, "page_obj": picture["page"]}
    return render(request, "events/participation.html", context)


def event_map_page(request):
    """/map/: where the archive's events were held."""
    events = published_events()
    context = {
        "map": map_picture(events),
        "placeless": cached_count(events.filter(place=None)),
    }
    return render(request, "events/map.html", context)
