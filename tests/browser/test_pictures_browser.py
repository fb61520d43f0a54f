"""The pictures (#19) in real Chromium: axe-core at 1280 and 375 px, the Nu Html Checker,
no sideways scrolling of the page at 375 px (a picture scrolls inside its own labelled
region), and a reader who follows a mark to its evidence.
"""

import json
import shutil
import urllib.request

import pytest
from django.core.management import call_command

from tests.browser.conftest import nu_errors
from tests.browser.test_public_browser import AXE, VNU, WCAG_21_AA

PAGES = {
    "home (timeline)": "/",
    "participation": "/participation/",
    "map": "/map/",
    "series (timeline, matrix)": "/series/sco-defence-ministers-meeting/",
    "place (map)": "/entities/tashkent/",
    "country (map)": "/entities/kazakhstan/",
}

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seed", verbosity=0)


@pytest.mark.parametrize("width", [1280, 375])
def test_picture_pages_have_zero_axe_violations(browser, live_server, seeded, width):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (make test-deps)")
    context = browser.new_context(bypass_csp=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    report = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
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


def test_picture_pages_are_valid_html(live_server, seeded, tmp_path):
    java = shutil.which("java")
    if not (java and VNU.exists()):
        pytest.skip("the Nu Html Checker needs java and vnu-jar (make test-deps)")
    files = {}
    for index, (name, path) in enumerate(PAGES.items()):
        files[name] = tmp_path / f"picture-{index}.html"
        files[name].write_bytes(urllib.request.urlopen(live_server.url + path).read())
    failing, checked = nu_errors(files)
    assert not failing, json.dumps(failing, indent=2)
    assert checked.returncode == 0, checked.stderr


def test_picture_pages_fit_a_375px_screen(browser, live_server, seeded, tmp_path):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    too_wide, unscrollable = {}, {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[name] = width
        # A picture wider than its box scrolls inside a focusable, named region.
        bad = page.evaluate(
            """() => [...document.querySelectorAll('.picture-scroll')]
                .filter(box => box.scrollWidth > box.clientWidth
                    && !(box.tabIndex === 0 && box.getAttribute('aria-label')))
                .length"""
        )
        if bad:
            unscrollable[name] = bad
    context.close()
    assert not too_wide, f"pages wider than the screen: {too_wide}"
    assert not unscrollable, unscrollable


def test_a_reader_follows_a_matrix_mark_to_its_quote(browser, live_server, seeded):
    page = browser.new_page()
    page.goto(live_server.url + "/participation/")
    page.get_by_role(
        "link", name="Belarus was invited: SCO Defence Ministers' Meeting, Astana"
    ).click()
    page.wait_for_url("**/events/sco-defence-ministers-meeting-astana/#claim-*")
    claim = page.url.rsplit("#", 1)[1]
    assert page.locator(f"[id='{claim}']").count() == 1
    page.goto(live_server.url + "/map/")
    page.get_by_role("link", name="Tashkent: 1 event").click()
    page.wait_for_url("**/entities/tashkent/")
    page.close()
