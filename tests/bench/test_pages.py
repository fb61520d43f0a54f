"""bench/pages.py checks each page for its rows before it measures anything."""

import pytest
from django.test import Client

from bench import pages as bench_pages


@pytest.fixture
def page_list(seed_archive, db):
    return bench_pages.pages()


def test_every_page_holds_the_rows_its_name_promises(page_list):
    client = Client()
    assert [name.split(" (")[0] for name, _, _ in page_list] == [
        "claims p1",
        "event list",
        "event page",
        "source page",
        "search",
    ]
    for name, url, check in page_list:
        response = client.get(url)
        assert response.status_code == 200, name
        assert check(response), name


def test_a_page_without_its_rows_fails_the_check(page_list, client):
    for name, url, check in page_list:
        empty = client.get(
            "/api/v1/claims/?page_size=100&modified_after=2100-01-01T00:00:00Z"
            if "/api/" in url
            else "/about/"
        )
        assert not check(empty), name
