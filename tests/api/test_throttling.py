"""Anonymous API clients are throttled at SCO_API_ANON_RATE; off when it is unset."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the throttle keeps its history in the default cache
    yield
    cache.clear()


def test_anonymous_clients_get_429_past_the_rate(settings):
    settings.SCO_API_ANON_RATE = "3/minute"
    EventFactory()
    client = APIClient()
    statuses = [client.get("/api/v1/events/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    reply = client.get("/api/v1/events/")
    assert reply.status_code == 429 and "throttled" in reply.json()["detail"].lower()
    assert int(reply["Retry-After"]) > 0


def test_no_throttling_when_the_rate_is_unset(settings):
    settings.SCO_API_ANON_RATE = None
    client = APIClient()
    assert {client.get("/api/v1/series/").status_code for _ in range(20)} == {200}


def test_signed_in_users_are_not_throttled(settings, admin_user):
    settings.SCO_API_ANON_RATE = "1/minute"
    client = APIClient()
    client.force_authenticate(admin_user)
    assert {client.get("/api/v1/series/").status_code for _ in range(5)} == {200}
