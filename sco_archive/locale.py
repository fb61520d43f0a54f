"""The reader's language comes from the URL alone (issue #18).

English is unprefixed, Russian lives under ``/ru/`` and Simplified Chinese under
``/zh-hans/`` (``i18n_patterns`` in ``sco_archive/urls.py``). Every URL therefore means
exactly one language, and the response cache (``sco_archive/cache.py``) and nginx
(``deploy/nginx.conf``) can key pages by URL alone.

``Accept-Language`` is honoured in one place only: a GET or HEAD of ``/`` from a browser
that prefers Russian or Chinese is redirected (302) to ``/ru/`` or ``/zh-hans/``; that
response, and the English home page served at ``/``, say ``Vary: Accept-Language``.
No cookie and no session ever changes a page's language, so no other response varies.

Django's ``LocaleMiddleware`` would pick the language of an unprefixed URL from the
cookie and ``Accept-Language`` only when the default language is prefixed too, but it
adds ``Vary: Accept-Language`` to every unprefixed response (admin and API included);
this subclass keeps its URL handling and drops both, so the rule stays in one place.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def preferred_language(header):
    """The supported language an ``Accept-Language`` header ranks first, or None.

    Written out (a dozen lines) rather than read through ``get_language_from_request``,
    which consults the language cookie first: a cookie must not change what ``/`` answers,
    since no cache keys on it.
    """
    ranked = []
    for position, item in enumerate(header.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return None


class PathLocaleMiddleware(LocaleMiddleware):
    """Activate the URL's language; redirect ``/`` by ``Accept-Language`` (module docstring)."""

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info)
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            wanted = preferred_language(request.headers.get("Accept-Language", ""))
            if wanted and wanted != settings.LANGUAGE_CODE:
                with translation.override(wanted):
                    target = reverse("events:home")
                query = request.META.get("QUERY_STRING", "")
                return HttpResponseRedirect(f"{target}?{query}" if query else target)
        return None

    def process_response(self, request, response):
        if request.path_info == "/":
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
