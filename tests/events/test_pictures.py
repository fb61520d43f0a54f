"""Pictures drawn on the server (#19): the timeline, the participation matrix, the map.

First the pure geometry of events/pictures.py, then the pages on the seed archive, then
the query counts on a small and a larger archive.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import pictures
from events.models import Claim, Entity, Event
from tests.api_factories import build_archive
from tests.sitemaps import sitemap_files

D = datetime.date


def event(title, start=None, precision="day", lane="", end=None):
    return {
        "title": title,
        "url": f"/events/{title.lower()}/",
        "start": start,
        "end": end,
        "precision": precision if start else "unknown",
        "date_text": str(start),
        "lane": lane,
        "lane_url": f"/series/{lane.lower()}/" if lane else None,
    }


# -- timeline -------------------------------------------------------------------------


def test_timeline_draws_a_dot_for_a_day_and_a_bar_over_a_month_or_a_year():
    picture = pictures.timeline(
        [
            event("a", D(2021, 7, 28), "day", "Meetings"),
            event("b", D(2022, 1, 1), "year", "Meetings"),
            event("c", D(2020, 12, 1), "month", "Dialogue"),
        ]
    )
    marks = {m["title"]: m for lane in picture["lanes"] for m in lane["marks"]}
    assert marks["a"]["shape"] == "dot"
    assert marks["b"]["shape"] == marks["c"]["shape"] == "bar"
    assert marks["b"]["w"] > marks["c"]["w"] >= pictures.TL_MIN_MARK  # a year > a month
    # The year bar covers 2022: from the tick of 2022 to the end of the axis.
    ticks = {t["label"]: t["x"] for t in picture["ticks"]}
    assert marks["b"]["x"] == pytest.approx(ticks["2022"], abs=0.2)
    assert marks["b"]["x"] + marks["b"]["w"] == pytest.approx(
        picture["width"] - pictures.TL_PAD, abs=0.2
    )
    assert (picture["first"], picture["last"]) == (2020, 2022)


def test_timeline_lanes_are_series_in_the_order_they_began_and_other_events_last():
    picture = pictures.timeline(
        [
            event("x", D(2001, 6, 15)),
            event("late", D(2020, 1, 1), "year", "Late series"),
            event("early", D(2010, 1, 1), "year", "Early series"),
        ]
    )
    assert [lane["name"] for lane in picture["lanes"]] == [
        "Early series",
        "Late series",
        "Other events",
    ]
    assert picture["lanes"][0]["url"] == "/series/early series/"
    assert picture["lanes"][-1]["url"] is None
    ys = [lane["y"] for lane in picture["lanes"]]
    assert ys == sorted(ys) and picture["axis_y"] > ys[-1]


def test_timeline_lists_undated_events_apart_and_marks_only_dated_ones():
    picture = pictures.timeline([event("dated", D(2021, 1, 1), "year"), event("undated")])
    assert [e["title"] for e in picture["undated"]] == ["undated"]
    assert picture["count"] == 1
    assert [m["title"] for lane in picture["lanes"] for m in lane["marks"]] == ["dated"]
    assert pictures.timeline([event("undated")])["lanes"] == []


def test_timeline_stacks_marks_that_would_overlap_in_one_lane():
    picture = pictures.timeline(
        [event(f"e{i}", D(2021, 1, 1), "year", "S") for i in range(3)]
        + [event("other", D(2000, 1, 1), "year", "S")]
    )
    (lane,) = picture["lanes"]
    rows = sorted(m["row"] for m in lane["marks"] if m["title"].startswith("e"))
    assert rows == [0, 1, 2]
    assert lane["height"] == pictures.TL_LANE_LABEL + 3 * pictures.TL_ROW


def test_year_ticks_step_by_round_numbers_that_fit():
    assert pictures.year_ticks(2020, 2023, 800) == [2020, 2021, 2022, 2023]
    assert pictures.year_ticks(1996, 2023, 776) == list(range(1996, 2024, 2))
    assert pictures.year_ticks(1900, 2023, 400) == list(range(1900, 2024, 20))


# -- participation ---------------------------------------------------------------------


def mark(event, country, role="participant"):
    return {
        "event": event,
        "country": country,
        "country_name": country.title(),
        "country_url": f"/entities/{country}/",
        "role": role,
        "url": f"/events/{event}/#claim-{event}-{country}-{role}",
    }


def column(key):
    return {"key": key, "title": f"Event {key}", "url": f"/events/{key}/", "date_text": ""}


def test_participation_keeps_the_strongest_role_of_a_cell_and_only_events_with_marks():
    picture = pictures.participation(
        [column("a"), column("b"), column("c")],
        [
            mark("a", "china", "invited"),
            mark("a", "china", "participant"),
            mark("c", "india", "invited"),
            mark("c", "china", "observer"),
        ],
    )
    assert [row["key"] for row in picture["rows"]] == ["a", "c"]  # no mark for b
    cells = {(c["event"], c["country"]): c["role"] for c in picture["cells"]}
    assert cells == {
        ("a", "china"): "participant",
        ("c", "india"): "invited",
        ("c", "china"): "observer",
    }
    # Columns: countries, the most active first; a row counts who took part or observed.
    assert [c["key"] for c in picture["columns"]] == ["china", "india"]
    assert [row["n"] for row in picture["rows"]] == [1, 1]
    assert picture["roles_used"] == ["participant", "observer", "invited"]
    table = {row["key"]: dict(row["roles"]) for row in picture["events"]}
    assert [c["country"] for c in table["c"]["invited"]] == ["india"]
    assert all(c["url"].startswith("/events/") and "#claim-" in c["url"] for c in picture["cells"])


def test_participation_cells_sit_on_their_row_and_column():
    picture = pictures.participation([column("a"), column("b")], [mark("b", "russia")])
    (cell,) = picture["cells"]
    (row,) = picture["rows"]
    (col,) = picture["columns"]
    assert (cell["cx"], cell["cy"]) == (col["cx"], row["cy"])
    assert picture["left"] < cell["cx"] < picture["right"] <= picture["width"]
    assert picture["top"] < cell["cy"] < picture["bottom"] <= picture["height"]


def test_an_observer_is_a_participant_whose_qualifier_says_so():
    assert pictures.role_of("participant", "") == "participant"
    assert pictures.role_of("participant", "as an Observer state") == "observer"
    assert pictures.role_of("invited", "observer") == "invited"


# -- map -------------------------------------------------------------------------------


def place(name, lat, lon, n=1, **extra):
    events = [
        {"title": f"{name} {i}", "url": f"/events/{name}-{i}/", "date_text": ""} for i in range(n)
    ]
    return {
        "key": name.lower(),
        "name": name,
        "url": f"/entities/{name.lower()}/",
        "lat": lat,
        "lon": lon,
        "events": events,
        **extra,
    }


def test_projection_puts_places_where_they_are():
    west, north = pictures.project(pictures.LAT_MAX, pictures.LON_MIN)
    east, south = pictures.project(pictures.LAT_MIN, pictures.LON_MAX)
    assert (west, north) == (0, 0)
    assert (round(east), round(south)) == (pictures.MAP_WIDTH, pictures.MAP_HEIGHT)
    tashkent, dushanbe, shanghai = (
        pictures.project(41.31, 69.28),
        pictures.project(38.56, 68.77),
        pictures.project(31.23, 121.47),
    )
    assert dushanbe[1] > tashkent[1]  # further south, lower down
    assert shanghai[0] > tashkent[0]  # further east, to the right


def test_map_marks_placed_places_and_lists_the_others_apart():
    picture = pictures.event_map(
        [
            place("Tashkent", 41.31, 69.28, n=3),
            place("Dushanbe", 38.56, 68.77),
            place("India", None, None, country=True),
            place("Havana", 23.1, -82.4),  # outside the region
        ],
        highlight=["India"],
    )
    assert [m["name"] for m in picture["markers"]] == ["Tashkent", "Dushanbe"]
    assert picture["markers"][0]["r"] > picture["markers"][1]["r"]  # more events, larger
    assert [p["name"] for p in picture["unplaced"]] == ["India", "Havana"]
    assert picture["shaded_names"] == ["India"]
    assert picture["count"] == 4
    assert picture["view_box"] == f"0 0 {pictures.MAP_WIDTH} {pictures.MAP_HEIGHT}"


def test_map_labels_do_not_cover_each_other_and_a_focused_map_is_cropped():
    picture = pictures.event_map(
        [place("Tashkent", 41.31, 69.28), place("Dushanbe", 38.56, 68.77)], focus=True
    )
    a, b = picture["markers"]
    assert (a["label_x"], a["label_y"]) != (b["label_x"], b["label_y"])
    x, y, w, h = map(int, picture["view_box"].split())
    assert w >= 480 and x >= 0 and y >= 0
    assert x <= a["x"] <= x + w and y <= a["y"] <= y + h
    assert picture["focused"]


def test_the_region_outline_is_natural_earth_shipped_with_its_licence():
    outline = pictures.region_outline()
    names = {country["name"] for country in outline["countries"]}
    assert {"China", "Russia", "India", "Iran", "Belarus", "Kazakhstan"} <= names
    assert all(re.fullmatch(r"M[0-9.\- lZM]+", c["d"]) for c in outline["countries"])
    assert (outline["width"], outline["height"]) == (pictures.MAP_WIDTH, pictures.MAP_HEIGHT)
    licence = (pictures.REGION_FILE.parent / "LICENCE.md").read_text()
    assert "public domain" in licence and "world-atlas" in licence


# -- pages on the seed archive ----------------------------------------------------------


def svg_links(html, svg_class):
    svg = re.search(rf'<svg class="picture-svg {svg_class}".*?</svg>', html, re.S).group(0)
    return svg, re.findall(r'<a[^>]* href="([^"]+)"[^>]*aria-label="([^"]+)"', svg)


def test_the_home_timeline_links_every_dated_event_and_lists_undated_ones_apart(
    client, seed_archive, db
):
    html = client.get("/").content.decode()
    svg, links = svg_links(html, "timeline-svg")
    assert '<title id="tl-title">' in svg and '<desc id="tl-desc">' in svg
    event_links = {href for href, _ in links if href.startswith("/events/")}
    dated = {e.get_absolute_url() for e in Event.objects.published().exclude(start_date=None)}
    assert event_links == dated
    aside = html.split('id="tl-undated"', 1)[1].split("</aside>", 1)[0]
    assert "/events/sco-defence-ministers-meeting-astana/" in aside
    assert "/events/sco-defence-ministers-meeting-astana/" not in svg
    assert "The timeline as a list" in html


def test_the_series_page_has_its_timeline_and_matrix(client, seed_archive, db):
    html = client.get("/series/sco-defence-ministers-meeting/").content.decode()
    _, links = svg_links(html, "timeline-svg")
    assert {"/events/sco-defence-ministers-meeting-2021-dushanbe/"} <= {h for h, _ in links}
    assert "/events/west-2021/" not in {h for h, _ in links}
    assert 'class="picture-svg matrix-svg"' in html


def test_the_matrix_marks_only_public_standing_claims(client, seed_archive, db):
    response = client.get("/participation/")
    assert response.status_code == 200
    html = response.content.decode()
    svg, links = svg_links(html, "matrix-svg")
    astana = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    iraq = Claim.objects.get(event=astana, value_entity__slug="iraq")
    assert iraq.rank == Claim.Rank.DEPRECATED
    assert f"#claim-{iraq.pk}" not in html and ">Iraq<" not in svg
    kazakh = Claim.objects.public().get(
        event__slug="shanghai-five-border-agreements-1996-1997",
        value_entity__slug="kazakhstan",
        property="participant",
    )
    evidence = f"/events/{kazakh.event.slug}/#claim-{kazakh.pk}"
    assert (evidence, f"Kazakhstan took part: {kazakh.event.title} — the evidence") in links
    # Belarus was invited to Astana: a ring, not a dot.
    assert re.search(r'class="pm-mark pm-invited"[^>]*aria-label="Belarus was invited', svg)
    assert "<table" in html and "<caption>" in html
    # An event taken off the public site leaves the picture with its marks.
    Event.objects.filter(pk=astana.pk).update(status="draft")
    html = client.get("/participation/").content.decode()
    assert astana.get_absolute_url() not in html


def test_the_map_page_marks_the_seed_places_with_a_list(client, seed_archive, db):
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    svg, links = svg_links(html, "map-svg")
    places = {href for href, _ in links}
    assert {"/entities/tashkent/", "/entities/dushanbe/", "/entities/astana/"} <= places
    assert '<title id="map-title">' in svg and 'class="map-land' in svg
    listed = html.split("The places as a list", 1)[1]
    assert '<a href="/events/sco-defence-ministers-meeting-2022-tashkent/">' in listed
    assert "Not on the map" in listed and '<a href="/entities/india/">India</a>' in listed


def test_place_and_country_pages_have_their_maps(client, seed_archive, db):
    html = client.get("/entities/tashkent/").content.decode()
    assert 'class="map-place map-current" href="/entities/tashkent/"' in html
    html = client.get("/entities/kazakhstan/").content.decode()
    assert "Where Kazakhstan took part" in html and "map-shaded" in html
    html = client.get("/entities/vladimir-norov/").content.decode()
    assert "map-svg" not in html


def test_tashkent_has_its_coordinates_in_the_api(client, seed_archive, db):
    data = client.get("/api/v1/entities/tashkent/").json()
    assert data["coordinates"]["lat"] == pytest.approx(41.3, abs=0.1)
    assert data["coordinates"]["lon"] == pytest.approx(69.2, abs=0.1)
    assert client.get("/api/v1/entities/kazakhstan/").json()["coordinates"] is None


def test_the_new_pages_are_in_the_sitemap(client, seed_archive, db):
    xml = "".join(content.decode() for _, content in sitemap_files(client))
    assert "/participation/</loc>" in xml and "/map/</loc>" in xml


def test_coordinates_out_of_range_or_half_given_are_refused(db):
    from django.core.exceptions import ValidationError

    from tests.factories import EntityFactory

    entity = EntityFactory(kind=Entity.Kind.PLACE, latitude=41.3, longitude=69.2)
    for lat, lon in ((91, 0), (0, 181), (41.3, None)):
        entity.latitude, entity.longitude = lat, lon
        with pytest.raises(ValidationError):
            entity.full_clean()


# -- a constant number of queries -------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = {
    "home": lambda events: "/",
    "participation": lambda events: "/participation/",
    "map": lambda events: "/map/",
    "series": lambda events: events[0].series.get_absolute_url(),
    "place": lambda events: events[0].place.get_absolute_url(),
    "country": lambda events: (
        Claim.objects.filter(event=events[0], property="participant")
        .first()
        .value_entity.get_absolute_url()
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_picture_page_runs_the_same_number_of_queries_small_or_large(client, db, name):
    def archive(n, year):
        events = build_archive(n, start_year=year)
        Entity.objects.filter(pk=events[0].place_id).update(latitude=41.3, longitude=69.2)
        return PAGES[name](events)

    small = count_queries(client, archive(1, 2001))
    large = count_queries(client, archive(25, 1990))
    assert large == small, f"{name}: {small} queries on a small archive, {large} on a large one"
