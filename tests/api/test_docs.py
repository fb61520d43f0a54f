"""The interactive API docs work offline: every asset they load is served by the archive."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_api_docs_load_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|png))"', html)
    assert any("swagger-ui" in asset for asset in assets)
    for asset in assets:
        assert not asset.startswith(("http://", "https://", "//")), f"remote asset {asset}"
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"
    assert "/api/schema/" in html


def test_schema_is_openapi_3_and_names_every_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/claims/",
        "/api/v1/articles/{slug}/",
        "/api/v1/quotes/",
        "/api/v1/annotations/",
        "/api/v1/entities/",
        "/api/v1/series/",
        "/api/v1/export/claims.csv",
        "/api/v1/export/claims.jsonl",
    ):
        assert path in schema["paths"], path


def test_api_docs_have_no_inline_script_or_style(client):
    """The CSP (script-src 'self', style-src 'self') refuses inline code: the initialiser
    is a static file (tests/browser/test_api_docs_browser.py draws the page)."""
    html = client.get("/api/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert "<style" not in html and " style=" not in html
    assert re.search(r'<script src="/static/js/swagger-init[^"]*\.js"', html)
    assert finders.find("js/swagger-init.js")
