"""The stack's ceiling: a bare WSGI app serving precomputed bytes from a dict.

bench/run.py fetches every benchmarked URL from the archive once and writes
``{path: [status, content_type, body_base64]}`` to the JSON file named by
``BENCH_CEILING_FILE``; this app serves exactly those bytes, so gunicorn + loopback +
wrk are measured with no Django and no database:

    BENCH_CEILING_FILE=/tmp/bodies.json gunicorn ceiling:app --chdir bench -w 2
"""

import base64
import json
import os

with open(os.environ["BENCH_CEILING_FILE"], encoding="utf-8") as fh:
    BODIES = {
        path: (f"{status} OK", content_type, base64.b64decode(body))
        for path, (status, content_type, body) in json.load(fh).items()
    }
NOT_FOUND = ("404 Not Found", "text/plain", b"not benchmarked")


def app(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if environ.get("QUERY_STRING"):
        path = f"{path}?{environ['QUERY_STRING']}"
    status, content_type, body = BODIES.get(path, NOT_FOUND)
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]
