"""/api/docs/ in real Chromium under the site's CSP: Swagger UI draws every operation."""

import json

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_VIOLATIONS = """
() => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
  });
}
"""


def test_api_docs_draw_every_operation_under_the_csp(page, live_server):
    schema = json.loads(Client().get("/api/schema/", {"format": "json"}).content)
    operations = sum(
        1
        for item in schema["paths"].values()
        for method in item
        if method in {"get", "put", "post", "patch", "delete", "head", "options"}
    )
    assert operations >= 10
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(str(error)))
    page.add_init_script(CSP_VIOLATIONS.strip().removeprefix("() => {").removesuffix("}"))

    response = page.goto(f"{live_server.url}/api/docs/")
    csp = response.headers["content-security-policy"]
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src
    page.wait_for_selector(".opblock", timeout=30_000)
    page.wait_for_function(
        f"document.querySelectorAll('.opblock').length >= {operations}", timeout=30_000
    )
    assert page.locator(".opblock").count() == operations
    assert page.locator(".opblock-summary-path", has_text="/api/v1/annotations/{id}/").count()
    assert page.evaluate("window.__cspViolations") == []
    assert not [m for m in messages if "Content Security Policy" in m], messages
