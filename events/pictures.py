"""Pictures drawn on the server: the geometry of the timeline, the participation matrix
and the map, which templates write out as inline SVG (no JavaScript).

Pure functions from plain data — lists of dicts the views build in a fixed number of
queries — to numbers and strings in SVG user units. Nothing here touches Django or the
database, so each picture is unit-tested on its own (tests/events/test_pictures.py).
``project()`` is also what tools/region_outline.py used, once, to turn Natural Earth's
outlines into events/data/region.json, so the places and the outline always agree.
"""

from __future__ import annotations

import calendar
import datetime
import json
import math
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy, ngettext

OTHER_LANE = gettext_lazy("Other events")  # the lane of events in no series

# -- shared --------------------------------------------------------------------------

FONT = 13  # user units; a character is about 0.6 of it wide in a sans-serif face
CHAR = FONT * 0.6


def text_width(text, size=FONT):
    return len(text) * size * 0.6


def shorten(text, limit):
    """``text`` cut at a word to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return f"{cut}…"


def year_fraction(day):
    """2021-07-02 → 2021.5: a date as a point on a continuous year axis."""
    days = 366 if calendar.isleap(day.year) else 365
    return day.year + (day.timetuple().tm_yday - 1) / days


def _span(start, end, precision):
    """(from, to) in fractional years of what is known of a date: a day is a point, a
    month or a year the whole of it (the picture shows no more than the sources say)."""
    if precision == "year":
        return start.year, (end or start).year + 1
    if precision == "month":
        last = end or start
        next_month = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        return year_fraction(start), year_fraction(next_month)
    return year_fraction(start), year_fraction(end or start)


def year_ticks(first, last, room, *, min_gap=48):
    """Years to label between ``first`` and ``last`` (inclusive) when ``room`` units hold
    them: every year, else every 2, 5, 10… — multiples of the step, as a reader counts."""
    span = last - first + 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 250, 500, 1000):
        if room / span * step >= min_gap:
            break
    start = first + (-first) % step
    return list(range(start, last + 1, step)) or [first]


# -- timeline --------------------------------------------------------------------------

TIMELINE_WIDTH = 800
TL_PAD = 12  # left and right
TL_LANE_LABEL = 20  # a lane's name above its marks
TL_ROW = 18  # one row of marks
TL_AXIS = 30
TL_MIN_MARK = 8


def timeline(events, *, width=TIMELINE_WIDTH, other_lane=OTHER_LANE, inset=0):
    """Lanes of dated events on a year axis, and the undated ones apart.

    ``events``: dicts with ``title``, ``url``, ``start`` and ``end`` (dates or None),
    ``precision`` (day, month, year, unknown), ``date_text``, ``lane`` (a series' name
    or ``""``) and ``lane_url``. Returns ``{width, height, lanes, ticks, grid, axis_y,
    undated, count}``; each lane ``{name, url, y, marks}``, each mark ``{x, y, w, h,
    shape, precision, title, url, date_text}`` — a dot for a day, a bar over the month
    or the year the sources give, hollow for a year.
    """
    dated, undated = [], []
    for event in events:
        known = event.get("start") and event.get("precision") != "unknown"
        (dated if known else undated).append(event)
    result = {
        "width": width,
        "lanes": [],
        "ticks": [],
        "grid": [],
        "undated": undated,
        "count": len(dated),
    }
    if not dated:
        result.update(height=0, axis_y=0)
        return result
    first = min(e["start"].year for e in dated)
    last = max((e.get("end") or e["start"]).year for e in dated)
    left, room = TL_PAD, width - 2 * TL_PAD

    def x_of(years):
        return left + (years - first) / (last + 1 - first) * room

    by_lane = {}
    for event in sorted(dated, key=lambda e: (e["start"], e["title"])):
        by_lane.setdefault(event.get("lane") or "", []).append(event)
    # Series in the order they began; events of no series last.
    names = sorted(by_lane, key=lambda name: (name == "", by_lane[name][0]["start"], name))
    y = 4
    for name in names:
        rows_end = []  # per row of marks: the x where its last mark ends
        marks = []
        for event in by_lane[name]:
            start, end = _span(event["start"], event.get("end"), event["precision"])
            x0, x1 = x_of(start) + inset, x_of(end) - inset
            if x1 - x0 < TL_MIN_MARK:
                middle = (x0 + x1) / 2
                x0, x1 = middle - TL_MIN_MARK / 2, middle + TL_MIN_MARK / 2
            row = next((i for i, end_x in enumerate(rows_end) if end_x + 3 <= x0), None)
            if row is None:
                rows_end.append(x1)
                row = len(rows_end) - 1
            rows_end[row] = x1
            shape = "dot" if event["precision"] == "day" and not event.get("end") else "bar"
            marks.append(
                {
                    "x": round(x0, 1),
                    "w": round(x1 - x0, 1),
                    "cx": round((x0 + x1) / 2, 1),
                    "row": row,
                    "shape": shape,
                    "precision": event["precision"],
                    "title": event["title"],
                    "url": event["url"],
                    "date_text": event.get("date_text", ""),
                }
            )
        top = y + TL_LANE_LABEL
        for mark in marks:
            mark["y"] = top + mark["row"] * TL_ROW + 3
            mark["h"] = TL_ROW - 6
            mark["cy"] = mark["y"] + mark["h"] / 2
        lane = by_lane[name][0]
        height = TL_LANE_LABEL + len(rows_end) * TL_ROW
        result["lanes"].append(
            {
                "name": name or str(other_lane),
                "url": lane.get("lane_url") if name else None,
                "y": y,
                "label_y": y + FONT + 1,
                "height": height,
                "marks": marks,
                "count": len(marks),
            }
        )
        y += height + 6
    axis_y = y + 2
    result["ticks"] = [
        {"x": round(x_of(year), 1), "label": str(year)} for year in year_ticks(first, last, room)
    ]
    if last - first < 80:
        result["grid"] = [round(x_of(year), 1) for year in range(first, last + 2)]
    result.update(axis_y=axis_y, height=axis_y + TL_AXIS, first=first, last=last)
    return result


TL_MAX_MARKS = 300  # above this many dated events, a mark stands for a lane's year


def timeline_counts(years, *, width=TIMELINE_WIDTH, other_lane=OTHER_LANE):
    """The timeline of a large archive: per lane, one bar per year saying how many events
    it holds, linked to that list, so the picture stays readable and its cost flat.

    ``years``: dicts ``{lane, lane_url, year, n, url}`` (``lane`` ``""`` for events of no
    series). Returns what :func:`timeline` returns; marks are ``precision="count"`` bars
    titled "12 events"."""
    events = [
        {
            "title": ngettext("%(count)s event", "%(count)s events", row["n"])
            % {"count": number_format(row["n"], force_grouping=True)},
            "url": row["url"],
            "start": datetime.date(row["year"], 1, 1),
            "end": None,
            "precision": "year",
            "date_text": str(row["year"]),
            "lane": row["lane"],
            "lane_url": row["lane_url"],
        }
        for row in years
    ]
    other_lane = str(other_lane)
    result = timeline(events, width=width, other_lane=other_lane, inset=2)
    per_lane = {}
    for row in years:
        name = row["lane"] or other_lane
        per_lane[name] = per_lane.get(name, 0) + row["n"]
    for lane in result["lanes"]:
        lane["count"] = per_lane[lane["name"]]
        for mark in lane["marks"]:
            mark["precision"] = "count"
    result["count"] = sum(per_lane.values())
    return result


# -- participation matrix ---------------------------------------------------------------

# What a mark says, strongest first: a country that took part and was also invited took
# part. Observers are participants whose claim's qualifier says so.
ROLES = ("participant", "observer", "invited")
ROLE_LABELS = {
    "participant": gettext_lazy("took part"),
    "observer": gettext_lazy("observed"),
    "invited": gettext_lazy("was invited"),
}
CELL = 24
MATRIX_LABEL_CHARS = 46
MATRIX_ANGLE = 50  # degrees the country names rise from the horizontal


def role_of(prop, qualifier=""):
    """participant, observer or invited, from a claim's property and qualifier."""
    if prop == "invited":
        return "invited"
    return "observer" if "observer" in (qualifier or "").lower() else "participant"


