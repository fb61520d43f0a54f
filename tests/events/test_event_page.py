"""The event page answers first (issue #19): a summary box with reference markers, then
the evidence, each quote printed once under every value it supports."""

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
