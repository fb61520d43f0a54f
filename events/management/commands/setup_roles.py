"""Create the Editors and Reviewers groups; in demo mode also the demo accounts."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from events import roles


class Command(BaseCommand):
    help = "Create or update the Editors and Reviewers groups; with --demo, the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also create the demo accounts editor/sco-editor and reviewer/sco-reviewer. "
            "Refused unless SCO_DEMO=1.",
        )

    def handle(self, *args, demo=False, **options):
        roles.ensure_groups()
        self.stdout.write(self.style.SUCCESS("Groups ready: Editors, Reviewers."))
        if demo:
            if not settings.SCO_DEMO:
                raise CommandError("Demo accounts are only created in demo mode (SCO_DEMO=1).")
            for user in roles.create_demo_accounts():
                self.stdout.write(self.style.SUCCESS(f"Demo account ready: {user.username}"))
