"""Prepared statements on PostgreSQL: reads whose joins take longer to plan than to run.

PostgreSQL plans every statement it is sent. The archive's public reads join claims,
events, entities, citations, quotes and articles under the visibility rules, and planning
them cost more than running them: 1.5–4 ms of planning for 0.5–1 ms of execution on a
claims page, 1.6 ms for 0.24 ms on a source page's citations (10,000 events, issue #15).
A statement prepared once per connection, with the generic plan forced, skips planning on
every later run. SQLite compiles a statement in microseconds and keeps it in its own
statement cache: there, everything here runs the SQL as it is.

Two ways in:

- :func:`run` — rows of a statement written or compiled by the caller, prepared under
  the name it gives (``events.rows``, ``events.search``);
- :func:`prepared` — a block inside which the ORM's SELECTs run prepared, for the
  querysets of a page (``events.views``).

:func:`among` narrows a queryset to a list of ids as one array parameter, so that its
statement is the same for any number of ids and can be prepared.

Parameters that vary per request — ids, dates, lists of ids — are bound on each run;
the others (statuses, property names, any text) are written into the statement as
literals, so the one plan knows them. (psycopg's own preparation needs every
parameter bound, server-side: with that and the generic plan forced, the claims page's
SQL took 5.5 ms instead of 2.1, and left to choose, PostgreSQL kept planning every run
of the event page's.) Text is therefore never
bound, and a block must not wrap a lookup by a text that varies, such as a slug: each
slug would prepare a statement of its own. ``plan_cache_mode`` concerns prepared
statements only, and only these are prepared (Django's own queries are not:
``prepare_threshold`` stays unset). A new connection starts with none.
"""

import datetime
import hashlib
import re
import weakref
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import BooleanField, F, Func
from psycopg import sql as psycopg_sql

# The statements each PostgreSQL connection has prepared (a new connection, a new set).
_PREPARED = weakref.WeakKeyDictionary()

_BOUND_TYPES = (int, datetime.date, list, tuple)  # datetime is a date
# Once a connection holds this many prepared statements (`run()`'s few included),
# `prepared()` prepares no more: an `IN` list of another length is another statement (a
# page's quotes, its claims), and each keeps a plan in the server's memory until the
# connection closes (DJANGO_CONN_MAX_AGE). Beyond it, a read runs as it is.
MAX_STATEMENTS = 200


def run(sql, params, name=None, bound=(), using=DEFAULT_DB_ALIAS):
    """Rows of ``sql``; on PostgreSQL, a statement with a ``name`` runs prepared, with
    the parameters at the positions ``bound`` bound per run and the others written in."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if name and connection.vendor == "postgresql":
            cursor.execute(*statement(name, sql, params, bound, connection))
        else:
            cursor.execute(sql, params)
        return cursor.fetchall()


def statement(name, sql, params, bound, connection=connection):
    """(``EXECUTE name(…)``, the ``bound`` params) for ``sql``, prepared on first use in
    this connection, with every other parameter written in as a literal. The setup runs
    on the driver's cursor: it is not a query of the request."""
    raw = connection.connection
    names = _PREPARED.setdefault(raw, set())
    if name not in names:
        bound_at = {position: number for number, position in enumerate(bound, 1)}
        fixed = iter(range(len(params)))

        def placeholder(_match):
            position = next(fixed)
            if position in bound_at:
                return f"${bound_at[position]}"
            return psycopg_sql.Literal(params[position]).as_string(raw).replace("%", "%%")

        body = re.sub(r"%s", placeholder, sql).replace("%%", "%")
        with raw.cursor() as setup:
            setup.execute("SET plan_cache_mode = force_generic_plan")
            setup.execute(f"PREPARE {name} AS {body}")
        names.add(name)
    if not bound:
        return f"EXECUTE {name}", []
    placeholders = ", ".join(["%s"] * len(bound))
    return f"EXECUTE {name}({placeholders})", [params[position] for position in bound]


@contextmanager
def prepared():
    """Inside this block, on PostgreSQL, every SELECT the ORM sends with parameters runs
    as a prepared statement: ids, dates and lists bound, text written in (see above)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.execute_wrapper(_run_prepared):
        yield


def _run_prepared(execute, sql, params, many, context):
    if many or not params or not sql.startswith("SELECT"):
        return execute(sql, params, many, context)
    params = list(params)
    bound = [
        position
        for position, param in enumerate(params)
        if isinstance(param, _BOUND_TYPES) and not isinstance(param, bool)
    ]
    # The name covers what is written in: another status is another statement.
    written = repr([param for position, param in enumerate(params) if position not in bound])
    name = "sco_orm_" + hashlib.sha1((sql + written).encode()).hexdigest()[:16]
    connection = context["connection"]
    known = _PREPARED.get(connection.connection, ())
    if name not in known and len(known) >= MAX_STATEMENTS:
        return execute(sql, params, many, context)
    return execute(*statement(name, sql, params, bound, connection), many, context)


class AnyOf(Func):
    """``field = ANY(%s)`` on PostgreSQL: the ids as one array parameter, so that a
    statement reads the same whatever the number of ids and can be prepared. (On SQLite
    a boolean expression in WHERE is compared with 1, which hides the primary key from
    the planner: there ``__in`` stays.)"""

    output_field = BooleanField()

    def __init__(self, field, ids):
        super().__init__(F(field))
        self.ids = list(ids)

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"{column} = ANY(%s)", [*params, self.ids]


def among(queryset, ids, field="pk"):
    """``queryset`` narrowed to rows whose ``field`` is one of ``ids``."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(AnyOf(field, ids))
    return queryset.filter(**{f"{field}__in": ids})
