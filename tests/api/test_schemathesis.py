"""Property-based testing of the whole API against its own OpenAPI schema (schemathesis).

Runs in-process against the WSGI app with the seed archive loaded, with every check
(``--checks all``: no 5xx, documented status codes and content types, responses
conforming to the schema, valid data accepted, invalid data rejected, ...), then a short
stateful run that follows the schema's links (so /api/v1/annotations/{id}/ is reached
with real ids). Derandomized and bounded, so it is repeatable and fast enough for the
normal test run:

    .venv/bin/python -m pytest tests/api/test_schemathesis.py -q

``make audit`` runs the longer probe of issue #16 (300 examples per operation, stateful,
against gunicorn in production mode).
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import close_old_connections, transaction
from django.test import Client, override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks


def load_schema():
    """The schema the app itself serves at /api/schema/, for in-process calls to the app.

    Read with Django's client (schemathesis does not take the content type
    `application/vnd.oai.openapi+json`) with the TLS redirect off, as in the tests.
    """
    with override_settings(SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["*"]):
        response = Client().get("/api/schema/", {"format": "json"})
        # SecurityMiddleware reads SECURE_SSL_REDIRECT when the app is built.
        app = WSGIHandler()
    assert response.status_code == 200, response.status_code
    loaded = schemathesis.openapi.from_dict(json.loads(response.content))
    loaded.app = app  # calls go in-process to the WSGI app, as from_wsgi() does
    loaded.location = "/api/schema/"
    return loaded


schema = load_schema()
load_all_checks()
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture
def hosts(settings):
    """Any host; and, as Django's test client does, keep the test's database connection
    (the WSGI handler would close it at the end of each request)."""
    settings.ALLOWED_HOSTS = ["*"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def seed_archive(django_db_setup, django_db_blocker):
    """The seed archive, loaded once for this module and removed afterwards."""
    with django_db_blocker.unblock():
        # Like TestCase.setUpClass: one outer transaction, rolled back at the end; each
        # test's own transaction nests inside it as a savepoint.
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_seed", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, seed_archive, hosts):
    case.call_and_validate(checks=ALL_CHECKS)


class ArchiveStateMachine(schema.as_state_machine()):
    def validate_response(self, response, case, **kwargs):
        case.validate_response(response, checks=ALL_CHECKS, **kwargs)


@pytest.mark.django_db(transaction=False)
def test_api_links_lead_to_live_objects(seed_archive, hosts):
    """The stateful phase: list → detail through the schema's links, every check."""
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        ArchiveStateMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=4,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )


def test_the_schema_declares_what_the_api_refuses():
    raw = schema.raw_schema
    detail = raw["paths"]["/api/v1/annotations/{id}/"]["get"]
    claims = raw["paths"]["/api/v1/claims/"]["get"]
    assert "414" in detail["responses"] and "503" in claims["responses"]
    event = next(p for p in claims["parameters"] if p["name"] == "event")
    assert event["schema"]["pattern"] == "^[^\\x00]*$"
    links = claims["responses"]["200"]["links"]
    assert links["AnnotationOfCitedQuote"]["operationId"] == detail["operationId"]
