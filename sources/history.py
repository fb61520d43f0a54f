"""django-simple-history's ``HistoricalRecords``, its manager class made once.

simple_history's ``Model.history`` descriptor builds the history manager's class anew on
every access (``HistoryManager.from_queryset``, which walks the queryset's members with
``inspect.getmembers``), and every ``save()`` and ``bulk_create_with_history()`` reaches
it: about 0.4 ms each, a few an imported article (#17). The class depends on the
queryset class only, so it is made once for each; the manager itself is still made per
access, bound to the model or the instance, as before.
"""

from simple_history import manager, models


class HistoryManager(manager.HistoryManager):
    _classes: dict = {}

    @classmethod
    def from_queryset(cls, queryset_class, class_name=None):
        key = (cls, queryset_class, class_name)
        made = cls._classes.get(key)
        if made is None:
            made = cls._classes[key] = super().from_queryset(queryset_class, class_name)
        return made


class HistoricalRecords(models.HistoricalRecords):
    """``simple_history.models.HistoricalRecords`` with :class:`HistoryManager`."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)
