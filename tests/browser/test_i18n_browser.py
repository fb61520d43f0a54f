"""The Russian and Chinese reader site in real Chromium (issue #18): every page type under
/ru/ and /zh-hans/ has zero axe-core violations (WCAG 2.1 AA), no Nu Html Checker error,
and fits a 375 px screen; a reader switches language from the page they are on.

One test loads the seed once and visits every page in both languages with one live
server, one browser context per width and one checker run, so the module stays short.
"""

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import nu_errors

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PAGES = {
    "home": "/",
    "event list with a filter": "/events/?kind=meeting",
    "event": "/events/sco-defence-ministers-meeting-2021-dushanbe/",
    "event with a deprecated claim": "/events/sco-seminar-role-of-women-in-armed-forces-2021/",
    "source list": "/sources/",
    "source": "/sources/sco-defence-ministers-meeting-dushanbe-2021/",
    "source as received": (
        "/sources/sco-outlines-steps-to-enhance-defence-and-security-cooperation/original/"
    ),
    "entity index": "/entities/",
    "country": "/entities/tajikistan/",
    "place": "/entities/astana/",
    "series index": "/series/",
    "series": "/series/sco-defence-ministers-meeting/",
    "participation": "/participation/",
    "map": "/map/",
    "search": "/search/?q=Dushanbe",
    "about": "/about/",
    "not found": "/events/no-such-event/",
}
LANGUAGES = ("ru", "zh-hans")

pytestmark = pytest.mark.browser


def test_russian_and_chinese_pages_pass_axe_nu_and_375px(
    browser, live_server, transactional_db, tmp_path
):
    call_command("load_seed", verbosity=0)
    urls = {
        f"{language} {name}": f"/{language}{path}"
        for language in LANGUAGES
        for name, path in PAGES.items()
    }
    # The Nu Html Checker: every page, one JVM.
    if shutil.which("java") and VNU.exists():
        files = {}
        for index, (name, path) in enumerate(urls.items()):
            try:
                html = urllib.request.urlopen(live_server.url + path).read()
            except urllib.error.HTTPError as error:  # the 404 page is checked too
                html = error.read()
            files[name] = tmp_path / f"page-{index}.html"
            files[name].write_bytes(html)
        failing, checked = nu_errors(files)
        assert not failing, json.dumps(failing, indent=2, ensure_ascii=False)
        assert checked.returncode == 0, checked.stderr
    # axe-core on every page at 375 px, where nothing may scroll sideways either (the
    # English pages are also audited at 1280 px by test_public_browser.py; the layout is
    # the same, only the words change, and longer words matter on narrow screens).
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test-deps)")
    violations, too_wide = {}, {}
    context = browser.new_context(bypass_csp=True, viewport={"width": 375, "height": 812})
    page = context.new_page()
    for name, path in urls.items():
        page.goto(live_server.url + path)
        assert page.get_attribute("html", "lang") == path.split("/")[1], name
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
        assert result["passes"], f"axe checked nothing on {name}"
        found = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]
        ]
        if found:
            violations[name] = found
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > 375:
            too_wide[name] = scroll
    context.close()
    assert not violations, json.dumps(violations, indent=2, ensure_ascii=False)
    assert not too_wide, f"pages wider than the screen: {too_wide}"


def test_a_reader_switches_language_on_the_page_they_are_reading(page, live_server, db):
    page.goto(live_server.url + "/events/?sort=title")
    switcher = page.get_by_role("navigation", name="Language")
    assert switcher.get_by_role("link", name="English").get_attribute("aria-current") == "true"
    switcher.get_by_role("link", name="Русский").click()
    page.wait_for_url(f"{live_server.url}/ru/events/?sort=title")
    assert page.get_attribute("html", "lang") == "ru"
    assert page.get_by_role("heading", level=1).inner_text() == "События"
    switcher = page.get_by_role("navigation", name="Язык")
    switcher.get_by_role("link", name="简体中文").click()
    page.wait_for_url(f"{live_server.url}/zh-hans/events/?sort=title")
    assert page.get_by_role("heading", level=1).inner_text() == "活动"
    # The search form keeps the language: results come back on a Chinese page.
    page.get_by_role("searchbox", name="搜索档案库").fill("Dushanbe")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url(f"{live_server.url}/zh-hans/search/?q=Dushanbe")
    assert page.get_attribute("html", "lang") == "zh-hans"
