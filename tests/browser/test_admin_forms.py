"""Every admin change form saves from a real browser exactly as it is rendered (issue #13).

Chromium posts what the page holds: textareas with CRLF line endings, every inline formset
with its management form, read-only fields left out, hidden `version` fields as rendered.
The Django test client never does that, so nothing here posts by hand: each form is opened
and its Save button pressed, once unchanged and once with an edit.

The seed archive is loaded once per test (about 3 s); each test then walks every object
it covers and reports all the forms that failed together, with the server's traceback.
"""

import io

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count
from django.test import RequestFactory
from django.urls import reverse

from events import roles
from events.models import Claim, Entity, Event, Series
from sources.models import Article, FormerSlug, Outlet, Quote
from tests.browser.conftest import admin_login, press, server_errors, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "form-pass-123"
SUFFIX = " (edited)"
# Appended to an article's body: a new last sentence, outside every quote.
SENTENCE = " The archive added this closing sentence in a browser test."
# The text field an edit appends to, the first one a change form shows as editable.
EDITABLE_TEXT = ["note", "description", "summary", "last_name", "name", "title", "text"]
# Never compared between before and after a save: the save itself moves them.
# (date_joined: the user form shows it to the second, so a save drops its microseconds.)
MOVING = {"version", "updated_at", "created_at", "last_login", "password", "content_hash"}
MOVING |= {"date_joined"}


def load_seed():
    call_command("load_seed", stdout=io.StringIO())


def objects_to_open():
    """One object per registered admin model (the richest form), and every article."""
    picks = {
        Article: lambda: list(Article.objects.order_by("pk")),
        Outlet: lambda: [Outlet.objects.annotate(n=Count("articles")).order_by("-n").first()],
        Quote: lambda: [Quote.objects.annotate(n=Count("citations")).order_by("-n", "pk").first()],
        Entity: lambda: [Entity.objects.annotate(n=Count("claims")).order_by("-n", "pk").first()],
        Series: lambda: [Series.objects.annotate(n=Count("events")).order_by("-n", "pk").first()],
        Event: lambda: [Event.objects.annotate(n=Count("claims")).order_by("-n", "pk").first()],
        Claim: lambda: [Claim.objects.annotate(n=Count("citations")).order_by("-n", "pk").first()],
    }
    found = []
    for model in admin.site._registry:
        if model._meta.app_label == "axes":
            continue  # django-axes' login records: logs written by the lockout, not curated
        pick = picks.get(model, lambda model=model: [model._default_manager.order_by("pk").first()])
        found.append((model, pick()))
    return found


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def changelist_url(live_server, obj):
    opts = obj._meta
    return live_server.url + reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def snapshot(obj):
    """The stored values of `obj` (and, for an article, its quotes' spans)."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values = {
        field.name: field.value_from_object(obj)
        for field in obj._meta.concrete_fields
        if field.name not in MOVING
    }
    if isinstance(obj, Article):
        values["quotes"] = sorted(obj.quotes.values_list("pk", "start", "end", "exact"))
    return values


def saved_problems(what, saved, live_server, obj, caplog, expect_message=None, unchanged=False):
    """Why a save did not end as a successful one, or [] if it did. An unchanged save of
    published work by an editor may say so ("… is unchanged.", an info message)."""
    problems = []
    if saved.status != 200 or saved.url != changelist_url(live_server, obj):
        problems.append(f"{what}: expected the changelist, got {saved!r}")
    elif not saved.successes and not (unchanged and saved.infos):
        problems.append(f"{what}: no success message, got {saved!r}")
    elif expect_message and not any(expect_message in m for m in saved.successes):
        problems.append(f"{what}: no message saying {expect_message!r}, got {saved!r}")
    if saved.errors:
        problems.append(f"{what}: the page shows errors {saved.errors}")
    problems += [f"{what}: server error {line}" for line in server_errors(caplog)]
    return problems


def pending_revisions(obj):
    from sources.models import Revision  # arrives with issue #13

    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status="pending"
    )


def save_unchanged(page, live_server, user, obj, caplog):
    what = f"{obj._meta.label} {obj.pk} ({obj}) saved unchanged"
    response = page.goto(live_server.url + change_url(obj))
    if response.status != 200:
        return [f"{what}: the change form answers HTTP {response.status}"]
    if page.locator("input[name=_save]").count() == 0:
        request = RequestFactory().get("/admin/")
        request.user = user
        if admin.site._registry[type(obj)].has_change_permission(request, obj):
            return [f"{what}: the change form has no Save button"]
        return []  # a view-only form (e.g. former slugs): it rendered, nothing to save
    before = snapshot(obj)
    saved = press(page)
    problems = saved_problems(what, saved, live_server, obj, caplog, unchanged=True)
    after = snapshot(obj)
    if after != before:
        changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
        problems.append(f"{what}: the stored object changed: {changed}")
    if hasattr(obj, "pending_revision") and obj.pending_revision() is not None:
        changes = obj.pending_revision().changes
        problems.append(f"{what}: an unchanged save made a pending revision of {sorted(changes)}")
    return problems


def edit_field(page, obj):
    """The name of the field to edit on the open change form: the body of an article,
    otherwise the first editable text field."""
    if isinstance(obj, Article):
        return "body"
    for name in EDITABLE_TEXT:
        field = page.locator(f"#id_{name}")
        if field.count() and field.is_visible() and field.is_editable():
            return name
    return None


def save_edited(page, live_server, user, obj, caplog, *, as_editor=False):
    what = f"{obj._meta.label} {obj.pk} ({obj}) saved with an edit"
    response = page.goto(live_server.url + change_url(obj))
    if response.status != 200:
        return [f"{what}: the change form answers HTTP {response.status}"]
    if page.locator("input[name=_save]").count() == 0:
        return []  # view-only: checked by save_unchanged
    name = edit_field(page, obj)
    if name is None:
        return [f"{what}: no editable text field among {EDITABLE_TEXT}"]
    before = snapshot(obj)
    added = SENTENCE if name == "body" else SUFFIX
    page.fill(f"#id_{name}", page.input_value(f"#id_{name}") + added)
    # What the model should store: the body verbatim (with \n, not the CRLF the browser
    # sends), other text fields stripped as Django's form fields strip them.
    expected = before[name] + added if name == "body" else (before[name] + added).strip()
    review = as_editor and getattr(obj, "status", None) == "published"
    saved = press(page)
    problems = saved_problems(
        what, saved, live_server, obj, caplog, "waiting for review" if review else None
    )
    after = snapshot(obj)
    if review:
        if after != before:
            problems.append(f"{what}: the published {name} changed before review")
        try:
            revisions = list(pending_revisions(obj))
        except ImportError as exc:
            revisions = None
            problems.append(f"{what}: {exc}")
        if revisions is None:
            pass
        elif len(revisions) != 1:
            problems.append(f"{what}: {len(revisions)} pending revisions, expected 1")
        else:
            revision = revisions[0]
            if revision.author != user:
                problems.append(f"{what}: the revision's author is {revision.author}")
            if sorted(revision.changes) != [name]:
                problems.append(f"{what}: the revision changes {sorted(revision.changes)}")
            elif revision.changes[name]["new"] != expected:
                new = revision.changes[name]["new"]
                problems.append(f"{what}: the revision holds {new!r}, not {expected!r}")
    else:
        if after[name] != expected:
            problems.append(f"{what}: stored {name} is {after[name]!r}, not {expected!r}")
        changed = {k for k in before if k != name and before[k] != after.get(k)}
        if changed:
            problems.append(f"{what}: other fields changed too: {sorted(changed)}")
    return problems


def revert_edit(page, live_server, obj, before, caplog):
    """Revert the last edit from the object's history: its "Revert" form, as rendered."""
    what = f"{obj._meta.label} {obj.pk} ({obj}) reverted from its history"
    older = obj.history.order_by("-history_date", "-history_id")[1]
    opts = obj._meta
    name = f"admin:{opts.app_label}_{opts.model_name}_simple_history"
    page.goto(live_server.url + reverse(name, args=[obj.pk, older.history_id]))
    saved = press(page)  # the "Revert" button
    problems = saved_problems(what, saved, live_server, obj, caplog)
    after = snapshot(obj)
    if after != before:
        changed = {k: (before[k], after.get(k)) for k in before if before[k] != after.get(k)}
        problems.append(f"{what}: not back as before the edit: {changed}")
    return problems


