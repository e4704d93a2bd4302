"""Atom feeds of filings, decisions and claims, and the iCalendar feed of hearings and time-limits."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.factories import FilingFactory, mirror_cases_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return mirror_cases_world(2)


def parse_atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_site_feed_is_valid_atom_with_every_kind(client, world):
    feed = parse_atom(client, reverse("feed", args=["all"]))
    assert feed.feed.title == "New filings, decisions and compliance claims: the ICJ"
    kinds = {entry.tags[0].term for entry in feed.entries}
    assert kinds == {"filing", "decision", "claim"}
    ids = [entry.id for entry in feed.entries]
    assert len(ids) == len(set(ids))
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)
    landmines = next(entry for entry in feed.entries if "(landmines)" in entry.title)
    assert landmines.link == "http://testserver" + world["mirror_filing"].get_absolute_url()
    assert feed.feed.author == "ICJ case tracker"


@pytest.mark.parametrize(("kind", "term"), [("filings", "filing"), ("decisions", "decision"), ("claims", "claim")])
def test_feeds_of_one_kind(client, world, kind, term):
    feed = parse_atom(client, reverse("feed", args=[kind]))
    assert feed.entries
    assert {entry.tags[0].term for entry in feed.entries} == {term}


def test_case_feed_has_only_that_case(client, world):
    feed = parse_atom(client, reverse("case-feed", args=[181, "all"]))
    assert [entry.title for entry in feed.entries] == [
        "Request for the indication of provisional measures (landmines), by Azerbaijan · No. 181 Azerbaijan v. Armenia"
    ]
    feed = parse_atom(client, reverse("case-feed", args=[180, "decisions"]))
    assert [entry.title for entry in feed.entries] == [
        "Order of 23 February 2023 · No. 180 Armenia v. Azerbaijan",
        "Order of 22 February 2023 · No. 180 Armenia v. Azerbaijan",
    ]


def test_unknown_feed_or_case_is_404(client, world):
    assert client.get(reverse("feed", args=["judges"])).status_code == 404
    assert client.get(reverse("case-feed", args=[999, "all"])).status_code == 404


def test_feed_query_count_does_not_grow(client, django_assert_num_queries):
    mirror_cases_world(1)
    with django_assert_num_queries(8):
        client.get(reverse("feed", args=["all"]))
    for _ in range(5):
        FilingFactory(filed_on=datetime.date(2024, 1, 1))
    with django_assert_num_queries(8):
        client.get(reverse("feed", args=["all"]))


def parse_ics(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_calendar_has_hearings_and_time_limits(client, world):
    calendar = parse_ics(client, reverse("calendar"))
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    events = list(calendar.walk("VEVENT"))
    summaries = [str(event["SUMMARY"]) for event in events]
    assert summaries.count("Public hearings on provisional measures · No. 180 Armenia v. Azerbaijan") == 2
    time_limits = [summary for summary in summaries if summary.startswith("Time-limit: ")]
    assert len(time_limits) == 2 and all(
        s.endswith(", by Azerbaijan · No. 180 Armenia v. Azerbaijan") for s in time_limits
    )
    hearing = next(event for event in events if str(event["SUMMARY"]).startswith("Public hearings"))
    # All-day: the last sitting is included, so DTEND is the day after it.
    assert hearing.decoded("DTSTART") == datetime.date(2023, 2, 2)
    assert hearing.decoded("DTEND") == datetime.date(2023, 2, 4)
    assert str(hearing["URL"]).startswith("http://testserver/cases/180/#hearing-")
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)) and all("@testserver" in uid for uid in uids)
    assert all("DTSTAMP" in event for event in events)


def test_case_calendar_is_limited_to_the_case(client, world):
    calendar = parse_ics(client, reverse("case-calendar", args=[181]))
    assert list(calendar.walk("VEVENT")) == []
    assert "No. 181" in str(calendar["X-WR-CALNAME"])
    assert client.get(reverse("case-calendar", args=[999])).status_code == 404


def test_calendar_query_count_does_not_grow(client, django_assert_num_queries):
    mirror_cases_world(1)
    with django_assert_num_queries(2):
        client.get(reverse("calendar"))
    for _ in range(5):
        FilingFactory(filed_on=None, due_on=datetime.date(2024, 1, 1))
    with django_assert_num_queries(2):
        client.get(reverse("calendar"))
