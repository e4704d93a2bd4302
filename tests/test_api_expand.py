"""Lists carry compact records, details the whole record: ``?expand=`` brings a list's heavy parts.

A serializer names the fields its list leaves out in ``Meta.expandable`` (a provision's judges for and
against and its compliance claims; a decision's bench, provisions and opinions). A list leaves them out
unless ``?expand=`` (or ``?fields=``) names them, reads nothing for them, and its CSV has no column for
them; a detail always carries them and refuses ``?expand=``.
"""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.api.serializers import expandable_fields
from decisions.serializers import DecisionSerializer, ProvisionSerializer
from tests.factories import (
    ComplianceClaimFactory,
    OpinionFactory,
    PartyFactory,
    ProvisionFactory,
    VoteFactory,
    decision_with_bench,
)
from tracker.api_urls import router

pytestmark = pytest.mark.django_db

PROVISION_HEAVY = ["judges_for", "judges_against", "compliance_claims"]
DECISION_HEAVY = ["bench", "provisions", "opinions"]


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    # Throttle counts in the database cache would add their own queries to every count below.
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def measure():
    """A provisional measure addressed to Azerbaijan, 2 votes to 1, with a compliance claim; its decision has an
    opinion."""
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    provision = ProvisionFactory(decision=decision, addressees=[PartyFactory(code="AZE")], votes_for=2, votes_against=1)
    VoteFactory(provision=provision, judge=judges[0], vote="for")
    VoteFactory(provision=provision, judge=judges[1], vote="for")
    VoteFactory(provision=provision, judge=judges[2], vote="against")
    ComplianceClaimFactory(provision=provision)
    OpinionFactory(decision=decision, judges=[judges[2]])
    return provision


