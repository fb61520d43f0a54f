"""The article page as one page for an article's evidence (the admin): its suggested and
draft claims listed with their quotes, accept / reject each in place, re-run the
suggester after an edit, and record a claim from words selected in the body.

The views sit under the claim admin (`admin:events_article_*`); the panel is rendered on
the article's change page by the `article_evidence` template tag (events.templatetags),
so `sources` imports nothing of `events`.
"""

from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from sources.models import Article, DatePrecision, Quote, Status

from . import suggest
from .models import VALUE_KINDS, Citation, Claim, Entity, Event


def claims_of(article):
    """Claims citing a quote of the article, suggestions first, with their quotes."""
    claims = (
        Claim.objects.filter(citations__quote__article=article)
        .select_related("event", "value_entity", "value_event")
        .prefetch_related("citations__quote")
        .distinct()
        .order_by("-origin", "event__title", "property", "pk")
    )
    rows = []
    for claim in claims:
        quotes = [c.quote for c in claim.citations.all() if c.quote.article_id == article.pk]
        rows.append({"claim": claim, "quotes": quotes, "confidence": _confidence(claim.note)})
    return rows


def _confidence(note):
    marker = "confidence "
    at = (note or "").find(marker)
    if at < 0:
        return None
    try:
        return float(note[at + len(marker) : at + len(marker) + 4])
    except ValueError:
        return None


def _autocomplete(field_name):
    """Django admin's select2 search-as-you-type for a ForeignKey of Claim: the admin's
    own autocomplete view answers it, with its permission checks (view permission on the
    searched model) and the searched admin's `search_fields` (names and aliases)."""
    return AutocompleteSelect(
        Claim._meta.get_field(field_name), admin.site, attrs={"data-width": "32em"}
    )


class RecordForm(forms.Form):
    """A claim from a selection: event, property, value and the selected words. Events and
    entities are chosen by searching their names (never typed as slugs); the property
    comes from the vocabulary and claim-value.js shows the value fields its kinds take
    (``VALUE_KINDS``)."""

    event = forms.ModelChoiceField(queryset=Event.objects.all(), widget=_autocomplete("event"))
    property = forms.ChoiceField(choices=Claim.Property.choices)
    value_entity = forms.ModelChoiceField(
        queryset=Entity.objects.all(), required=False, widget=_autocomplete("value_entity")
    )
    value_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    value_date_precision = forms.ChoiceField(
        choices=[("", "—"), *DatePrecision.choices], required=False
    )
    value_event = forms.ModelChoiceField(
        queryset=Event.objects.all(), required=False, widget=_autocomplete("value_event")
    )
    value_text = forms.CharField(
        required=False, max_length=2000, widget=forms.TextInput(attrs={"size": 60})
    )
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["property"].widget.attrs["data-value-kinds"] = json.dumps(VALUE_KINDS)
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"record-{name.replace('_', '-')}")


def _back(article, anchor=""):
    return redirect(reverse("admin:sources_article_change", args=[article.pk]) + anchor)


def _claim_for(request, article_id, claim_id):
    article = get_object_or_404(Article, pk=article_id)
    claim = get_object_or_404(Claim, pk=claim_id, citations__quote__article=article)
    return article, claim


@require_POST
def accept_view(request, article_id, claim_id):
    if not request.user.has_perm("events.change_claim"):
        raise PermissionDenied
    article, claim = _claim_for(request, article_id, claim_id)
    count = suggest.accept([claim], request.user)
    messages.success(
        request,
        f"Accepted: {claim.get_property_display()} {claim.value}."
        if count
        else "Nothing to accept.",
    )
    return _back(article, "#evidence")


@require_POST
def reject_view(request, article_id, claim_id):
    if not request.user.has_perm("events.delete_claim"):
        raise PermissionDenied
    article, claim = _claim_for(request, article_id, claim_id)
    label = f"{claim.get_property_display()} {claim.value}"
    count = suggest.reject([claim], request.user)
    messages.success(
        request, f"Rejected: {label}." if count else "Only suggestions are rejected here."
    )
    return _back(article, "#evidence")


@require_POST
def rerun_view(request, article_id):
    if not request.user.has_perm("events.add_claim"):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=article_id)
    claims = suggest.suggest_for_article(article)
    messages.success(
        request, f"Suggestions re-run: {len(claims)} claim(s) suggested or cited again."
    )
    return _back(article, "#evidence")


@require_POST
def record_view(request, article_id):
    """Record a claim (the editor's own, a draft) citing the selected words."""
    if not (
        request.user.has_perm("events.add_claim") and request.user.has_perm("sources.add_quote")
    ):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=article_id)
    form = RecordForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
        return _back(article, "#evidence")
    data = form.cleaned_data
    start, end = data["start"], data["end"]
    selected = article.body[start:end]
    start += len(selected) - len(selected.lstrip())
    end -= len(selected) - len(selected.rstrip())
    try:
        with transaction.atomic():
            quote = Quote.objects.filter(article=article, start=start, end=end).first()
            if quote is None:
                quote = Quote.at(article.body, start, end, article=article)
                quote.full_clean()
                quote.save()
            claim = Claim(
                event=data["event"],
                property=data["property"],
                value_entity=data["value_entity"],
                value_date=data["value_date"],
                value_date_precision=data["value_date_precision"] if data["value_date"] else "",
                value_event=data["value_event"],
                value_text=data["value_text"] or "",
                origin=Claim.Origin.EDITOR,
                status=Status.DRAFT,
            )
            claim._history_user = request.user
            claim.full_clean()
            claim.save()
            Citation.objects.create(claim=claim, quote=quote)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(article, "#evidence")
    messages.success(
        request, f"Claim recorded: {claim.get_property_display()} {claim.value} — “{quote.exact}”."
    )
    return _back(article, "#evidence")


def urls(admin_site):
    view = admin_site.admin_view
    return [
        path("article/<int:article_id>/rerun/", view(rerun_view), name="events_article_rerun"),
        path("article/<int:article_id>/record/", view(record_view), name="events_article_record"),
        path(
            "article/<int:article_id>/<int:claim_id>/accept/",
            view(accept_view),
            name="events_article_accept",
        ),
        path(
            "article/<int:article_id>/<int:claim_id>/reject/",
            view(reject_view),
            name="events_article_reject",
        ),
    ]


def panel_context(article, user):
    """What the evidence panel of the article page shows."""
    rows = claims_of(article)
    events = sorted({row["claim"].event for row in rows}, key=lambda event: event.title)
    return {
        "article": article,
        "rows": rows,
        "record_form": RecordForm(initial={"event": events[0].pk} if events else None),
        "suggested": sum(1 for row in rows if row["claim"].origin == Claim.Origin.SUGGESTED),
        "events": events,
        "can_change": user.has_perm("events.change_claim"),
        "can_delete": user.has_perm("events.delete_claim"),
        "can_record": user.has_perm("events.add_claim") and user.has_perm("sources.add_quote"),
        "rerun_url": reverse("admin:events_article_rerun", args=[article.pk]),
        "record_url": reverse("admin:events_article_record", args=[article.pk]),
        "today": datetime.date.today(),
    }
