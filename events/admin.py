"""Curation of entities, series, events and claims, with the review queue and merging."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from sources import text
from sources.admin import (
    HistoryAdmin,
    ReadOnlyInlineForm,
    VersionedForm,
    WorkflowAdminMixin,
    quote_picker_field,
)
from sources.models import Revision
from sources.workflow import can_publish

from . import suggest, workflow
from .models import VALUE_KINDS, Citation, Claim, Entity, Event, Series


class AliasesField(forms.CharField):
    """A list of names edited as one name per line."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = (line.strip() for line in (value or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class AliasesForm(VersionedForm):
    aliases = AliasesField(required=False, help_text="Other names, one per line.")


class NameSearchMixin:
    """Admin search that also finds a name or alias in any script and case: the names
    are compared casefolded in Python, as SQLite's LIKE (and PostgreSQL under the C
    locale) fold only ASCII letters. One query over the names, for the admin only."""

    name_field = "name"

    def get_search_results(self, request, queryset, search_term):
        results, distinct = super().get_search_results(request, queryset, search_term)
        term = search_term.strip().casefold()
        if not term:
            return results, distinct
        names = queryset.values_list("pk", self.name_field, "aliases")
        found = [
            pk
            for pk, name, aliases in names
            if any(term in candidate.casefold() for candidate in [name, *aliases])
        ]
        return results | queryset.filter(pk__in=found), distinct


class MergeForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Entity.objects.none(), widget=forms.RadioSelect, label="Keep"
    )


@admin.register(Entity)
class EntityAdmin(NameSearchMixin, HistoryAdmin):
    form = AliasesForm
    list_display = ["name", "kind", "wikidata_id", "claim_count", "merged_into"]
    list_filter = ["kind", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "aliases", "wikidata_id"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["merged_into"]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("merged_into")
            .annotate(claim_total=Count("claims"))
            .order_by("kind", "name")  # Meta.ordering is dropped from GROUP BY queries
        )

    @admin.display(description="Claims", ordering="claim_total")
    def claim_count(self, obj):
        return obj.claim_total

    def get_search_results(self, request, queryset, search_term):
        if request.path == reverse("admin:autocomplete"):
            queryset = queryset.filter(merged_into=None)  # never offered as a value
        return super().get_search_results(request, queryset, search_term)

    @admin.action(description="Merge the two selected entities")
    def merge_selected(self, request, queryset):
        if queryset.count() != 2:
            self.message_user(request, "Select exactly two entities to merge.", messages.ERROR)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None)
        form.fields["keep"].queryset = queryset
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            other = queryset.exclude(pk=keep.pk).get()
            keep.merge(other)
            self.message_user(request, f"“{other.name}” merged into “{keep.name}”.")
            return None
        return render(
            request,
            "admin/events/entity/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge entities",
                "form": form,
                "objects": queryset,
                "opts": Entity._meta,
            },
        )