def listed(api_client, name, **params):
    response = api_client.get(reverse(f"api:{name}-list"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def detail(api_client, name, pk):
    response = api_client.get(reverse(f"api:{name}-detail", args=[pk]))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_declared_expandable_fields_are_the_lists_of_nested_objects():
    assert expandable_fields(ProvisionSerializer) == tuple(PROVISION_HEAVY)
    assert expandable_fields(DecisionSerializer) == tuple(DECISION_HEAVY)
    for _prefix, viewset, basename in router.registry:
        serializer_class = viewset.serializer_class
        declared = expandable_fields(serializer_class)
        assert set(declared) <= set(serializer_class.Meta.fields), basename
        # Every fact carries its source, in a list too.
        assert "sources" not in declared, basename


@pytest.mark.parametrize(("name", "heavy"), [("provision", PROVISION_HEAVY), ("decision", DECISION_HEAVY)])
def test_a_list_leaves_the_heavy_parts_out_and_the_detail_keeps_them(api_client, measure, name, heavy):
    obj = measure if name == "provision" else measure.decision
    whole = detail(api_client, name, obj.pk)
    (compact,) = listed(api_client, name)

    assert all(whole[field] for field in heavy), "the record has every heavy part"
    assert not set(heavy) & set(compact)
    # The rest of the record, in the same order.
    assert list(compact.items()) == [(key, value) for key, value in whole.items() if key not in heavy]


@pytest.mark.parametrize(("name", "heavy"), [("provision", PROVISION_HEAVY), ("decision", DECISION_HEAVY)])
def test_expand_brings_the_named_parts_in_their_place(api_client, measure, name, heavy):
    obj = measure if name == "provision" else measure.decision
    whole = detail(api_client, name, obj.pk)

    for field in heavy:
        (item,) = listed(api_client, name, expand=field)
        assert set(whole) - set(item) == set(heavy) - {field}
        assert item[field] == whole[field]
    assert listed(api_client, name, expand="all") == [whole]
    assert listed(api_client, name, expand=",".join(reversed(heavy))) == [whole]
    # Repeated, as some clients send an array.
    repeated = api_client.get(f"{reverse(f'api:{name}-list')}?expand={heavy[0]}&expand={heavy[1]}")
    assert set(whole) - set(repeated.json()["results"][0]) == {heavy[2]}


def test_the_provisions_example_gets_votes_and_claims_in_one_request(api_client, measure):
    (item,) = listed(api_client, "provision", addressee="AZE", expand="judges_against,compliance_claims")
    against = [vote.judge.slug for vote in measure.votes.all() if vote.vote == "against"]
    assert [judge["slug"] for judge in item["judges_against"]] == against
    claims = [claim.pk for claim in measure.compliance_claims.all()]
    assert [claim["id"] for claim in item["compliance_claims"]] == claims
    assert "judges_for" not in item


def test_the_next_link_keeps_expand(api_client, measure):
    ProvisionFactory(decision=measure.decision, paragraph="(2)", position=2)
    response = api_client.get(reverse("api:provision-list"), {"expand": "all", "page_size": 1}).json()
    assert "expand=all" in response["next"]
    cursor = api_client.get(reverse("api:provision-list"), {"expand": "all", "page_size": 1, "pagination": "cursor"})
    following = api_client.get(cursor.json()["next"]).json()["results"][0]
    assert set(PROVISION_HEAVY) <= set(following)


def test_fields_naming_an_expandable_field_includes_it(api_client, measure):
    assert list(listed(api_client, "provision", fields="id,judges_for")[0]) == ["id", "judges_for"]
    # expand adds to what fields keeps; both name fields a script asked for by name.
    assert list(listed(api_client, "provision", fields="id", expand="compliance_claims")[0]) == [
        "id",
        "compliance_claims",
    ]
    assert list(listed(api_client, "decision", fields="bench,id")[0]) == ["id", "bench"]
    # fields without a heavy part stays compact.
    assert list(listed(api_client, "provision", fields="id,tally")[0]) == ["id", "tally"]


def test_omit_drops_what_expand_brings_and_may_name_a_field_left_out(api_client, measure):
    item = listed(api_client, "provision", expand="all", omit="judges_for")[0]
    assert "judges_for" not in item and "judges_against" in item
    compact = listed(api_client, "provision", omit="judges_for,sources")[0]
    assert not ({"judges_for", "judges_against", "sources"} & set(compact))


def test_an_unknown_or_non_expandable_name_is_a_400_naming_the_parameter_and_the_choices(api_client, measure):
    for value in ("nonsense", "sources", "judges_for,nonsense", "ALL"):
        response = api_client.get(reverse("api:provision-list"), {"expand": value})
        assert response.status_code == 400, value
        (message,) = response.json()["expand"]
        bad = [name for name in value.split(",") if name not in PROVISION_HEAVY]
        assert message == (
            f"Cannot expand: {', '.join(bad)}. Expandable: judges_for, judges_against, compliance_claims (or all)."
        )
    refused = api_client.get(reverse("api:decision-list"), {"expand": "judges_for", "format": "csv"})
    assert refused.status_code == 400
    assert list(csv.reader(io.StringIO(refused.content.decode()))) == [
        ["field", "message"],
        ["expand", "Cannot expand: judges_for. Expandable: bench, provisions, opinions (or all)."],
    ]


def test_a_list_with_nothing_to_expand_takes_all_and_refuses_names(api_client, measure):
    url = reverse("api:claim-list")
    plain = api_client.get(url)
    assert api_client.get(url, {"expand": "all"}).content == plain.content
    assert api_client.get(url, {"expand": ""}).content == plain.content
    refused = api_client.get(url, {"expand": "claimant"})
    assert refused.status_code == 400
    assert refused.json()["expand"] == [
        "Cannot expand: claimant. This list leaves nothing out, so it has nothing to expand (all is accepted)."
    ]


@pytest.mark.parametrize("name", ["provision", "decision"])
def test_a_detail_refuses_expand_and_says_why(api_client, measure, name):
    obj = measure if name == "provision" else measure.decision
    response = api_client.get(reverse(f"api:{name}-detail", args=[obj.pk]), {"expand": "all"})
    assert response.status_code == 400
    assert response.json() == {
        "expand": [
            "A detail always carries the whole record; expand applies to lists only. "
            "This endpoint accepts: fields, format, omit."
        ]
    }


def csv_rows(api_client, name, **params):
    response = api_client.get(reverse(f"api:{name}-list"), {"format": "csv", **params})
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_of_a_list_has_a_column_for_what_is_expanded_in_its_declared_place(api_client, measure):
    compact = csv_rows(api_client, "provision")[0]
    assert not set(PROVISION_HEAVY) & set(compact)
    header, row = csv_rows(api_client, "provision", expand="compliance_claims,judges_against")
    # The serializer's order, whatever the order of the names in expand.
    assert header == csv_rows(api_client, "provision", expand="judges_against,compliance_claims")[0]
    assert header[header.index("tally") + 1 : header.index("tally") + 2] == ["judges_against"]
    assert header[header.index("amendment") + 1 : header.index("amendment") + 2] == ["compliance_claims"]
    assert [column for column in header if column not in ("judges_against", "compliance_claims")] == compact
    against = [vote.judge.slug for vote in measure.votes.all() if vote.vote == "against"]
    assert row[header.index("judges_against")] == "; ".join(against)
    everything = csv_rows(api_client, "provision", expand="all")[0]
    assert [column for column in everything if column in PROVISION_HEAVY] == PROVISION_HEAVY
    # An empty list has the same columns.
    assert csv_rows(api_client, "provision", expand="all", addressee="NOBODY") == [everything]


def queries_of(api_client, url, params):
    api_client.get(url, params)  # the page count of this data version, into the shared cache
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get(url, params).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_an_unexpanded_field_costs_no_query(api_client, measure):
    url = reverse("api:provision-list")
    compact = queries_of(api_client, url, {})
    assert not any("decisions_vote" in sql or "compliance_complianceclaim" in sql for sql in compact)
    with_votes = queries_of(api_client, url, {"expand": "judges_for"})
    assert len(with_votes) == len(compact) + 1 and any("decisions_vote" in sql for sql in with_votes)
    # For and against are one query of the votes.
    assert len(queries_of(api_client, url, {"expand": "judges_for,judges_against"})) == len(with_votes)
    assert len(queries_of(api_client, url, {"expand": "all"})) == len(compact) + 2

    url = reverse("api:decision-list")
    compact = queries_of(api_client, url, {})
    heavy_tables = ("decisions_benchmember", "decisions_provision", "decisions_opinion")
    assert not any(table in sql for sql in compact for table in heavy_tables)
    # The bench, the provisions, the opinions and the opinions' judges.
    assert len(queries_of(api_client, url, {"expand": "all"})) == len(compact) + 4
    assert len(queries_of(api_client, url, {"expand": "bench"})) == len(compact) + 1
