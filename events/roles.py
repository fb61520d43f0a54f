"""The editorial roles: Editors write and submit, Reviewers also publish.

`ensure_groups()` is idempotent and runs from `manage.py setup_roles`; demo accounts are
only ever created in demo mode (SCO_DEMO=1, as `make run` sets it).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
REVIEWERS = "Reviewers"

CURATED_MODELS = {
    "sources": ["outlet", "article", "quote", "quotetranslation"],
    "events": ["entity", "series", "event", "claim", "citation"],
}
PUBLISH_PERMISSIONS = [
    ("sources", "publish_article"),
    ("sources", "publish_quotetranslation"),
    ("events", "publish_event"),
    ("events", "publish_claim"),
]
DEMO_ACCOUNTS = [
    ("editor", "sco-editor", EDITORS),
    ("reviewer", "sco-reviewer", REVIEWERS),
]


def _permissions(pairs):
    found = []
    for app_label, codename in pairs:
        found.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return found


def editing_permissions():
    pairs = [
        (app_label, f"{action}_{model}")
        for app_label, models in CURATED_MODELS.items()
        for model in models
        for action in ("view", "add", "change", "delete")
    ]
    return _permissions(pairs)


def ensure_groups():
    """Create or update the Editors and Reviewers groups; returns them."""
    editing = editing_permissions()
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(editing)
    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.set(editing + _permissions(PUBLISH_PERMISSIONS))
    return editors, reviewers


def create_demo_accounts():
    """The demo accounts of BRIEF.md, as staff members of their group."""
    groups = {group.name: group for group in ensure_groups()}
    User = get_user_model()
    users = []
    for username, password, group_name in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=username)
        if created or not user.check_password(password):
            user.set_password(password)
        user.is_staff = True
        user.save()
        user.groups.set([groups[group_name]])
        users.append(user)
    return users
