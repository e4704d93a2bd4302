"""The researchers' HTML pages: content, filters, bad input, staff links and query counts."""

import pytest
from django.urls import reverse

from tests.factories import mirror_cases_world

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def page_urls(world):
    decision = world["decisions"][0]
    measure = world["measures"][0]
    return {
        "home": reverse("home"),
        "case-list": reverse("case-list"),
        "case-list-filtered": reverse("case-list") + "?status=pending&party=ARM&year=2021&sort=-instituted",
        "case-detail": world["case"].get_absolute_url(),
        "case-mirror": reverse("case-mirror", args=[180, 181]),
        "decision-detail": decision.get_absolute_url(),
        "provision-detail": measure.get_absolute_url(),
        "party-detail": reverse("party-detail", args=["ARM"]),
        "person-detail": reverse("person-detail", args=["yusuf"]),
        "search": reverse("search") + "?q=Lachin",
        "search-filtered": reverse("search") + "?q=order&case=180&kind=&date_from=2021-01-01&date_to=2030-01-01",
    }


# Pinned query counts: the same at 1 row and at many rows (see test_query_count_does_not_grow).
QUERIES = {
    "home": 7,
    "case-list": 4,
    "case-list-filtered": 5,
    "case-detail": 24,
    "case-mirror": 37,
    "decision-detail": 11,
    "provision-detail": 11,
    "party-detail": 9,
    "person-detail": 6,
    "search": 8,
    "search-filtered": 8,
}


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("name", list(QUERIES))
def test_query_count_does_not_grow(client, django_assert_num_queries, name, rows):
    urls = page_urls(mirror_cases_world(rows))
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(urls[name])
    assert response.status_code == 200
