"""Property-based requests against the API's own OpenAPI schema: no 500, nothing undeclared.

schemathesis takes the schema /api/v1/schema/ serves, generates requests for every operation
(reads anonymously and with an editor's token, writes with the token), sends them to the WSGI
application in process, and checks each response: not a server error, a declared status code and
content type, the declared headers, and a body that matches the declared schema (the resource, or
the one Error body).

Generated ids rarely name a row, so the cases with an even id are pointed at a row that exists, and
writes with an id divisible by four carry its current ETag; the rest exercise 400, 404, 412 and
428. Bounded by MAX_EXAMPLES per operation so that it runs in CI on SQLite and PostgreSQL
(docs/reliability.md).
"""

import json
import os
import re

import pytest
import schemathesis
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig

from tests.factories import (
    ComplianceClaimFactory,
    EventFactory,
    FilingFactory,
    HearingFactory,
    OpinionFactory,
    PersonFactory,
    ProvisionFactory,
)

MAX_EXAMPLES = 25
CONFIG = {
    "generation": {"max-examples": MAX_EXAMPLES},
    # The coverage phase adds every boundary value of every parameter (some 300 requests for a list
    # with many filters, 7-9 minutes for the whole API on a busy 2-core machine): SCHEMATHESIS_COVERAGE=1
    # runs it; CI runs the random (fuzzing) phase, positive and negative, MAX_EXAMPLES per operation.
    "phases": {"coverage": {"enabled": os.environ.get("SCHEMATHESIS_COVERAGE") == "1"}},
    "checks": {
        # A schema-valid request may still be refused, for what OpenAPI 3.0 cannot state: a body's
        # ids must name rows that exist, a cursor goes with pagination=cursor only, and so on.
        "positive_data_acceptance": {"enabled": False},
        # A write without its required If-Match is refused: 428 Precondition Required (RFC 6585), or
        # 401/403 first when the client may not write at all.
        "missing_required_header": {"expected-statuses": [401, 403, 428]},
        # Invalid requests are still generated (and must not cause a 500 or an undeclared answer), but
        # the API is lenient in two harmless ways that the schema cannot express: blank names in
        # ?fields=/?omit= are skipped, and the names are only checked when there is a row to show.
        "negative_data_rejection": {"enabled": False},
    },
}

_COLLECTION = re.compile(r"^/api/v1/(?P<collection>[a-z]+)/")


@pytest.fixture
def keep_test_connection():
    """Requests run through the WSGI handler, which closes "old" connections at each request's start
    and end; inside the test's transaction that would close the test database connection (on
    PostgreSQL). Django's test client disconnects the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def records(db):
    """One row of every resource, related to one another (a claim on a provision of a decision...)."""
    claim = ComplianceClaimFactory()
    provision = ProvisionFactory()
    event = EventFactory()
    event.cases.add(provision.decision.case)
    rows = {
        "claims": claim,
        "provisions": provision,
        "decisions": provision.decision,
        "cases": provision.decision.case,
        "filings": FilingFactory(case=provision.decision.case),
        "hearings": HearingFactory(case=provision.decision.case),
        "events": event,
        "parties": claim.claimant,
        "people": PersonFactory(),
        "sources": claim.sources.first(),
        "opinions": OpinionFactory(decision=provision.decision),
    }
    return {collection: (type(row), row.pk) for collection, row in rows.items()}


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    # Counted in memory: the database cache would add a write to every request of the run.
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()


@pytest.fixture
def editor_token(editor):
    return Token.objects.create(user=editor).key


def load_schema():
    """The schema /api/v1/schema/ serves (tests/test_schema.py checks that they are the same), run
    against the WSGI application in process.

    It is built here rather than fetched with schemathesis.openapi.from_wsgi() because the cases are
    collected before any database exists, and the schema view (throttled like every API view) counts
    requests in the database. schemathesis's fixture-based loading does not work under pytest 9.
    """
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(generated)), config=SchemathesisConfig.from_dict(CONFIG)
    )
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_declares(case, records, editor_token, keep_test_connection):
    headers = {}
    writes = case.method.upper() not in ("GET", "HEAD")
    chosen = _collection(case.path)
    # Anonymous reads are allowed; writes carry the editor's token (so 401/403 are the exception).
    if writes or _even(case.query):
        headers["Authorization"] = f"Token {editor_token}"
    path_id = (case.path_parameters or {}).get("id")
    if chosen in records and isinstance(path_id, int) and path_id % 2 == 0:
        model, pk = records[chosen]
        case.path_parameters["id"] = pk
        current = model.objects.filter(pk=pk).values_list("version", flat=True).first()
        if writes and current is not None and path_id % 4 == 0:
            # In the case's own headers, so that the check for a missing required header drops it.
            case.headers = {**(case.headers or {}), "If-Match": f'"v{current}"'}
    case.call_and_validate(headers=headers)


def _collection(path: str) -> str | None:
    match = _COLLECTION.match(path)
    return match["collection"] if match else None


def _even(query) -> bool:
    return len(query or {}) % 2 == 0


def test_an_unknown_omitted_field_on_an_empty_csv_list_is_a_400_not_a_500(db, client):
    response = client.get(reverse("api:party-list"), {"code": "no-such-party", "omit": "{}", "format": "csv"})
    assert response.status_code == 400
