"""Writing through the API: auth matrix, invariants as 400s, If-Match, history, throttling."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from decisions.models import Provision
from filings.models import Filing
from tests.factories import (
    CaseFactory,
    DecisionFactory,
    FilingFactory,
    PartyFactory,
    PersonFactory,
    ProvisionFactory,
    SourceFactory,
    UserFactory,
    decision_with_bench,
    filing_payload,
)

pytestmark = pytest.mark.django_db

WRITE_PERMS = ["add_filing", "change_filing", "delete_filing", "add_provision", "change_provision", "view_filing"]


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    from django.core.cache import caches

    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    caches["api"].clear()


@pytest.fixture
def permitted_editor(editor):
    editor.user_permissions.add(*Permission.objects.filter(codename__in=WRITE_PERMS))
    return editor


@pytest.fixture
def token_client(permitted_editor):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=permitted_editor).key}")
    return client


def test_auth_matrix_for_reads_and_writes(api_client, client, permitted_editor, token_client):
    reader = UserFactory(username="reader")
    session_reader = APIClient()
    session_reader.force_login(reader)
    session_editor = APIClient()
    session_editor.force_login(permitted_editor)
    url = reverse("api:filing-list")

    for who in (api_client, session_reader, session_editor, token_client):
        assert who.get(url).status_code == 200

    assert api_client.post(url, filing_payload(), format="json").status_code == 401
    assert session_reader.post(url, filing_payload(), format="json").status_code == 403
    assert session_editor.post(url, filing_payload(slug="a"), format="json").status_code == 201
    assert token_client.post(url, filing_payload(slug="b"), format="json").status_code == 201
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Token nonsense")
    assert bad_token.post(url, filing_payload(slug="c"), format="json").status_code == 401


def test_basic_auth_is_not_accepted(permitted_editor):
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic ZWRpdG9yOmNvcnJlY3QgaG9yc2UgYmF0dGVyeSBzdGFwbGU=")
    response = basic.post(reverse("api:filing-list"), filing_payload(), format="json")
    assert response.status_code == 401


def test_a_token_write_appears_in_the_history_under_the_editor(token_client, permitted_editor):
    response = token_client.post(reverse("api:filing-list"), filing_payload(), format="json")
    assert response.status_code == 201, response.json()

    filing = Filing.objects.get(pk=response.json()["id"])
    record = filing.history.get()
    assert record.history_type == "+"
    assert record.history_user == permitted_editor
    assert response["Location"] == response.json()["api_url"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"filed_on": None, "due_on": None}, "filed_on"),
        ({"filed_on": "2020-01-01"}, "filed_on"),
        ({"filed_on": "2023-02-30"}, "filed_on"),
        ({"document_number": "not-a-number"}, "document_number"),
        ({"document_number": "180-20231301-ORD-01-00-EN"}, "document_number"),
        ({"kind": "pamphlet"}, "kind"),
        ({"case": 99999999999999999999999}, "case"),
        ({"case": "abc"}, "case"),
        ({"sources": []}, "sources"),
        ({"title": "nul\x00byte"}, "title"),
    ],
)
def test_invalid_writes_are_400_with_field_messages(token_client, changes, field):
    response = token_client.post(reverse("api:filing-list"), filing_payload(**changes), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_duplicate_natural_key_is_a_400_not_an_integrity_error(token_client):
    case = CaseFactory()
    url = reverse("api:filing-list")
    assert token_client.post(url, filing_payload(case, slug="same"), format="json").status_code == 201
    response = token_client.post(url, filing_payload(case, slug="same"), format="json")
    assert response.status_code == 400
    assert "Another filing in this case has this identifier." in str(response.json())


def test_update_needs_if_match_and_a_stale_one_is_412(token_client):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    etag = token_client.get(url)["ETag"]

    assert token_client.patch(url, {"title": "No precondition"}, format="json").status_code == 428
    first = token_client.patch(url, {"title": "First edit"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = token_client.patch(url, {"title": "Second edit"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    filing.refresh_from_db()
    assert filing.title == "First edit"
    fresh = token_client.patch(url, {"title": "Second edit"}, format="json", HTTP_IF_MATCH=first["ETag"])
    assert fresh.status_code == 200


def test_a_concurrent_edit_between_check_and_save_is_412(token_client, monkeypatch):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    etag = token_client.get(url)["ETag"]
    from core.api import conditional

    original = conditional.expected_version

    def edit_meanwhile(request, current):
        version = original(request, current)
        Filing.objects.filter(pk=filing.pk).update(version=current + 1, title="Someone else")
        return version

    monkeypatch.setattr(conditional, "expected_version", edit_meanwhile)
    response = token_client.patch(url, {"title": "Mine"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    filing.refresh_from_db()
    assert filing.title == "Someone else"


def test_delete_needs_a_current_if_match(token_client):
    filing = FilingFactory()
    url = reverse("api:filing-detail", args=[filing.pk])
    etag = token_client.get(url)["ETag"]

    assert token_client.delete(url).status_code == 428
    assert token_client.delete(url, HTTP_IF_MATCH='"v7"').status_code == 412
    assert token_client.delete(url, HTTP_IF_MATCH=etag).status_code == 204
    assert not Filing.objects.filter(pk=filing.pk).exists()


def test_deleting_a_referenced_object_is_a_409(token_client, permitted_editor):
    filing = FilingFactory()
    decision = DecisionFactory(case=filing.case)
    decision.responds_to.add(filing)
    permitted_editor.user_permissions.add(Permission.objects.get(codename="delete_case"))
    case_url = reverse("api:case-detail", args=[filing.case.pk])

    deleted = token_client.delete(case_url, HTTP_IF_MATCH=token_client.get(case_url)["ETag"])

    assert deleted.status_code == 409  # cited by a filing: a conflict with the record, not bad input
    assert "Cannot delete" in str(deleted.json())


def provision_payload(decision, voters_for, voters_against, **changes):
    payload = {
        "decision": decision.pk,
        "paragraph": "(1)",
        "position": 1,
        "kind": "measure",
        "addressees": [PartyFactory(code="AZE").pk],
        "text": "shall take all measures at its disposal to ensure unimpeded movement",
        "judges_for": [j.pk for j in voters_for],
        "judges_against": [j.pk for j in voters_against],
        "sources": [SourceFactory().pk],
    }
    payload.update(changes)
    return payload


def test_a_provision_is_written_with_its_votes_in_one_request(token_client, permitted_editor):
    decision, judges = decision_with_bench(judges=13, ad_hoc=2)
    url = reverse("api:provision-list")

    response = token_client.post(url, provision_payload(decision, judges[:13], judges[13:]), format="json")

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["votes_for"], data["votes_against"], data["tally"]) == (13, 2, "13 votes to 2")
    provision = Provision.objects.get(pk=data["id"])
    assert provision.votes.count() == 15
    assert provision.history.get().history_user == permitted_editor

    changed = token_client.patch(
        data["api_url"],
        {"judges_for": [j.pk for j in judges[:14]], "judges_against": [judges[14].pk]},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["tally"] == "14 votes to 1"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d, j, outsider: {"judges_for": [outsider.pk]}, "judges_for"),
        (lambda d, j, outsider: {"judges_for": [j[0].pk], "judges_against": [j[0].pk]}, "judges_against"),
        (lambda d, j, outsider: {"judges_for": [], "judges_against": [], "votes_for": 3}, "votes_against"),
        (lambda d, j, outsider: {"unanimous": True}, "unanimous"),
        (lambda d, j, outsider: {"judges_for": [999999]}, "judges_for"),
        (lambda d, j, outsider: {"amendment": "reaffirms"}, "amends"),
    ],
)
def test_a_provision_that_breaks_an_invariant_is_a_400_and_writes_nothing(token_client, mutate, field):
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    outsider = PersonFactory()
    payload = provision_payload(decision, judges[:2], judges[2:], **mutate(decision, judges, outsider))

    response = token_client.post(reverse("api:provision-list"), payload, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Provision.objects.exists()


def test_a_provision_cannot_share_a_paragraph_with_another(token_client):
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    ProvisionFactory(decision=decision, paragraph="(1)", position=1)
    response = token_client.post(reverse("api:provision-list"), provision_payload(decision, judges, []), format="json")
    assert response.status_code == 400
    assert "already has a provision" in str(response.json())


def test_throttling_answers_429_with_retry_after(api_client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "api": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tracker_api_cache"},
    }
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"}}
    url = reverse("api:source-list")

    statuses = [api_client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    limited = api_client.get(url)
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60


def test_a_user_has_their_own_rate(settings, token_client, api_client):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/min", "user": "3/min"}}
    url = reverse("api:source-list")
    assert api_client.get(url).status_code == 200
    assert api_client.get(url).status_code == 429
    assert [token_client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
