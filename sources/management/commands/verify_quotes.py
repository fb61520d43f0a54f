"""Re-check every stored quote against its article's body."""

from django.core.management.base import BaseCommand, CommandError

from sources.models import Quote


class Command(BaseCommand):
    help = (
        "Check that every quote's words are exactly where its offsets say in its article's "
        "body. Prints each broken quote; exits non-zero if any is broken."
    )

    def handle(self, *args, **options):
        checked = broken = 0
        quotes = Quote.objects.select_related("article").only(
            "id", "exact", "start", "end", "article__slug", "article__body"
        )
        for quote in quotes.iterator(chunk_size=500):
            checked += 1
            if quote.verifies:
                continue
            broken += 1
            found = quote.article.body[quote.start : quote.end]
            self.stdout.write(
                self.style.ERROR(
                    f"Quote {quote.pk} in {quote.article.slug} [{quote.start}:{quote.end}]: "
                    f"stored “{quote.exact}”, body has “{found}”"
                )
            )
        summary = f"{checked} quotes checked, {broken} broken"
        if broken:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
