"""Prepared statements (sources/prepared.py): on PostgreSQL the event and source pages
read by id through statements prepared once per connection, one statement per query
shape whatever the event, and every read sees the rows as they are now. On SQLite the
same code sends the SQL as it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from events.models import Claim
from sources.prepared import prepared
from tests.api_factories import build_archive

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def room_to_prepare(monkeypatch):
    """The suite's one connection has prepared what earlier tests read: no cap here."""
    from sources import prepared as module

    monkeypatch.setattr(module, "MAX_STATEMENTS", 10**6)


def executed(queries):
    return [q["sql"].split("(")[0] for q in queries if q["sql"].startswith("EXECUTE ")]


def public_ids(event):
    with prepared():
        return list(Claim.objects.public().filter(event=event).values_list("pk", flat=True))


def test_a_prepared_read_is_one_statement_for_every_id_and_sees_later_writes():
    _, second, third = build_archive(3)
    with CaptureQueriesContext(connection) as queries:
        before = public_ids(second)
        public_ids(third)
    names = executed(queries)
    if POSTGRESQL:  # one statement, bound to each event's id in turn
        assert len(names) == 2 and len(set(names)) == 1
    else:
        assert names == []
    assert before == list(second.claims.values_list("pk", flat=True)) and len(before) == 3

    hidden = second.claims.order_by("pk").first()
    hidden.status = "draft"
    hidden.save()
    assert public_ids(second) == [pk for pk in before if pk != hidden.pk]


def test_text_is_written_into_the_statement_so_another_value_is_another_statement():
    event = build_archive(1)[0]
    names = {}
    for prop in ("date", "participant"):
        with CaptureQueriesContext(connection) as queries, prepared():
            found = list(event.claims.filter(property=prop).values_list("property", flat=True))
        assert found == [prop]
        names[prop] = executed(queries)
    if POSTGRESQL:
        assert len(names["date"]) == 1 and names["date"] != names["participant"]
    else:
        assert names == {"date": [], "participant": []}


@pytest.mark.parametrize("page", ["event", "source"])
def test_two_pages_of_the_same_shape_run_the_same_statements(client, page):
    """Pages of different events prepare nothing new: no statement per event or slug."""
    events = build_archive(3)[1:]  # the first has no part-of claim: another shape

    def statements(event):
        url = event.get_absolute_url()
        if page == "source":
            url = event.claims.first().citations.first().quote.article.get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return executed(queries), response.content.decode()

    (first, first_html), (second, second_html) = (statements(event) for event in events)
    assert first == second
    if POSTGRESQL:
        assert first and all(name.startswith("EXECUTE sco_orm_") for name in first)
    assert escape(events[0].title) in first_html and escape(events[1].title) in second_html


def test_a_connection_prepares_a_bounded_number_of_statements(monkeypatch):
    """Past `MAX_STATEMENTS` a new shape of read runs as it is; those prepared still run
    prepared."""
    from sources import prepared as module

    first, second = build_archive(2)
    public_ids(first)  # prepared (PostgreSQL)
    monkeypatch.setattr(module, "MAX_STATEMENTS", 0)
    with CaptureQueriesContext(connection) as queries:
        again = public_ids(second)  # the same shape: already prepared
        with prepared():
            titles = list(Claim.objects.filter(event=second, property="date").values_list("pk"))
    names = executed(queries)
    assert len(names) == (1 if POSTGRESQL else 0)  # the new shape ran unprepared
    assert again == list(second.claims.values_list("pk", flat=True)) and len(titles) == 1
