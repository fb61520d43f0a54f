import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sources.models import Quote
from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db


def test_verify_quotes_passes_on_true_quotes(capsys):
    QuoteFactory()
    QuoteFactory(words="Dushanbe")
    call_command("verify_quotes")
    assert "2 quotes checked, 0 broken" in capsys.readouterr().out


def test_verify_quotes_names_a_tampered_quote_and_fails(capsys):
    good = QuoteFactory()
    bad = QuoteFactory(words="Dushanbe")
    Quote.objects.filter(pk=bad.pk).update(exact="tampered")
    with pytest.raises(CommandError, match="2 quotes checked, 1 broken"):
        call_command("verify_quotes")
    out = capsys.readouterr().out
    assert f"Quote {bad.pk} in {bad.article.slug}" in out
    assert "tampered" in out
    assert f"Quote {good.pk} " not in out


def test_verify_quotes_on_the_seed_archive():
    from events import curation

    curation.load()
    call_command("verify_quotes")
    quote = Quote.objects.first()
    Quote.objects.filter(pk=quote.pk).update(end=quote.end + 1)
    with pytest.raises(CommandError, match="1 broken"):
        call_command("verify_quotes")
