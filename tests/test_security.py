"""The probes of issue #16, as an attacker and an operator would run them.

In-process (Django's test client, production settings where it matters): error pages
for forged hosts, headers, the Atom feed, CSV cells, streamed exports that lose their
database, 503s for database faults, the login lockout and client addresses behind
proxies, ``ordering``, the demo-accounts deploy check.

Under gunicorn in production mode (DJANGO_DEBUG=0): forged hosts on pages, API and
admin; the lockout shared by two server processes and its expiry; a database that is
down from the start (the app boots, pages answer 503 in HTML and the API in JSON).
"""

import csv
import http.client
import io
import os
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from rest_framework.test import APIClient

from sco_archive import checks, faults, security
from tests.factories import (
    CitationFactory,
    EntityFactory,
    EventFactory,
    UserFactory,
)

ATOM = "{http://www.w3.org/2005/Atom}"
FORGED = "evil.example"
ROOT = Path(django_settings.BASE_DIR)


# -- forged Host header ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("cached", [False, True])
@pytest.mark.parametrize("path", ["/events/", "/api/v1/events/", "/admin/login/", "/nowhere/"])
def test_a_forged_host_is_a_plain_400(settings, client, path, cached):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["archive.example.org"]
    settings.SCO_CACHE = cached
    response = client.get(path, HTTP_HOST=FORGED)
    assert response.status_code == 400
    body = response.content.decode()
    assert "could not be read" in body
    assert FORGED not in body and "http" not in body.replace("http-equiv", "")


def test_error_pages_build_no_absolute_url():
    for name in ("400", "403", "404", "500", "503"):
        text = (ROOT / "templates" / f"{name}.html").read_text()
        assert 'extends "errors/base.html"' in text, name
    base = (ROOT / "templates" / "errors" / "base.html").read_text()
    assert "build_absolute_uri" not in base and "get_host" not in base
    assert "{% static" not in base  # a missing manifest must not make the page fail


# -- headers -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/api/v1/series/", "/admin/login/", "/nowhere/"])
def test_every_response_has_a_permissions_policy(client, path):
    response = client.get(path)
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_cors_exposes_the_validators(client):
    response = client.get("/api/v1/series/", HTTP_ORIGIN="https://other.example")
    exposed = {h.strip().lower() for h in response["Access-Control-Expose-Headers"].split(",")}
    assert {"etag", "last-modified"} <= exposed


# -- ordering ------------------------------------------------------------------------------


