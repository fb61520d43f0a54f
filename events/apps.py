from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events and claims"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import search  # noqa: F401  (connects the search index's signal handlers)
