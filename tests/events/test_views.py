"""The public reader site: every page type, only published material, bad input, query counts."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Claim, Entity, Event
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    ClaimFactory,
    EntityFactory,
    EventFactory,
    QuoteFactory,
    SeriesFactory,
)
from tests.sitemaps import sitemap_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# Every page type renders the seed archive.


def test_home_shows_counts_latest_events_and_timeline(client, seed):
    html = get_ok(client, "/")
    published = Event.objects.published()
    assert f"<dd>{published.count()}</dd>" in html
    assert 'href="/events/?year=2021"' in html
    assert "Undated" in html  # the Astana meeting: no source gives its date
    latest = published.exclude(start_date=None).order_by("-start_date").first()
    assert latest.get_absolute_url() in html


def test_event_page_shows_claims_with_quotes_linking_to_the_source(client, seed):
    event = Event.objects.get(slug="sco-defence-ministers-meeting-2021-dushanbe")
    html = get_ok(client, event.get_absolute_url())
    claim = Claim.objects.published().filter(event=event, property="chair").get()
    citation = claim.citations.get()
    assert f'id="claim-{claim.pk}"' in html
    assert f"{citation.quote.article.get_absolute_url()}#quote-{citation.quote.pk}" in html
    assert citation.quote.exact.replace("'", "&#x27;") in html
    assert '<script type="application/ld+json">' in html
    assert '"@type": "Event"' in html and '"startDate": "2021-07-28"' in html
    assert 'rel="canonical"' in html and 'property="og:title"' in html
    assert "Cite this page" in html


def test_event_page_shows_the_true_precision_of_a_date(client, seed):
    year_only = Event.objects.published().filter(date_precision="year").first()
    html = get_ok(client, year_only.get_absolute_url())
    assert f"{year_only.start_date.year} — exact date not reported" in html
    undated = Event.objects.get(slug="sco-defence-ministers-meeting-astana")
    assert "date not reported" in get_ok(client, undated.get_absolute_url())


def test_deprecated_claim_is_struck_through_with_its_reason(client, seed):
    claim = Claim.objects.published().filter(rank="deprecated").first()
    html = get_ok(client, claim.event.get_absolute_url())
    section = html.split(f'id="claim-{claim.pk}"', 1)[1].split("</li>", 1)[0]
    assert "<del>" in section
    assert claim.rank_reason.replace("'", "&#x27;")[:40] in html


def test_conflicting_values_are_shown_side_by_side(client):
    event = EventFactory()
    for country in ("Kazakhstan", "Kyrgyzstan"):
        CitationFactory(claim=ClaimFactory(event=event, value_entity=EntityFactory(name=country)))
    html = get_ok(client, event.get_absolute_url())
    assert 'class="claim-group conflict"' in html
    assert "Sources differ" in html


def test_claim_counts_independent_sources(client):
    claim = ClaimFactory()
    CitationFactory(claim=claim)
    CitationFactory(claim=claim)  # another article of another outlet
    html = get_ok(client, claim.event.get_absolute_url())
    assert "2 independent sources" in html


def test_series_navigation_on_event_pages(client):
    series = SeriesFactory()
    first, second, third = (
        EventFactory(series=series, start_date=datetime.date(2020 + i, 5, 1)) for i in range(3)
    )
    html = get_ok(client, second.get_absolute_url())
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
    series_html = get_ok(client, series.get_absolute_url())
    positions = [series_html.index(e.get_absolute_url()) for e in (first, second, third)]
    assert positions == sorted(positions)


def test_source_page_highlights_quotes_with_ids_and_links_back(client, seed):
    from sources.models import Article

    article = Article.objects.get(slug="sco-defence-ministers-meeting-dushanbe-2021")
    html = get_ok(client, article.get_absolute_url())
    quote = article.quotes.filter(citations__isnull=False).first()
    assert f'<mark id="quote-{quote.pk}">' in html
    assert f'id="cites-{quote.pk}"' in html
    claim = quote.citations.first().claim
    assert claim.get_absolute_url() in html
    assert reverse("sources:article-original", args=[article.slug]) in html


def test_overlapping_quotes_give_one_id_each_and_nested_marks(client):
    article = ArticleFactory()
    outer = QuoteFactory(article=article, words="Tajikistan chaired a meeting of")
    inner = QuoteFactory(article=article, words="chaired a meeting of\xa0the defence")
    CitationFactory(quote=outer)
    CitationFactory(quote=inner)
    html = get_ok(client, article.get_absolute_url())
    assert html.count(f'id="quote-{outer.pk}"') == 1
    assert html.count(f'id="quote-{inner.pk}"') == 1
    assert f'<mark data-quote="{outer.pk}"><mark id="quote-{inner.pk}">' in html
    nested = re.search(
        rf'<mark data-quote="{inner.pk}"><a href="#cites-{inner.pk}" aria-label="[^"]*">([^<]*)<',
        html,
    )
    assert nested and nested.group(1).startswith("\xa0the defence")


def test_original_text_is_one_click_away(client, published_article):
    url = reverse("sources:article-original", args=[published_article.slug])
    html = get_ok(client, url)
    assert "Leave a Reply" in html  # clutter kept in the text as received


def test_entity_pages_list_events_and_roles(client, seed):
    html = get_ok(client, "/entities/")
    for label in ("Country", "Organisation", "Person", "Place"):
        assert f">{label}</h2>" in html
    tajikistan = Entity.objects.get(slug="tajikistan")
    html = get_ok(client, tajikistan.get_absolute_url())
    assert "SCO Defence Ministers&#x27; Meeting, Dushanbe 2021" in html
    assert "Chair" in html


def test_series_index_and_list_pages(client, seed):
    html = get_ok(client, "/series/")
    assert "Peace Mission" in html and "Peaceful Mission" in html
    assert "Fanfares of Peace" in get_ok(client, "/series/")


def test_about_states_method_and_licence(client):
    html = get_ok(client, "/about/")
    assert "CC BY 4.0" in html
    for word in ("Claims", "Quotes", "Ranks", "precision"):
        assert word in html


def test_events_list_facets_filters_and_sort(client, seed):
    html = get_ok(client, "/events/?kind=exercise")
    assert "Peace Mission 2021" in html and "Fanfares of Peace 2021" not in html
    html = get_ok(client, "/events/?participant=india")
    india_events = Event.objects.published().filter(
        claims__property="participant", claims__value_entity__slug="india"
    )
    assert india_events.exists()
    for event in india_events:
        assert event.get_absolute_url() in html
    html = get_ok(client, "/events/?sort=title")
    assert 'aria-current="true" class="current">Title<' in html
    html = get_ok(client, "/events/?year=2021")
    assert f"{Event.objects.published().filter(start_date__year=2021).count()} events" in html


def test_sources_list_filters_by_outlet_and_language(client, seed):
    html = get_ok(client, "/sources/?language=en")
    assert "Convene in Astana" in html
    assert get_ok(client, "/sources/?outlet=no-such-outlet").count('class="event-item"') == 0


def test_feed_sitemap_and_robots(client, seed):
    feed = get_ok(client, "/feeds/events/")
    assert feed.startswith("<?xml") and "http://www.w3.org/2005/Atom" in feed
    assert Event.objects.published().first().title.replace("'", "&#x27;") in feed
    assert "/sitemap-events.xml</loc>" in get_ok(client, "/sitemap.xml")
    sitemap = "".join(content.decode() for _, content in sitemap_files(client))
    assert "/events/sco-defence-ministers-meeting-2021-dushanbe/" in sitemap
    assert "/sources/" in sitemap and "/about/" in sitemap
    assert "Sitemap:" in get_ok(client, "/robots.txt")


# Only published material, on every surface.


@pytest.fixture
def drafts(db):
    """A draft event, a claim in review on a published event, a draft article."""
    draft_event = EventFactory(title="Secret Draft Exercise", status="draft")
    CitationFactory(claim=ClaimFactory(event=draft_event))
    public = EventFactory(title="Public Meeting")
    CitationFactory(
        claim=ClaimFactory(
            event=public, status="review", value_entity=EntityFactory(name="Reviewland")
        )
    )
    draft_article = ArticleFactory(title="Unpublished Dispatch", status="draft")
    CitationFactory(
        claim=ClaimFactory(event=public, value_entity=EntityFactory(name="Draftonia")),
        quote=QuoteFactory(article=draft_article),
    )
    return draft_event, public, draft_article


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/events/",
        "/events/?kind=meeting",
        "/sources/",
        "/entities/",
        "/series/",
        "/search/?q=Secret",
        "/search/?q=Unpublished",
        "/search/?q=Reviewland",
        "/feeds/events/",
        "/sitemap.xml",
        "/sitemap-events.xml",
        "/sitemap-sources.xml",
        "/sitemap-entities.xml",
    ],
)
def test_drafts_are_absent_from_every_list(client, drafts, url):
    html = get_ok(client, url)
    draft_event, public, draft_article = drafts
    for secret in ("Secret Draft Exercise", draft_event.slug, "Unpublished Dispatch"):
        assert secret not in html
    assert draft_article.slug not in html
    # Entities are reference data without a status: the claim in review stays hidden.
    if url in ("/entities/", "/search/?q=Reviewland"):
        assert "#claim-" not in html
    else:
        assert "Reviewland" not in html


def test_drafts_are_404_and_hidden_on_published_pages(client, drafts):
    draft_event, public, draft_article = drafts
    assert client.get(draft_event.get_absolute_url()).status_code == 404
    assert client.get(draft_article.get_absolute_url()).status_code == 404
    original = reverse("sources:article-original", args=[draft_article.slug])
    assert client.get(original).status_code == 404
    html = get_ok(client, public.get_absolute_url())
    assert "Reviewland" not in html  # a claim in review
    assert "Draftonia" not in html  # a claim whose only source is unpublished
    assert "Unpublished Dispatch" not in html
    assert "0 claims" in html


def test_event_counts_on_home_ignore_drafts(client, drafts):
    html = get_ok(client, "/")
    assert f"<dd>{Event.objects.published().count()}</dd>" in html
    assert Event.objects.count() > Event.objects.published().count()


# Old slugs redirect permanently.


@pytest.mark.parametrize("factory", [EventFactory, ArticleFactory, EntityFactory, SeriesFactory])
def test_old_slug_redirects_permanently(client, factory):
    obj = factory()
    old_url = obj.get_absolute_url()
    obj.slug = f"{obj.slug}-renamed"
    obj.save()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == obj.get_absolute_url()


def test_old_slug_of_a_draft_does_not_redirect(client):
    event = EventFactory(status="draft")
    old_url = event.get_absolute_url()
    event.slug = "renamed-draft"
    event.save()
    assert client.get(old_url).status_code == 404


def test_merged_entity_redirects_to_the_one_it_was_merged_into(client):
    kept = EntityFactory()
    merged = EntityFactory(merged_into=kept)
    response = client.get(merged.get_absolute_url())
    assert response.status_code == 301 and response["Location"] == kept.get_absolute_url()


# Bad query strings: a 4xx or an empty result, never a 500.


@pytest.mark.parametrize(
    "url,status",
    [
        ("/events/?year=abc", 400),
        ("/events/?year=99999999999999999999", 400),
        ("/events/?kind=nonsense", 400),
        ("/events/?series=not%20a%20slug!", 400),
        ("/events/?sort=sideways", 400),
        ("/events/?page=9999", 404),
        ("/events/?page=-1", 400),
        ("/events/?page=abc", 400),
        ("/sources/?language=xx", 400),
        ("/sources/?page=500", 404),
        ("/search/?q=" + "a" * 3000, 400),
        ("/search/?q=abc%00def", 400),
        ("/events/?year=%00", 400),
        ("/entities/?kind=%00", 200),
    ],
)
def test_bad_query_strings_are_4xx_never_500(client, url, status):
    EventFactory()
    response = client.get(url)
    assert response.status_code == status
    if status == 400:
        assert (
            b"not valid" in response.content
            or b"Ensure" in response.content
            or b"Null" in (response.content)
        )


def test_a_bad_filter_page_names_the_parameter(client):
    response = client.get("/events/?year=abc")
    assert response.status_code == 400
    assert b"<strong>year</strong>" in response.content


# A constant number of queries, whatever the archive's size.


def build_archive(events, claims_per_event):
    series = SeriesFactory()
    article = ArticleFactory()
    quote = QuoteFactory(article=article)
    participant = EntityFactory(slug=f"participant-{events}")
    for i in range(events):
        event = EventFactory(series=series, start_date=datetime.date(2000 + i % 20, 1 + i % 12, 1))
        for j in range(claims_per_event):
            prop = "participant" if j % 2 else "theme"
            claim = ClaimFactory(
                event=event,
                property=prop,
                value_entity=participant if prop == "participant" else None,
                value_text="" if prop == "participant" else f"Theme {j}",
            )
            CitationFactory(claim=claim, quote=quote)
            CitationFactory(claim=claim)
    return event, article, participant, series


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = [
    ("home", lambda event, article, entity, series: "/"),
    ("event list", lambda event, article, entity, series: "/events/"),
    ("event list filtered", lambda e, a, entity, s: f"/events/?participant={entity.slug}"),
    ("event", lambda event, article, entity, series: event.get_absolute_url()),
    ("source list", lambda event, article, entity, series: "/sources/"),
    ("source", lambda event, article, entity, series: article.get_absolute_url()),
    ("entity list", lambda event, article, entity, series: "/entities/"),
    ("entity", lambda event, article, entity, series: entity.get_absolute_url()),
    ("series list", lambda event, article, entity, series: "/series/"),
    ("series", lambda event, article, entity, series: series.get_absolute_url()),
    ("search", lambda event, article, entity, series: "/search/?q=Theme"),
    ("feed", lambda event, article, entity, series: "/feeds/events/"),
]


@pytest.mark.parametrize("name,url", PAGES, ids=[name for name, _ in PAGES])
def test_each_page_runs_the_same_number_of_queries_small_or_large(client, name, url):
    small = count_queries(client, url(*build_archive(events=1, claims_per_event=2)))
    large = count_queries(client, url(*build_archive(events=30, claims_per_event=6)))
    assert large == small, f"{name}: {small} queries on a small archive, {large} on a large one"
    assert small <= 12


def test_facets_count_the_most_recent_events_and_say_so(client, seed, monkeypatch):
    from events import views

    def participants(html):
        facet = html.split('id="facet-participant"', 1)[1].split("</section>", 1)[0]
        return set(re.findall(r"participant=([\w-]+)", facet)), facet

    everyone, facet = participants(get_ok(client, "/events/"))
    assert everyone and "most recent" not in facet

    monkeypatch.setattr(views, "FACET_EVENTS", 2)
    latest = Event.objects.published().order_by(*views.EVENT_SORTS["date"])[:2]
    in_latest = set(
        views.participant_claims()
        .filter(event__in=latest)
        .values_list("value_entity__slug", flat=True)
    )
    html = get_ok(client, "/events/")
    some, facet = participants(html)
    assert "Counted in the 2 most recent of these events." in facet
    assert some == in_latest & everyone and some < everyone
    years = html.split('id="facet-year"', 1)[1].split("</section>", 1)[0]
    assert "Counted in the 2 most recent" in years
    assert set(re.findall(r"\?year=(\d{4})", years)) == {str(e.start_date.year) for e in latest}


def test_kind_and_property_labels_are_the_display_values(seed):
    from django.utils import translation

    for claim in Claim.objects.all()[:50]:
        assert claim.property_label == claim.get_property_display()
    event = Event.objects.first()
    english = event.kind_label
    with translation.override("ru"):
        assert event.kind_label == event.get_kind_display() != english


def test_the_sitemap_is_an_index_of_files_of_bounded_size(client, seed, monkeypatch):
    from events.sitemaps import ReaderSitemap
    from tests.sitemaps import NS

    monkeypatch.setattr(ReaderSitemap, "limit", 5)
    files = sitemap_files(client)
    event_files = [path for path, _ in files if path.startswith("/sitemap-events.xml")]
    events = Event.objects.published().count()
    assert len(event_files) == -(-events * 3 // 5)  # three languages, five URLs a file
    locations = []
    for _, xml in files:
        urls = ET.fromstring(xml).findall("s:url", NS)
        assert len(urls) <= 5
        locations += [url.find("s:loc", NS).text for url in urls]
    assert len(locations) == len(set(locations))
    for event in Event.objects.published():
        for prefix in ("", "/ru", "/zh-hans"):
            assert f"http://testserver{prefix}/events/{event.slug}/" in locations


def test_language_pairs_slice_like_the_full_list_of_pairs():
    from events.sitemaps import LanguagePairs

    items, languages = list(range(7)), ["en", "ru", "zh-hans"]
    full = [(item, code) for item in items for code in languages]
    pairs = LanguagePairs(items, languages)
    assert len(pairs) == len(full)
    for start in range(len(full) + 2):
        for stop in range(start, len(full) + 3):
            assert pairs[start:stop] == full[start:stop]


def test_the_entity_index_pages_and_counts_events_per_entity_in_a_fixed_number_of_queries(
    client, seed, monkeypatch, django_assert_max_num_queries
):
    from events import views

    monkeypatch.setattr(views.EntityListView, "paginate_by", 10)
    with django_assert_max_num_queries(8):
        first = get_ok(client, "/entities/")
    assert 'rel="next" href="?page=2"' in first
    shown = re.findall(
        r'<a href="/entities/([\w-]+)/">[^<]*</a> <span class="n">(\d+)</span>', first
    )
    assert len(shown) == 10
    for slug, n in shown:
        named = Claim.objects.public().filter(value_entity__slug=slug)
        assert int(n) == named.values("event").distinct().count()
    second = get_ok(client, "/entities/?page=2")
    assert not set(shown) & set(
        re.findall(r'<a href="/entities/([\w-]+)/">[^<]*</a> <span class="n">(\d+)</span>', second)
    )


def test_an_entity_page_lists_its_events_a_page_at_a_time_with_their_roles(
    client, seed, monkeypatch
):
    from events import views

    monkeypatch.setattr(views, "APPEARANCES", 1)
    named = Claim.objects.public().filter(value_entity__slug="china")
    events = Event.objects.published().filter(pk__in=named.values("event"))
    assert events.count() > 1
    seen = []
    for page in range(1, events.count() + 1):
        html = get_ok(client, f"/entities/china/?page={page}")
        roles = html.split('id="roles-heading"', 1)[1].split("</section>", 1)[0]
        seen += re.findall(r'class="event-title" href="/events/([\w-]+)/"', roles)
    assert sorted(seen) == sorted(events.values_list("slug", flat=True))
