"""The admin's "Import articles" form: upload files or paste a text (issue #7).

Mounted by ArticleAdmin.get_urls at `admin:sources_article_import`; needs the
`sources.add_article` permission. It runs the same importer as `manage.py
import_articles` and reports the same summary, as admin messages.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import importers, metadata
from .models import Article, Language


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.html,.htm,.json"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data] if data else []
        # An empty upload is not a form error: the importer refuses it like any bad file.
        return [item if item.size == 0 else super().clean(item, initial) for item in items]


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False,
        label="Files",
        help_text="One or more .txt (text copied from a page), .html (a saved page) or .json "
        "files (see docs/ingestion.md).",
    )
    text = forms.CharField(
        required=False,
        strip=False,  # the original is kept verbatim
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        label="Or paste the text",
        help_text="Copied from the page, clutter and all: the clean body is cut out of it and "
        "the text is kept verbatim as the original.",
    )
    title = forms.CharField(required=False, max_length=500, help_text="Default: detected.")
    url = forms.URLField(required=False, max_length=1000, label="URL")
    outlet = forms.CharField(
        required=False, max_length=200, help_text="Outlet slug or name; created if new."
    )
    published = forms.CharField(
        required=False,
        max_length=10,
        label="Published",
        help_text="YYYY-MM-DD, YYYY-MM or YYYY. Default: detected from the text.",
    )
    language = forms.ChoiceField(required=False, choices=[("", "Detect")] + list(Language.choices))
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in importers.IMPORT_STATUSES],
        initial=importers.IMPORT_STATUSES[0],
        help_text="Imported articles are never published directly.",
    )

    def clean_published(self):
        value = self.cleaned_data["published"].strip()
        if value:
            try:
                metadata.parse_published(value)
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return value

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Choose files to upload or paste a text.")
        return data


def import_articles_view(request):
    if not request.user.has_perm("sources.add_article"):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        options = importers.ImportOptions(
            outlet=data["outlet"],
            url=data["url"],
            published=data["published"],
            language=data["language"],
            title=data["title"],
            status=data["status"],
        )
        try:
            importer = importers.Importer(options)
        except importers.HookError as exc:  # a misconfigured hook: say so, import nothing
            messages.error(request, str(exc))
            return TemplateResponse(
                request, "admin/sources/article/import.html", _context(request, form)
            )
        summary = importers.Summary()
        for upload in data["files"]:
            if upload.size > importers.MAX_BYTES:  # refused unread; the batch goes on
                outcome = importers.Outcome(
                    upload.name, "refused", importers.too_large(upload.size)
                )
            else:
                outcome = importer.import_bytes(upload.name, upload.read())
            summary.outcomes.append(outcome)
        if (data["text"] or "").strip():
            summary.outcomes.append(importer.import_text("pasted text", data["text"]))
        _report(request, summary)
        created = [o.article for o in summary.outcomes if o.article is not None]
        if len(created) == 1 and created[0].pk:
            return redirect(reverse("admin:sources_article_change", args=[created[0].pk]))
        if summary.refused and not summary.created:
            return TemplateResponse(
                request, "admin/sources/article/import.html", _context(request, form)
            )
        return redirect(reverse("admin:sources_article_changelist"))
    return TemplateResponse(request, "admin/sources/article/import.html", _context(request, form))


def _report(request, summary):
    for outcome in summary.outcomes:
        if outcome.action == "refused":
            messages.error(request, outcome.line())
        elif outcome.action == "near_duplicate":
            messages.warning(request, outcome.line())
        elif outcome.action == "duplicate":
            messages.info(request, outcome.line())
        for warning in outcome.warnings:
            messages.warning(request, f"{outcome.name}: {warning}")
    level = messages.ERROR if summary.refused and not summary.created else messages.SUCCESS
    messages.add_message(request, level, summary.text())


def _context(request, form):
    opts = Article._meta
    return {
        **admin.site.each_context(request),
        "title": "Import articles",
        "form": form,
        "opts": opts,
        "app_label": opts.app_label,
        "has_view_permission": True,
    }
