"""Nothing lost, no 500: malformed input answers a 4xx that says what is wrong, and no write is lost.

Each test is named for the fault it pins down (issue "Nothing lost, no 500").
"""

import json
import threading

import pytest
import requests
from django.contrib.auth.models import Permission
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer, get_internal_wsgi_application
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.models import ConcurrentEditError, DeletedError, VersionedModel
from filings.models import Filing
from tests.factories import (
    ComplianceClaimFactory,
    FilingFactory,
    filing_payload,
)

pytestmark = pytest.mark.django_db

WRITE_PERMS = ["add_filing", "change_filing", "delete_filing", "view_filing", "change_complianceclaim"]
SURROGATE = "\ud800"
LENIENT_DATES = [
    "2023-2-3",
    "２０２３-０２-０３",
    "2023-W01-1",
    "20230103",
    "2023-01-03T00:00",
    " 2023-01-03",
    "2023-01-03\n",
]


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()


@pytest.fixture
def token(editor):
    editor.user_permissions.add(*Permission.objects.filter(codename__in=WRITE_PERMS))
    return Token.objects.create(user=editor).key


@pytest.fixture
def token_client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def post_raw(client, url, body: str, **extra):
    return client.generic("POST", url, body.encode("utf-8", "surrogatepass"), "application/json", **extra)


def patch_raw(client, url, body: str, **extra):
    return client.generic("PATCH", url, body.encode("utf-8", "surrogatepass"), "application/json", **extra)


def etag_of(client, url):
    return client.get(url)["ETag"]


# --- 1. The Location header on the development server ------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture
def dev_server(db):
    """Django's development server (the wsgiref server `manage.py runserver` runs), on a free port.

    The server thread shares the test's in-memory SQLite connection, as Django's LiveServerThread
    does, so it sees the test's rows and its writes are rolled back with the test. Django closes a
    request's connection when it ends (close_old_connections), which on PostgreSQL would close the
    test's own connection, so those receivers are off while the server runs.
    """
    connection = connections["default"]
    connection.inc_thread_sharing()
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    server = WSGIServer(("127.0.0.1", 0), _QuietHandler, ipv6=False)
    server.set_app(get_internal_wsgi_application())

    def serve():
        connections["default"] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        connection.dec_thread_sharing()


def test_a_create_on_the_development_server_answers_201_with_a_str_location(dev_server, token):
    with requests.Session() as session:
        response = session.post(
            dev_server + reverse("api:filing-list"),
            json=filing_payload(),
            headers={"Authorization": f"Token {token}", "Accept": "application/json"},
            timeout=30,
        )

    # Before the fix wsgiref refused the Hyperlink header value: "A server error occurred." (500).
    assert response.status_code == 201, response.text[:500]
    data = response.json()
    assert response.headers["Location"] == data["api_url"]
    assert Filing.objects.filter(pk=data["id"]).exists()


def test_the_location_header_is_a_plain_str(token_client):
    response = token_client.post(reverse("api:filing-list"), filing_payload(), format="json")
    assert response.status_code == 201, response.content
    assert type(response["Location"]) is str


# --- 2. A delete racing an edit: exactly one wins ----------------------------------------------


def test_a_save_after_a_delete_raises_and_inserts_nothing():
    filing = FilingFactory()
    loaded = Filing.objects.get(pk=filing.pk)
    Filing.objects.filter(pk=filing.pk).delete()

    loaded.title = "Edited after the delete"
    with pytest.raises(DeletedError, match="deleted"):
        loaded.save()

    assert not Filing.objects.filter(pk=filing.pk).exists()
    assert issubclass(DeletedError, ConcurrentEditError)


def test_a_delete_between_the_check_and_the_update_raises_and_inserts_nothing(monkeypatch):
    filing = FilingFactory()
    loaded = Filing.objects.get(pk=filing.pk)
    original = VersionedModel._raise_if_stale

    def delete_meanwhile(self):
        original(self)
        Filing.objects.filter(pk=self.pk).delete()

    monkeypatch.setattr(VersionedModel, "_raise_if_stale", delete_meanwhile)
    loaded.title = "Edited while it was deleted"
    # The atomic block stands for the request's transaction; it also undoes the delete, which in
    # production another connection commits, so what is checked is that no INSERT was attempted.
    with CaptureQueriesContext(connection) as queries, pytest.raises(DeletedError), transaction.atomic():
        loaded.save()

    table = f'"{Filing._meta.db_table}"'
    statements = [query["sql"].split()[:3] for query in queries]
    assert ["INSERT", "INTO", table] not in statements
    assert ["DELETE", "FROM", table] in statements
    assert loaded.version == 1


