"""An article imported and published by another process is searchable at once, on
SQLite and PostgreSQL (issue #18): the index is written by the writer's own signal
handlers, in its transaction."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from events import search
from tests.events.test_search_languages import RUSSIAN_BODY, RUSSIAN_TITLE

ROOT = Path(__file__).resolve().parents[2]


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


PUBLISH = (
    "import os; from django.core.management import call_command;"
    "from sources.models import Article;"
    "call_command('import_articles', os.environ['SCO_TEST_SOURCE'], verbosity=0);"
    "article = Article.objects.get(title__startswith='Учение');"
    "article.status = 'published'; article.save()"
)
SEARCH = (
    "import json; from events import search;"
    "print(json.dumps([hit.url for hit in search.search('учениями')['article']]))"
)


def test_an_article_imported_and_published_by_another_process_is_found_at_once(
    transactional_db, tmp_path
):
    """One process imports a Russian article and publishes it through the ORM; the next
    search, in another process, finds it: the index is written by the writer's own
    signal handlers, in its transaction."""
    source = tmp_path / "uchenie.txt"
    source.write_text(f"{RUSSIAN_TITLE}\n\n{RUSSIAN_BODY}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "sco_archive.settings"
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        # The test database itself: this process searches after the other one wrote.
        user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{settings['NAME']}"
        if settings.get("PASSWORD"):
            env["PGPASSWORD"] = settings["PASSWORD"]
    else:
        # The test database is in memory: a migrated file that two processes share.
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
        _manage(env, "migrate", "-v0")
    env["SCO_TEST_SOURCE"] = str(source)
    _manage(env, "shell", "-c", PUBLISH)
    if connection.vendor == "postgresql":
        urls = [hit.url for hit in search.search("учениями")["article"]]
    else:
        urls = json.loads(_manage(env, "shell", "-c", SEARCH).stdout.splitlines()[-1])
    assert len(urls) == 1 and urls[0].startswith("/sources/")
