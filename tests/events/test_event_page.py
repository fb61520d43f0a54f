"""The event page answers first (issue #19): a summary box with reference markers, then
the evidence, each quote printed once under every value it supports."""

import html as htmllib
import re

import pytest
from django.core.management import call_command

from events.models import Claim, Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


def test_the_summary_box_comes_first_and_each_value_points_at_its_evidence(client, seed):
    event = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    html = client.get(event.get_absolute_url()).content.decode()
    glance = html.split('class="at-a-glance"', 1)[1].split("</section>", 1)[0]
    assert html.index('class="at-a-glance"') < html.index('id="claims-heading"')
    for label in ("When", "Where", "Host", "Taking part", "Invited"):
        assert f"<dt>{label}</dt>" in glance
    refs = set(re.findall(r'href="#evidence-(\d+)"', glance))
    assert refs and all(f'id="evidence-{ref}"' in html for ref in refs)
    taking_part = glance.split("<dt>Taking part</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Iran" in taking_part and "Iraq" not in taking_part  # deprecated: evidence only


def test_a_quote_naming_nine_participants_is_printed_once(client, seed):
    event = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    html = client.get(event.get_absolute_url()).content.decode()
    participants = Claim.objects.public().filter(event=event, property="participant")
    assert participants.count() >= 9
    quote = participants.first().citations.get().quote
    assert html.count(f'<blockquote cite="/sources/{quote.article.slug}/#quote-{quote.pk}"') == 1
    for claim in participants:
        assert f'id="claim-{claim.pk}"' in html


def test_no_public_page_shows_internal_seed_references(client, seed):
    pages = ["/", "/events/", "/series/", "/entities/", "/sources/"]
    pages += [event.get_absolute_url() for event in Event.objects.published()]
    from events.models import Entity, Series
    from sources.models import Article, Outlet

    pages += [entity.get_absolute_url() for entity in Entity.objects.active()]
    pages += [series.get_absolute_url() for series in Series.objects.all()]
    pages += [article.get_absolute_url() for article in Article.objects.published()]
    assert Outlet.objects.exists()
    for url in pages:
        html = client.get(url).content.decode()
        assert "seed 0" not in html.lower(), url


# --- facets that guide (the events list) ---------------------------------------------


def test_facet_values_stay_visible_with_counts_after_one_is_chosen(client, seed):
    html = client.get("/events/", {"year": 2021}).content.decode()
    facets = html.split('class="facets"', 1)[1]
    years = re.findall(r"\?year=(\d{4})", facets)
    assert {"2022", "2023"} <= set(years)  # the other years are still offered
    kinds = re.findall(r"kind=(\w+)", facets)
    assert kinds and all(f"year=2021&amp;kind={k}" in facets for k in kinds)


def test_each_active_filter_is_named_and_removed_in_one_click(client, seed):
    response = client.get("/events/", {"year": 2021, "kind": "meeting"})
    html = response.content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Year: 2021" in title and "Kind: Meeting" in title
    chips = html.split('class="active-filters"', 1)[1].split("</ul>", 1)[0]
    removers = re.findall(r'<a href="([^"]+)" class="remove"', chips)
    assert sorted(removers) == ["?kind=meeting", "?year=2021"]
    assert client.get("/events/?kind=meeting").status_code == 200


def test_the_csv_link_downloads_the_events_of_the_current_filters(client, seed):
    html = client.get("/events/", {"year": 2021, "kind": "exercise", "sort": "title"}).content
    link = re.search(r'href="(/api/v1/export/events\.csv[^"]*)"', html.decode()).group(1)
    assert "sort" not in link
    csv_text = b"".join(client.get(link.replace("&amp;", "&")).streaming_content).decode()
    rows = csv_text.strip().splitlines()[1:]
    expected = Event.objects.published().filter(start_date__year=2021, kind="exercise")
    assert sorted(row.split(",")[1] for row in rows) == sorted(e.slug for e in expected)
    assert len(rows) == 2


# --- source pages for reading ----------------------------------------------------------


def test_reflow_keeps_every_offset_and_paragraph():
    from hypothesis import given
    from hypothesis import strategies as st

    from sources.text import reflow

    assert reflow("met in\nDushanbe.\nThey agreed.\n\nNext") == (
        "met in Dushanbe.\nThey agreed.\n\nNext"
    )

    @given(st.text(alphabet="ab. \n", max_size=60))
    def same_length(body):
        shown = reflow(body)
        assert len(shown) == len(body)
        assert all(a == b or (a, b) == ("\n", " ") for a, b in zip(body, shown, strict=True))

    same_length()


def test_source_page_highlights_have_names_and_margin_notes(client, seed):
    from sources.models import Article

    article = Article.objects.get(slug="sco-defense-ministers-convene-in-astana")
    html = client.get(article.get_absolute_url()).content.decode()
    links = re.findall(r'<a href="#cites-\d+" aria-label="([^"]+)">', html)
    assert links and all("what it supports" in label for label in links)
    notes = re.findall(r'<span class="margin-note">(.*?)</span>(?=<mark)', html)
    assert notes and any("Participant — " in note and "Iraq (disputed)" in note for note in notes)


def test_the_as_received_view_marks_what_cleaning_removed(client, seed):
    from sources.models import Article
    from sources.text import fold

    marked = 0
    for article in Article.objects.published():
        html = client.get(f"{article.get_absolute_url()}original/").content.decode()
        removed = re.findall(r'<del class="removed"[^>]*>(.*?)</del>', html)
        marked += len(removed)
        kept = fold(article.body)[0]
        for text in removed:  # what is struck through is not in the clean text
            assert fold(htmllib.unescape(text).strip())[0] not in kept, (article.slug, text)
    assert marked >= 5
    fd = Article.objects.get(slug="sco-outlines-steps-to-enhance-defence-and-security-cooperation")
    html = client.get(f"{fd.get_absolute_url()}original/").content.decode()
    assert '<del class="removed" title="Removed by cleaning">7\xa0min read</del>' in html


# --- entities, structured data, descriptions -----------------------------------------


def test_entity_pages_list_quotes_that_mention_them_and_no_event_twice(client, seed):
    html = client.get("/entities/afghanistan/").content.decode()
    assert "Quoted sources that mention Afghanistan" in html
    assert "No published claim names Afghanistan yet;" in html or "Events and roles" in html
    astana = client.get("/entities/astana/").content.decode()
    meeting = "/events/sco-defence-ministers-meeting-astana/"
    listed = astana.split('id="roles-heading"', 1)[1]  # the lists, after the map
    assert listed.count(f'href="{meeting}"') == 1


def json_lds(html):
    import json

    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_structured_data_on_source_entity_series_and_event_pages(client, seed):
    (source,) = json_lds(
        client.get("/sources/sco-defense-ministers-convene-in-astana/").content.decode()
    )
    assert source["@type"] == "NewsArticle" and source["publisher"]["name"] == "The Gulf Observer"
    (country,) = json_lds(client.get("/entities/kazakhstan/").content.decode())
    assert country["@type"] == "Country" and country["sameAs"].startswith(
        "https://www.wikidata.org/"
    )
    (series,) = json_lds(client.get("/series/sco-defence-ministers-meeting/").content.decode())
    assert series["@type"] == "EventSeries" and series["subEvent"]
    event = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    (data,) = json_lds(client.get(event.get_absolute_url()).content.decode())
    assert data["citation"][0]["url"].endswith("/sources/sco-defense-ministers-convene-in-astana/")


def test_meta_descriptions_stay_under_160_characters(client, seed):
    import html as htmllib

    from events.models import Entity, Series
    from sources.models import Article

    pages = ["/", "/events/", "/sources/", "/entities/", "/series/", "/about/"]
    pages += [e.get_absolute_url() for e in Event.objects.published()]
    pages += [e.get_absolute_url() for e in Entity.objects.active()]
    pages += [s.get_absolute_url() for s in Series.objects.all()]
    pages += [a.get_absolute_url() for a in Article.objects.published()]
    for url in pages:
        page = client.get(url).content.decode()
        description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
        assert 0 < len(htmllib.unescape(description)) < 160, (url, description)


def test_the_evidence_escapes_what_editors_and_sources_wrote(client):
    """The evidence is built in Python (issue #15): every value, note, reason, quote and
    translation is escaped as the template engine would."""
    from sources.models import QuoteTranslation
    from tests.factories import ArticleFactory, CitationFactory, ClaimFactory, QuoteFactory

    words = 'The ministers said <b>peace</b> & "trust" mattered.'
    article = ArticleFactory(body=f"Dushanbe, 28 July. {words} The end.")
    quote = QuoteFactory(article=article, words=words)
    claim = ClaimFactory(
        property=Claim.Property.STATEMENT,
        value_entity=None,
        value_text="<i>peace</i>",
        note="<script>alert(1)</script>",
        rank=Claim.Rank.DEPRECATED,
        rank_reason="<u>retracted</u>",
        qualifier="a&b",
    )
    CitationFactory(claim=claim, quote=quote)
    QuoteTranslation.objects.create(
        quote=quote, language="ru", text="<em>мир</em>", translator="<A&B>", status="published"
    )
    page = client.get(claim.event.get_absolute_url()).content.decode()
    evidence = page.split('id="claims-heading"', 1)[1]
    for raw in (
        "<b>peace</b>",
        "<i>peace</i>",
        "<script>alert",
        "<u>retracted",
        "<em>мир",
        "<A&B>",
    ):
        assert raw not in evidence
        assert htmllib.escape(raw, quote=False) in evidence.replace("&#x27;", "'")
    assert "a&amp;b" in evidence and "&quot;trust&quot;" in evidence