def test_a_revert_from_history_may_restore_a_deleted_record_on_purpose():
    # simple-history's revert (the admin's history page) rebuilds the row from its history and
    # saves it: for a deleted record that is a deliberate restore, not a race.
    filing = FilingFactory()
    record = filing.history.latest()
    Filing.objects.filter(pk=filing.pk).delete()

    restored = record.instance
    restored._state.adding = False
    restored.save()

    assert Filing.objects.filter(pk=filing.pk).exists()


def test_a_patch_racing_a_delete_is_412_and_does_not_resurrect_the_record(token_client, monkeypatch):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    etag = etag_of(token_client, url)
    from core.api import conditional

    original = conditional.expected_version

    def delete_meanwhile(request, current):
        version = original(request, current)
        if request.method == "PATCH":
            # The DELETE commits between the PATCH's precondition check and its save.
            assert token_client.delete(url, HTTP_IF_MATCH=etag).status_code == 204
        return version

    monkeypatch.setattr(conditional, "expected_version", delete_meanwhile)
    response = token_client.patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412, response.content
    assert "deleted" in response.json()["detail"]
    assert not Filing.objects.filter(pk=filing.pk).exists()


def test_a_delete_after_a_patch_with_the_old_etag_is_412(token_client):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    etag = etag_of(token_client, url)

    assert token_client.patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    assert token_client.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert Filing.objects.get(pk=filing.pk).title == "Mine"


# --- 3. Malformed input that answered 500 ------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_1000_levels_deep_is_a_400(token_client, depth):
    nested = "[" * depth + "]" * depth
    created = post_raw(token_client, reverse("api:filing-list"), f'{{"title": {nested}}}')
    assert created.status_code == 400, created.content[:300]
    assert "nested" in created.json()["detail"]

    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    patched = patch_raw(token_client, url, nested, HTTP_IF_MATCH=etag_of(token_client, url))
    assert patched.status_code == 400
    assert "nested" in patched.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"kind": "\\ud800"}', "kind"),
        ('{"confidence": "\\ud800"}', "confidence"),
        ('{"document_number": "\\ud800"}', "document_number"),
        ('{"title": "a\\udfffb"}', "title"),
        ('{"filed_on": "\\ud800"}', "filed_on"),
        ('{"sources": [{"id": "\\ud800"}]}', "sources"),
        ('{"\\ud800": 1}', "non_field_errors"),
    ],
)
def test_a_lone_surrogate_is_a_400_that_does_not_echo_it(token_client, body, field):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])

    response = patch_raw(token_client, url, body, HTTP_IF_MATCH=etag_of(token_client, url))

    assert response.status_code == 400, response.content
    text = response.content.decode("utf-8")
    assert SURROGATE not in text and "\\ud800" not in text.lower() and "\\udfff" not in text.lower()
    assert field in response.json()
    assert "surrogate" in str(response.json())


def test_a_lone_surrogate_in_a_create_or_an_assessment_is_a_400(token_client):
    created = post_raw(
        token_client, reverse("api:filing-list"), json.dumps(filing_payload()).replace('"letter"', '"\\ud800"')
    )
    assert created.status_code == 400
    assert "kind" in created.json()

    claim = ComplianceClaimFactory()
    url = reverse("api:claim-detail", args=[claim.pk])
    patched = patch_raw(token_client, url, '{"assessment": "\\ud800"}', HTTP_IF_MATCH=etag_of(token_client, url))
    assert patched.status_code == 400, patched.content
    assert "assessment" in patched.json()


@pytest.mark.parametrize("digits", [4_301, 10_000])
def test_an_if_match_version_of_more_than_4300_digits_is_412_not_500(token_client, digits):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    huge = f'"v{"9" * digits}"'

    assert token_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=huge).status_code == 412
    assert token_client.delete(url, HTTP_IF_MATCH=huge).status_code == 412
    assert Filing.objects.get(pk=filing.pk).title == filing.title


# --- 4. Smaller: input that was silently misread -----------------------------------------------


@pytest.mark.parametrize("method", ["patch", "put", "post"])
def test_a_misspelt_field_is_a_400_naming_it_and_the_writable_fields(token_client, method):
    filing = FilingFactory()
    if method == "post":
        url, extra, body = reverse("api:filing-list"), {}, filing_payload(titel="x")
    else:
        url = reverse("api:filing-detail", args=[filing.pk])
        extra = {"HTTP_IF_MATCH": etag_of(token_client, url)}
        body = {"titel": "x"} if method == "patch" else filing_payload(titel="x")

    response = getattr(token_client, method)(url, body, format="json", **extra)

    assert response.status_code == 400, response.content
    message = response.json()["titel"][0]
    assert "Unknown field" in message
    assert "title" in message and "filed_on" in message
    assert "api_url" not in message  # read-only fields are not offered as writable
    filing.refresh_from_db()
    assert filing.version == 1


