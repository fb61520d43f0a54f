"""Reader URLs of single objects, reversed once per route and language.

A page links to hundreds of objects (an event page with 50 claims: about 200 links), and
Django's ``reverse`` resolves the route again each time. ``object_url`` asks ``reverse``
once per route, language, script prefix and URLconf for a URL with a placeholder, keeps
the two halves, and fills in each slug or id: the string ``reverse`` returns
(tests/sources/test_links.py). A value the route's converter would refuse goes to
``reverse`` itself, which raises as it always does.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDERS = {int: 9876543210123, str: "zq9placeholder9qz"}


@lru_cache(maxsize=512)
def _halves(viewname, kwarg, kind, language, prefix, urlconf):
    placeholder = str(_PLACEHOLDERS[kind])
    url = reverse(viewname, kwargs={kwarg: _PLACEHOLDERS[kind]})
    head, found, tail = url.partition(placeholder)
    return (head, tail) if found else None


def object_url(viewname, **kwargs):
    """``reverse(viewname, kwargs=kwargs)`` for a route of one slug or integer."""
    ((kwarg, value),) = kwargs.items()
    kind = int if isinstance(value, int) else str
    if kind is str and not _SLUG.fullmatch(value or ""):
        return reverse(viewname, kwargs=kwargs)
    halves = _halves(
        viewname,
        kwarg,
        kind,
        get_language(),
        get_script_prefix(),
        get_urlconf() or settings.ROOT_URLCONF,
    )
    if halves is None:  # the route does not print the value as given
        return reverse(viewname, kwargs=kwargs)
    return f"{halves[0]}{value}{halves[1]}"
