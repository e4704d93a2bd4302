"""Judges and counsel: the indexes, a judge's record of votes with filters, the Party share, two judges compared."""

import datetime

import pytest
from django.urls import reverse

from cases.models import RepresentationRole
from decisions.models import DecisionSubject, ProvisionKind, VoteChoice
from filings.models import FilingKind
from proceedings.judges import AGAINST_PARTY, NOT_TOLD, WITH_PARTY, compare_judges, judge_record, party_direction
from tests.factories import (
    BenchMemberFactory,
    DecisionFactory,
    FilingFactory,
    ProvisionFactory,
    RepresentationFactory,
    VoteFactory,
    mirror_cases_world,
)

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def world():
    return mirror_cases_world(2)


def test_judge_index_lists_every_judge_with_offices_and_votes(client, world):
    page = html(client.get(reverse("judge-list")))
    assert f'href="{reverse("person-detail", args=["keith"])}"' in page
    assert "Kenneth Keith" in page and "Judge ad hoc" in page and "President" in page
    assert "Yeghishe Kirakosyan" not in page  # an agent, not a judge
    assert reverse("judge-compare") in page


def test_people_index_lists_agents_and_counsel_with_their_roles(client, world):
    page = html(client.get(reverse("person-list")))
    assert "Yeghishe Kirakosyan" in page and "Agent for Armenia" in page
    assert "Kenneth Keith" not in page  # a judge ad hoc is listed with the judges


def test_vote_lines_link_every_judge(client, world):
    page = html(client.get(world["decisions"][0].get_absolute_url()))
    for slug in ("judge-0", "judge-1", "judge-2", "yusuf", "keith"):
        assert f'<a href="{reverse("person-detail", args=[slug])}">' in page


def test_judge_ad_hoc_page_shows_the_majority_and_the_party_share(client, world):
    page = html(client.get(reverse("person-detail", args=["keith"])))
    assert "Record of votes" in page
    assert "2 of 2: 0 for, 2 against" in page
    # Keith voted against a measure addressed only to Azerbaijan, the Party that chose him.
    assert "With the Party that chose the judge" in page and "100% (2 of 2 votes" in page
    assert "0% (0 of 2 votes)" in page  # in the minority both times (3 votes to 2)
    assert "A judge ad hoc votes with the Party that chose them when" in page
    assert "With Azerbaijan" in page


def test_a_member_of_the_court_has_no_party_share(client, world):
    page = html(client.get(reverse("person-detail", args=["judge-0"])))
    assert "With the majority" in page and "100% (2 of 2 votes)" in page
    assert "With the Party that chose the judge" not in page


@pytest.mark.parametrize(
    ("params", "shown", "message"),
    [
        ({"vote": "for"}, "0 of 2", ""),
        ({"vote": "against", "kind": "measure", "case": "180"}, "2 of 2", ""),
        ({"case": "999"}, "2 of 2", "This judge cast no recorded vote in that case."),
        ({"vote": "maybe"}, "2 of 2", "Select a valid choice."),
        ({"kind": "'; DROP TABLE"}, "2 of 2", "Select a valid choice."),
    ],
)
def test_judge_page_filters_and_bad_values(client, world, params, shown, message):
    page = html(client.get(reverse("person-detail", args=["keith"]), params))
    assert f"{shown}:" in page
    if message:
        assert "Some filters could not be used" in page and message in page
    else:
        assert "Some filters could not be used" not in page


def test_party_direction_reads_rejections_by_the_requesting_party(world):
    armenia, azerbaijan, keith = world["armenia"], world["azerbaijan"], world["keith"]
    case = world["mirror"]
    request = FilingFactory(case=case, filed_by=azerbaijan, kind=FilingKind.PROVISIONAL_MEASURES_REQUEST)
    decision = DecisionFactory(
        case=case, subject=DecisionSubject.PROVISIONAL_MEASURES, decided_on=datetime.date(2023, 2, 22)
    )
    decision.responds_to.add(request)
    BenchMemberFactory(decision=decision, judge=keith)
    rejection = ProvisionFactory(
        decision=decision,
        position=1,
        paragraph="27",
        kind=ProvisionKind.REJECTION,
        text="Rejects the Request for the indication of provisional measures submitted by Azerbaijan.",
    )
    VoteFactory(provision=rejection, judge=keith, vote=VoteChoice.AGAINST)
    RepresentationFactory(case=case, party=azerbaijan, person=keith, role=RepresentationRole.JUDGE_AD_HOC)
    record = judge_record(keith, case=181)
    (vote,) = record.votes
    assert party_direction(vote, azerbaijan.pk) == WITH_PARTY
    assert party_direction(vote, armenia.pk) == AGAINST_PARTY
    both = ProvisionFactory(decision=decision, position=2, paragraph="28", kind=ProvisionKind.MEASURE)
    both.addressees.set([armenia, azerbaijan])
    VoteFactory(provision=both, judge=keith, vote=VoteChoice.FOR)
    record = judge_record(keith, case=181)
    assert [v.party_direction for v in record.votes] == [WITH_PARTY, NOT_TOLD]
    assert (record.with_party.count, record.with_party.total, record.with_party.left_out) == (1, 1, 1)


def test_compare_two_judges(client, world):
    comparison = compare_judges(world["yusuf"], world["keith"])
    assert (comparison.both, comparison.agreed, comparison.percent) == (2, 2, 100)
    page = html(client.get(reverse("judge-compare"), {"a": "judge-0", "b": "yusuf"}))
    assert "<strong>0%</strong> agreement" in page and "on 0 of the 2 provisions" in page
    assert "Where they differed" in page and world["measures"][1].get_absolute_url() in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"a": "yusuf", "b": "nobody"}, "No judge with that identifier sat on a recorded bench."),
        ({"a": "yusuf", "b": "yusuf"}, "Choose two different judges."),
        ({"a": "kirakosyan", "b": "yusuf"}, "No judge with that identifier sat on a recorded bench."),
        ({"a": "yusuf"}, "Choose a judge."),
    ],
)
def test_compare_bad_values_are_messages(client, world, params, message):
    page = html(client.get(reverse("judge-compare"), params))
    assert message in page and "Where they differed" not in page


QUERIES = {
    "judge-list": (lambda w: reverse("judge-list"), 3),
    "person-list": (lambda w: reverse("person-list"), 1),
    "person-detail": (lambda w: reverse("person-detail", args=["keith"]), 12),
    "person-detail-filtered": (lambda w: reverse("person-detail", args=["keith"]) + "?vote=against&case=180", 12),
    "judge-compare": (lambda w: reverse("judge-compare") + "?a=yusuf&b=keith", 5),
}


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("name", list(QUERIES))
def test_query_count_does_not_grow(client, django_assert_num_queries, name, rows):
    world = mirror_cases_world(rows)
    url, count = QUERIES[name]
    with django_assert_num_queries(count):
        response = client.get(url(world))
    assert response.status_code == 200
