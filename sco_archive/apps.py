from django.apps import AppConfig


class SCOArchiveConfig(AppConfig):
    """The project itself: wires the response cache's invalidation into every process."""

    name = "sco_archive"
    verbose_name = "SCO Archive"

    def ready(self):
        # Importing the cache module connects its write receivers, so management
        # commands and shells invalidate cached pages too, not only web workers.
        from . import (
            cache,  # noqa: F401
            checks,  # noqa: F401  (registers the deploy checks; no query here)
        )
