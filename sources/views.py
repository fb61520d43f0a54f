"""Public pages of source articles: the list, each article with its quotes highlighted."""

import json

from django import forms
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView

from sources.counting import CachedCountPaginator, cached_value

from .models import Article, DatePrecision, FormerSlug, Language, Outlet, Quote, Status
from .text import reflow, removed_lines, script_language, segments


class FormerSlugRedirectMixin:
    """A renamed object answers its old slug with a permanent redirect."""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            current = FormerSlug.current(self.get_queryset(), kwargs.get("slug", ""))
            if current is None:
                raise
            return redirect(self.redirect_target(current, **kwargs), permanent=True)

    def redirect_target(self, obj, **kwargs):
        return obj.get_absolute_url()


class FilteredListMixin:
    """A ListView narrowed by a Form of GET parameters; bad parameters give a 400 page."""

    filter_form_class = None

    def get(self, request, *args, **kwargs):
        self.filter_form = self.filter_form_class(request.GET or None)
        if request.GET and not self.filter_form.is_valid():
            context = {"form": self.filter_form, "title": _("Invalid filters")}
            return render(request, "400.html", context, status=400)
        self.filters = self.filter_form.cleaned_data if request.GET else {}
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.filter_form, filters=self.filters, **kwargs)


class ArticleFilterForm(forms.Form):
    outlet = forms.SlugField(required=False)
    language = forms.ChoiceField(
        choices=[("", gettext_lazy("Any language")), *Language.choices], required=False
    )
    page = forms.IntegerField(required=False, min_value=1)


class ArticleListView(FilteredListMixin, ListView):
    """Sources by date, newest first, filterable by outlet and language."""

    filter_form_class = ArticleFilterForm
    paginate_by = 50
    paginator_class = CachedCountPaginator

    def get_queryset(self):
        articles = (
            Article.objects.published()
            .select_related("outlet")
            .defer("original", "body")
            .order_by(F("published_on").desc(nulls_last=True), "title")
        )
        if self.filters.get("outlet"):
            articles = articles.filter(outlet__slug=self.filters["outlet"])
        if self.filters.get("language"):
            articles = articles.filter(language=self.filters["language"])
        return articles

    def get_context_data(self, **kwargs):
        published = Article.objects.published()
        outlets = (
            Outlet.objects.annotate(
                n=Count("articles", filter=Q(articles__status=Status.PUBLISHED))
            )
            .filter(n__gt=0)
            .order_by("name")
        )
        languages = published.order_by().values_list("language").annotate(n=Count("pk"))
        labels = dict(Language.choices)
        return super().get_context_data(
            outlets=cached_value("source-outlets", lambda: list(outlets)),
            languages=[
                (code, labels.get(code, code), n)
                for code, n in cached_value("source-languages", lambda: list(languages))
            ],
            **kwargs,
        )


def highlighted_body(body, quotes, notes=None):
    """The body as HTML with each quote in `<mark>`; overlapping quotes split into segments.

    The text is reflowed for reading (``text.reflow``: an outlet's hard line breaks become
    spaces, offsets unchanged). ``notes`` maps a quote to a margin note (safe HTML) shown
    beside the start of its highlight at wide widths.

    Each quote's first segment carries `id="quote-<id>"`; every segment links to the list
    of claims citing its innermost quote. Marks nest only within one segment, so the
    HTML stays valid however the quotes overlap.
    """
    seen = set()
    html = []
    notes = notes or {}
    spans = [(quote.pk, quote.start, quote.end) for quote in quotes]
    for text, keys in segments(reflow(body), spans):
        if not keys:
            html.append(escape(text))
            continue
        label = _("Quote %(number)s: what it supports") % {"number": keys[-1]}
        inner = format_html(
            '<a href="#cites-{}" aria-label="{}: {}">{}</a>', keys[-1], text.strip(), label, text
        )
        for key in reversed(keys):
            if key in seen:
                inner = format_html('<mark data-quote="{}">{}</mark>', key, inner)
            else:
                inner = format_html('<mark id="quote-{}">{}</mark>', key, inner)
        for key in keys:
            if key not in seen and key in notes:  # beside the start of its highlight
                inner = format_html('<span class="margin-note">{}</span>{}', notes[key], inner)
        seen.update(keys)
        html.append(inner)
    return mark_safe("".join(str(piece) for piece in html))


class ArticleDetailView(FormerSlugRedirectMixin, DetailView):
    """An article: metadata, its clean body with every cited quote highlighted."""

    model = Article

    def get_queryset(self):
        return Article.objects.published().select_related("outlet").defer("original")

    def get_quotes(self, article):
        """The quotes to highlight. The events app narrows them to the cited ones and adds
        the claims citing each (`events.views.SourceDetailView`)."""
        return Quote.objects.filter(article=article).order_by("start", "end")

    def get_notes(self, quotes):
        """Margin notes by quote id; the events app says what each quote supports."""
        return {}

    def json_ld(self, article):
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "url": self.request.build_absolute_uri(article.get_absolute_url()),
            "inLanguage": article.language,
        }
        if article.outlet:
            data["publisher"] = {"@type": "Organization", "name": article.outlet.name}
            if article.outlet.url:
                data["publisher"]["url"] = article.outlet.url
        if article.published_on and article.published_precision != DatePrecision.UNKNOWN:
            digits = {"year": 4, "month": 7}.get(article.published_precision, 10)
            data["datePublished"] = article.published_on.isoformat()[:digits]
        if article.url:
            data["sameAs"] = article.url
        # Escaped for a <script> block: no "<", ">" or "&" can close it.
        text = json.dumps(data, ensure_ascii=False)
        return mark_safe(text.translate({60: "\\u003C", 62: "\\u003E", 38: "\\u0026"}))

    def get_context_data(self, **kwargs):
        article = self.object
        quotes = list(self.get_quotes(article))
        body_html = highlighted_body(article.body, quotes, self.get_notes(quotes))
        return super().get_context_data(
            quotes=quotes,
            body_html=body_html,
            json_ld=self.json_ld(article),
            original_title_lang=script_language(article.original_title, article.language),
            **kwargs,
        )


class ArticleOriginalView(FormerSlugRedirectMixin, DetailView):
    """The text exactly as received, before cleaning."""

    model = Article
    template_name = "sources/article_original.html"

    def get_queryset(self):
        return Article.objects.published().select_related("outlet")

    def redirect_target(self, obj, **kwargs):
        return reverse("sources:article-original", kwargs={"slug": obj.slug})

    def get_context_data(self, **kwargs):
        lines = removed_lines(self.object.original, self.object.body)
        removed = sum(1 for line in lines if any(gone for _, gone in line))
        return super().get_context_data(lines=lines, removed=removed, **kwargs)


def article_body(request, slug):
    """The clean body of a published article as plain UTF-8 text: the characters quote
    offsets count (``Quote.start``/``end``, the annotations' TextPositionSelector)."""
    article = get_object_or_404(Article.objects.published().only("body"), slug=slug)
    response = HttpResponse(article.body, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response
