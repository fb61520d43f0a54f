"""An editor's day in Chromium, from the import form to a published, edited claim (issue #13).

Everything is done as a person does it: forms filled and buttons pressed in the admin,
the public pages and the JSON API read by an anonymous visitor in a second browser
context. Data is made with the factories (no seed load), so each test starts in well
under a second.
"""

import pytest
from django.contrib.contenttypes.models import ContentType

from events import roles
from events.models import Claim
from sources.models import Article, Quote
from tests.browser.conftest import admin_login, press, server_errors, staff_user
from tests.browser.test_admin_browser import SELECT_WORDS
from tests.factories import (
    ArticleFactory,
    CitationFactory,
    EntityFactory,
    EventFactory,
    QuoteFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = ("editor", "sco-editor")
REVIEWER = ("reviewer", "sco-reviewer")

IMPORTED = (
    "Home | News | Defence\n"
    "SCO defence ministers meet in Bishkek\n"
    "Bishkek, 26 June 2025. The defence ministers of the SCO member states met in Bishkek\n"
    "on Thursday. The ministers discussed countering terrorism in the region and agreed to\n"
    "hold a joint exercise next year.\n"
    "Related articles\n"
)
WORDS = "countering terrorism in the region"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    return {
        "editor": staff_user(*EDITOR, roles.EDITORS),
        "reviewer": staff_user(*REVIEWER, roles.REVIEWERS),
    }


@pytest.fixture
def reader(browser):
    """An anonymous visitor, in a browser context of its own."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def log_in_as(page, live_server, account):
    page.context.clear_cookies()
    admin_login(page, live_server, *account)


def choose(page, field, typed, choice):
    """Pick `choice` in the select2 autocomplete of `field`, after typing `typed`."""
    page.click(f"#id_{field} + .select2 .select2-selection")
    page.fill(".select2-search__field", typed)
    page.locator(".select2-results__option").filter(has_text=choice).first.click()


def run_action(page, live_server, changelist, pk, action):
    page.goto(f"{live_server.url}{changelist}")
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    return press(page, "button[name=index]")


def api_claim(reader, live_server, pk):
    response = reader.request.get(f"{live_server.url}/api/v1/claims/{pk}/")
    assert response.status == 200, response.status
    return response.json()


def public_claim_value(reader, live_server, claim):
    """The claim's value (and qualifier) as the event page shows it."""
    reader.goto(f"{live_server.url}/events/{claim.event.slug}/")
    return reader.locator(f"#claim-{claim.pk}").text_content()


def public_evidence(reader, live_server, claim):
    """The quotes the event page shows under the claim."""
    reader.goto(f"{live_server.url}/events/{claim.event.slug}/")
    cluster = reader.locator("li.cluster", has=reader.locator(f"#claim-{claim.pk}"))
    return cluster.locator("blockquote").all_text_contents()


def expect_saved(saved, live_server, changelist, caplog, message=None):
    problems = server_errors(caplog)
    assert not problems, problems
    assert saved.status == 200, saved
    assert saved.url == f"{live_server.url}{changelist}", saved
    assert not saved.errors, saved
    assert saved.successes, saved
    if message:
        assert any(message in text for text in saved.successes), saved


def pending_revisions(obj):
    from sources.models import Revision

    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, status="pending"
    )


