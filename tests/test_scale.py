"""What keeps pages the same size and cost as the archive grows (issue #15): bounded
counts, the year expression, and pictures that summarise instead of drawing everything.

The limits are lowered here so a small archive crosses them; the code reads them at call
time, so what is tested is the code the large archive runs."""

import datetime
import re

import pytest
from django.db import connection
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext

from events import pictures
from events import views as event_views
from events.models import Claim, Entity, Event
from sources import counting
from sources.expressions import Year
from tests.api_factories import build_archive
from tests.factories import EntityFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(db):
    return build_archive(12)  # 12 events, 34 public claims


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(counting, "EXACT_UP_TO", 10)


def test_a_count_is_exact_up_to_the_limit_and_an_estimate_above(archive, small_limit):
    claims = Claim.objects.public()
    exact = claims.count()
    assert exact > 10
    assert counting.bounded_count(claims, limit=exact) == exact
    assert counting.bounded_count(claims, limit=exact).exact
    estimate = counting.bounded_count(claims)
    assert not estimate.exact
    # Claims are spread evenly over ids here: the estimate is close to the truth.
    assert abs(estimate - exact) <= exact * 0.25
    # An estimate reads no more than limit + 1 rows and the two ends of the id index.
    with CaptureQueriesContext(connection) as queries:
        counting.bounded_count(claims)
    assert len(queries) == 2
    assert "LIMIT 11" in queries[0]["sql"]


@pytest.mark.parametrize("path", ["queryset", "api"])
def test_a_count_reads_a_sample_first_and_the_limit_only_when_the_list_may_be_short(
    archive, monkeypatch, client, path
):
    """34 public claims, a sample of 5: an estimate far beyond the limit ends the count;
    one that may be within it reads up to the limit, so a list that fits is exact."""
    exact = Claim.objects.public().count()
    monkeypatch.setattr(counting, "SAMPLE", 5)

    def count(limit):
        monkeypatch.setattr(counting, "EXACT_UP_TO", limit)
        with CaptureQueriesContext(connection) as queries:
            if path == "queryset":
                found = counting.bounded_count(Claim.objects.public())
                estimated = not found.exact
            else:
                response = client.get("/api/v1/claims/?page_size=1")
                found = response.json()["count"]
                estimated = response["X-Count-Estimated"] == "true"
        # A subquery's LIMIT, or on PostgreSQL the prepared statement named after it.
        pattern = r"LIMIT (\d+)\) |EXECUTE sco_claim_count_(\d+)"
        found_limits = (a or b for q in queries for a, b in re.findall(pattern, q["sql"]))
        limits = [int(n) for n in found_limits]
        limits = [n for n in limits if n > 1]  # not the LIMIT 1 of EXISTS
        return found, estimated, limits

    found, estimated, limits = count(10)  # the sample says about 34: more than twice 10
    assert estimated and abs(found - exact) <= exact * 0.5 and limits == [6]
    found, estimated, limits = count(20)  # about 34 may be 20 or fewer: read 21
    assert estimated and limits == [6, 21]
    assert (count(40)[:2], count(40)[2]) == ((exact, False), [6, 41])  # exact, as it fits
    monkeypatch.setattr(counting, "SAMPLE", 50)
    assert count(40) == (exact, False, [41])  # a sample beyond the limit: one read, as before


def test_a_cached_count_keeps_its_flag(archive, small_limit, settings):
    settings.SCO_COUNT_CACHE = True
    first = counting.cached_count(Claim.objects.public())
    again = counting.cached_count(Claim.objects.public())
    assert (first, first.exact) == (again, again.exact) and not again.exact