@admin.register(Series)
class SeriesAdmin(NameSearchMixin, HistoryAdmin):
    form = AliasesForm
    list_display = ["name", "kind", "event_count"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(event_total=Count("events"))

    @admin.display(description="Events", ordering="event_total")
    def event_count(self, obj):
        return obj.event_total


class ClaimInline(admin.TabularInline):
    model = Claim
    form = ReadOnlyInlineForm
    fk_name = "event"
    fields = ["property", "claim_value", "rank", "status", "citation_count"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # claims are recorded on their own page, with their evidence

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("value_entity", "value_event")
            .annotate(citation_total=Count("citations"))
        )

    @admin.display(description="Value")
    def claim_value(self, obj):
        return obj.value

    @admin.display(description="Citations")
    def citation_count(self, obj):
        return obj.citation_total


class StartYearFilter(admin.SimpleListFilter):
    """Narrow events to the year they started."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Event.objects.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(start_date__year=int(self.value()))
        return queryset


class EventForm(AliasesForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "aliases",
            "kind",
            "series",
            "start_date",
            "end_date",
            "date_precision",
            "date_note",
            "place",
            "summary",
            "note",
            "version",
        ]


@admin.register(Event)
class EventAdmin(NameSearchMixin, WorkflowAdminMixin, HistoryAdmin):
    workflow = workflow
    form = EventForm
    list_display = ["title", "kind", "series", "start_date", "date_precision", "place", "status"]
    list_filter = ["status", "kind", "series", StartYearFilter, "date_precision"]
    search_fields = ["title", "slug", "aliases", "summary"]
    name_field = "title"
    autocomplete_fields = ["series", "place"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ClaimInline]
    date_hierarchy = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("series", "place")

    def get_urls(self):
        queue = path(
            "review-queue/",
            self.admin_site.admin_view(self.review_queue_view),
            name="events_review_queue",
        )
        return [queue, *super().get_urls()]

    def review_queue_view(self, request):
        """Work submitted for review, and pending revisions of published work with a
        field-by-field diff; reviewers publish a revision or send it back from here."""
        if request.method == "POST":
            return self._review_revision(request)
        items = [
            {"object": obj, "kind": obj._meta.verbose_name, "url": self._change_url(obj)}
            for obj in workflow.review_queue()
        ]
        revisions = []
        for revision in Revision.objects.pending().select_related("author", "content_type"):
            target = revision.target
            revisions.append(
                {
                    "revision": revision,
                    "object": target,
                    "kind": target._meta.verbose_name,
                    "url": self._change_url(target),
                    "diff": revision.diff(),
                    "can_publish": can_publish(request.user, target),
                }
            )
        return render(
            request,
            "admin/events/review_queue.html",
            {
                **self.admin_site.each_context(request),
                "title": "Review queue",
                "items": items,
                "revisions": revisions,
            },
        )

    def _review_revision(self, request):
        revision = get_object_or_404(Revision.objects.pending(), pk=request.POST.get("revision"))
        target = revision.target
        if not can_publish(request.user, target):
            raise PermissionDenied
        try:
            if "publish" in request.POST:
                revision.publish(request.user)
                self.message_user(request, f"The edit of “{target}” is published.")
            elif "send_back" in request.POST:
                revision.send_back(request.user, request.POST.get("comment", ""))
                self.message_user(request, f"The edit of “{target}” was sent back.")
        except ValidationError as exc:
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
        return redirect(reverse("admin:events_review_queue"))

    @staticmethod
    def _change_url(obj):
        opts = obj._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


class CitationForm(VersionedForm):
    class Meta:
        model = Citation
        fields = ["quote", "note", "version"]


class CitationInline(admin.TabularInline):
    model = Citation
    form = CitationForm
    autocomplete_fields = ["quote"]
    fields = ["quote", "note", "version"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("quote__article")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            return quote_picker_field(db_field, self.admin_site, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _editable(self, request, obj):
        # The evidence of a published claim changes only through review.
        return obj is None or not self.admin_site._registry[Claim].edits_go_to_review(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


class ClaimForm(VersionedForm):
    """The value fields follow the property: claim-value.js shows the kinds the model
    allows (``VALUE_KINDS``, handed over here), and ``Claim.clean()`` refuses the rest."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["property"].widget.attrs["data-value-kinds"] = json.dumps(VALUE_KINDS)

    class Meta:
        model = Claim
        fields = [
            "event",
            "property",
            "qualifier",
            "value_entity",
            "value_date",
            "value_date_precision",
            "value_event",
            "value_text",
            "rank",
            "rank_reason",
            "note",
            "origin",
            "version",
        ]


@admin.register(Claim)
class ClaimAdmin(WorkflowAdminMixin, HistoryAdmin):
    workflow = workflow
    form = ClaimForm
    list_display = ["event", "property", "claim_value", "rank", "status", "origin", "citations_n"]
    list_filter = ["status", "property", "rank", "origin", "event__kind", "event__series"]
    search_fields = ["event__title", "value_text", "value_entity__name", "qualifier"]
    autocomplete_fields = ["event", "value_entity", "value_event"]
    readonly_fields = ["evidence"]
    inlines = [CitationInline]
    actions = [
        *WorkflowAdminMixin.actions,
        suggest.accept_suggestions,
        suggest.reject_suggestions,
    ]

    class Media:
        js = ["admin/js/claim-value.js"]
        css = {"all": ["admin/css/curation.css"]}

    def get_urls(self):
        from . import evidence  # the article page's evidence panel (#17)

        return [*evidence.urls(self.admin_site), *super().get_urls()]

    fieldsets = [
        (None, {"fields": ["event", "property", "qualifier"]}),
        (
            "Value — fill exactly one",
            {
                "fields": [
                    "value_entity",
                    ("value_date", "value_date_precision"),
                    "value_event",
                    "value_text",
                ],
                "description": "An entity, a date with its precision, another event, or text.",
            },
        ),
        ("Rank", {"fields": ["rank", "rank_reason", "note", "origin", "version"]}),
        ("Evidence", {"fields": ["evidence"]}),
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
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event", "value_entity", "value_event")
            .annotate(citation_total=Count("citations"))
        )

    @admin.display(description="Value")
    def claim_value(self, obj):
        return obj.value

    @admin.display(description="Citations", ordering="citation_total")
    def citations_n(self, obj):
        return obj.citation_total

    @admin.display(description="Cited quotes in context")
    def evidence(self, obj):
        if obj.pk is None:
            return "Save the claim with its citations to see them here in context."
        citations = obj.citations.select_related("quote__article")
        rows = []
        for citation in citations:
            quote = citation.quote
            before, after = text.excerpt(quote.article.body, quote.start, quote.end)
            rows.append(
                (
                    before,
                    quote.exact,
                    after,
                    reverse("admin:sources_article_change", args=[quote.article_id]),
                    quote.article.title,
                    "" if quote.verifies else " (does not verify!)",
                )
            )
        if not rows:
            return "No citation yet: add one below. A claim without one cannot be published."
        items = format_html_join("", '<li>…{}<mark>{}</mark>{}… — <a href="{}">{}</a>{}</li>', rows)
        return format_html('<ul class="sco-evidence">{}</ul>', items)


class CitationAdminForm(CitationForm):
    """A citation on its own page. Evidence of a published claim changes only through
    a reviewer, like the claim itself."""

    class Meta(CitationForm.Meta):
        fields = ["claim", "quote", "note", "version"]

    def clean(self):
        cleaned = super().clean()
        claim = cleaned.get("claim")
        if claim is not None and not self.may_change(claim):
            raise ValidationError(
                f"“{claim}” is published: only a reviewer changes its evidence. Edit the "
                "claim instead, or ask a reviewer."
            )
        return cleaned


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    form = CitationAdminForm
    list_display = ["claim", "quote", "created_at"]
    autocomplete_fields = ["claim", "quote"]
    search_fields = ["claim__event__title", "quote__exact"]
    list_select_related = [
        "claim__event",
        "claim__value_entity",
        "claim__value_event",
        "quote__article",
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "quote":
            return quote_picker_field(db_field, self.admin_site, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.may_change = staticmethod(lambda claim: self.may_change(request, claim))
        return form

    def may_change(self, request, claim):
        return claim.status != "published" or can_publish(request.user, claim)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self.may_change(request, obj.claim):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not self.may_change(request, obj.claim):
            return False
        return super().has_delete_permission(request, obj)