def test_an_editors_day(page, reader, live_server, people, tmp_path, caplog):
    event = EventFactory(title="SCO Defence Ministers' Meeting, Bishkek 2025")

    # The editor imports a text file through the admin's import form ...
    log_in_as(page, live_server, EDITOR)
    upload = tmp_path / "bishkek.txt"
    upload.write_text(IMPORTED, encoding="utf-8")
    page.goto(f"{live_server.url}/admin/sources/article/import/")
    page.set_input_files("input[name=files]", str(upload))
    page.fill("#id_title", "SCO defence ministers meet in Bishkek")
    page.fill("#id_outlet", "Kabar")
    page.fill("#id_published", "2025-06-26")
    page.select_option("#id_language", "en")
    saved = press(page, "#import-form input[type=submit]")
    assert not server_errors(caplog)
    article = Article.objects.get(title="SCO defence ministers meet in Bishkek")
    assert article.status == "draft"
    assert saved.url == f"{live_server.url}/admin/sources/article/{article.pk}/change/", saved
    assert WORDS in article.body

    # ... quotes the words by selecting them on the article's page ...
    page.evaluate(SELECT_WORDS, [WORDS])
    assert page.input_value("#quote-words") == WORDS
    saved = press(page, "#quote-button")
    quote = Quote.objects.get(article=article, exact=WORDS)
    assert article.body[quote.start : quote.end] == WORDS
    assert any(f"Quote {quote.pk} saved" in text for text in saved.successes), saved

    # ... records a claim citing it on the published event ...
    page.goto(f"{live_server.url}/admin/events/claim/add/")
    page.select_option("#id_property", "theme")
    choose(page, "event", "Bishkek", event.title)
    page.fill("#id_value_text", "Countering terrorism")
    choose(page, "citations-0-quote", "countering", WORDS)
    saved = press(page)
    expect_saved(saved, live_server, "/admin/events/claim/", caplog)
    claim = Claim.objects.get(event=event, property="theme", origin="editor")
    # the picker offers the editor's quote and the sentence the importer's theme
    # suggestion quotes around it: either holds the words
    (cited,) = claim.quotes.all()
    assert cited.article == article and WORDS in cited.exact

    # ... and submits the article and the claim for review.
    run_action(page, live_server, "/admin/sources/article/", article.pk, "submit_selected")
    run_action(page, live_server, "/admin/events/claim/", claim.pk, "submit_selected")
    article.refresh_from_db()
    claim.refresh_from_db()
    assert (article.status, claim.status) == ("review", "review")

    # The reviewer finds both in the queue and publishes them, the source first.
    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    queue = page.locator("#content").inner_text()
    assert article.title in queue and str(claim) in queue
    run_action(page, live_server, "/admin/sources/article/", article.pk, "publish_selected")
    run_action(page, live_server, "/admin/events/claim/", claim.pk, "publish_selected")
    article.refresh_from_db()
    claim.refresh_from_db()
    assert (article.status, claim.status) == ("published", "published")

    # A reader sees the claim on the event page, the quote highlighted in the source,
    # and the claim in the API.
    assert "Countering terrorism" in public_claim_value(reader, live_server, claim)
    assert public_evidence(reader, live_server, claim) == [cited.exact]
    reader.goto(f"{live_server.url}/sources/{article.slug}/")
    assert reader.locator(f"mark#quote-{cited.pk}").inner_text() == cited.exact
    data = api_claim(reader, live_server, claim.pk)
    assert data["value"] == "Countering terrorism"
    assert [c["quote"]["exact"] for c in data["citations"]] == [cited.exact]

    # The editor edits the published claim and presses Save: a pending revision.
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    page.fill("#id_value_text", "Countering terrorism and extremism")
    saved = press(page)
    expect_saved(saved, live_server, "/admin/events/claim/", caplog, "waiting for review")
    claim.refresh_from_db()
    assert (claim.value_text, claim.status) == ("Countering terrorism", "published")
    (revision,) = pending_revisions(claim)
    assert revision.author == people["editor"]

    # Readers still see the published value, on the page and in the API.
    assert "extremism" not in public_claim_value(reader, live_server, claim)
    assert api_claim(reader, live_server, claim.pk)["value"] == "Countering terrorism"

    # Reopened, the form goes on from the pending edit; a second edit merges into it.
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    assert page.input_value("#id_value_text") == "Countering terrorism and extremism"
    page.fill("#id_qualifier", "first day")
    saved = press(page)
    expect_saved(saved, live_server, "/admin/events/claim/", caplog, "waiting for review")
    (revision,) = pending_revisions(claim)
    assert sorted(revision.changes) == ["qualifier", "value_text"]
    claim.refresh_from_db()
    assert (claim.value_text, claim.qualifier) == ("Countering terrorism", "")

    # The reviewer publishes the revision from the queue, seeing the diff.
    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    entry = page.locator(f"#revision-{revision.pk}")
    assert "Countering terrorism and extremism" in entry.inner_text()
    saved = press(page, f"#revision-{revision.pk} button[name=publish]")
    assert saved.messages and not saved.errors, saved
    claim.refresh_from_db()
    assert (claim.value_text, claim.status) == ("Countering terrorism and extremism", "published")
    assert claim.qualifier == "first day"
    assert not pending_revisions(claim).exists()

    # Now the new value is live.
    assert "Countering terrorism and extremism" in public_claim_value(reader, live_server, claim)
    assert api_claim(reader, live_server, claim.pk)["value"] == "Countering terrorism and extremism"


