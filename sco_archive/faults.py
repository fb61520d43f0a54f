"""Database faults answered as what they are: 503 with ``Retry-After``, never a 500.

- The database cannot be reached (server down, connection refused, too many
  connections): every request that needs it answers 503, an HTML page for readers and a
  JSON ``{"detail": …}`` under ``/api/``. Django drops a connection that raised, so the
  first request after the database returns is served normally: nothing to restart.
- The database is read-only (a replica, a failover in progress, an SQLite file the
  process may not write): reads keep working; a write — an admin save, a login, which
  writes the session and ``last_login`` — answers 503 saying the archive is read-only.

``DatabaseFaultMiddleware.process_exception`` handles what views raise; ``server_error``
(the project's ``handler500``) handles the rest — a fault in a middleware (sessions,
authentication, the lockout) or in a template — by looking at the exception being
handled. ``SCO_RETRY_AFTER`` (seconds, default 30) is what clients are told to wait.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

DATABASE_FAULTS = (OperationalError, InterfaceError, InternalError)
# SQLite: "attempt to write a readonly database"; PostgreSQL: "cannot execute INSERT in a
# read-only transaction" (a hot standby, or default_transaction_read_only).
READ_ONLY_MARKERS = ("readonly database", "read-only transaction", "read only transaction")
UNAVAILABLE = "The archive's database cannot be reached at the moment."
READ_ONLY = (
    "The archive is read-only at the moment: reading works, but changes and sign-ins "
    "cannot be saved."
)


def is_read_only(exc):
    text = str(exc).lower()
    return any(marker in text for marker in READ_ONLY_MARKERS)


def is_database_fault(exc):
    """A fault of the database itself, not of the query: worth a 503, not a 500."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    # PostgreSQL reports a read-only transaction as an InternalError; other internal
    # errors are bugs (500).
    return isinstance(exc, InternalError) and is_read_only(exc)


def retry_after():
    return int(getattr(settings, "SCO_RETRY_AFTER", 30))


def fault_response(request, exc):
    """The 503 for a database fault: JSON for the API, the plain error page otherwise."""
    read_only = is_read_only(exc)
    message = READ_ONLY if read_only else UNAVAILABLE
    wait = retry_after()
    logger.error("Database fault on %s %s: %s", request.method, request.path, exc)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request: no context processor may touch the database
        # (request.user) or the host.
        context = {"message": message, "read_only": read_only, "retry_after": wait}
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseFaultMiddleware:
    """503 instead of 500 when a view meets a database fault (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_fault(exception):
            return fault_response(request, exception)
        return None


@requires_csrf_token
def server_error(request, template_name="500.html"):
    """``handler500``: a database fault raised outside a view is still a 503."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_fault(exc):
        return fault_response(request, exc)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error."}, status=500)
    return HttpResponseServerError(loader.render_to_string(template_name))
