"""System checks of the sources app: every import hook named by settings.SCO_IMPORT_HOOKS
must be importable — a mistyped hook is an error at start-up, not a silent skip. No
database queries (checks run before the database may exist)."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def import_hooks_check(app_configs=None, **kwargs):
    errors = []
    for dotted in getattr(settings, "SCO_IMPORT_HOOKS", ()):
        try:
            hook = import_string(dotted)
        except ImportError as exc:
            errors.append(
                Error(
                    f"SCO_IMPORT_HOOKS names “{dotted}”, which cannot be imported ({exc}).",
                    hint="Fix the dotted path or remove it from SCO_IMPORT_HOOKS.",
                    id="sources.E001",
                )
            )
            continue
        if not callable(hook):
            errors.append(
                Error(f"SCO_IMPORT_HOOKS: “{dotted}” is not callable.", id="sources.E002")
            )
    return errors