LISTS = [
    "/api/v1/events/",
    "/api/v1/claims/",
    "/api/v1/articles/",
    "/api/v1/quotes/",
    "/api/v1/entities/",
    "/api/v1/series/",
    "/api/v1/annotations/",
    "/api/v1/export/claims.csv",
    "/api/v1/export/claims.jsonl",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
def test_an_unknown_ordering_is_a_400_on_every_list(client, path):
    response = client.get(path, {"ordering": "unknown"})
    assert response.status_code == 400
    assert "ordering" in response.json()


@pytest.mark.django_db
def test_known_orderings_sort(client):
    for name in ("Beta", "Alpha", "Gamma"):
        EntityFactory(name=name)
    names = [e["name"] for e in client.get("/api/v1/entities/?ordering=-name").json()["results"]]
    assert names == ["Gamma", "Beta", "Alpha"]
    assert client.get("/api/v1/claims/?ordering=id").status_code == 200


# -- the Atom feed -------------------------------------------------------------------------

HOSTILE = 'Met <script>alert(1)</script> and <img src=x onerror="alert(2)"> & left.'


@pytest.fixture
def feed(db):
    now = datetime.now(UTC)
    early = EventFactory(title="Early", summary=HOSTILE)
    late = EventFactory(title="Late")
    type(early).objects.filter(pk=early.pk).update(published_at=now - timedelta(days=3))
    type(late).objects.filter(pk=late.pk).update(published_at=now - timedelta(days=1))
    response = Client().get("/feeds/events/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def test_the_feed_is_atom_1_0(feed):
    # RFC 4287 §4.1.1: a feed has id, title, updated; an author on it or on every entry.
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        # §4.1.2: id, title, updated; a link rel=alternate when there is no content.
        for name in ("id", "title", "updated", "published", "summary"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert entry.find(f"{ATOM}author/{ATOM}name").text == "SCO Archive"
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http")
        for name in ("updated", "published"):
            datetime.fromisoformat(entry.find(f"{ATOM}{name}").text)  # RFC 3339
    published = [entry.find(f"{ATOM}published").text for entry in entries]
    assert len(set(published)) == 2, "each entry has its own publication time"
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Late", "Early"]


def test_a_summary_with_markup_stays_text(feed):
    summaries = [entry.find(f"{ATOM}summary") for entry in feed.iter(f"{ATOM}entry")]
    assert {summary.get("type") for summary in summaries} == {"text"}
    hostile = next(s for s in summaries if "script" in s.text)
    assert hostile.text.endswith(HOSTILE)  # the words themselves, shown as text
    assert len(hostile) == 0  # no child elements: nothing a reader could take as markup


# -- CSV exports ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_cells_never_start_a_formula(client):
    for name in ('=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)"):
        CitationFactory(claim__value_entity=EntityFactory(name=name))
    CitationFactory(claim__value_entity=EntityFactory(name="\tTab"))
    response = client.get("/api/v1/export/claims.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert len(body) == 5
    for row in body:
        assert row[0].isdigit(), "ids stay numbers"
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    values = {row[header.index("value")] for row in body}
    assert '\'=HYPERLINK("http://evil.example","x")' in values and "'\tTab" in values


def test_safe_cell_keeps_numbers():
    from events.exports import safe_cell

    assert safe_cell(12) == 12 and safe_cell(-3.5) == -3.5
    assert safe_cell("-12") == "-12" and safe_cell("+3.5") == "+3.5"
    assert safe_cell("-1+2") == "'-1+2" and safe_cell("\rX") == "'\rX"
    assert safe_cell("Peace Mission") == "Peace Mission" and safe_cell("") == ""


@pytest.mark.django_db
def test_an_export_that_loses_its_database_mid_stream_aborts(client, monkeypatch):
    from events import exports, rows

    for _ in range(5):
        CitationFactory()
    monkeypatch.setattr(exports, "CHUNK", 2)
    real = rows.claim_dicts
    calls = []

    def failing_after_the_first_chunk(chunk):
        calls.append(len(chunk))
        if len(calls) > 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(chunk)

    monkeypatch.setattr(rows, "claim_dicts", failing_after_the_first_chunk)
    for path in ("/api/v1/export/claims.csv", "/api/v1/export/claims.jsonl"):
        calls.clear()
        response = client.get(path)
        assert response.status_code == 200  # the first chunk was read before answering
        received = []
        with pytest.raises(OperationalError):
            for part in response.streaming_content:
                received.append(part)
        assert received, "the first chunk went out before the fault"


@pytest.mark.django_db
def test_an_export_whose_database_is_down_is_a_503_before_any_byte(client, monkeypatch):
    from events import rows

    CitationFactory()

    def down(chunk):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(rows, "claim_dicts", down)
    response = client.get("/api/v1/export/claims.csv")
    assert response.status_code == 503
    assert response["Retry-After"] == str(django_settings.SCO_RETRY_AFTER)
    assert "cannot be reached" in response.json()["detail"]


# -- database faults -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unreachable_database_is_a_503_and_recovers(client, monkeypatch):
    EventFactory(title="Peace Mission 2021")

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with monkeypatch.context() as patch:
        patch.setattr(connection, "ensure_connection", refuse)
        page = client.get("/events/")
        api = client.get("/api/v1/events/")
    assert page.status_code == 503 and api.status_code == 503
    assert page["Content-Type"].startswith("text/html")
    assert "temporarily unavailable" in page.content.decode()
    assert api.json() == {"detail": faults.UNAVAILABLE}
    assert page["Retry-After"] == api["Retry-After"] == "30"
    assert "no-store" in api["Cache-Control"]
    # The database is back: the next requests are served as usual.
    assert client.get("/events/").status_code == 200
    assert client.get("/api/v1/events/").json()["count"] == 1


@pytest.mark.django_db
def test_a_fault_outside_any_view_is_a_503_too(rf):
    request = rf.get("/events/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = faults.server_error(request)
    assert response.status_code == 503 and response["Retry-After"]
    try:
        raise ValueError("a bug")
    except ValueError:
        assert faults.server_error(rf.get("/api/v1/")).status_code == 500


@pytest.fixture
def read_only_database(transactional_db):
    """The database refuses every write, as a read-only replica or file does."""
    UserFactory(username="curator", password="right-pass-123", is_staff=True)
    EventFactory(title="Vostok 2022")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = OFF")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")


def test_a_read_only_database_serves_reads_and_refuses_writes(read_only_database):
    client = Client()
    assert client.get("/events/").status_code == 200
    assert client.get("/api/v1/events/").json()["count"] == 1
    for password in ("right-pass-123", "wrong"):
        login = client.post(
            "/admin/login/", {"username": "curator", "password": password, "next": "/admin/"}
        )
        assert login.status_code == 503, password
        assert login["Retry-After"]
        assert "read-only" in login.content.decode()


def test_no_query_at_import_or_ready_time():
    """The app boots with its database down: importing the URLconf and the WSGI app
    runs no query (DATABASE_URL points at a closed port)."""
    code = (
        "import django, sys; django.setup();"
        "import sco_archive.wsgi, sco_archive.urls, sco_archive.api_urls;"
        "from django.db import connection; sys.exit(1 if connection.connection else 0)"
    )
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{_free_port()}/x"}
    env["DJANGO_SETTINGS_MODULE"] = "sco_archive.settings"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


# -- demo accounts in production -----------------------------------------------------------


@pytest.mark.django_db
def test_check_deploy_flags_demo_accounts_with_debug_off(settings):
    from events import roles

    settings.DEBUG = False
    assert checks.demo_accounts_in_production() == []
    users = roles.create_demo_accounts()
    errors = checks.demo_accounts_in_production()
    assert [error.id for error in errors] == ["sco_archive.E001"]
    assert "editor" in errors[0].msg and "reviewer" in errors[0].msg
    settings.DEBUG = True
    assert checks.demo_accounts_in_production() == []
    settings.DEBUG = False
    for user in users:
        user.set_password("a-real-secret-of-its-own")
        user.save()
    assert checks.demo_accounts_in_production() == []


# -- client addresses behind proxies -------------------------------------------------------


def test_client_ip_trusts_only_the_configured_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.SCO_NUM_PROXIES = 0
    assert security.client_ip(request) == "10.0.0.1"
    settings.SCO_NUM_PROXIES = 1
    assert security.client_ip(request) == "203.0.113.9"
    settings.SCO_NUM_PROXIES = 2
    assert security.client_ip(request) == "6.6.6.6"
    settings.SCO_NUM_PROXIES = 5
    assert security.client_ip(request) == "6.6.6.6"


def test_proxies_and_the_lockout_store_come_from_the_environment():
    """DJANGO_NUM_PROXIES feeds DRF and the lockout; the lock lives in the database, or
    in the shared cache when REDIS_URL is set."""
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SCO_NUM_PROXIES, s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_HANDLER)"
    )
    for value, redis, expected in (
        ("", "", "0 0 axes.handlers.database.AxesDatabaseHandler"),
        ("1", "redis://127.0.0.1:6379/6", "1 1 axes.handlers.cache.AxesCacheHandler"),
    ):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sco_archive.settings"}
        env.update(DJANGO_NUM_PROXIES=value, REDIS_URL=redis)
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert out.stdout.strip() == expected, out.stderr[-1000:]


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_dodge_the_throttle(settings):
    settings.SCO_API_ANON_RATE = "2/minute"
    cache.clear()
    client = APIClient()
    statuses = [
        client.get("/api/v1/series/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 429, 429]
    cache.clear()


# -- login lockout (in-process) ------------------------------------------------------------


def _login(client, username, password, **extra):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        **extra,
    )


@pytest.mark.django_db
def test_ten_failures_lock_an_account_even_for_the_right_password(client):
    UserFactory(username="chief", password="right-pass-123", is_staff=True)
    for n in range(9):
        # From nine different addresses: the account itself is counted.
        response = _login(client, "chief", f"guess-{n}", REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 200, n  # the form again, with its error
    # The tenth failure locks the account.
    assert _login(client, "chief", "guess", REMOTE_ADDR="192.0.2.9").status_code == 429
    refused = _login(client, "chief", "right-pass-123", REMOTE_ADDR="192.0.2.99")
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_ten_failures_lock_a_client_for_every_account(client):
    UserFactory(username="deputy", password="right-pass-123", is_staff=True)
    for n in range(10):
        _login(client, f"nobody{n}", "guess", REMOTE_ADDR="192.0.2.50")
    for spoof in ("", "203.0.113.7"):
        refused = _login(
            client, "deputy", "right-pass-123", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=spoof
        )
        assert refused.status_code == 429, spoof
    assert _login(client, "deputy", "right-pass-123", REMOTE_ADDR="192.0.2.51").status_code == 302


@pytest.mark.django_db
def test_the_test_clients_login_still_works(client):
    UserFactory(username="ed", password="ed-pass-123", is_staff=True)
    assert client.login(username="ed", password="ed-pass-123")
    assert client.get("/admin/").status_code == 200


# -- under gunicorn, in production mode ----------------------------------------------------


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SCO_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sco_archive.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="test-" + "k3Yq9" * 12,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback, as behind a TLS-terminating proxy.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_HSTS_SECONDS="0",
        # Static files as they are (no collectstatic in the test run).
        SCO_PLAIN_STATIC="1",
        **extra,
    )
    return env


class Server:
    """One gunicorn on a free loopback port, ended when the test module ends."""

    def __init__(self, env, workers=1):
        self.port = _free_port()
        self.log = open(Path(env["SCO_TEST_DIR"]) / f"gunicorn-{self.port}.log", "w+")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "sco_archive.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                self.request("GET", "/robots.txt")
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start: {self.output()}")

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-3000:]

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def login(self, username, password, forwarded_for=None):
        """The admin's login form as a browser fills it in (CSRF cookie and token)."""
        status, headers, body = self.request("GET", "/admin/login/")
        assert status == 200, status
        cookie = SimpleCookie(headers.get("Set-Cookie", ""))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = {
            "csrfmiddlewaretoken": token.decode(),
            "username": username,
            "password": password,
            "next": "/admin/",
        }
        extra = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        status, headers, body = self.request(
            "POST",
            "/admin/login/?next=/admin/",
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie['csrftoken'].value}",
                **extra,
            },
        )
        return status, body.decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


COOLOFF = 10  # seconds: longer than any gap between two attempts on a busy machine


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Two gunicorn processes (two workers each) sharing one migrated SQLite database,
    with a staff account and a short lockout cool-off."""
    directory = tmp_path_factory.mktemp("production")
    env = _production_env(
        DATABASE_URL=f"sqlite:///{directory / 'archive.sqlite3'}",
        SCO_LOGIN_COOLOFF_SECONDS=str(COOLOFF),
        SCO_TEST_DIR=str(directory),
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    create = (
        "from django.contrib.auth.models import User;"
        "User.objects.create_user('staffer', password='right-pass-123', is_staff=True);"
        "User.objects.create_user('other', password='right-pass-123', is_staff=True)"
    )
    subprocess.run([*manage, "shell", "-c", create], cwd=ROOT, env=env, check=True)
    servers = [Server(env, workers=2), Server(env, workers=2)]
    yield servers
    for server in servers:
        server.stop()


@pytest.mark.parametrize("path", ["/events/", "/api/v1/events/", "/admin/login/"])
def test_gunicorn_answers_a_forged_host_with_400(production, path):
    status, headers, body = production[0].request("GET", path, headers={"Host": FORGED})
    assert status == 400, production[0].output()
    assert b"could not be read" in body and FORGED.encode() not in body
    assert "Permissions-Policy" in headers


def test_gunicorn_locks_out_across_processes_and_the_lock_expires(production):
    first, second = production
    for n in range(9):
        server = production[n % 2]
        status, body = server.login("staffer", f"guess-{n}", forwarded_for=f"198.51.100.{n}")
        assert status == 200 and "correct username and password" in body, (n, status)
    status, body = second.login("staffer", "guess-9")  # the tenth failure locks
    assert status == 429
    # Locked on both processes, for the right password too, however X-Forwarded-For lies.
    for server in (first, second):
        status, body = server.login("staffer", "right-pass-123", forwarded_for="203.0.113.1")
        assert status == 429, server.output()
        assert "Too many failed sign-ins" in body
    # The client address (127.0.0.1) is locked too: another account is refused from it.
    status, _ = second.login("other", "right-pass-123")
    assert status == 429
    # The lock expires: poll, with a deadline, until the right password is let in.
    deadline = time.monotonic() + COOLOFF + 30
    while True:
        status, _ = first.login("staffer", "right-pass-123")
        if status == 302:
            break
        assert status == 429 and time.monotonic() < deadline, status
        time.sleep(0.25)
    status, _ = second.login("other", "right-pass-123")
    assert status == 302


@pytest.fixture(scope="module")
def database_down(tmp_path_factory):
    """Gunicorn whose PostgreSQL server is not there (a closed port)."""
    directory = tmp_path_factory.mktemp("down")
    env = _production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{_free_port()}/archive",
        SCO_TEST_DIR=str(directory),
    )
    server = Server(env, workers=1)
    yield server
    server.stop()


def test_gunicorn_boots_with_the_database_down_and_answers_503(database_down):
    status, headers, body = database_down.request("GET", "/events/")
    assert status == 503, database_down.output()
    assert headers["Content-Type"].startswith("text/html") and headers["Retry-After"] == "30"
    assert b"temporarily unavailable" in body
    status, headers, body = database_down.request("GET", "/api/v1/events/")
    assert status == 503 and headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "30"
    status, headers, body = database_down.request("GET", "/api/v1/export/claims.csv")
    assert status == 503 and headers["Content-Type"] == "application/json"
