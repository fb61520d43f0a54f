"""The curated seed archive: it loads, it is complete and consistent, it loads once."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from events import curation
from events.models import Citation, Claim, Entity, Event, Series
from sources.models import Article, Outlet, Quote

FIXTURES = curation.DEFAULT_PATH
CLUTTER = [
    "Load More",
    "Leave a Reply",
    "7\xa0min read",
    "Home China",
    "Gwadar",
    "Financial Daily (FD) is",
    "///nCa",
    "Photo credit",
    "date 2023-10-17",
    "О семинаре ШОС",
    "Required fields are marked",
]


def yaml_file(name):
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def seed(db):
    return curation.load()


def test_counts_are_what_the_curation_files_hold(seed):
    events = yaml_file("events.yaml")
    entities = yaml_file("entities.yaml")
    assert Outlet.objects.count() == len(yaml_file("outlets.yaml"))
    assert Article.objects.count() == len(yaml_file("articles.yaml")) == 5
    assert Entity.objects.count() == sum(len(group) for group in entities.values())
    assert Series.objects.count() == len(yaml_file("series.yaml"))
    assert Event.objects.count() == len(events)
    assert Claim.objects.count() == sum(len(event.get("claims", [])) for event in events)
    assert Citation.objects.count() == sum(
        len(claim["cite"]) for event in events for claim in event.get("claims", [])
    )


def test_everything_is_published(seed):
    assert not Article.objects.exclude(status="published").exists()
    assert not Event.objects.exclude(status="published").exists()
    assert not Claim.objects.exclude(status="published").exists()
    assert Claim.objects.published().count() == Claim.objects.count()


def test_every_published_claim_has_a_citation_that_verifies(seed):
    uncited = Claim.objects.published().filter(citations__isnull=True)
    assert not uncited.exists()
    for citation in Citation.objects.select_related("quote__article"):
        quote = citation.quote
        assert quote.article.body[quote.start : quote.end] == quote.exact
        assert quote.article.status == "published"


def test_originals_are_the_seed_files_byte_for_byte(seed):
    for article in Article.objects.all():
        seed_file = FIXTURES / "seeds" / (article.import_ref.removeprefix("seed:") + ".txt")
        assert article.original.encode("utf-8") == seed_file.read_bytes()


def test_clean_bodies_hold_no_clutter_and_only_text_of_the_original(seed):
    for article in Article.objects.all():
        for clutter in CLUTTER:
            assert clutter not in article.body, (article.slug, clutter)
        for paragraph in article.body.split("\n"):
            assert paragraph in article.original, (article.slug, paragraph)


def test_the_russian_heading_is_the_title_in_russian_not_body_text(seed):
    seminar = Article.objects.get(slug="sco-seminar-role-of-women-in-armed-forces-2021")
    assert seminar.original_title.startswith("О семинаре ШОС")
    assert seminar.original.count("О семинаре ШОС") == 2
    assert "ШОС" not in seminar.body


def test_the_factual_error_is_a_deprecated_claim_with_a_reason_and_a_correction(seed):
    astana = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    iraq = astana.claims.get(property="participant", value_entity__slug="iraq")
    assert iraq.rank == "deprecated"
    assert "not a member state" in iraq.rank_reason
    assert "Iraq" in iraq.quotes.get().exact
    iran = astana.claims.get(property="participant", value_entity__slug="iran")
    assert iran.rank != "deprecated" and "Iraq" in iran.note
    assert not Claim.objects.filter(rank="deprecated", rank_reason="").exists()


def test_dates_keep_the_precision_their_sources_support(seed):
    astana = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    assert astana.start_date is None and astana.date_precision == "unknown"
    assert astana.date_note
    tashkent = Event.objects.get(slug="sco-defence-ministers-meeting-2022-tashkent")
    assert tashkent.date_precision == "year" and tashkent.date_display == "2022"
    report = Article.objects.get(slug__startswith="sco-outlines-steps")
    assert report.published_precision == "month"
    assert "inferred" in report.date_note


def test_one_fact_from_several_sources_is_one_claim_with_several_citations(seed):
    founding = Event.objects.get(slug="founding-of-the-sco-2001")
    year_claim = founding.claims.get(property="date", value_date_precision="year")
    outlets = {quote.article.slug for quote in year_claim.quotes.select_related("article")}
    assert len(outlets) == 2
    assert founding.claims.get(property="date", value_date_precision="day").rank == "preferred"


def test_series_link_editions_named_differently(seed):
    peace = Series.objects.get(slug="peace-mission")
    assert "Peaceful Mission" in peace.aliases
    assert set(peace.events.values_list("slug", flat=True)) == {
        "peace-mission-2021",
        "peaceful-mission-2023",
    }
    band = Series.objects.get(slug="sco-military-band-festival")
    assert {"Fanfares of Peace", "Trumpet of Peace"} <= set(band.aliases)


def test_next_meetings_link_to_their_own_events(seed):
    dushanbe = Event.objects.get(slug="sco-defence-ministers-meeting-2021-dushanbe")
    assert dushanbe.claims.get(property="next_meeting").value_event.slug == (
        "sco-defence-ministers-meeting-2022-tashkent"
    )


def test_loading_twice_changes_nothing(seed):
    def snapshot():
        return {
            model.__name__: sorted(model.objects.values_list("pk", "updated_at"))
            for model in (Article, Quote, Entity, Series, Event, Claim, Citation, Outlet)
        }

    before = snapshot()
    counts = curation.load()
    assert snapshot() == before
    assert not counts.created and not counts.updated


def test_a_quote_that_does_not_anchor_stops_the_load_and_writes_nothing(db, tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, broken)
    events = (broken / "events.yaml").read_text(encoding="utf-8")
    events = events.replace(
        '"On 28 July 2021, Tajikistan chaired a meeting"',
        '"On 29 July 2021, Tajikistan hosted a summit"',
    )
    (broken / "events.yaml").write_text(events, encoding="utf-8")
    line = next(
        number
        for number, text in enumerate(events.splitlines(), start=1)
        if "Tajikistan hosted a summit" in text
    )
    with pytest.raises(curation.CurationError) as excinfo:
        curation.load(broken)
    message = str(excinfo.value)
    assert f"events.yaml:{line}" in message
    assert "On 29 July 2021, Tajikistan hosted a summit" in message
    assert "Closest passage" in message
    assert Article.objects.count() == 0 and Entity.objects.count() == 0


def test_load_seed_command_reports_and_refuses_broken_input(db, tmp_path):
    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_seed", "--path", str(tmp_path / "missing"))
    call_command("load_seed")
    assert Article.objects.count() == 5


def test_load_seed_if_empty_leaves_an_existing_archive_alone(db, capsys):
    from tests.factories import ArticleFactory

    ArticleFactory()
    call_command("load_seed", "--if-empty")
    assert "not loaded" in capsys.readouterr().out
    assert Article.objects.count() == 1


def test_fixture_paths_are_in_the_project():
    assert Path(FIXTURES, "seeds").is_dir()
    assert len(list(Path(FIXTURES, "seeds").glob("*.txt"))) == 5
