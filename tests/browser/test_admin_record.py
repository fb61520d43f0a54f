"""Recording a claim on the article page (#17), in a real browser: select words in the
body, choose the event and the entity by searching their names (the admin's select2
autocomplete, never a slug typed by hand), the property from the vocabulary with the
value fields following its kind, and save; then the quote picker of the claim's
citations tells two quotes with the same words apart."""

import re

import pytest

from events.models import Claim
from sources.models import Quote
from tests.browser.conftest import admin_login, press, staff_user
from tests.browser.test_admin_browser import SELECT_WORDS
from tests.factories import ArticleFactory, EntityFactory, EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAME = "The ministers met in Astana on Friday"
BODY = (
    f"ASTANA, April 26 (Steppe Wire) – {SAME}.\n"
    "Delegations from China and India took part in the talks.\n"
    f"A spokesman repeated it in the evening: {SAME}, he said, and the talks went well."
)


def choose(page, select_id, typed, option):
    """Open a select2 autocomplete, type part of a name and click the option."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.fill(".select2-search__field", typed)
    page.locator(".select2-results__option", has_text=option).first.click()


def test_record_a_claim_from_selected_words_then_pick_between_identical_quotes(page, live_server):
    staff_user("ed", "ed-pass-123", "Editors")
    article = ArticleFactory(title="SCO defence ministers meet in Astana", body=BODY)
    event = EventFactory(title="SCO Defence Ministers' Meeting 2024, Astana")
    EventFactory(title="Peace Mission 2024")
    india = EntityFactory(name="India", aliases=["Индия", "印度"])
    EntityFactory(name="Indonesia")
    first, second = (
        Quote.objects.create(article=article, exact=SAME, start=at, end=at + len(SAME))
        for at in (BODY.index(SAME), BODY.rindex(SAME))
    )

    admin_login(page, live_server, "ed", "ed-pass-123")
    page.goto(f"{live_server.url}/admin/sources/article/{article.pk}/change/")
    assert page.locator("#record-form").is_hidden()
    words = "Delegations from China and India took part in the talks."
    at = page.evaluate(SELECT_WORDS, [words])
    form = page.locator("#record-form")
    assert form.is_visible()
    # the selection is shown as quotes are picked: words around it and offsets
    assert f"[{at}–{at + len(words)}]" in page.inner_text("#record-context")
    assert "on Friday." in page.inner_text("#record-context")

    choose(page, "record-event", "Astana", event.title)
    page.select_option("#record-property", "date")
    assert form.locator("[data-value-kind=date]").is_visible()
    assert form.locator("[data-value-kind=entity]").is_hidden()
    page.select_option("#record-property", "chair")
    # a chair is an entity (VALUE_KINDS): the date, event and text fields step aside
    assert form.locator("[data-value-kind=entity]").is_visible()
    for kind in ("date", "event", "text"):
        assert form.locator(f"[data-value-kind={kind}]").is_hidden()
    choose(page, "record-value-entity", "Инд", "India")  # found by its Russian alias

    saved = press(page, "#record-form button[type=submit]")
    assert saved.errors == [], saved
    assert saved.status == 200 and any("Claim recorded" in m for m in saved.successes)
    claim = Claim.objects.get(origin="editor")
    assert (claim.event, claim.property, claim.value_entity) == (event, "chair", india)
    assert claim.status == "draft"
    quote = claim.citations.get().quote
    assert quote.exact == words and article.body[quote.start : quote.end] == words
    row = page.locator(f"#claim-{claim.pk}")
    assert row.locator(".sco-claim-status").inner_text() == "Draft"
    assert words in row.inner_text() and event.title in row.inner_text()

    # The quote picker of the claim's citations: the same words twice, told apart.
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    page.click("#id_citations-1-quote + .select2 .select2-selection")
    page.fill(".select2-search__field", "ministers met in Astana")
    options = page.locator(".select2-results__option", has_text="ministers met")
    options.first.wait_for()
    labels = options.all_inner_texts()
    assert len(labels) == 2 and labels[0] != labels[1]
    for same in (first, second):
        (label,) = [text for text in labels if f"[{same.start}–{same.end}]" in text]
        assert article.title in label
        assert " ".join(same.suffix[:12].split()) in label  # the words after it differ
    options.filter(has_text=f"[{second.start}–{second.end}]").click()
    saved = press(page)  # the citations formset, as the browser sends it
    assert saved.errors == [], saved
    assert set(claim.quotes.all()) == {quote, second}
    # the chosen option reads the same once saved
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    rendered = page.inner_text("#citations-group")
    assert re.search(rf"\[{second.start}–{second.end}\]", rendered)
