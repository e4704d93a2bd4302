"""Page numbers stop at API_MAX_PAGE_OFFSET rows in, and a list's count is read once per data version."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from core.api.pagination import cached_count
from tests.factories import CaseFactory, FilingFactory, filing_payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def counts_in(queries) -> list[str]:
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "_cache" not in q["sql"]]


@pytest.mark.parametrize(("page", "page_size"), [("3", "6"), ("2", "11"), ("last", "1")])
def test_a_page_past_the_offset_limit_is_a_400_naming_cursor_pagination(api_client, settings, page, page_size):
    settings.API_MAX_PAGE_OFFSET = 10
    FilingFactory.create_batch(12)
    response = api_client.get(reverse("api:filing-list"), {"page": page, "page_size": page_size})
    assert response.status_code == 400
    [message] = response.json()["page"]
    assert "pagination=cursor" in message and "10 rows in" in message


def test_pages_up_to_the_offset_limit_and_the_cursor_beyond_it_still_answer(api_client, settings):
    settings.API_MAX_PAGE_OFFSET = 10
    filings = FilingFactory.create_batch(12)
    url = reverse("api:filing-list")
    last_allowed = api_client.get(url, {"page": "3", "page_size": "5"})
    assert last_allowed.status_code == 200
    assert last_allowed.json()["count"] == 12 and len(last_allowed.json()["results"]) == 2
    assert api_client.get(url, {"page": "last", "page_size": "6"}).status_code == 200
    crawled, params = [], {"pagination": "cursor", "page_size": "5"}
    while url:
        body = api_client.get(url, params).json()
        crawled += [row["id"] for row in body["results"]]
        url, params = body["next"], {}
    assert crawled == sorted(f.pk for f in filings)


def test_a_deep_page_is_refused_before_anything_is_counted(api_client, settings):
    settings.API_MAX_PAGE_OFFSET = 100
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(reverse("api:filing-list"), {"page": "1000"})
    assert response.status_code == 400
    assert counts_in(queries) == []


def test_a_page_number_in_another_script_is_a_400_not_a_500(api_client):
    assert api_client.get(reverse("api:filing-list"), {"page": "²"}).status_code == 400


def test_the_schema_says_where_page_numbers_stop(api_client, settings):
    schema = api_client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    [page] = [p for p in schema["paths"]["/api/v1/filings/"]["get"]["parameters"] if p["name"] == "page"]
    assert f"more than {settings.API_MAX_PAGE_OFFSET} rows in" in page["description"]
    assert "pagination=cursor" in page["description"]


def test_a_repeated_list_is_not_counted_again(api_client):
    FilingFactory.create_batch(3)
    url = reverse("api:filing-list")
    with CaptureQueriesContext(connection) as first:
        assert api_client.get(url, {"page_size": "2"}).json()["count"] == 3
    with CaptureQueriesContext(connection) as second:
        assert api_client.get(url, {"page_size": "2", "page": "2"}).json()["count"] == 3
    assert len(counts_in(first)) == 1
    assert counts_in(second) == []


def test_other_filters_are_counted_apart(api_client):
    case = CaseFactory()
    FilingFactory.create_batch(2, case=case)
    FilingFactory()
    url = reverse("api:filing-list")
    assert api_client.get(url).json()["count"] == 3
    assert api_client.get(url, {"case": case.pk}).json()["count"] == 2
    assert api_client.get(url, {"case": case.pk, "fields": "id"}).json()["count"] == 2


def test_the_count_is_fresh_after_a_write_through_the_api(api_client, editor):
    FilingFactory.create_batch(2)
    url = reverse("api:filing-list")
    assert api_client.get(url).json()["count"] == 2
    api_client.force_authenticate(editor)
    created = api_client.post(url, filing_payload(), format="json")
    assert created.status_code == 201, created.json()
    assert api_client.get(url).json()["count"] == 3
    detail = reverse("api:filing-detail", args=[created.json()["id"]])
    deleted = api_client.delete(detail, HTTP_IF_MATCH=created["ETag"])
    assert deleted.status_code == 204
    assert api_client.get(url).json()["count"] == 2


def test_the_case_list_and_home_page_count_once_per_data_version(client):
    CaseFactory.create_batch(3)
    for url in (reverse("home"), reverse("case-list")):
        client.get(url)
        with CaptureQueriesContext(connection) as again:
            response = client.get(url)
        assert response.status_code == 200
        assert not [sql for sql in counts_in(again) if "cases_case" in sql]
    CaseFactory()
    assert "The whole General List: 4 cases" in client.get(reverse("home")).content.decode()


def test_cached_count_takes_lists_and_empty_filters():
    CaseFactory.create_batch(2)
    assert cached_count([1, 2, 3]) == 3
    assert cached_count(Case.objects.filter(pk__in=[])) == 0
    assert cached_count(Case.objects.values("general_list_number")) == 2