def test_an_editor_cannot_delete_published_work(page, live_server, people, caplog):
    """Published claims, events and articles: no delete link, the delete page refused,
    and the changelist's "Delete selected" action deletes nothing."""
    claim = CitationFactory().claim
    event, article = claim.event, claim.quotes.get().article
    log_in_as(page, live_server, EDITOR)
    problems = []
    for obj in [claim, event, article]:
        opts = obj._meta
        admin_url = f"{live_server.url}/admin/{opts.app_label}/{opts.model_name}"
        page.goto(f"{admin_url}/{obj.pk}/change/")
        if page.locator("a.deletelink").count():
            problems.append(f"{opts.label}: the change form offers Delete")
        response = page.goto(f"{admin_url}/{obj.pk}/delete/")
        if response.status != 403 and page.locator("form input[name=post]").count():
            press(page, "form input[type=submit]")  # "Yes, I'm sure"
            problems.append(f"{opts.label}: the delete page asked to confirm (not 403)")
        if not type(obj).objects.filter(pk=obj.pk, status="published").exists():
            problems.append(f"{opts.label}: deleted from its delete page")
            continue
        page.goto(f"{admin_url}/")
        page.check(f"input[name=_selected_action][value='{obj.pk}']")
        page.select_option("select[name=action]", "delete_selected")
        press(page, "button[name=index]")
        if page.locator("form input[name=post]").count():
            press(page, "form input[type=submit]")
        if not type(obj).objects.filter(pk=obj.pk, status="published").exists():
            problems.append(f"{opts.label}: deleted by the Delete selected action")
        problems += server_errors(caplog)
    assert not problems, "\n".join(problems)


def test_an_editor_cannot_change_published_evidence_around_review(
    page, reader, live_server, people, caplog
):
    """The evidence readers see under a published claim (its citation and the quote's
    words) changes only through review, also from the Citation and Quote forms."""
    citation = CitationFactory()
    claim, quote = citation.claim, citation.quote
    other = QuoteFactory(article=quote.article, words="The ministers agreed to hold")
    log_in_as(page, live_server, EDITOR)
    problems = []

    page.goto(f"{live_server.url}/admin/events/citation/{citation.pk}/change/")
    if page.locator("#id_quote").count():
        choose(page, "quote", "ministers agreed", other.exact)
        saved = press(page)
        citation.refresh_from_db()
        if citation.quote_id != quote.pk:
            problems.append(f"the citation form re-pointed the citation at once: {saved!r}")

    page.goto(f"{live_server.url}/admin/sources/quote/{quote.pk}/change/")
    if page.locator("#id_words").count() and page.locator("#id_words").is_editable():
        page.fill("#id_words", "Tajikistan chaired a meeting of the defence ministers")
        saved = press(page)
        quote.refresh_from_db()
        if quote.exact != "Tajikistan chaired a meeting":
            problems.append(f"the quote form changed a cited quote at once: {saved!r}")

    page.goto(f"{live_server.url}/admin/events/citation/{citation.pk}/delete/")
    if page.locator("form input[name=post]").count():
        press(page, "form input[type=submit]")
    if not type(citation).objects.filter(pk=citation.pk).exists():
        problems.append("the citation's delete page deleted the only citation of a published claim")

    shown = public_evidence(reader, live_server, claim)
    if shown != ["Tajikistan chaired a meeting"]:
        problems.append(f"readers now see the evidence {shown}")
    problems += server_errors(caplog)
    assert not problems, "\n".join(problems)


def test_an_edit_losing_a_cited_quote_is_refused(page, live_server, people, caplog):
    citation = CitationFactory()
    article = citation.quote.article
    body = article.body
    for account in [EDITOR, REVIEWER]:
        log_in_as(page, live_server, account)
        page.goto(f"{live_server.url}/admin/sources/article/{article.pk}/change/")
        page.fill("#id_body", page.input_value("#id_body").replace("Tajikistan chaired", "It was"))
        saved = press(page)
        assert not server_errors(caplog), account
        assert saved.status == 200, (account, saved)
        assert saved.url == f"{live_server.url}/admin/sources/article/{article.pk}/change/"
        cause = "removes words that claims cite"
        assert any(cause in e and f"(claim {citation.claim_id})" in e for e in saved.errors), saved
        article.refresh_from_db()
        assert article.body == body
        assert not pending_revisions(article).exists()


