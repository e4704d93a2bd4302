"""Pages stay bounded when the tracker holds many cases, not just the two CERD cases."""

import pytest
from django.urls import reverse

from tests.factories import CaseFactory, FilingFactory, ProvisionFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_cases_followed_in_depth_and_links_to_the_whole_list(client):
    followed = [FilingFactory().case for _ in range(10)]
    listed_only = CaseFactory.create_batch(2)
    page = client.get(reverse("home")).content.decode()
    by_number = sorted(followed, key=lambda c: c.general_list_number)
    assert by_number[-1].short_title in page  # the latest on the General List first
    assert by_number[0].short_title not in page  # eight of them, then the link
    assert all(case.short_title not in page for case in listed_only)  # known only as a line of the List
    assert "The whole General List: 12 cases, with filters" in page


def test_the_case_list_pages_through_many_cases(client):
    CaseFactory.create_batch(55)
    first = client.get(reverse("case-list")).content.decode()
    assert "55 cases, page 1 of 2" in first
    assert 'rel="next"' in first
    second = client.get(reverse("case-list"), {"page": 2, "sort": "-number"})
    assert second.status_code == 200
    text = second.content.decode()
    assert "page 2 of 2" in text
    assert text.count("<tr>") - 1 == 5  # header row plus the last five cases
    beyond = client.get(reverse("case-list"), {"page": 99})
    assert "page 2 of 2" in beyond.content.decode()


def test_odd_addresses_are_not_found_not_server_errors(client):
    assert client.get("/parties/%00/").status_code == 404
    assert client.get("/cases/180/decisions/x/provisions/%00/").status_code == 404


def test_a_paragraph_printed_with_a_full_stop_still_has_a_page(client):
    provision = ProvisionFactory(paragraph="67.")
    assert provision.paragraph_slug == "67"
    assert client.get(provision.get_absolute_url()).status_code == 200
    assert ProvisionFactory(paragraph="(1)(a)").paragraph_slug == "1-a"