def test_every_change_form_saves_as_rendered_by_a_superuser(page, live_server, caplog):
    """Every registered admin model: one object (every seed article) saved unchanged,
    then with an edit written directly; for models with a history, the edit is then
    reverted from the history's "Revert" form."""
    load_seed()
    boss = staff_user("boss", PASSWORD, superuser=True)
    staff_user("ed", PASSWORD, roles.EDITORS)  # a user and a group with members to open
    article = Article.objects.order_by("pk").first()
    FormerSlug.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=article.pk,
        slug="an-old-slug",
    )
    admin_login(page, live_server, "boss", PASSWORD)

    problems, opened = [], []
    for model, objects in objects_to_open():
        if not objects or objects[0] is None:
            problems.append(f"{model._meta.label}: no object to open (add one to this test)")
            continue
        for index, obj in enumerate(objects):
            opened.append(obj._meta.label)
            problems += save_unchanged(page, live_server, boss, obj, caplog)
            before = snapshot(obj)
            problems += save_edited(page, live_server, boss, obj, caplog)
            if index == 0 and hasattr(model, "history"):
                problems += revert_edit(page, live_server, obj, before, caplog)

    assert opened.count("sources.Article") == 5
    assert not problems, "\n".join(problems)


def test_every_seed_article_saves_as_rendered_by_an_editor(page, live_server, caplog):
    """As an editor (the demo account's group): every seed article saves unchanged, and
    an edit outside its quotes becomes a pending revision; likewise a published event
    and a published claim (with its citation inline)."""
    load_seed()
    editor = staff_user("editor", PASSWORD, roles.EDITORS)
    admin_login(page, live_server, "editor", PASSWORD)

    problems = []
    articles = list(Article.objects.order_by("pk"))
    assert len(articles) == 5 and all(a.status == "published" for a in articles)
    (event,) = dict(objects_to_open())[Event]
    (claim,) = dict(objects_to_open())[Claim]
    assert event.status == claim.status == "published"
    for obj in [*articles, event, claim]:
        problems += save_unchanged(page, live_server, editor, obj, caplog)
        problems += save_edited(page, live_server, editor, obj, caplog, as_editor=True)

    assert not problems, "\n".join(problems)
