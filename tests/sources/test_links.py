"""object_url is reverse(), reversed once per route and language."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from sources.links import object_url

ROUTES = [
    ("events:event-detail", {"slug": "peace-mission-2021"}),
    ("events:entity-detail", {"slug": "kazakhstan"}),
    ("sources:article-detail", {"slug": "a_b-9"}),
    ("claim-cite", {"pk": 7}),
    ("claim-cite", {"pk": 9876543210123}),  # the placeholder itself
]


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
@pytest.mark.parametrize(("name", "kwargs"), ROUTES)
def test_the_same_url_as_reverse_in_every_language(name, kwargs, language):
    with translation.override(language):
        assert object_url(name, **kwargs) == reverse(name, kwargs=kwargs)


def test_the_script_prefix_counts():
    set_script_prefix("/archive/")
    try:
        assert object_url("events:event-detail", slug="x") == "/archive/events/x/"
    finally:
        set_script_prefix("/")
    assert object_url("events:event-detail", slug="x") == "/events/x/"


def test_values_the_route_refuses_go_to_reverse():
    with pytest.raises(NoReverseMatch):
        object_url("events:event-detail", slug="not a slug")
    with pytest.raises(NoReverseMatch):
        object_url("events:event-detail", slug="")


@override_settings(ROOT_URLCONF="tests.sources.test_links")
def test_another_urlconf_is_another_route():
    assert object_url("only-here", slug="x") == "/elsewhere/x/"


def _view(request, slug):  # pragma: no cover - never called
    raise AssertionError


from django.urls import path  # noqa: E402

urlpatterns = [path("elsewhere/<slug:slug>/", _view, name="only-here")]
