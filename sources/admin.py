"""Curation of outlets, articles and quotes.

The article page shows the clean body with its quotes highlighted; an editor quotes by
selecting words (static/admin/js/quote-select.js) or, without JavaScript, by typing
them. Editing a body re-anchors its quotes and refuses an edit that loses a cited one.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import text, workflow
from .models import (
    Article,
    FormerSlug,
    Outlet,
    Quote,
    QuoteTranslation,
    StaleObjectError,
    Status,
)


class VersionedForm(forms.ModelForm):
    """Carries the version the editor's copy was read at, so the model refuses a save
    based on a stale copy (``Versioned``) with a message that helps the editor."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            cleaned["version"] = 1
            return cleaned
        if cleaned.get("version") is None:
            cleaned["version"] = self.instance.version
        try:
            self.instance.check_version(cleaned["version"])
        except StaleObjectError:
            opts = self.instance._meta
            history = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_history", args=[self.instance.pk]
            )
            raise ValidationError(
                format_html(
                    "Someone else saved this {} while you were editing it, so your changes "
                    'were not saved. <a href="{}">See their change in the history</a>, then '
                    "reload the page and apply your edits again.",
                    opts.verbose_name,
                    history,
                ),
                code="stale",
            ) from None
        return cleaned


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, with a revert that works: it restores an old
    version's content onto the live object, keeping the live version (so the lost-update
    guard compares with what is stored now) and the live workflow state."""

    live_fields = (
        "version",
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "published_at",
        "review_comment",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and getattr(request, "sco_reverting", False):
            live = type(obj)._default_manager.get(pk=obj.pk)
            for name in self.live_fields:
                if hasattr(live, name):
                    setattr(obj, name, getattr(live, name))
        return super().get_form(request, obj, change, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.sco_reverting = True
        return super().history_form_view(request, object_id, version_id, extra_context)


class WorkflowAdminMixin:
    """Status is changed only through the workflow actions, never typed into a form; an
    editor's save of published work becomes a pending revision (``save_revision``) that a
    reviewer publishes from the review queue, and only reviewers delete published work."""

    workflow = workflow
    actions = ["submit_selected", "publish_selected", "send_back_selected", "unpublish_selected"]
    workflow_readonly = (
        "status",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "published_at",
        "review_comment",
    )

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), *self.workflow_readonly)

    def edits_go_to_review(self, request, obj):
        """True when this user's save of ``obj`` must wait for a reviewer."""
        return (
            obj is not None
            and obj.pk is not None
            and obj.status == Status.PUBLISHED
            and not workflow.can_publish(request.user, obj)
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and self.edits_go_to_review(request, obj):
            pending = obj.pending_revision()
            if pending is not None:  # an editor goes on from the pending edit
                pending.apply_to(obj)
                obj._pending_revision = pending
        return obj

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.edits_go_to_review(request, obj):
            return False  # deleting published work is for reviewers
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if change and self.edits_go_to_review(request, obj):
            request.sco_revision = obj.save_revision(request.user)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if hasattr(request, "sco_revision"):
            return  # the live object and its inlines stay as published
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        if hasattr(request, "sco_revision"):  # nothing of the inlines was saved
            return [{"changed": {"fields": ["pending revision"]}}]
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        if not hasattr(request, "sco_revision"):
            return super().response_change(request, obj)
        if request.sco_revision is None:
            self.message_user(request, f"“{obj}” is unchanged.", messages.INFO)
        else:
            self.message_user(
                request,
                f"Your changes to “{obj}” are waiting for review; the published version "
                "stays live until a reviewer publishes them.",
                messages.SUCCESS,
            )
        opts = self.model._meta
        return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        pending = getattr(obj, "_pending_revision", None)
        if pending is not None and request.method == "GET":
            self.message_user(
                request,
                f"This form shows your pending edit of {pending.created_at:%d %b %Y %H:%M}, "
                "waiting for review; readers still see the published version.",
                messages.INFO,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        if not request.user.has_perm(workflow.publish_permission(self.model)):
            for name in ("publish_selected", "send_back_selected", "unpublish_selected"):
                actions.pop(name, None)
        return actions

    def _transition(self, request, queryset, transition, done, *args):
        for obj in queryset:
            try:
                transition(obj, request.user, *args)
            except self.workflow.WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, f"“{obj}” {done}.", messages.SUCCESS)

    @admin.action(description="Submit selected for review")
    def submit_selected(self, request, queryset):
        self._transition(request, queryset, self.workflow.submit, "submitted for review")

    @admin.action(description="Publish selected")
    def publish_selected(self, request, queryset):
        self._transition(request, queryset, self.workflow.publish, "published")

    @admin.action(description="Send selected back to draft (with a comment)")
    def send_back_selected(self, request, queryset):
        comment = request.POST.get("comment", "").strip()
        if "apply" in request.POST and comment:
            self._transition(
                request, queryset, self.workflow.send_back, "sent back to draft", comment
            )
            return None
        return render(
            request,
            "admin/send_back.html",
            {
                **self.admin_site.each_context(request),
                "title": "Send back to draft",
                "objects": queryset,
                "opts": self.model._meta,
                "action": "send_back_selected",
                "error": "apply" in request.POST,
            },
        )

    @admin.action(description="Unpublish selected")
    def unpublish_selected(self, request, queryset):
        self._transition(request, queryset, self.workflow.unpublish, "unpublished")


class OutletForm(VersionedForm):
    class Meta:
        model = Outlet
        fields = ["name", "slug", "kind", "url", "country", "description", "version"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    form = OutletForm
    list_display = ["name", "kind", "country", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description="Articles", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


class ArticleForm(VersionedForm):
    # Saved exactly as edited: no stripping (line endings become \n on save).
    body = forms.CharField(strip=False, widget=forms.Textarea(attrs={"rows": 20, "cols": 100}))

    class Meta:
        model = Article
        fields = [
            "title",
            "original_title",
            "slug",
            "outlet",
            "url",
            "language",
            "published_on",
            "published_precision",
            "date_note",
            "body",
            "near_duplicate_of",
            "note",
            "version",
        ]


class ReadOnlyInlineForm(forms.ModelForm):
    """A row of a read-only inline: it posts nothing, so there is nothing to validate
    (validating it would check the row against the parent's unsaved edit)."""

    def full_clean(self):
        self._errors = ErrorDict()
        self.cleaned_data = {}

    def has_changed(self):
        return False


class QuoteInline(admin.TabularInline):
    model = Quote
    form = ReadOnlyInlineForm
    fields = ["exact", "start", "end", "needs_review", "cited_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # quotes are made from the body panel below

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_total=Count("citations"))

    @admin.display(description="Citations")
    def cited_by(self, obj):
        return obj.citation_total


class YearFilter(admin.SimpleListFilter):
    """Narrow articles to the year of publication."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Article.objects.dates("published_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(published_on__year=int(self.value()))
        return queryset


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, HistoryAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "outlet",
        "published_on",
        "published_precision",
        "language",
        "status",
        "quote_count",
        "updated_at",
    ]
    list_filter = ["status", "language", YearFilter, "outlet", "published_precision"]
    search_fields = ["title", "original_title", "slug", "body"]
    autocomplete_fields = ["outlet", "near_duplicate_of"]
    readonly_fields = ["original_text", "content_hash", "import_ref", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [QuoteInline]
    change_form_template = "admin/sources/article/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "original_title", "slug", "outlet", "url", "language"]}),
        ("Publication date", {"fields": ["published_on", "published_precision", "date_note"]}),
        ("Text", {"fields": ["body", "original_text", "near_duplicate_of", "note", "version"]}),
        (
            "Workflow",
            {
                "fields": [
                    "status",
                    "submitted_by",
                    "submitted_at",
                    "reviewed_by",
                    "published_at",
                    "review_comment",
                ]
            },
        ),
        ("Record", {"fields": ["content_hash", "import_ref", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("outlet")
            .annotate(quote_total=Count("quotes"))
            .order_by("-published_on", "title", "pk")  # GROUP BY drops Meta.ordering
        )

    @admin.display(description="Quotes", ordering="quote_total")
    def quote_count(self, obj):
        return obj.quote_total

    @admin.display(description="Original text (as received)")
    def original_text(self, obj):
        return format_html('<pre class="sco-original">{}</pre>', obj.original)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)  # re-anchors quotes (Article.save)
        plan = getattr(obj, "last_reanchoring", None)
        if plan is None:  # kept as a pending revision: nothing moved yet
            return
        if plan.moved:
            self.message_user(request, f"{len(plan.moved)} quote(s) re-anchored in the new text.")
        if plan.approximate:
            self.message_user(
                request,
                f"{len(plan.approximate)} quote(s) found again only approximately: moved and "
                "flagged for review.",
                messages.WARNING,
            )
        if plan.lost:
            self.message_user(
                request,
                f"{len(plan.lost)} uncited quote(s) could not be found again and were flagged "
                "for review.",
                messages.WARNING,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            quotes = list(obj.quotes.all())
            context["body_segments"] = text.segments(
                obj.body, [(quote.pk, quote.start, quote.end) for quote in quotes]
            )
            context["quote_url"] = reverse("admin:sources_article_quote", args=[obj.pk])
            context["can_quote"] = request.user.has_perm("sources.add_quote")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        urls = [
            path(
                "<int:article_id>/quote/",
                self.admin_site.admin_view(self.quote_view),
                name="sources_article_quote",
            ),
        ]
        try:
            from .import_views import import_articles_view
        except ImportError:  # the import form arrives with the ingestion work
            pass
        else:
            urls.append(
                path(
                    "import/",
                    self.admin_site.admin_view(import_articles_view),
                    name="sources_article_import",
                )
            )
        return urls + super().get_urls()

    def quote_view(self, request, article_id):
        """Make a quote from a selection (start/end) or from typed words."""
        article = get_object_or_404(Article, pk=article_id)
        if not request.user.has_perm("sources.add_quote"):
            raise PermissionDenied
        back = reverse("admin:sources_article_change", args=[article.pk])
        if request.method != "POST":
            return redirect(back)
        try:
            quote = self._quote_from_request(request, article)
        except ValidationError as exc:
            error = exc.error_dict["exact"][0] if hasattr(exc, "error_dict") else exc
            if getattr(error, "code", None) == "ambiguous":
                result = text.anchor(article.body, request.POST.get("words", ""))
                occurrences = [
                    (index, *text.context(article.body, span.start, span.end, 60), span.exact)
                    for index, span in enumerate(result.occurrences)
                ]
                return render(
                    request,
                    "admin/sources/article/choose_occurrence.html",
                    {
                        **self.admin_site.each_context(request),
                        "title": "Which occurrence?",
                        "article": article,
                        "opts": Article._meta,
                        "words": request.POST.get("words", ""),
                        "occurrences": occurrences,
                        "quote_url": request.path,
                    },
                )
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect(back)
        self.message_user(request, f"Quote {quote.pk} saved: “{quote.exact}”.", messages.SUCCESS)
        return redirect(f"{back}#quote-{quote.pk}")

    def _quote_from_request(self, request, article):
        start, end = request.POST.get("start", ""), request.POST.get("end", "")
        if start.isdigit() and end.isdigit():
            start, end = int(start), int(end)
            selected = article.body[start:end]
            # A mouse selection often takes a space or line break along at either side.
            start += len(selected) - len(selected.lstrip())
            end -= len(selected) - len(selected.rstrip())
            quote = Quote(article=article, start=start, end=end, exact=article.body[start:end])
        else:
            occurrence = request.POST.get("occurrence", "")
            quote = Quote.from_words(
                article,
                request.POST.get("words", ""),
                occurrence=int(occurrence) if occurrence.isdigit() else None,
            )
        existing = Quote.objects.filter(article=article, start=quote.start, end=quote.end).first()
        if existing:
            return existing
        quote.full_clean()
        quote.save()
        return quote


class QuoteForm(VersionedForm):
    """A quote is made from words typed or pasted (or a selection on the article page):
    ``Quote.from_words`` finds the exact span, so nobody types an offset."""

    words = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text="The words as the article prints them; spaces, quotes and dashes may "
        "differ, the exact span is found in the body.",
    )
    occurrence = forms.IntegerField(
        required=False,
        min_value=0,
        help_text="When the words occur more than once: which occurrence (0 = first).",
    )

    class Meta:
        model = Quote
        fields = ["article", "words", "occurrence", "note", "needs_review", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["words"].initial = self.instance.exact

    def clean(self):
        cleaned = super().clean()
        article, words = cleaned.get("article"), cleaned.get("words")
        if article is None or not words:
            return cleaned
        if self.instance.pk is not None and words == self.instance.exact:
            return cleaned
        try:
            found = Quote.from_words(article, words, occurrence=cleaned.get("occurrence"))
        except ValidationError as exc:
            raise ValidationError({"words": exc.message_dict["exact"]}) from None
        for name in ("exact", "start", "end", "prefix", "suffix"):
            setattr(self.instance, name, getattr(found, name))
        return cleaned


class QuotePickerView(AutocompleteJsonView):
    """The admin's autocomplete view for quotes, each option named by
    `Quote.picker_label()` (article, offsets, words around it) instead of `str()`."""

    def serialize_result(self, obj, to_field_name):
        return {"id": str(getattr(obj, to_field_name)), "text": obj.picker_label()}


class QuotePicker(AutocompleteSelect):
    """Django's select2 autocomplete for a ForeignKey to Quote, served by QuotePickerView:
    two quotes with the same words read differently (#17)."""

    url_name = "%s:sources_quote_picker"


def quote_picker_field(db_field, admin_site, **kwargs):
    """The form field for a ForeignKey to Quote: the picker widget, and the selected
    option labelled as the search results are."""
    field = db_field.formfield(widget=QuotePicker(db_field, admin_site), **kwargs)
    field.label_from_instance = Quote.picker_label
    return field


@admin.register(Quote)
class QuoteAdmin(HistoryAdmin):
    form = QuoteForm
    list_display = ["short_exact", "article", "start", "end", "needs_review", "updated_at"]
    list_filter = ["needs_review", "article__status", "article__language"]
    search_fields = ["exact", "article__title", "article__slug"]
    autocomplete_fields = ["article"]
    readonly_fields = ["start", "end", "prefix", "suffix", "in_context"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article")

    def get_urls(self):
        picker = self.admin_site.admin_view(QuotePickerView.as_view(admin_site=self.admin_site))
        return [path("picker/", picker, name="sources_quote_picker"), *super().get_urls()]

    def is_evidence_in_print(self, request, obj):
        """A cited quote of a published article is what readers see: a reviewer's."""
        return (
            obj is not None
            and obj.article.status == Status.PUBLISHED
            and obj.is_cited()
            and not workflow.can_publish(request.user, obj.article)
        )

    def has_change_permission(self, request, obj=None):
        if self.is_evidence_in_print(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.is_evidence_in_print(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="Words", ordering="exact")
    def short_exact(self, obj):
        return obj.exact if len(obj.exact) <= 90 else obj.exact[:87] + "…"

    @admin.display(description="In context")
    def in_context(self, obj):
        if obj.pk is None:
            return "—"
        before, after = text.excerpt(obj.article.body, obj.start, obj.end)
        return format_html("…{}<mark>{}</mark>{}…", before, obj.exact, after)


class QuoteTranslationForm(VersionedForm):
    class Meta:
        model = QuoteTranslation
        fields = ["quote", "language", "text", "translator", "method", "translated_on", "stale"]


@admin.register(QuoteTranslation)
class QuoteTranslationAdmin(WorkflowAdminMixin, HistoryAdmin):
    """Translations of quotes, under the claims' review rules (issue #18)."""

    form = QuoteTranslationForm
    list_display = ["short_text", "quote", "language", "method", "stale", "status", "updated_at"]
    list_filter = ["status", "language", "method", "stale"]
    search_fields = ["text", "quote__exact", "translator"]
    autocomplete_fields = ["quote"]
    readonly_fields = ["original_words"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("quote__article")

    @admin.display(description="Translation", ordering="text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 90 else obj.text[:87] + "…"

    @admin.display(description="The quote's words")
    def original_words(self, obj):
        if obj.pk is None or obj.quote_id is None:
            return "—"
        return format_html('<span lang="{}">{}</span>', obj.quote.article.language, obj.quote.exact)


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "content_type", "object_id", "created_at"]
    list_filter = ["content_type"]
    search_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
