"""The reader site in real Chromium: axe-core (WCAG 2.1 AA), the Nu Html Checker, 375 px.

Each test loads the seed archive into the live server's database and visits every page
type. Failures name the page and the rule, so a regression points at its cause.
"""

import json
import shutil
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import nu_errors

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

PAGES = {
    "home": "/",
    "event list": "/events/?kind=meeting",
    "event": "/events/sco-defence-ministers-meeting-2021-dushanbe/",
    "event with a deprecated claim": "/events/sco-seminar-role-of-women-in-armed-forces-2021/",
    "event with many participants": "/events/sco-defence-ministers-meeting-astana/",
    "event list, two filters": "/events/?year=2021&kind=exercise",
    "source list": "/sources/",
    "source": "/sources/sco-defence-ministers-meeting-dushanbe-2021/",
    "source as received": "/sources/sco-defence-ministers-meeting-dushanbe-2021/original/",
    "source with margin notes": "/sources/sco-defense-ministers-convene-in-astana/",
    "source with clutter removed": (
        "/sources/sco-outlines-steps-to-enhance-defence-and-security-cooperation/original/"
    ),
    "entity index": "/entities/",
    "entity": "/entities/tajikistan/",
    "place": "/entities/astana/",
    "series index": "/series/",
    "series": "/series/sco-defence-ministers-meeting/",
    "search": "/search/?q=Dushanbe",
    "about": "/about/",
    "not found": "/events/no-such-event/",
}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seed", verbosity=0)


@pytest.mark.parametrize("width", [1280, 375])
def test_every_page_type_has_zero_axe_violations(browser, live_server, seeded, width):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test-deps)")
    # bypass_csp lets the test inject axe-core
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    report = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
        )
        report[name] = [
            f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]
        ]
        assert result["passes"], f"axe checked nothing on {name}"
    context.close()
    failing = {name: found for name, found in report.items() if found}
    assert not failing, json.dumps(failing, indent=2)


def test_every_page_type_is_valid_html(live_server, seeded, tmp_path):
    java = shutil.which("java")
    if not (java and VNU.exists()):
        pytest.skip("the Nu Html Checker needs java and vnu-jar (make test-deps)")
    files = {}
    for index, (name, path) in enumerate(PAGES.items()):
        try:
            html = urllib.request.urlopen(live_server.url + path).read()
        except urllib.error.HTTPError as error:  # the 404 page is checked too
            html = error.read()
        files[name] = tmp_path / f"page-{index}.html"
        files[name].write_bytes(html)
    # One checker run for every page: the JVM starts once.
    failing, checked = nu_errors(files)
    assert not failing, json.dumps(failing, indent=2)
    assert checked.returncode == 0, checked.stderr


def test_every_page_type_fits_a_375px_screen(browser, live_server, seeded, tmp_path):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    too_wide = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[name] = width
    context.close()
    assert not too_wide, f"pages wider than the screen: {too_wide}"


def test_a_reader_goes_from_home_to_the_quoted_sentence(browser, live_server, seeded):
    """Home → event → a claim's citation → the highlighted quote in its source."""
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="SCO Defence Ministers' Meeting, Dushanbe 2021").first.click()
    page.wait_for_url("**/events/sco-defence-ministers-meeting-2021-dushanbe/")
    chair = page.locator(".claim-group", has=page.get_by_role("heading", name="Chair"))
    chair.locator("a[aria-label^='These words in context']").first.click()
    page.wait_for_url("**/sources/**#quote-*")
    quote_id = page.url.rsplit("#", 1)[1]
    target = page.locator(f"mark#{quote_id}")
    assert target.is_visible()
    assert "Tajikistan" in target.inner_text()
    assert page.evaluate("document.querySelector(':target').id") == quote_id
    page.close()


def test_a_reader_finds_an_event_by_searching_a_place_name(browser, live_server, seeded):
    page = browser.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search the archive").fill("Tashkent")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=Tashkent")
    events = page.locator("#results-event + ol a")
    assert "SCO Defence Ministers' Meeting, Tashkent 2022" in events.all_inner_texts()
    page.close()


def test_every_seed_event_page_answers_within_a_phone_screen_budget(browser, live_server, seeded):
    """At 375 px every event page is at most 3,735 px tall (the richest was 7,471)."""
    from events.models import Event

    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    heights = {}
    for event in Event.objects.published():
        page.goto(live_server.url + event.get_absolute_url())
        assert page.locator(".at-a-glance").is_visible(), event.slug
        heights[event.slug] = page.evaluate("document.documentElement.scrollHeight")
    context.close()
    assert len(heights) > 10
    too_tall = {slug: height for slug, height in heights.items() if height > 3735}
    assert not too_tall, too_tall
