"""While the database cannot be reached, answer 503 with Retry-After, never 500.

DRF views already turn database errors into 503 themselves (core.api.exceptions). This covers the
rest: the researchers' pages and the admin, any non-DRF view under /api/, and the middleware
around every view (sessions and authentication read the database lazily, so a request can fail
in SessionMiddleware or AuthenticationMiddleware before or after its view has run).

Django turns an exception raised inside a middleware into a 500 response before the middleware
outside it sees anything, so such failures are recognised through ``got_request_exception``
(sent while the exception is being handled) and the 500 is replaced on the way out. Place this
middleware before SessionMiddleware so that it is outside everything that may touch the database.
"""

import logging
import sqlite3
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
UNAVAILABLE = "The database is unavailable; retry shortly."
TOO_SLOW = "The request took too long to answer; retry shortly, or narrow it."
# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"
_FAILURE_ATTRIBUTE = "_database_failure"
# SQLSTATE classes: connection exception, transaction rollback (deadlock, serialization), insufficient
# resources, lock not available and the like, operator intervention (shutdown, query cancelled), system error.
_POSTGRES_UNAVAILABLE = ("08", "40", "53", "55", "57", "58")
_SQLITE_UNAVAILABLE = ("database is locked", "database table is locked", "unable to open database", "disk I/O error")

# Served when even the template cannot be rendered: nothing here may depend on anything.
_FALLBACK_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Temporarily unavailable</title></head>'
    "<body><h1>The tracker is temporarily unavailable</h1><p>Please try again in a few seconds.</p></body></html>"
)


def is_database_failure(exc: BaseException | None) -> bool:
    """A lost or refused connection, a busy or restarting database, a cancelled statement: worth a retry.

    OperationalError also covers errors that are bugs, not outages: SQLite's "no such table" before
    `migrate`, PostgreSQL's "statement too complex" or an unknown prepared statement. Those stay 500s
    with their traceback.
    """
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return any(words in str(cause) for words in _SQLITE_UNAVAILABLE)
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    # No SQLSTATE: libpq could not connect, or lost the connection.
    return not code or code[:2] in _POSTGRES_UNAVAILABLE


def _timed_out(exc: BaseException) -> bool:
    return getattr(exc.__cause__, "pgcode", None) == QUERY_CANCELED


def _page(detail: str) -> str:
    try:
        # No request, so no context processors: nothing in the page can reach the database.
        return render_to_string("503.html", {"detail": detail, "retry_after": RETRY_AFTER_SECONDS})
    except Exception:  # A 503 must still go out if the template or its static manifest is broken.
        logger.exception("Could not render 503.html; serving the plain fallback")
        return _FALLBACK_PAGE


def unavailable_response(request, exc: BaseException) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, an HTML page elsewhere."""
    detail = TOO_SLOW if _timed_out(exc) else UNAVAILABLE
    logger.warning("503 for %s %s: %s: %s", request.method, request.path, type(exc).__name__, exc)
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=503)
    else:
        response = HttpResponse(_page(detail), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="core.middleware.remember_database_failure")
def remember_database_failure(sender, request=None, **kwargs):
    """Note on the request that a database failure became a 500 (raised in a middleware)."""
    exc = sys.exc_info()[1]
    if request is not None and is_database_failure(exc):
        setattr(request, _FAILURE_ATTRIBUTE, exc)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        failure = getattr(request, _FAILURE_ATTRIBUTE, None)
        if failure is not None and response.status_code == 500:
            return unavailable_response(request, failure)
        return response

    def process_exception(self, request, exception):
        """A view's database failure (DRF views answer their own first)."""
        if is_database_failure(exception):
            return unavailable_response(request, exception)
        return None