def test_a_revert_from_the_history_goes_through_review(page, reader, live_server, people, caplog):
    citation = CitationFactory(
        claim__property="theme", claim__value_entity=None, claim__value_text="Old theme"
    )
    claim = citation.claim
    claim.value_text = "New theme"
    claim.save()  # a second version in the history
    old = claim.history.order_by("history_date").first()
    assert old.value_text == "Old theme"

    def revert_to(version):
        page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/history/")
        page.click(f"a[href$='/history/{version.history_id}/']")
        page.wait_for_load_state()
        assert "Revert" in page.locator(".breadcrumbs").inner_text()
        assert page.input_value("#id_value_text") == version.value_text
        return press(page)  # the "Revert" button is the form's _save

    # As editor: the revert is a pending revision; the live claim stays as it is.
    log_in_as(page, live_server, EDITOR)
    saved = revert_to(old)
    expect_saved(saved, live_server, "/admin/events/claim/", caplog, "waiting for review")
    claim.refresh_from_db()
    assert (claim.value_text, claim.status) == ("New theme", "published")
    (revision,) = pending_revisions(claim)
    assert revision.changes["value_text"]["new"] == "Old theme"
    assert api_claim(reader, live_server, claim.pk)["value"] == "New theme"

    # The reviewer publishes it: the old value is back, still published.
    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    saved = press(page, f"#revision-{revision.pk} button[name=publish]")
    assert saved.messages and not saved.errors, saved
    claim.refresh_from_db()
    assert (claim.value_text, claim.status) == ("Old theme", "published")
    assert api_claim(reader, live_server, claim.pk)["value"] == "Old theme"

    # A reviewer's own revert is published at once.
    newer = claim.history.filter(value_text="New theme").latest("history_date")
    saved = revert_to(newer)
    expect_saved(saved, live_server, "/admin/events/claim/", caplog)
    claim.refresh_from_db()
    assert (claim.value_text, claim.status) == ("New theme", "published")
    assert not pending_revisions(claim).exists()
    assert api_claim(reader, live_server, claim.pk)["value"] == "New theme"


def test_a_quote_is_added_from_typed_words_alone(page, live_server, people, caplog):
    article = ArticleFactory(title="Defence ministers meet in Dushanbe")
    QuoteFactory(article=article)  # the article already has a quote
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/sources/quote/add/")
    # Nobody types an offset: the page asks for the article and the words only.
    assert page.locator("input[name=start]:visible, input[name=end]:visible").count() == 0
    choose(page, "article", "Dushanbe", article.title)
    # Typed with plain spaces, where the body has no-break spaces.
    page.fill("#id_words", "a meeting of the defence ministers")
    saved = press(page)
    expect_saved(saved, live_server, "/admin/sources/quote/", caplog)
    quote = Quote.objects.exclude(exact="Tajikistan chaired a meeting").get(article=article)
    assert quote.exact == "a meeting of\xa0the defence ministers"
    assert article.body[quote.start : quote.end] == quote.exact


def test_a_reviewer_sends_an_edit_back_and_the_live_claim_stays(
    page, reader, live_server, people, caplog
):
    claim = CitationFactory(
        claim__property="theme", claim__value_entity=None, claim__value_text="Security"
    ).claim
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    page.fill("#id_value_text", "Insecurity")
    expect_saved(press(page), live_server, "/admin/events/claim/", caplog, "waiting for review")
    (revision,) = pending_revisions(claim)

    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    page.fill(f"#revision-{revision.pk} textarea[name=comment]", "The source says security.")
    saved = press(page, f"#revision-{revision.pk} button[name=send_back]")
    assert saved.messages and not saved.errors, saved
    revision.refresh_from_db()
    assert (revision.status, revision.comment) == ("sent_back", "The source says security.")
    claim.refresh_from_db()
    assert (claim.value_text, claim.status) == ("Security", "published")
    assert api_claim(reader, live_server, claim.pk)["value"] == "Security"
    assert page.locator(f"#revision-{revision.pk}").count() == 0

    # The editor's form shows the live claim again.
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    assert page.input_value("#id_value_text") == "Security"


def test_a_stale_save_is_refused_with_a_message(page, browser, live_server, people, caplog):
    """The editor's copy is read, then a reviewer saves the claim: the editor's save is
    refused, naming the cause, and nothing of it is written."""
    claim = CitationFactory(
        claim__property="theme", claim__value_entity=None, claim__value_text="Security"
    ).claim
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")

    other = browser.new_context().new_page()
    admin_login(other, live_server, *REVIEWER)
    other.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    other.fill("#id_value_text", "Regional security")
    expect_saved(press(other), live_server, "/admin/events/claim/", caplog)
    other.context.close()

    page.fill("#id_value_text", "Insecurity")
    saved = press(page)
    assert saved.status == 200, saved
    assert any("Someone else saved this claim" in error for error in saved.errors), saved
    assert not server_errors(caplog)
    claim.refresh_from_db()
    assert claim.value_text == "Regional security"
    assert not pending_revisions(claim).exists()


