"""Citing the archive: one claim or one event as CSL-JSON, BibTeX or RIS.

:func:`claim_citation` and :func:`event_citation` give a CSL-JSON item (the citation's
one description); the DRF renderers turn it into each format, chosen by ``?format=``
(``csl``, ``bibtex``, ``ris``) on ``/api/v1/claims/<id>/cite/`` and
``/api/v1/events/<slug>/cite/``. They are written by hand: each format is a few lines of
text, and the libraries that read them (bibtexparser, rispy, citeproc) only parse or
render styles. The tests parse what they write with bibtexparser.
"""

from __future__ import annotations

import json
import re

from django.utils import timezone
from rest_framework.renderers import BaseRenderer

PUBLISHER = "SCO Archive"


def _parts(moment):
    moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return [[moment.year, moment.month, moment.day]]


def _item(key, title, url, updated_at, note=""):
    item = {
        "id": key,
        "type": "dataset",
        "title": title,
        "publisher": PUBLISHER,
        "container-title": PUBLISHER,
        "URL": url,
        "issued": {"date-parts": _parts(updated_at)},
        "accessed": {"date-parts": _parts(timezone.now())},
        "license": "CC BY 4.0",
    }
    if note:
        item["note"] = note
    return item


def claim_citation(claim, url):
    """A public claim (its JSON, ``rows.claim_dict``) as a CSL-JSON item; ``url`` is its
    permalink on the event page."""
    from django.utils.dateparse import parse_datetime

    label = claim["property"].replace("_", " ")
    sources = "; ".join(
        f"{c['article']['outlet'] or 'unknown outlet'}, {c['article']['title']}"
        for c in claim["citations"]
    )
    return _item(
        f"sco-archive-claim-{claim['id']}",
        f"{claim['event']['title']}: {label} — {claim['value']}",
        url,
        parse_datetime(claim["updated_at"]),
        f"Sources: {sources}" if sources else "",
    )


def event_citation(event, url):
    return _item(f"sco-archive-{event.slug}", event.title, url, event.updated_at)


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bibtex_text(value):
    return _BIBTEX_SPECIAL.sub(lambda m: "\\" + m.group(1) if m.group(1) != "\\" else "", value)


class CslRenderer(BaseRenderer):
    media_type = "application/vnd.citationstyles.csl+json"
    format = "csl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return json.dumps([data], ensure_ascii=False, indent=2).encode()


class BibtexRenderer(BaseRenderer):
    media_type = "application/x-bibtex"
    format = "bibtex"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        ((year, month, day),) = data["issued"]["date-parts"]
        accessed = "-".join(f"{n:02d}" for n in data["accessed"]["date-parts"][0])
        fields = {
            "title": _bibtex_text(data["title"]),
            "author": "{" + PUBLISHER + "}",
            "publisher": PUBLISHER,
            "year": str(year),
            "month": f"{month}",
            "url": data["URL"],
            "urldate": accessed,
            "note": _bibtex_text(data.get("note", "") or "Licensed CC BY 4.0"),
        }
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
        return f"@misc{{{data['id']},\n{body}\n}}\n".encode()


class RisRenderer(BaseRenderer):
    media_type = "application/x-research-info-systems"
    format = "ris"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        ((year, month, day),) = data["issued"]["date-parts"]
        accessed = "/".join(f"{n:02d}" for n in data["accessed"]["date-parts"][0])
        lines = [
            ("TY", "DATA"),
            ("ID", data["id"]),
            ("TI", data["title"].replace("\n", " ")),
            ("AU", PUBLISHER),
            ("PB", PUBLISHER),
            ("PY", str(year)),
            ("DA", f"{year}/{month:02d}/{day:02d}"),
            ("UR", data["URL"]),
            ("Y2", accessed),
        ]
        if data.get("note"):
            lines.append(("N1", data["note"].replace("\n", " ")))
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines).encode()


CITE_RENDERERS = [CslRenderer, BibtexRenderer, RisRenderer]
