"""System checks of the project (issue #16).

``sco_archive.E001`` (``check --deploy``): the demo accounts of ``setup_roles --demo``
(events/roles.py) exist with their published passwords while DEBUG is off. Deploy-tagged,
so a plain ``check`` (run by every management command) never queries the database; when
the database cannot be read the check says nothing rather than failing the command.
"""

import os

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection


@checks.register(checks.Tags.security, deploy=True)
def demo_accounts_in_production(app_configs=None, databases=None, **kwargs):
    if settings.DEBUG:
        return []
    from django.contrib.auth import get_user_model

    from events.roles import DEMO_ACCOUNTS

    if (
        connection.vendor == "sqlite"
        and not connection.is_in_memory_db()
        and not os.path.exists(connection.settings_dict["NAME"])
    ):
        return []  # no archive yet (and do not create an empty SQLite file by looking)
    passwords = {username: password for username, password, _group in DEMO_ACCOUNTS}
    try:
        users = list(get_user_model().objects.filter(username__in=passwords, is_active=True))
    except DatabaseError:
        return []
    found = sorted(user.username for user in users if user.check_password(passwords[user.username]))
    if not found:
        return []
    return [
        checks.Error(
            f"Demo accounts with their published passwords exist: {', '.join(found)}.",
            hint=(
                "Delete them or set new passwords (manage.py changepassword) before "
                "serving with DEBUG off; only `make run` (SCO_DEMO=1) creates them."
            ),
            id="sco_archive.E001",
        )
    ]
