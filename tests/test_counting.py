"""Counts and facets cached under the archive version: cheaper, and never stale."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EventFactory


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("url", ["/events/", "/", "/entities/", "/series/", "/sources/"])
def test_cached_counts_save_queries_and_follow_every_write(transactional_db, client, settings, url):
    settings.SCO_COUNT_CACHE = True  # the response cache stays off: pages render afresh
    EventFactory(kind="exercise")
    cold, _ = queries_for(client, url)
    warm, _ = queries_for(client, url)
    assert warm < cold
    EventFactory(kind="festival", title="Fanfares of the Steppe")  # committed: a new version
    fresh, html = queries_for(client, url)
    assert fresh == cold
    if url == "/events/":
        assert "Festival" in html and "Fanfares of the Steppe" in html


def test_a_draft_never_enters_cached_counts(transactional_db, client, settings):
    settings.SCO_COUNT_CACHE = True
    EventFactory(kind="exercise")
    queries_for(client, "/events/")
    EventFactory(kind="festival", status="draft")
    _, html = queries_for(client, "/events/")
    assert "Festival" not in html and "1 event" in html
