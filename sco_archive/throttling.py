"""Throttling for anonymous API clients, its rate read from settings on every request.

``SCO_API_ANON_RATE`` (environment, e.g. ``100/minute``) sets it; unset, nothing is
throttled (the default, and what tests and benchmarks run with). Responses served from the
shared cache (sco_archive/cache.py, sco_archive/front.py) cost almost nothing and are not
counted.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonArchiveThrottle(AnonRateThrottle):
    def get_rate(self):
        return getattr(settings, "SCO_API_ANON_RATE", None)
