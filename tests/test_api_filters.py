"""Filtering the API's lists, and the 400s for parameters it does not know or cannot read."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    CaseFactory,
    CasePartyFactory,
    ComplianceClaimFactory,
    DecisionFactory,
    EventFactory,
    FilingFactory,
    HearingFactory,
    PartyFactory,
    ProvisionFactory,
    SourceFactory,
    VoteFactory,
    decision_with_bench,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def ids(api_client, name, **params):
    response = api_client.get(reverse(f"api:{name}-list"), params)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_filings_by_case_number_party_kind_dates_and_text(api_client):
    armenia = PartyFactory(code="ARM")
    case = CaseFactory(general_list_number=180)
    request = FilingFactory(case=case, filed_by=armenia, filed_on=datetime.date(2022, 12, 28), summary="Lachin")
    memorial = FilingFactory(case=case, kind="memorial", filed_on=datetime.date(2023, 1, 23))
    other = FilingFactory(filed_on=datetime.date(2021, 9, 16))

    assert ids(api_client, "filing", case=case.pk) == [request.pk, memorial.pk]
    assert ids(api_client, "filing", case_number=180) == [request.pk, memorial.pk]
    assert ids(api_client, "filing", party="arm") == [request.pk]
    assert ids(api_client, "filing", kind="memorial") == [memorial.pk]
    assert ids(api_client, "filing", filed_on__gte="2022-01-01", filed_on__lte="2022-12-31") == [request.pk]
    assert ids(api_client, "filing", q="lachin") == [request.pk]
    assert ids(api_client, "filing", ordering="-filed_on") == [memorial.pk, request.pk, other.pk]


def test_provisions_by_addressee_judge_vote_and_measure(api_client):
    decision, judges = decision_with_bench(judges=3, ad_hoc=0, decided_on=datetime.date(2023, 2, 22))
    aze = PartyFactory(code="AZE")
    measure = ProvisionFactory(decision=decision, addressees=[aze], votes_for=2, votes_against=1)
    VoteFactory(provision=measure, judge=judges[0], vote="for")
    VoteFactory(provision=measure, judge=judges[1], vote="for")
    VoteFactory(provision=measure, judge=judges[2], vote="against")
    finding = ProvisionFactory(decision=decision, kind="finding")
    VoteFactory(provision=finding, judge=judges[2], vote="for")
    time_limits = DecisionFactory(case=decision.case, subject="time_limits")
    not_a_measure = ProvisionFactory(decision=time_limits, addressees=[aze])

    assert ids(api_client, "provision", addressee="AZE") == [measure.pk, not_a_measure.pk]
    assert ids(api_client, "provision", addressee="AZE", provisional_measure="true") == [measure.pk]
    assert ids(api_client, "provision", judge=judges[2].slug) == [measure.pk, finding.pk]
    assert ids(api_client, "provision", judge=judges[2].slug, vote="against") == [measure.pk]
    assert ids(api_client, "provision", judge=judges[0].slug, vote="against") == []
    assert ids(api_client, "provision", vote="against") == [measure.pk]
    assert ids(api_client, "provision", case_number=decision.case.general_list_number, kind="finding") == [finding.pk]
    assert ids(api_client, "provision", decided_on__lte="2023-01-01") == []


def test_claims_by_assessment_claimant_and_addressee(api_client):
    aze = PartyFactory(code="AZE")
    measure = ProvisionFactory(addressees=[aze])
    ignored = ComplianceClaimFactory(provision=measure, claimant=PartyFactory(code="ARM"), assessment="not_complied")
    complied = ComplianceClaimFactory(provision=measure, claimant=aze, assessment="complied")
    ComplianceClaimFactory(assessment="complied")

    assert ids(api_client, "claim", addressee="aze") == [ignored.pk, complied.pk]
    assert ids(api_client, "claim", addressee="aze", assessment="complied") == [complied.pk]
    assert ids(api_client, "claim", claimant="ARM") == [ignored.pk]
    assert ids(api_client, "claim", provision=measure.pk, made_on__gte="2023-06-08") == [ignored.pk, complied.pk]


def test_cases_decisions_hearings_events_parties_and_sources(api_client):
    decision, judges = decision_with_bench(judges=1, ad_hoc=0)
    case = decision.case
    arm = PartyFactory(code="ARM")
    CasePartyFactory(case=case, party=arm, role="applicant")
    other_case = CaseFactory()
    hearing = HearingFactory(case=case)
    event = EventFactory(cases=[case], description="the offensive of 19 September")
    source = SourceFactory(kind="news_article", excerpt="ignored the order")

    assert ids(api_client, "case", party="ARM") == [case.pk]
    assert ids(api_client, "case", party="ARM", role="respondent") == []
    assert ids(api_client, "case", number=other_case.general_list_number) == [other_case.pk]
    assert ids(api_client, "decision", judge=judges[0].slug) == [decision.pk]
    assert ids(api_client, "decision", case=other_case.pk) == []
    assert ids(api_client, "hearing", case_number=case.general_list_number) == [hearing.pk]
    assert ids(api_client, "event", case=case.pk, q="offensive") == [event.pk]
    assert ids(api_client, "party", code="arm") == [arm.pk]
    assert ids(api_client, "source", kind="news_article", q="ignored") == [source.pk]


@pytest.mark.parametrize(
    ("name", "params", "named"),
    [
        ("filing", {"colour": "red"}, "unknown_parameters"),
        ("filing", {"filed_on__gte": "2023-02-30"}, "filed_on__gte"),
        ("filing", {"filed_on__lte": "yesterday"}, "filed_on__lte"),
        ("filing", {"case": "abc"}, "case"),
        ("filing", {"case": "99999999999999999999999"}, "case"),
        ("filing", {"kind": "pamphlet"}, "kind"),
        ("filing", {"q": "nul\x00"}, "q"),
        ("filing", {"ordering": "summary"}, "ordering"),
        ("provision", {"vote": "abstain"}, "vote"),
        ("provision", {"provisional_measure": "maybe"}, "provisional_measure"),
        ("claim", {"assessment": "great"}, "assessment"),
        ("case", {"number": "-1"}, "number"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(api_client, name, params, named):
    response = api_client.get(reverse(f"api:{name}-list"), params)
    assert response.status_code == 400
    assert named in response.json()


def test_an_unknown_parameter_is_listed(api_client):
    response = api_client.get(reverse("api:filing-list"), {"colour": "red", "size": "xl", "kind": "memorial"})
    message = response.json()["unknown_parameters"][0]
    assert "colour, size" in message and "filed_on__gte" in message


def test_a_detail_rejects_list_parameters(api_client):
    filing = FilingFactory()
    response = api_client.get(reverse("api:filing-detail", args=[filing.pk]), {"kind": "memorial"})
    assert response.status_code == 400


def test_default_ordering_ends_in_the_id(api_client):
    same_day = [FilingFactory(filed_on=datetime.date(2023, 1, 1)) for _ in range(3)]
    assert ids(api_client, "filing") == [f.pk for f in same_day]
