"""Pages for anonymous readers come from the shared cache, and never outlive a write."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import dataversion, pagecache
from core.pagecache import CACHE_HEADER
from filings.models import Filing
from tests.factories import CaseFactory, FilingFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_TIMEOUT = 600


@pytest.fixture
def case():
    case = CaseFactory(general_list_number=901, short_title="Page cache v. Fixture")
    FilingFactory(case=case, title="Memorial of the Applicant as first filed")
    return case


def test_a_second_anonymous_read_is_served_from_the_cache_with_fewer_queries(client, case):
    url = reverse("case-detail", args=[901])
    with CaptureQueriesContext(connection) as first:
        miss = client.get(url)
    with CaptureQueriesContext(connection) as second:
        hit = client.get(url)
    assert miss[CACHE_HEADER] == "miss"
    assert hit[CACHE_HEADER] == "hit"
    assert hit.content == miss.content
    # The data version and the cached page: the case page's own queries are not run again.
    assert len(second) <= 2 < len(first)


def test_a_cached_page_still_carries_the_security_headers(client, case):
    url = reverse("case-detail", args=[901])
    client.get(url)
    hit = client.get(url)
    assert hit[CACHE_HEADER] == "hit"
    assert "default-src" in hit["Content-Security-Policy"]


def test_an_edit_through_the_orm_is_seen_on_the_next_read(client, case):
    url = reverse("case-detail", args=[901])
    assert b"as first filed" in client.get(url).content
    filing = Filing.objects.get(case=case)
    filing.title = "Memorial of the Applicant as corrected"
    filing.save()
    response = client.get(url)
    assert response[CACHE_HEADER] == "miss"
    assert b"as corrected" in response.content


def test_an_edit_through_the_api_is_seen_on_the_next_read(client, case):
    user = UserFactory(username="writer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_filing", "view_filing"]))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    filing = Filing.objects.get(case=case)
    page = reverse("case-detail", args=[901])
    client.get(page)
    detail = reverse("api:filing-detail", args=[filing.pk])
    etag = api.get(detail)["ETag"]
    edited = api.patch(detail, {"title": "Memorial as the API wrote it"}, format="json", HTTP_IF_MATCH=etag)
    assert edited.status_code == 200
    assert b"Memorial as the API wrote it" in client.get(page).content


def test_a_change_of_sources_alone_changes_the_data_version(case):
    filing = Filing.objects.get(case=case)
    before = dataversion.current()
    filing.sources.add(SourceFactory())
    assert dataversion.current() != before


def test_a_delete_is_seen_on_the_next_read(client, case):
    extra = FilingFactory(case=case, title="A letter later withdrawn")
    url = reverse("case-detail", args=[901])
    assert b"later withdrawn" in client.get(url).content
    extra.delete()
    assert b"later withdrawn" not in client.get(url).content


def test_loading_the_dataset_changes_the_data_version():
    before = dataversion.current()
    # One file is enough: the loader marks the data as changed whatever it loaded.
    call_command("load_dataset", str(settings.BASE_DIR / "data" / "sources.json"), verbosity=0)
    # Once for the whole load, not once per row written.
    assert int(dataversion.current()) == int(before) + 1


def test_many_writes_in_a_deferred_block_change_the_version_once(client, case):
    url = reverse("case-detail", args=[901])
    client.get(url)
    before = dataversion.current()
    with dataversion.deferred():
        for filing in Filing.objects.filter(case=case):
            filing.title = "Renamed"
            filing.save()
        FilingFactory(case=case, title="Counter-Memorial filed in the block")
    assert int(dataversion.current()) == int(before) + 1
    assert b"filed in the block" in client.get(url).content


def test_signed_in_readers_get_a_page_rendered_for_them(client, case, editor):
    client.force_login(editor)
    url = reverse("case-detail", args=[901])
    client.get(url)
    response = client.get(url)
    assert CACHE_HEADER not in response


def test_a_missing_page_is_not_cached(client):
    url = reverse("case-detail", args=[999])
    assert client.get(url).status_code == 404
    assert CACHE_HEADER not in client.get(url)


def test_the_cache_can_be_turned_off(client, case, settings):
    settings.PAGE_CACHE_TIMEOUT = 0
    url = reverse("case-detail", args=[901])
    client.get(url)
    assert CACHE_HEADER not in client.get(url)


def test_the_query_string_is_part_of_the_key(client, case):
    client.get(reverse("case-list"))
    response = client.get(reverse("case-list"), {"q": "Page cache"})
    assert response[CACHE_HEADER] == "miss"
    assert client.get(reverse("case-list"), {"q": "Page cache"})[CACHE_HEADER] == "hit"


def test_a_new_day_renders_the_page_afresh(client, case, monkeypatch):
    url = reverse("case-detail", args=[901])
    client.get(url)
    assert client.get(url)[CACHE_HEADER] == "hit"
    # "The next time-limit" depends on the day, not only on the data.
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: datetime.date(2099, 1, 1))
    assert client.get(url)[CACHE_HEADER] == "miss"


class _BusyCache:
    """A shared cache that cannot be reached (SQLite's writer lock held, Redis away)."""

    def get(self, *args, **kwargs):
        raise OperationalError("database is locked")

    set = get


def test_a_busy_shared_cache_costs_the_shortcut_not_the_answer(client, api_client, case, monkeypatch):
    monkeypatch.setattr(dataversion, "shared_cache", _BusyCache)
    page = client.get(reverse("case-detail", args=[901]))
    assert page.status_code == 200
    assert b"as first filed" in page.content
    listing = api_client.get(reverse("api:filing-list"))
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