def test_admin_search_finds_cyrillic_and_chinese_aliases(page, live_server, people, caplog):
    entity = EntityFactory(name="Kazakhstan", aliases=["Казахстан", "哈萨克斯坦"])
    EntityFactory(name="Uzbekistan", aliases=["Узбекистан"])
    log_in_as(page, live_server, EDITOR)
    for typed in ["Казахстан", "哈萨克斯坦", "казахстан"]:
        page.goto(f"{live_server.url}/admin/events/entity/")
        page.fill("#searchbar", typed)
        with page.expect_navigation():
            page.press("#searchbar", "Enter")
        rows = page.locator("#result_list tbody tr").all_inner_texts()
        assert len(rows) == 1 and entity.name in rows[0], (typed, rows)


def test_a_merged_entity_is_not_offered_as_a_value(page, live_server, people, caplog):
    kept = EntityFactory(name="Kyrgyzstan", aliases=[])
    merged = EntityFactory(name="Kirghizia", aliases=[])
    kept.merge(merged)
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/add/")
    page.select_option("#id_property", "host")
    page.click("#id_value_entity + .select2 .select2-selection")
    # the answer to the typed term: the one Select2 sent on opening may be dropped for it
    with page.expect_response(
        lambda r: "/admin/autocomplete/" in r.url and "term=Kirg" in r.url
    ) as answer:
        page.fill(".select2-search__field", "Kirg")
    offered = [item["text"] for item in answer.value.json()["results"]]
    assert offered == [kept.name], offered


def test_the_review_queue_diff_names_what_changed(page, live_server, people, caplog):
    """A reviewer reads the diff of an edited value as names, as the form showed them."""
    claim = CitationFactory(claim__value_entity__name="Tajikistan").claim
    EntityFactory(name="Uzbekistan")
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    choose(page, "value_entity", "Uzbek", "Uzbekistan")
    page.select_option("#id_rank", "preferred")
    expect_saved(press(page), live_server, "/admin/events/claim/", caplog, "waiting for review")
    (revision,) = pending_revisions(claim)

    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    rows = page.locator(f"#revision-{revision.pk} tbody tr").all_inner_texts()
    assert len(rows) == 2, rows
    value_row, rank_row = sorted(rows, key=lambda row: "Rank" in row)
    assert "normal" in rank_row.lower() and "preferred" in rank_row.lower(), rows
    assert "Tajikistan" in value_row and "Uzbekistan" in value_row, rows


def test_a_revision_of_a_since_changed_claim_is_not_published(
    page, reader, live_server, people, caplog
):
    """An editor's pending edit, then a reviewer's direct edit of the same field: the
    pending edit is refused from the queue with a message naming the field."""
    claim = CitationFactory(
        claim__property="theme", claim__value_entity=None, claim__value_text="Security"
    ).claim
    log_in_as(page, live_server, EDITOR)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    page.fill("#id_value_text", "Insecurity")
    expect_saved(press(page), live_server, "/admin/events/claim/", caplog, "waiting for review")
    (revision,) = pending_revisions(claim)

    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/claim/{claim.pk}/change/")
    assert page.input_value("#id_value_text") == "Security"  # the live claim
    page.fill("#id_value_text", "Regional security")
    expect_saved(press(page), live_server, "/admin/events/claim/", caplog)

    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    saved = press(page, f"#revision-{revision.pk} button[name=publish]")
    assert any("value_text" in error for error in saved.errors), saved
    assert not server_errors(caplog)
    claim.refresh_from_db()
    assert claim.value_text == "Regional security"
    assert api_claim(reader, live_server, claim.pk)["value"] == "Regional security"


def test_a_reviewer_publishes_an_article_revision_from_the_queue(
    page, reader, live_server, people, caplog
):
    """A pending edit of a published article's body (made through the model here: the
    editor's form is covered by test_admin_forms) is published from the queue, and its
    cited quote is re-anchored in the new text."""
    citation = CitationFactory()
    article, quote = citation.quote.article, citation.quote
    article.body = "A new first sentence.\n" + article.body
    revision = article.save_revision(people["editor"])
    assert revision is not None

    log_in_as(page, live_server, REVIEWER)
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    assert "A new first sentence." in page.locator(f"#revision-{revision.pk}").inner_text()
    saved = press(page, f"#revision-{revision.pk} button[name=publish]")
    assert saved.messages and not saved.errors, saved
    assert not server_errors(caplog)
    article.refresh_from_db()
    quote.refresh_from_db()
    assert article.body.startswith("A new first sentence.\n")
    assert article.body[quote.start : quote.end] == quote.exact == "Tajikistan chaired a meeting"
    reader.goto(f"{live_server.url}/sources/{article.slug}/")
    assert reader.locator(f"mark#quote-{quote.pk}").inner_text() == quote.exact
