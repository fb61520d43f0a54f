"""The gazetteer shipped with the code (fixtures/gazetteer.yaml): SCO members, observers
and partners, their capitals, usual venues, the main organisations and the defence
series, each with a canonical English name, names in Russian and Chinese recorded with
their language, and demonyms. The suggester uses it, so it finds entities in an empty
archive; `materialise(entry)` creates the Entity a suggestion needs."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings

GROUPS = {"countries": "country", "organisations": "organisation", "places": "place"}


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    kind: str  # an Entity kind, or "series"
    aliases: tuple = ()
    names: dict = field(default_factory=dict, hash=False, compare=False)  # lang -> [names]
    demonyms: tuple = ()
    country: str = ""  # a place's country (its slug)

    def all_names(self):
        translated = [name for lang in sorted(self.names) for name in self.names[lang]]
        return [self.name, *self.aliases, *translated]


def default_path() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


@functools.lru_cache(maxsize=4)
def entries(path: Path | None = None) -> tuple[Entry, ...]:
    path = Path(path or default_path()) / "gazetteer.yaml"
    if not path.exists():
        return ()
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    found = []
    for group, kind in [*GROUPS.items(), ("series", "series")]:
        for item in data.get(group, []) or []:
            names = {lang: list(item[lang]) for lang in ("ru", "zh") if item.get(lang)}
            found.append(
                Entry(
                    slug=item["slug"],
                    name=item["name"],
                    kind=kind,
                    aliases=tuple(item.get("aliases", ())),
                    names=names,
                    demonyms=tuple(item.get("demonyms", ())),
                    country=item.get("country", ""),
                )
            )
    return tuple(found)


def country_of(slug: str) -> str:
    """The slug of the country a gazetteer place is in ("astana" → "kazakhstan"), or ""."""
    return _countries().get(slug, "")


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    return {entry.slug: entry.country for entry in entries() if entry.country}


def places_agree(one: str, other: str) -> bool:
    """Whether two places (slugs) can be the venue of one event: the same, or a place
    and the country it is in ("in Kazakhstan in 2024" and the archive's Astana meeting)."""
    return one == other or country_of(one) == other or country_of(other) == one


def names_by_slug(path=None) -> dict[str, dict[str, list[str]]]:
    return {entry.slug: entry.names for entry in entries(Path(path) if path else None)}


def materialise(entry: Entry):
    """The archive's Entity for a gazetteer entry: the one with its slug, else a new one."""
    from .models import Entity

    entity = Entity.objects.filter(slug=entry.slug).first()
    if entity is not None:
        return entity.merged_into or entity
    entity = Entity(
        slug=entry.slug,
        kind=entry.kind,
        name=entry.name,
        aliases=list(entry.aliases),
        names=dict(entry.names),
        description="From the gazetteer shipped with the archive (fixtures/gazetteer.yaml).",
    )
    entity.full_clean()
    entity.save()
    return entity
