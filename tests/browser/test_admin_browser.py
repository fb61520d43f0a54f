"""An editor quotes by selecting words and cites the quote in a claim; a reviewer publishes."""

import pytest

from events.models import Claim
from sources.models import Quote
from tests.browser.conftest import admin_login
from tests.factories import ArticleFactory, EntityFactory, EventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SELECT_WORDS = """
([words]) => {
  const body = document.getElementById("article-body");
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let node, seen = "";
  const nodes = [];
  while ((node = walker.nextNode())) { nodes.push([node, seen.length]); seen += node.data; }
  const at = seen.indexOf(words);
  const locate = (offset) => {
    for (const [n, base] of nodes) {
      if (offset <= base + n.data.length) return [n, offset - base];
    }
  };
  const range = document.createRange();
  range.setStart(...locate(at));
  range.setEnd(...locate(at + words.length));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event("selectionchange"));
  return at;
}
"""


def test_editor_quotes_a_selection_cites_it_and_reviewer_publishes(page, live_server):
    from events import roles

    editors, reviewers = roles.ensure_groups()
    UserFactory(username="ed", password="ed-pass-123").groups.add(editors)
    UserFactory(username="rev", password="rev-pass-123").groups.add(reviewers)
    article = ArticleFactory()
    event = EventFactory(title="Dushanbe meeting")
    tajikistan = EntityFactory(name="Tajikistan")
    words = "a meeting of\xa0the defence ministers"

    admin_login(page, live_server, "ed", "ed-pass-123")
    page.goto(f"{live_server.url}/admin/sources/article/{article.pk}/change/")
    page.evaluate(SELECT_WORDS, [words])
    assert page.input_value("#quote-words") == words
    page.click("#quote-button")
    page.wait_for_load_state()
    quote = Quote.objects.get()
    assert quote.exact == words
    assert article.body[quote.start : quote.end] == words

    # Record a claim citing it, and submit it for review.
    page.goto(f"{live_server.url}/admin/events/claim/add/")
    page.select_option("#id_property", "chair")
    for field, text, choice in [
        ("event", "Dushanbe", event.title),
        ("value_entity", "Tajik", tajikistan.name),
        ("citations-0-quote", "meeting", "a meeting of"),
    ]:
        page.click(f"#id_{field} + .select2 .select2-selection")
        page.fill(".select2-search__field", text)
        page.click(f".select2-results__option:has-text('{choice}')")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/events/claim/")
    claim = Claim.objects.get()
    assert list(claim.quotes.all()) == [quote]
    page.check(f"input[name=_selected_action][value='{claim.pk}']")
    page.select_option("select[name=action]", "submit_selected")
    page.click("button[name=index]")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "review"

    page.context.clear_cookies()
    admin_login(page, live_server, "rev", "rev-pass-123")
    page.goto(f"{live_server.url}/admin/events/event/review-queue/")
    page.click(f"text={claim}")
    page.goto(f"{live_server.url}/admin/events/claim/")
    page.check(f"input[name=_selected_action][value='{claim.pk}']")
    page.select_option("select[name=action]", "publish_selected")
    page.click("button[name=index]")
    page.wait_for_load_state()
    claim.refresh_from_db()
    assert claim.status == "published"
    assert claim.reviewed_by.username == "rev"