def test_a_representation_sent_back_with_its_read_only_fields_is_accepted(token_client):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    read = token_client.get(url)
    body = {**read.json(), "title": "Round trip"}

    response = token_client.put(url, body, format="json", HTTP_IF_MATCH=read["ETag"])

    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Round trip"


@pytest.mark.parametrize("value", LENIENT_DATES)
def test_lenient_dates_are_refused_on_writes(token_client, value):
    response = token_client.post(reverse("api:filing-list"), filing_payload(filed_on=value), format="json")
    assert response.status_code == 400, response.content
    assert "YYYY-MM-DD" in response.json()["filed_on"][0]


def test_a_strict_date_is_still_accepted(token_client):
    response = token_client.post(reverse("api:filing-list"), filing_payload(filed_on="2023-01-03"), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["filed_on"] == "2023-01-03"


@pytest.mark.parametrize("value", LENIENT_DATES)
def test_lenient_dates_are_refused_in_filters(api_client, value):
    response = api_client.get(reverse("api:filing-list"), {"filed_on__gte": value})
    assert response.status_code == 400, response.content
    assert "YYYY-MM-DD" in response.json()["filed_on__gte"][0]


def test_a_strict_date_filter_still_filters(api_client):
    FilingFactory(title="Early")  # filed 2022-12-28
    response = api_client.get(reverse("api:filing-list"), {"filed_on__gte": "2023-01-01"})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("session", [False, True], ids=["token", "session-with-csrf"])
def test_a_10_mb_body_is_a_json_413(token_client, editor, session):
    client = token_client
    if session:
        # The CSRF check of session authentication reads the body before the view does.
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(editor)
        client.cookies["csrftoken"] = "a" * 32
    body = json.dumps(filing_payload(summary="x" * (10 * 1024 * 1024)))
    response = post_raw(client, reverse("api:filing-list"), body)
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    assert "MB" in response.json()["detail"]


@pytest.mark.parametrize("cursor", ["", "\x00", " ", "====", "!!!"])
def test_an_empty_or_nul_cursor_is_a_400_naming_cursor(api_client, cursor):
    FilingFactory()
    for params in ({"pagination": "cursor", "cursor": cursor}, {"cursor": cursor}):
        response = api_client.get(reverse("api:filing-list"), params)
        assert response.status_code == 400, (params, response.content)
        assert "cursor" in response.json()


def test_a_next_link_cursor_still_pages(api_client):
    FilingFactory.create_batch(3)
    first = api_client.get(reverse("api:filing-list"), {"pagination": "cursor", "page_size": 2}).json()
    second = api_client.get(first["next"])
    assert second.status_code == 200
    assert len(second.json()["results"]) == 1


@pytest.mark.parametrize("tail", ["nope/", "nope", "cases/abc/", "cases/1/nope/", "filings/1/x"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unmatched_api_path_is_a_json_404(api_client, tail, method):
    response = getattr(api_client, method)(reverse("api-root") + tail)
    assert response.status_code == 404, response.content
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_a_known_api_path_without_its_slash_still_redirects_a_read(api_client):
    listing = reverse("api:filing-list")
    response = api_client.get(listing.rstrip("/"), {"kind": "letter"})
    assert response.status_code == 301
    assert response["Location"] == listing + "?kind=letter"
    write = api_client.post(listing.rstrip("/"), {}, format="json")
    assert write.status_code == 404
    assert listing in write.json()["detail"]


@pytest.mark.parametrize("header", ["*, garbage", 'garbage, "v1"', "*, *", '"v1" "v1"', "v1", '"v1', "", " , "])
def test_a_malformed_if_match_is_a_400_not_a_wildcard(token_client, header):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])

    patched = token_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=header)
    deleted = token_client.delete(url, HTTP_IF_MATCH=header)

    assert (patched.status_code, deleted.status_code) == (400, 400), patched.content
    assert "If-Match" in patched.json()["detail"]
    assert Filing.objects.get(pk=filing.pk).title == filing.title


@pytest.mark.parametrize("header", ["*", ' "v1" ', 'W/"v1", "v1"', '"x,y", "v1-0a"', '"v0", , "v1"'])
def test_a_well_formed_if_match_still_matches(token_client, header):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    response = token_client.patch(url, {"title": "x"}, format="json", HTTP_IF_MATCH=header)
    assert response.status_code == 200, response.content
