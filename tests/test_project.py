"""Project-level promises: settings, roles and demo accounts."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from events import roles


def test_sqlite_is_the_zero_configuration_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={"DJANGO_SETTINGS_MODULE": "sco_archive.settings", "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "django.db.backends.sqlite3"


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "sco_archive.settings",
        # An empty database: a local db.sqlite3 may hold the demo accounts (sco_archive.E001).
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-" + "x7Qz" * 10,
        "DJANGO_ALLOWED_HOSTS": "archive.example.org",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_fallback_secret_key_fails_check_deploy():
    env = {"DJANGO_SETTINGS_MODULE": "sco_archive.settings", "DJANGO_DEBUG": "0", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_demo_accounts_are_created_only_in_demo_mode(settings):
    settings.SCO_DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("setup_roles", "--demo")
    assert not get_user_model().objects.filter(username="editor").exists()

    settings.SCO_DEMO = True
    call_command("setup_roles", "--demo")
    call_command("setup_roles", "--demo")  # idempotent
    editor = get_user_model().objects.get(username="editor")
    reviewer = get_user_model().objects.get(username="reviewer")
    assert editor.check_password("sco-editor") and editor.is_staff
    assert reviewer.check_password("sco-reviewer") and reviewer.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == [roles.EDITORS]
    assert reviewer.has_perm("events.publish_event")
    assert not editor.has_perm("events.publish_event")
    assert editor.has_perm("events.change_claim")
