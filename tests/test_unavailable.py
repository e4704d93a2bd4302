"""While the database is away every answer is a 503 with Retry-After (JSON for the API), never a 500."""

import json
import sqlite3

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client, RequestFactory
from django.urls import reverse

from core.middleware import RETRY_AFTER_SECONDS, TOO_SLOW, is_database_failure, unavailable_response


def _refuse():
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.fixture
def database_down(monkeypatch):
    """Every attempt to reach the database fails, as it does while PostgreSQL is stopped."""
    # On the instance (its __dict__), so that undoing it leaves pytest-django's own patch alone.
    monkeypatch.setitem(vars(connections["default"]), "ensure_connection", _refuse)


def caused_by(cause: Exception) -> OperationalError:
    """Django's OperationalError wrapping a driver's error, as Django raises it."""
    exc = OperationalError(str(cause))
    exc.__cause__ = cause
    return exc


class RaiseInMiddleware:
    """Stands for SessionMiddleware/AuthenticationMiddleware failing to load or save a session."""

    when = "request"

    def __init__(self, get_response):
        self.get_response = get_response

    def error(self) -> Exception:
        return OperationalError("session store unreachable")

    def __call__(self, request):
        if self.when == "request":
            raise self.error()
        self.get_response(request)
        raise self.error()


class RaiseOnResponse(RaiseInMiddleware):
    when = "response"


class RaiseBug(RaiseInMiddleware):
    def error(self):
        return ValueError("a bug")


class RaiseSchemaError(RaiseInMiddleware):
    """What SQLite raises for a table that is not there (migrations not run): a bug, not an outage."""

    def error(self):
        return caused_by(sqlite3.OperationalError("no such table: cases_case"))


class StatementTooComplex(Exception):
    pgcode = "54001"


class RaiseTooComplex(RaiseInMiddleware):
    """PostgreSQL's "statement too complex" (SQLSTATE 54001) is an OperationalError, and a bug."""

    def error(self):
        return caused_by(StatementTooComplex("statement too complex"))


def with_middleware(settings, middleware):
    stack = list(settings.MIDDLEWARE)
    stack.insert(stack.index("django.contrib.sessions.middleware.SessionMiddleware") + 1, middleware)
    settings.MIDDLEWARE = stack


def assert_retry_after(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_api_list_answers_503_json(client, database_down):
    response = client.get(reverse("api:filing-list"))
    assert_retry_after(response)
    assert response["Content-Type"].startswith("application/json")
    assert "unavailable" in response.json()["detail"]


def test_api_write_answers_503_json(client, database_down):
    response = client.patch(
        reverse("api:filing-detail", kwargs={"pk": 1}),
        data={"summary": "x"},
        content_type="application/json",
        headers={"Authorization": "Token 0123456789abcdef", "If-Match": "*"},
    )
    assert_retry_after(response)
    assert "detail" in response.json()


@pytest.mark.parametrize("name, kwargs", [("case-list", {}), ("case-detail", {"number": 180}), ("home", {})])
def test_site_pages_answer_503_html(client, database_down, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert_retry_after(response)
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert response["Cache-Control"] == "no-store"
    assert b"temporarily unavailable" in response.content


def test_admin_with_a_session_answers_503(client, database_down):
    client.cookies["sessionid"] = "a" * 32  # the session is read from the database
    response = client.get("/admin/")
    assert_retry_after(response)
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("middleware", [RaiseInMiddleware, RaiseOnResponse])
@pytest.mark.parametrize("path, content_type", [("/api/v1/filings/", "application/json"), ("/cases/", "text/html")])
def test_failure_inside_a_middleware_answers_503(settings, middleware, path, content_type):
    with_middleware(settings, f"{__name__}.{middleware.__name__}")
    response = Client(raise_request_exception=False).get(path)
    assert_retry_after(response)
    assert response["Content-Type"].startswith(content_type)
    if content_type == "application/json":
        assert json.loads(response.content)["detail"]


@pytest.mark.parametrize("middleware", [RaiseBug, RaiseSchemaError, RaiseTooComplex])
def test_other_errors_are_still_500(settings, middleware):
    with_middleware(settings, f"{__name__}.{middleware.__name__}")
    response = Client(raise_request_exception=False).get("/cases/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_statement_timeout_says_too_slow():
    class QueryCanceled(Exception):
        pgcode = "57014"

    exc = caused_by(QueryCanceled("canceling statement due to statement timeout"))
    response = unavailable_response(RequestFactory().get("/api/v1/filings/"), exc)
    assert_retry_after(response)
    assert json.loads(response.content) == {"detail": TOO_SLOW}


def test_browsable_api_answers_503(client, database_down):
    response = client.get(reverse("api:filing-list"), headers={"Accept": "text/html"})
    assert_retry_after(response)


def pg_error(code):
    return type("PostgresError", (Exception,), {"pgcode": code})("from the server")


@pytest.mark.parametrize(
    "exc, unavailable",
    [
        (OperationalError("could not connect: Connection refused"), True),  # libpq: no SQLSTATE
        (caused_by(pg_error("57P01")), True),  # terminating connection due to administrator command
        (caused_by(pg_error("57P03")), True),  # the database system is starting up
        (caused_by(pg_error("40P01")), True),  # deadlock detected
        (caused_by(pg_error("57014")), True),  # statement timeout
        (caused_by(pg_error("54001")), False),  # statement too complex
        (caused_by(sqlite3.OperationalError("database is locked")), True),
        (caused_by(sqlite3.OperationalError("no such column: summary")), False),
        (InterfaceError("connection already closed"), True),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_mean_the_database_is_unavailable(exc, unavailable):
    assert is_database_failure(exc) is unavailable
