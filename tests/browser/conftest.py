"""Real Chromium (Debian's) driven by Playwright, for the browser tests."""

import os
import shutil

import pytest

# pytest-django's live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
VNU = (
    __import__("pathlib").Path(__file__).resolve().parents[2]
    / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)  # fmt: skip
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """live_server is session-wide and speaks plain HTTP: no TLS redirect, no secure cookies."""
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SCO_CACHE=False,
    ):
        yield


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def admin_login(page, live_server, username, password):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


# --- Helpers for the change-form and editor's-day tests (issue #13) -----------------------


def staff_user(username, password, group=None, *, superuser=False):
    """A staff account (in `group`, an events.roles group name) that can log in."""
    from django.contrib.auth import get_user_model

    from events import roles

    editors, reviewers = roles.ensure_groups()
    user = get_user_model().objects.create_user(
        username, password=password, is_staff=True, is_superuser=superuser
    )
    if group is not None:
        user.groups.add({roles.EDITORS: editors, roles.REVIEWERS: reviewers}[group])
    return user


class Saved:
    """What the browser shows after pressing a submit button of an admin form."""

    def __init__(self, page, response):
        self.status = response.status if response is not None else None
        self.url = page.url.split("#")[0]
        self.successes = page.locator(".messagelist .success").all_inner_texts()
        self.infos = page.locator(".messagelist .info").all_inner_texts()
        self.messages = page.locator(".messagelist li").all_inner_texts()
        self.errors = [
            *page.locator(".messagelist .error").all_inner_texts(),
            *page.locator(".errornote").all_inner_texts(),
            *page.locator(".errorlist li").all_inner_texts(),
        ]

    def __repr__(self):
        return f"HTTP {self.status} at {self.url}; messages={self.messages}; errors={self.errors}"


def press(page, selector="input[name=_save]"):
    """Click a submit button as a person does and wait for the page it leads to."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    return Saved(page, navigation.value)


def server_errors(caplog):
    """The last lines of each traceback the live server logged (for failure messages)."""
    lines = []
    for record in caplog.records:
        if record.levelname == "ERROR" and record.exc_info:
            import traceback

            tail = traceback.format_exception(*record.exc_info)[-3:]
            lines.append(f"{record.getMessage()}: {''.join(tail).strip()}")
    caplog.clear()
    return lines


def nu_errors(files):
    """{page name: [error, …]} from one Nu Html Checker run over ``files`` ({name: path});
    the JVM starts once. Raises if the checker itself failed."""
    import json
    import subprocess

    checked = subprocess.run(
        [shutil.which("java"), "-jar", str(VNU), "--format", "json", "--stdout",
         *map(str, files.values())],
        capture_output=True,
        check=False,
    )  # fmt: skip
    messages = json.loads(checked.stdout)["messages"]
    report = {
        name: [
            f"line {m.get('lastLine')}: {m['message']}"
            for m in messages
            if m.get("url", "").endswith(file.name)
            and (m["type"] == "error" or m.get("subType") == "fatal")
        ]
        for name, file in files.items()
    }
    failing = {name: errors for name, errors in report.items() if errors}
    return failing, checked