def participation(events, marks):
    """Events × countries, a mark in each cell a claim fills: events are rows (in the
    order given, so an archive grows downwards, the way a page scrolls), countries are
    columns, most active first.

    ``events``: dicts ``{key, title, url, date_text}`` in reading order. ``marks``: dicts
    ``{event, country, country_name, country_url, role, url}`` — the evidence of one
    public, standing claim; ``role`` one of :data:`ROLES`. A cell keeps its strongest
    role. Only events and countries with a mark are drawn. Returns ``{width, height,
    left, top, right, bottom, angle, rows, columns, cells, events, roles_used}``: rows
    are events, columns countries, and ``events`` the table alternative, each with its
    marks grouped by role.
    """
    strongest = {}
    for mark in marks:
        cell = (mark["event"], mark["country"])
        held = strongest.get(cell)
        if held is None or ROLES.index(mark["role"]) < ROLES.index(held["role"]):
            strongest[cell] = mark
    keys = {event for event, _ in strongest}
    rows = [dict(event) for event in events if event["key"] in keys]
    countries = {}
    for mark in strongest.values():
        entry = countries.setdefault(
            mark["country"],
            {
                "key": mark["country"],
                "name": mark["country_name"],
                "url": mark["country_url"],
                "n": 0,
                "total": 0,
            },
        )
        entry["n"] += mark["role"] != "invited"
        entry["total"] += 1
    columns = sorted(countries.values(), key=lambda c: (-c["n"], -c["total"], c["name"]))
    angle = math.radians(MATRIX_ANGLE)
    longest = max((text_width(c["name"], 12) for c in columns), default=0)
    for row in rows:
        row["label"] = shorten(row["title"], MATRIX_LABEL_CHARS)
    year_room = max((text_width(row.get("year") or "") for row in rows), default=0)
    year_room = year_room + 14 if year_room else 0
    left = round(year_room + max((text_width(row["label"]) for row in rows), default=0) + 16)
    top = round(longest * math.sin(angle) + 14)
    right = left + len(columns) * CELL
    width = round(max(right + 28, right - CELL / 2 + longest * math.cos(angle) + 8))
    height = top + len(rows) * CELL + 6
    row_index = {row["key"]: i for i, row in enumerate(rows)}
    column_index = {column["key"]: i for i, column in enumerate(columns)}
    for i, column in enumerate(columns):
        column.update(x=left + i * CELL, cx=left + i * CELL + CELL // 2)
    for i, row in enumerate(rows):
        row.update(y=top + i * CELL, cy=top + i * CELL + CELL // 2, stripe=i % 2 == 1, n=0)
    cells = []
    for (event, country), mark in sorted(
        strongest.items(), key=lambda item: (row_index[item[0][0]], column_index[item[0][1]])
    ):
        row, column = rows[row_index[event]], columns[column_index[country]]
        row["n"] += mark["role"] != "invited"
        cells.append(
            {
                **mark,
                "cx": column["cx"],
                "cy": row["cy"],
                "event_title": row["title"],
                "says": str(ROLE_LABELS[mark["role"]]),
            }
        )
    by_row = {}
    for cell in cells:
        by_row.setdefault((cell["event"], cell["role"]), []).append(cell)
    table = [
        {**row, "roles": [(role, by_row.get((row["key"], role), [])) for role in ROLES]}
        for row in rows
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "top": top,
        "right": right,
        "bottom": top + len(rows) * CELL,
        "angle": -MATRIX_ANGLE,
        "rows": rows,
        "columns": columns,
        "cells": cells,
        "events": table,
        "roles_used": [role for role in ROLES if any(c["role"] == role for c in cells)],
    }


# -- map -------------------------------------------------------------------------------

# The region the map shows: Belarus to the Yellow Sea, the Indian Ocean to the Arctic
# circle's south. An equirectangular projection true at 40° N keeps shapes fair here.
LON_MIN, LON_MAX = 20.0, 145.0
LAT_MIN, LAT_MAX = 5.0, 62.0
STANDARD_PARALLEL = 40.0
MAP_WIDTH = 800
_X_SCALE = math.cos(math.radians(STANDARD_PARALLEL))
_UNIT = MAP_WIDTH / ((LON_MAX - LON_MIN) * _X_SCALE)  # user units per degree of latitude
MAP_HEIGHT = round((LAT_MAX - LAT_MIN) * _UNIT)
REGION_FILE = Path(__file__).with_name("data") / "region.json"


def project(lat, lon):
    """(x, y) in the map's user units of a point given in degrees."""
    return (lon - LON_MIN) * _X_SCALE * _UNIT, (LAT_MAX - lat) * _UNIT


def in_region(lat, lon):
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX


@cache
def region_outline():
    """The countries of the region as SVG paths, drawn once from Natural Earth
    (events/data/region.json, made by tools/region_outline.py; see its LICENCE.md)."""
    return json.loads(REGION_FILE.read_text(encoding="utf-8"))


def marker_radius(n):
    return round(4 + 2.5 * math.sqrt(max(n, 1) - 1) + 1, 1)


def _overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def event_map(places, *, highlight=(), focus=False, min_width=480):
    """Places on the region's outline, each with its events.

    ``places``: dicts ``{key, name, url, lat, lon, events, current}`` (``events`` a list
    of ``{title, url, date_text}``, perhaps only the latest of ``n`` events held there;
    ``current`` marks the page's own place). Places with
    no coordinates, or outside the region, come back in ``unplaced``. ``highlight``:
    names of outline countries to shade (a country's page, an event held in a country).
    ``focus`` crops the view to the places shown, never narrower than ``min_width``.
    Returns ``{view_box, width, height, countries, markers, unplaced, count}``.
    """
    markers, unplaced, boxes = [], [], []
    places = [{**p, "n": p.get("n", len(p["events"]))} for p in places]
    shown = []
    for place in places:
        located = place.get("lat") is not None and place.get("lon") is not None
        (shown if located and in_region(place["lat"], place["lon"]) else unplaced).append(place)
    shown.sort(key=lambda p: (-p["n"], p["name"]))
    for place in shown:
        x, y = project(place["lat"], place["lon"])
        r = marker_radius(place["n"])
        boxes.append((x - r, y - r, x + r, y + r))
        markers.append({**place, "x": round(x, 1), "y": round(y, 1), "r": r})
    for marker in markers:  # labels: right, left, above or below, where nothing is yet
        w, r, x, y = text_width(marker["name"]), marker["r"], marker["x"], marker["y"]
        options = [
            (x + r + 3, y + FONT * 0.35, "start", (x + r + 2, y - FONT / 2, x + r + 4 + w, y)),
            (x - r - 3, y + FONT * 0.35, "end", (x - r - 4 - w, y - FONT / 2, x - r - 2, y)),
            (x, y - r - 4, "middle", (x - w / 2, y - r - 4 - FONT, x + w / 2, y - r - 3)),
            (x, y + r + FONT + 2, "middle", (x - w / 2, y + r + 2, x + w / 2, y + r + FONT + 3)),
        ]
        fits = [o for o in options if o[3][2] <= MAP_WIDTH and o[3][0] >= 0]
        choice = next(
            (o for o in fits if not any(_overlaps(o[3], box) for box in boxes)),
            (fits or options)[0],
        )
        marker.update(label_x=round(choice[0], 1), label_y=round(choice[1], 1), anchor=choice[2])
        boxes.append(choice[3])
    x0, y0, x1, y1 = 0, 0, MAP_WIDTH, MAP_HEIGHT
    if focus and boxes:
        x0 = max(0, min(b[0] for b in boxes) - 40)
        x1 = min(MAP_WIDTH, max(b[2] for b in boxes) + 40)
        y0 = max(0, min(b[1] for b in boxes) - 40)
        y1 = min(MAP_HEIGHT, max(b[3] for b in boxes) + 40)
        # Never narrower than min_width, and the region's shape (wider than tall).
        grow = max(0, min_width - (x1 - x0)) / 2
        x0, x1 = max(0, x0 - grow), min(MAP_WIDTH, x1 + grow)
        want = (x1 - x0) * MAP_HEIGHT / MAP_WIDTH
        grow = max(0, want - (y1 - y0)) / 2
        y0, y1 = max(0, y0 - grow), min(MAP_HEIGHT, y1 + grow)
    shaded = {name.casefold() for name in highlight}
    outline = region_outline()
    countries = [
        {**country, "shaded": country["name"].casefold() in shaded}
        for country in outline["countries"]
    ]
    return {
        "focused": bool(focus and boxes),
        "view_box": f"{x0:.0f} {y0:.0f} {x1 - x0:.0f} {y1 - y0:.0f}",
        "width": round(x1 - x0),
        "height": round(y1 - y0),
        "clip": {"x": round(x0), "y": round(y0), "w": round(x1 - x0), "h": round(y1 - y0)},
        "countries": countries,
        "shaded_names": [country["name"] for country in countries if country["shaded"]],
        "markers": markers,
        "unplaced": unplaced,
        "count": sum(m["n"] for m in markers),
    }
