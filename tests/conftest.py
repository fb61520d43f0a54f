"""Shared fixtures. Factories live in tests/factories.py."""

import pytest
from django.utils import translation


def pytest_configure(config):
    # Fresh renders everywhere, collection included (tests/api/test_schemathesis.py calls
    # the app while collecting, without database access): cache tests turn it on.
    from django.conf import settings

    settings.SCO_CACHE = False


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tests speak plain HTTP to the test client; production keeps the TLS redirect on.
    settings.SECURE_SSL_REDIRECT = False
    # Fresh renders by default: tests of the response cache turn it on themselves.
    settings.SCO_CACHE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    # A request through LocaleMiddleware leaves its language active in the thread: the
    # next test starts in the default one, whatever ran before it.
    translation.deactivate()


@pytest.fixture
def published_article(db):
    from tests.factories import ArticleFactory

    return ArticleFactory(status="published")


@pytest.fixture
def published_claim(db):
    """A published claim of a published event, citing a quote of a published article."""
    from tests.factories import CitationFactory

    return CitationFactory().claim


@pytest.fixture
def editor(db):
    from events import roles
    from tests.factories import UserFactory

    editors, _ = roles.ensure_groups()
    user = UserFactory(username="editor-user")
    user.groups.add(editors)
    return user


@pytest.fixture
def reviewer(db):
    from events import roles
    from tests.factories import UserFactory

    _, reviewers = roles.ensure_groups()
    user = UserFactory(username="reviewer-user")
    user.groups.add(reviewers)
    return user


@pytest.fixture(scope="module")
def seed_archive(django_db_setup, django_db_blocker):
    """The seed archive, loaded once for the module that asks and rolled back afterwards.

    Each test's own writes are rolled back by its ``db`` transaction, nested inside this one.
    """
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_seed", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
