"""Draw the map's outline once: Natural Earth countries (npm ``world-atlas``) → region.json.

Run by hand when the region changes, never when serving::

    mkdir /tmp/atlas && npm install --prefix /tmp/atlas world-atlas@2.0.2
    python tools/region_outline.py /tmp/atlas/node_modules/world-atlas/countries-50m.json \
        > events/data/region.json

It decodes the TopoJSON arcs (quantised, delta-encoded), clips each country's rings to
the region of :mod:`events.pictures` (Sutherland–Hodgman against the rectangle, which an
equirectangular projection keeps a rectangle), projects them with ``pictures.project``,
and writes one SVG path per country. Natural Earth is in the public domain; see
events/data/LICENCE.md.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from events import pictures  # noqa: E402


def decode_arcs(topology):
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip(points, lon_min, lon_max, lat_min, lat_max):
    """A ring clipped to the rectangle (Sutherland–Hodgman)."""
    edges = [
        (lambda p: p[0] >= lon_min, lambda a, b: _at_x(a, b, lon_min)),
        (lambda p: p[0] <= lon_max, lambda a, b: _at_x(a, b, lon_max)),
        (lambda p: p[1] >= lat_min, lambda a, b: _at_y(a, b, lat_min)),
        (lambda p: p[1] <= lat_max, lambda a, b: _at_y(a, b, lat_max)),
    ]
    for inside, cross in edges:
        if not points:
            break
        out = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    out.append(cross(previous, point))
                out.append(point)
            elif inside(previous):
                out.append(cross(previous, point))
            previous = point
        points = out
    return points


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def area(points):
    return abs(
        sum(
            x0 * y1 - x1 * y0
            for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True)
        )
        / 2
    )


MIN_STEP = 2  # user units of the 800-wide map


def _apart(a, b):
    return abs(a[0] - b[0]) + abs(a[1] - b[1])


def _number(value):
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def path(rings):
    parts = []
    for points in rings:
        projected = []
        for lon, lat in points:
            x, y = pictures.project(lat, lon)
            point = (round(x, 1), round(y, 1))
            # Points closer than ~a pixel to the last one kept add bytes, not shape.
            if not projected or _apart(point, projected[-1]) >= MIN_STEP:
                projected.append(point)
        if len(projected) < 3 or area(projected) < 2:  # specks drawn smaller than a pixel
            continue
        # Relative steps ("l dx dy") are shorter to write than absolute points.
        first, *rest = projected
        steps = [
            f"{_number(x - px)} {_number(y - py)}"
            for (px, py), (x, y) in zip(projected[:-1], rest, strict=True)
        ]
        parts.append(f"M{first[0]:g} {first[1]:g}l" + " ".join(steps))
    return "Z".join(parts) + ("Z" if parts else "")


def main(source):
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    bounds = (pictures.LON_MIN, pictures.LON_MAX, pictures.LAT_MIN, pictures.LAT_MAX)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = {
            "Polygon": [geometry.get("arcs", [])],
            "MultiPolygon": geometry.get("arcs", []),
        }.get(geometry["type"], [])
        rings = [clip(ring(arcs, r), *bounds) for polygon in polygons for r in polygon]
        d = path([r for r in rings if len(r) >= 3])
        if d:
            countries.append({"name": geometry["properties"]["name"], "d": d})
    countries.sort(key=lambda country: country["name"])
    json.dump(
        {
            "source": "Natural Earth 1:50m admin 0 countries, via npm world-atlas 2.0.2 "
            "(countries-50m.json); public domain. Converted by tools/region_outline.py.",
            "extent": {
                "lon": [pictures.LON_MIN, pictures.LON_MAX],
                "lat": [pictures.LAT_MIN, pictures.LAT_MAX],
                "projection": f"equirectangular, standard parallel {pictures.STANDARD_PARALLEL}",
            },
            "width": pictures.MAP_WIDTH,
            "height": pictures.MAP_HEIGHT,
            "countries": countries,
        },
        sys.stdout,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
