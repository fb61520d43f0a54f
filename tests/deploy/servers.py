"""Real processes for the deploy tests: an archive database file, gunicorn, nginx.

Everything binds to 127.0.0.1 on free ports and lives in a temporary directory. The
database is an SQLite file of its own (the test runner's database may be in memory),
migrated and given one published event; writes come from other processes
(``manage.py shell -c``, or plain ``sqlite3``) as they would in production.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SLUG = "peace-mission-2041"
TITLE = "Peace Mission 2041"
REDIS_URL = os.environ.get("SCO_TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check, timeout, message):
    """Poll ``check()`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.02)


def get(url, headers=None):
    """(status, headers, body text) of one GET on a new connection."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Archive:
    """A migrated SQLite archive and the environment a production process runs with."""

    def __init__(self, directory):
        self.directory = directory
        self.path = directory / "archive.sqlite3"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.path}",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "deploy-test-" + uuid.uuid4().hex * 2,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "SCO_PLAIN_STATIC": "1",  # no collectstatic needed
            "SCO_CACHE": "1",
            "REDIS_URL": "",
        }
        self.env.pop("SCO_COUNT_CACHE", None)

    def manage(self, *args, env=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def shell(self, code):
        """Run ``code`` in ``manage.py shell``: another process, as an editor's script."""
        self.manage("shell", "-c", code)

    def set_status(self, status):
        """Raw SQL from a process that is not Django at all."""
        with sqlite3.connect(self.path) as db:
            db.execute("UPDATE events_event SET status = ? WHERE slug = ?", (status, SLUG))


@pytest.fixture(scope="session")
def archive():
    directory = Path(tempfile.mkdtemp(prefix="sco-deploy-"))
    archive = Archive(directory)
    archive.manage("migrate", "--noinput", "-v0")
    archive.shell(
        "from events.models import Event; Event.objects.create("
        f"title={TITLE!r}, slug={SLUG!r}, status='published', date_precision='unknown')"
    )
    yield archive
    shutil.rmtree(directory, ignore_errors=True)


def redis_up():
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


class Gunicorn:
    """``gunicorn -w N sco_archive.wsgi:application`` on a free loopback port."""

    def __init__(self, archive, workers=2, redis_url=""):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = archive.directory / f"gunicorn-{self.port}.log"
        env = {**archive.env, "REDIS_URL": redis_url}
        if redis_url:
            env["SCO_CACHE_PREFIX"] = f"sco-deploy-{uuid.uuid4().hex}"  # keys of this run only
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "sco_archive.wsgi:application",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{self.port}",
                f"--access-logfile={self.log}",
                "--access-logformat=%(p)s %(U)s",  # which worker answered which path
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_until(self.ready, 60, "gunicorn did not start")

    def ready(self):
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn exited: {self.process.stderr.read().decode()[-2000:]}")
        try:
            return get(self.url + "/robots.txt")[0] == 200
        except OSError:
            return False

    def log_lines(self):
        return self.log.read_text().splitlines() if self.log.exists() else []

    def workers_that_served(self, path, since=0):
        """The worker pids that answered ``path`` after the first ``since`` log lines."""
        return {line.split()[0] for line in self.log_lines()[since:] if line.split()[1:] == [path]}

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process.stderr.close()
