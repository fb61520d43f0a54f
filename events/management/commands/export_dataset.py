"""Write a dated release of the public data: ``manage.py export_dataset DIR``.

``DIR/sco-archive-<YYYY-MM-DD>/`` gets ``datapackage.json`` (the same Frictionless Data
Package as /api/v1/datapackage.json), ``export/<name>.csv`` for every export of
``events.exports.EXPORTS`` and ``sco-archive.sqlite`` (one typed table per export, ready
for ``datasette sco-archive.sqlite``). ``DIR/CHANGES`` gets a paragraph saying what
changed since the previous release in DIR: rows added, removed and changed per export.
"""

import csv
import hashlib
import json
import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.exports import EXPORTS, _iso, datapackage

SQLITE_TYPES = {"integer": "INTEGER", "number": "REAL"}
PREFIX = "sco-archive-"


def row_digests(path):
    """{id: digest of the row} of a release's CSV (empty when there is none)."""
    if not path.exists():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return {
            row[0]: hashlib.blake2b("\x1f".join(row).encode(), digest_size=12).hexdigest()
            for row in reader
        }


def compare(before, after):
    added = len(after.keys() - before.keys())
    removed = len(before.keys() - after.keys())
    changed = sum(1 for key in after.keys() & before.keys() if after[key] != before[key])
    return added, removed, changed


class Command(BaseCommand):
    help = "Write a dated release of the public data (data package, CSVs, SQLite) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--base-url",
            default="",
            help="The site's address, for the `url` columns (default: site-relative URLs).",
        )

    def handle(self, directory, base_url, **options):
        directory.mkdir(parents=True, exist_ok=True)
        today = timezone.localdate().isoformat()
        releases = sorted(p for p in directory.glob(f"{PREFIX}*") if p.is_dir())
        name = f"{PREFIX}{today}"
        number = 1
        while (directory / name).exists():
            number += 1
            name = f"{PREFIX}{today}-{number}"
        previous = releases[-1] if releases else None
        release = directory / name
        (release / "export").mkdir(parents=True)
        base = base_url.rstrip("/")
        package = datapackage(base)
        package["version"] = name.removeprefix(PREFIX)
        package["created"] = timezone.now().replace(microsecond=0).isoformat()
        (release / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        database = sqlite3.connect(release / "sco-archive.sqlite")
        lines = [f"{name} ({package['created']})"]
        if previous is None:
            lines.append("  first release")
        else:
            lines.append(f"  since {previous.name}:")
        for export in EXPORTS.values():
            path = release / "export" / f"{export.name}.csv"
            queryset = export.queryset()
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerows(export.csv_rows(queryset, base))
            columns = ", ".join(
                f'"{c.name}" {SQLITE_TYPES.get(c.type, "TEXT")}'
                + (" PRIMARY KEY" if c.name == "id" else "")
                for c in export.columns
            )
            database.execute(f'CREATE TABLE "{export.name}" ({columns})')
            marks = ", ".join("?" for _ in export.columns)
            database.executemany(
                f'INSERT INTO "{export.name}" VALUES ({marks})',
                (
                    [
                        json.dumps(v, ensure_ascii=False) if isinstance(v, list) else _iso(v)
                        for v in record.values()
                    ]
                    for record in export.records(queryset, base)
                ),
            )
            after = row_digests(path)
            if previous is None:
                lines.append(f"  {export.name}: {len(after)} rows")
            else:
                before = row_digests(previous / "export" / f"{export.name}.csv")
                added, removed, changed = compare(before, after)
                lines.append(
                    f"  {export.name}: {len(after)} rows "
                    f"(+{added} added, -{removed} removed, {changed} changed)"
                )
        database.commit()
        database.close()
        with (directory / "CHANGES").open("a", encoding="utf-8") as changes:
            changes.write("\n".join(lines) + "\n\n")
        self.stdout.write(self.style.SUCCESS(f"Wrote {release}"))
        self.stdout.write("\n".join(lines[1:]))
