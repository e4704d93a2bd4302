"""The compliance view: every provisional measure, each claimant's latest claim side by side, filters and CSV."""

import csv
import io

import pytest
from django.urls import reverse

from compliance.models import Assessment
from decisions.models import Amendment, DecisionSubject, ProvisionKind
from tests.factories import ComplianceClaimFactory, DecisionFactory, ProvisionFactory, mirror_cases_world

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def world():
    return mirror_cases_world(2)


def test_every_measure_with_each_claimants_latest_claim_side_by_side(client, world):
    page = html(client.get(reverse("compliance")))
    assert page.count('<tr id="measure-') == 2
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert head.index("Armenia") < head.index("Azerbaijan") < head.index("The Court's findings")
    assert 'class="court-column"' in head
    assert "Did not comply" in page and "Complied" in page and "Unclear" in page
    for measure in world["measures"]:
        assert measure.get_absolute_url() in page
    assert "in force" in page


def test_an_older_claim_gives_way_to_the_latest(client, world):
    measure = world["measures"][0]
    old = ComplianceClaimFactory(
        provision=measure, claimant=world["armenia"], made_on=measure.decision.decided_on, summary="Old claim."
    )
    page = html(client.get(reverse("compliance")))
    assert old.get_absolute_url() not in page


def test_a_revoked_measure_says_so(client, world):
    measure = world["measures"][0]
    later = DecisionFactory(
        case=world["case"],
        subject=DecisionSubject.MODIFICATION,
        decided_on=measure.decision.decided_on.replace(year=2024),
    )
    ProvisionFactory(decision=later, position=1, kind=ProvisionKind.OTHER, amends=measure, amendment=Amendment.REVOKES)
    page = html(client.get(reverse("compliance")))
    assert "revoked by the <a href=" in page


@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({"case": "180"}, 2),
        ({"addressee": "AZE"}, 2),
        ({"claimant": "ARM"}, 2),
    ],
)
def test_filters(client, world, params, rows):
    page = html(client.get(reverse("compliance"), params))
    assert page.count('<tr id="measure-') == rows
    assert "Some filters could not be used" not in page


def test_claimant_filter_keeps_that_claimants_column_and_the_court(client, world):
    page = html(client.get(reverse("compliance"), {"claimant": "AZE"}))
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert "Azerbaijan" in head and "Armenia" not in head and "The Court" in head


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"case": "999"}, "No provisional measure is recorded in that case."),
        ({"case": "abc"}, "No provisional measure is recorded in that case."),
        ({"addressee": "XXX"}, "No measure is addressed to a party with that code."),
        ({"claimant": "<script>"}, "No claim by a party with that code is recorded."),
    ],
)
def test_bad_filters_are_messages(client, world, params, message):
    page = html(client.get(reverse("compliance"), params))
    assert "Some filters could not be used" in page and message in page
    assert page.count('<tr id="measure-') == 2  # the bad filter is left out


def test_csv_has_a_column_per_claimant_and_the_court_and_is_safe(client, world):
    measure = world["measures"][0]
    measure.text = '=HYPERLINK("http://example.com")'
    measure.save()
    response = client.get(reverse("compliance-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][-3:] == ["Latest claim by Armenia", "Latest claim by Azerbaijan", "Latest finding of the Court"]
    assert len(rows) == 3
    assert rows[1][6].startswith("'=HYPERLINK")
    assert "did not comply" in rows[1][-3] and "complied" in rows[1][-2] and "unclear" in rows[1][-1]


def test_csv_follows_the_filters(client, world):
    rows = list(csv.reader(io.StringIO(client.get(reverse("compliance-csv"), {"claimant": "AZE"}).content.decode())))
    assert len(rows) == 3 and rows[0][-2:] == ["Latest claim by Azerbaijan", "Latest finding of the Court"]


def test_court_claim_is_never_a_claimant_column(client, world):
    ComplianceClaimFactory(provision=world["measures"][0], claimant=world["court"], assessment=Assessment.NOT_COMPLIED)
    page = html(client.get(reverse("compliance")))
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert head.count("<th") == 4  # measure, Armenia, Azerbaijan, the Court


QUERIES = {"compliance": 12, "compliance-filtered": 12, "compliance-csv": 12}


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("name", list(QUERIES))
def test_query_count_does_not_grow(client, django_assert_num_queries, name, rows):
    mirror_cases_world(rows)
    url = reverse("compliance-csv" if name.endswith("csv") else "compliance")
    if name.endswith("filtered"):
        url += "?case=180&addressee=AZE&claimant=ARM"
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(url)
    assert response.status_code == 200
