"""Read models across the record: one headline per claim, one label per dated item, wherever shown."""

import csv
import io

import feedparser
import pytest
from django.urls import reverse
from icalendar import Calendar

from compliance.models import Assessment, ComplianceClaim
from proceedings.items import case_items, filing_label
from tests.factories import (
    CaseFactory,
    CasePartyFactory,
    ComplianceClaimFactory,
    DecisionFactory,
    FilingFactory,
    HearingFactory,
    PartyFactory,
    ProvisionFactory,
    mirror_cases_world,
)

pytestmark = pytest.mark.django_db


# --- the headline wherever claims are listed -------------------------------------------------


@pytest.fixture
def world():
    world = mirror_cases_world(1)
    claim = world["claims"][0]
    claim.claimant = world["armenia"]
    claim.assessment = Assessment.NOT_COMPLIED
    claim.save()
    world["headline"] = ComplianceClaim.objects.with_headline().get(pk=claim.pk).headline
    return world


def test_the_headline_names_claimant_party_and_measure(world):
    assert world["headline"].startswith("Armenia says Azerbaijan did not comply with ")


def test_the_home_page_lists_claims_by_their_headline(client, world):
    assert world["headline"] in client.get(reverse("home")).content.decode()


def test_the_case_page_lists_claims_by_their_headline(client, world):
    assert world["headline"] in client.get(world["case"].get_absolute_url()).content.decode()


def test_search_lists_claims_by_their_headline(client, world):
    # A word of the claim's summary ("The respondent ignores the order."), not a stop word.
    page = client.get(reverse("search"), {"q": "ignores", "kind": "claims"}).content.decode()
    assert world["headline"].split(" with ")[0] in page


def test_feeds_title_claims_by_their_headline(client, world):
    feed = feedparser.parse(client.get(reverse("feed", args=["claims"])).content)
    assert world["headline"] in [entry.title.split(" · ")[0] for entry in feed.entries]


def test_the_api_timeline_titles_claims_by_their_headline(api_client, world):
    items = api_client.get(reverse("api:case-timeline", args=[world["case"].pk])).json()
    assert world["headline"] in [item["title"] for item in items if item["type"] == "claim"]


# --- one label per dated item, wherever it is shown ------------------------------------------


def test_a_time_limit_reads_the_same_in_the_timeline_the_api_the_docket_and_the_calendar(client, api_client, world):
    due = next(f for f in world["case"].filings.all() if f.filed_on is None)
    label = filing_label(due)
    assert label.startswith("Time-limit: ")

    page = client.get(world["case"].get_absolute_url()).content.decode()
    assert label in page

    timeline = api_client.get(reverse("api:case-timeline", args=[world["case"].pk])).json()
    assert label in [item["title"] for item in timeline]

    docket = list(csv.DictReader(io.StringIO(client.get(reverse("case-docket-csv", args=[180])).content.decode())))
    assert label in [row["title"] for row in docket]

    calendar = Calendar.from_ical(client.get(reverse("case-calendar", args=[180])).content)
    assert any(str(event["SUMMARY"]).startswith(label) for event in calendar.walk("VEVENT"))


def test_a_hearing_reads_the_same_everywhere(client, api_client, world):
    label = "Public hearings on provisional measures"
    timeline = api_client.get(reverse("api:case-timeline", args=[world["case"].pk])).json()
    assert label in [item["title"] for item in timeline if item["type"] == "hearing"]
    docket = list(csv.DictReader(io.StringIO(client.get(reverse("case-docket-csv", args=[180])).content.decode())))
    assert label in [row["title"] for row in docket if row["entry"] == "hearing"]
    calendar = Calendar.from_ical(client.get(reverse("case-calendar", args=[180])).content)
    assert any(str(event["SUMMARY"]).startswith(label + " · No. 180") for event in calendar.walk("VEVENT"))


def test_items_on_one_day_come_in_the_order_of_proceedings():
    case = CaseFactory()
    day = case.instituted_on.replace(year=case.instituted_on.year + 1)
    decision = DecisionFactory(case=case, decided_on=day)
    claim = ComplianceClaimFactory(provision=ProvisionFactory(decision=decision), made_on=day)
    filing = FilingFactory(case=case, filed_on=day)
    hearing = HearingFactory(case=case, starts_on=day, ends_on=day)
    assert [(item.kind, item.obj.pk) for item in case_items(case)] == [
        ("filing", filing.pk),
        ("hearing", hearing.pk),
        ("decision", decision.pk),
        ("claim", claim.pk),
    ]


def test_a_party_not_named_in_a_filings_title_is_named_in_its_label():
    party = PartyFactory(short_name="Ruritania", name="Kingdom of Ruritania")
    case = CaseFactory()
    CasePartyFactory(case=case, party=party)
    assert filing_label(FilingFactory(case=case, filed_by=party, title="Memorial")) == "Memorial, by Ruritania"
    named = FilingFactory(case=case, filed_by=party, title="Memorial of the Kingdom of Ruritania")
    assert filing_label(named) == "Memorial of the Kingdom of Ruritania"


def test_the_timeline_csv_has_the_timeline_columns(api_client, world):
    response = api_client.get(reverse("api:case-timeline", args=[world["case"].pk]), {"format": "csv"})
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["date", "end_date", "type", "id", "api_url", "title", "kind"]
    assert api_client.get(reverse("api:case-timeline", args=[world["case"].pk]), {"fields": "nope"}).status_code == 400