def test_the_api_labels_an_estimated_count_and_pages_by_their_rows(archive, small_limit, client):
    total = Claim.objects.public().count()
    response = client.get("/api/v1/claims/?page_size=10")
    assert response["X-Count-Estimated"] == "true"
    assert set(response.json()) == {"count", "next", "previous", "results"}
    seen, url = [], "/api/v1/claims/?page_size=10"
    while url:
        page = client.get(url).json()
        seen += [claim["id"] for claim in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == total  # every claim once, whatever the estimate
    last = -(-total // 10)
    assert client.get(f"/api/v1/claims/?page_size=10&page={last + 1}").status_code == 404
    small = client.get(f"/api/v1/claims/?event={archive[0].slug}")
    assert small["X-Count-Estimated"] == "false"
    assert small.json()["count"] == Claim.objects.public().filter(event=archive[0]).count()


def test_pages_say_about_for_an_estimated_count(archive, client, monkeypatch):
    monkeypatch.setattr(counting, "EXACT_UP_TO", 5)
    html = client.get("/events/").content.decode()
    assert "about 10 events" in html or "about 12 events" in html or "about 13 events" in html
    monkeypatch.setattr(counting, "EXACT_UP_TO", 1000)
    assert "12 events" in client.get("/events/").content.decode()


def test_the_year_expression_agrees_with_django_on_both_databases(db):
    for day in (datetime.date(2001, 6, 15), datetime.date(999, 1, 2), datetime.date(2024, 12, 31)):
        EventFactory(start_date=day)
    ours = sorted(Event.objects.annotate(y=Year("start_date")).values_list("y", flat=True))
    django = sorted(Event.objects.annotate(y=ExtractYear("start_date")).values_list("y", flat=True))
    assert ours == django == [999, 2001, 2024]


def test_a_large_timeline_draws_a_lane_year_per_mark(archive, client, monkeypatch):
    monkeypatch.setattr(pictures, "TL_MAX_MARKS", 5)
    EventFactory(start_date=None, date_precision="unknown", title="Undated drill", series=None)
    picture = event_views.timeline_picture(event_views.published_events())
    marks = [mark for lane in picture["lanes"] for mark in lane["marks"]]
    assert picture["count"] == 12 and len(marks) == 12  # 12 events over 12 distinct years
    assert all(mark["precision"] == "count" for mark in marks)
    assert marks[0]["title"] == "1 event" and "year=" in marks[0]["url"]
    assert [e["title"] for e in picture["undated"]] == ["Undated drill"]
    html = client.get("/").content.decode()
    assert 'class="tl-mark tl-count"' in html
    assert client.get(marks[0]["url"]).status_code == 200


def test_the_participation_page_draws_one_page_of_events_at_constant_cost(
    archive, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(event_views, "PARTICIPATION_PAGE", 5)
    with CaptureQueriesContext(connection) as first:
        html = client.get("/participation/").content.decode()
    newest = sorted(archive, key=lambda e: (e.start_date, e.title))[-1]
    assert f"/events/{newest.slug}/" in html and 'rel="next"' in html
    with django_assert_max_num_queries(len(first)):
        page3 = client.get("/participation/?page=3").content.decode()
    oldest = sorted(archive, key=lambda e: (e.start_date, e.title))[0]
    assert f"/events/{oldest.slug}/" in page3 and 'rel="next"' not in page3
    assert client.get("/participation/?page=99").status_code == 200  # the last page


def test_a_map_place_lists_its_latest_events_and_counts_them_all(db, client, monkeypatch):
    monkeypatch.setattr(event_views, "MAP_EVENTS_PER_PLACE", 2)
    tashkent = EntityFactory(kind=Entity.Kind.PLACE, name="Tashkent", latitude=41.3, longitude=69.3)
    for year in (2019, 2020, 2021, 2022):
        EventFactory(place=tashkent, start_date=datetime.date(year, 5, 1), title=f"Drill {year}")
    picture = event_views.map_picture(event_views.published_events())
    (marker,) = picture["markers"]
    assert marker["n"] == 4 and marker["more"] == 2 and picture["count"] == 4
    assert [e["title"] for e in marker["events"]] == ["Drill 2022", "Drill 2021"]
    html = client.get("/map/").content.decode()
    assert "Tashkent: 4 events" in html and "2 more" in html
