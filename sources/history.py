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


def bulk_create_with_history(objs, model):
    """``simple_history.utils.bulk_create_with_history(objs, model)``, the history rows
    copied by the database: ``INSERT INTO history … SELECT … FROM table WHERE id IN …``.

    simple_history builds a historical instance per object in Python and bulk-creates
    those: for the claims and quotes an import suggests, about a tenth of the import's
    CPU (#17). The rows written are the same — every tracked column as stored, the same
    history date, user and change reason for the batch, type "+" — in the objects' id
    order. Objects that carry their own history user, date or reason, and a history
    model with a relation to its object, go through simple_history as before."""
    from django.db import connections, router, transaction
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history as library_bulk_create

    objs = list(objs)
    history = model.history.model
    own = ("_history_user", "_history_date", "_change_reason")
    if hasattr(history, "history_relation") or any(hasattr(o, a) for o in objs for a in own):
        return library_bulk_create(objs, model)
    using = router.db_for_write(model)
    with transaction.atomic(using=using, savepoint=False):
        created = model._default_manager.using(using).bulk_create(objs)
        if not created or created[0].pk is None:  # a backend that gives no ids back
            return library_bulk_create(created, model) if created else created
        tracked = [field.attname for field in history.tracked_fields]
        stamp = history(
            history_date=timezone.now(),
            history_user=history.get_default_history_user(created[0]),
            history_change_reason=None,
            history_type="+",
        )
        connection = connections[using]
        extra = [
            field
            for field in history._meta.concrete_fields
            if field.attname not in tracked and not field.primary_key
        ]
        values = [
            field.get_db_prep_save(getattr(stamp, field.attname), connection) for field in extra
        ]
        quote = connection.ops.quote_name
        source = {field.attname: field.column for field in model._meta.concrete_fields}
        columns = [history._meta.get_field(name).column for name in tracked] + [
            field.column for field in extra
        ]
        for start in range(0, len(created), 500):  # within every backend's parameter limit
            ids = [obj.pk for obj in created[start : start + 500]]
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, columns))}) "
                f"SELECT {', '.join(quote(source[name]) for name in tracked)}"
                f"{''.join(', %s' for _ in extra)} FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join('%s' for _ in ids)}) "
                f"ORDER BY {quote(model._meta.pk.column)}"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [*values, *ids])
    return created
