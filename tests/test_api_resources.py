"""Reading the API: every resource's list and detail, query counts, formats, paging, schema."""

import csv
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CaseFactory,
    CasePartyFactory,
    ComplianceClaimFactory,
    EventFactory,
    FilingFactory,
    HearingFactory,
    PartyFactory,
    PersonFactory,
    ProvisionFactory,
    SourceFactory,
    VoteFactory,
    decision_with_bench,
)

pytestmark = pytest.mark.django_db

RESOURCES = ["case", "party", "person", "filing", "hearing", "event", "decision", "provision", "claim", "source"]
# What each list leaves out unless asked with ?expand= (the serializers' Meta.expandable).
EXPANDABLE = {
    "decision": ("bench", "provisions", "opinions"),
    "provision": ("judges_for", "judges_against", "compliance_claims"),
}


@pytest.fixture(autouse=True)
def _memory_throttle_cache(settings):
    # Throttle counts in the database cache would add their own queries to every count below.
    settings.CACHES = {**settings.CACHES, "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def make_rows(n):
    """n rows of every resource, each with the related rows its representation nests."""
    court = None
    for _ in range(n):
        decision, judges = decision_with_bench(judges=3, ad_hoc=0)
        case = decision.case
        court = court or case.court
        CasePartyFactory(case=case, party=PartyFactory())
        provision = ProvisionFactory(decision=decision, addressees=[PartyFactory()])
        VoteFactory(provision=provision, judge=judges[0])
        ComplianceClaimFactory(provision=provision, spokesperson=PersonFactory())
        filing = FilingFactory(case=case)
        decision.responds_to.add(filing)
        HearingFactory(case=case)
        EventFactory(cases=[case])
        PersonFactory(nationality=PartyFactory())


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_resource_lists_and_shows_its_objects_with_id_and_url(api_client, resource):
    make_rows(2)

    listing = api_client.get(reverse(f"api:{resource}-list"))

    assert listing.status_code == 200
    body = listing.json()
    assert body["count"] >= 2 and body["results"]
    first = body["results"][0]
    assert isinstance(first["id"], int)
    detail = api_client.get(first["api_url"])
    assert detail.status_code == 200
    # A list leaves out its resource's expandable fields (a provision's judges, a decision's bench...),
    # and ?expand=all brings them: then its item is the detail.
    assert {name: value for name, value in detail.json().items() if name not in EXPANDABLE.get(resource, ())} == first
    expanded = api_client.get(reverse(f"api:{resource}-list"), {"expand": "all"}).json()["results"][0]
    assert detail.json() == expanded
    assert detail["ETag"].startswith('"v')
    assert "Last-Modified" in detail


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_query_count_does_not_grow_with_rows(api_client, resource):
    make_rows(1)
    url = reverse(f"api:{resource}-list")
    api_client.get(url)  # warm up content types, and count the rows of this data version into the shared cache
    with CaptureQueriesContext(connection) as one:
        assert api_client.get(url).status_code == 200
    make_rows(4)
    api_client.get(url)
    with CaptureQueriesContext(connection) as many:
        response = api_client.get(url)
    assert response.status_code == 200
    assert response.json()["count"] > 1
    assert len(many.captured_queries) == len(one.captured_queries) > 0, [q["sql"] for q in many.captured_queries]


EXPECTED_QUERIES = {
    # the data version and the cached count, the page, then one per relation the list shows
    "case": 6,
    "party": 4,
    "person": 4,
    "filing": 4,
    "hearing": 4,
    "event": 5,
    "decision": 5,  # responds_to and sources; the bench, provisions and opinions only with ?expand=
    "provision": 5,  # addressees and sources; the votes and the claims only with ?expand=
    "claim": 4,
    "source": 3,
}
# With ?expand=all, one query more per expanded relation.
EXPANDED_QUERIES = {
    "decision": 8,  # + the bench, the provisions, the opinions, and their judges (only when there are opinions)
    "provision": 7,  # + the votes (for and against together), the claims
}


@pytest.mark.parametrize(
    ("resource", "params", "expected"),
    [(resource, {}, EXPECTED_QUERIES[resource]) for resource in RESOURCES]
    + [(resource, {"expand": "all"}, count) for resource, count in EXPANDED_QUERIES.items()],
)
def test_list_query_counts_are_pinned_at_one_and_many_rows(
    api_client, resource, params, expected, django_assert_num_queries
):
    make_rows(1)
    url = reverse(f"api:{resource}-list")
    api_client.get(url, params)

    with django_assert_num_queries(expected):
        assert api_client.get(url, params).status_code == 200
    make_rows(5)
    api_client.get(url, params)  # counts the rows of this data version into the shared cache
    with django_assert_num_queries(expected):
        assert api_client.get(url, params).status_code == 200


def test_a_provision_shows_its_decision_date_and_case_its_votes_and_claims(api_client):
    decision, judges = decision_with_bench(judges=3, ad_hoc=0)
    azerbaijan = PartyFactory(code="AZE")
    provision = ProvisionFactory(decision=decision, addressees=[azerbaijan], votes_for=2, votes_against=1)
    VoteFactory(provision=provision, judge=judges[0], vote="for")
    VoteFactory(provision=provision, judge=judges[1], vote="for")
    VoteFactory(provision=provision, judge=judges[2], vote="against")
    claim = ComplianceClaimFactory(provision=provision)

    data = api_client.get(reverse("api:provision-detail", args=[provision.pk])).json()

    assert data["decision"]["decided_on"] == "2023-02-22"
    assert data["decision"]["case"]["general_list_number"] == decision.case.general_list_number
    assert [p["code"] for p in data["addressees"]] == ["AZE"]
    assert data["tally"] == "2 votes to 1"
    assert {j["id"] for j in data["judges_for"]} == {judges[0].pk, judges[1].pk}
    assert [j["id"] for j in data["judges_against"]] == [judges[2].pk]
    assert data["provisional_measure"] is True
    assert [c["id"] for c in data["compliance_claims"]] == [claim.pk]

    claim_data = api_client.get(reverse("api:claim-detail", args=[claim.pk])).json()
    assert claim_data["provision"]["paragraph"] == provision.paragraph
    assert claim_data["decision"]["id"] == decision.pk


def test_a_case_is_reachable_by_its_general_list_number(api_client):
    case = CaseFactory(general_list_number=180)

    response = api_client.get(reverse("api:case-by-number", kwargs={"number": 180}))

    assert response.status_code == 200
    assert response.json()["id"] == case.pk
    assert response.json() == api_client.get(reverse("api:case-detail", args=[case.pk])).json()
    assert api_client.get(reverse("api:case-by-number", kwargs={"number": 999})).status_code == 404


def test_the_timeline_lists_every_dated_item_of_a_case_in_order(api_client):
    import datetime

    decision, _judges = decision_with_bench(judges=1, ad_hoc=0)
    case = decision.case
    provision = ProvisionFactory(decision=decision)
    claim = ComplianceClaimFactory(provision=provision, made_on=datetime.date(2023, 6, 8))
    filing = FilingFactory(case=case, filed_on=datetime.date(2022, 12, 28))
    due = FilingFactory(case=case, filed_on=None, due_on=datetime.date(2024, 4, 23), kind="memorial")
    hearing = HearingFactory(case=case)
    event = EventFactory(cases=[case], starts_on=datetime.date(2022, 12, 12))
    FilingFactory()  # another case's filing stays out

    items = api_client.get(reverse("api:case-timeline", args=[case.pk])).json()

    assert [(i["type"], i["id"]) for i in items] == [
        ("hearing", hearing.pk),
        ("event", event.pk),
        ("filing", filing.pk),
        ("decision", decision.pk),
        ("claim", claim.pk),
        ("filing", due.pk),
    ]
    assert items[0]["end_date"] == "2021-10-15"
    assert items[-1]["date"] == "2024-04-23" and items[-1]["title"].startswith("Time-limit: ")


def test_timeline_query_count_does_not_grow(api_client, django_assert_num_queries):
    decision, _ = decision_with_bench(judges=1, ad_hoc=0)
    case = decision.case
    url = reverse("api:case-timeline", args=[case.pk])
    ComplianceClaimFactory(provision=ProvisionFactory(decision=decision))
    FilingFactory(case=case)
    HearingFactory(case=case)
    EventFactory(cases=[case])
    api_client.get(url)
    with django_assert_num_queries(12):
        assert len(api_client.get(url).json()) == 5
    for _ in range(3):
        ComplianceClaimFactory(provision=ProvisionFactory(decision=decision))
        FilingFactory(case=case)
        HearingFactory(case=case)
        EventFactory(cases=[case])
    with django_assert_num_queries(12):
        assert len(api_client.get(url).json()) == 17


def test_fields_and_omit_choose_the_fields(api_client):
    FilingFactory()
    url = reverse("api:filing-list")

    only = api_client.get(url, {"fields": "id,title"}).json()["results"][0]
    without = api_client.get(url, {"omit": "summary,sources"}).json()["results"][0]

    assert set(only) == {"id", "title"}
    assert "summary" not in without and "sources" not in without and "title" in without
    bad = api_client.get(url, {"fields": "id,nonsense"})
    assert bad.status_code == 400
    assert "nonsense" in bad.json()["fields"][0]


def test_page_size_is_capped_and_bad_paging_is_a_400(api_client, settings):
    settings.API_MAX_PAGE_SIZE = 3
    SourceFactory.create_batch(5)
    url = reverse("api:source-list")

    assert len(api_client.get(url, {"page_size": 100}).json()["results"]) == 3
    assert api_client.get(url, {"page_size": 2, "page": 2}).json()["count"] == 5
    for params in ({"page_size": "abc"}, {"page_size": 0}, {"page": "x"}, {"pagination": "offset"}, {"cursor": "zz"}):
        response = api_client.get(url, params)
        assert response.status_code == 400, params
        assert set(params) & set(response.json()), response.json()
    assert api_client.get(url, {"page": 99}).status_code == 404


def test_cursor_paging_visits_every_row_once(api_client):
    SourceFactory.create_batch(7)
    url = reverse("api:source-list")
    seen = []
    response = api_client.get(url, {"pagination": "cursor", "page_size": 3})
    while True:
        body = response.json()
        assert "count" not in body
        seen.extend(item["id"] for item in body["results"])
        if not body["next"]:
            break
        SourceFactory()  # rows added during the crawl are picked up at the end, never twice
        response = api_client.get(body["next"])
    assert len(seen) == len(set(seen))
    assert sorted(seen) == seen
    from sources.models import Source

    assert set(seen) == set(Source.objects.values_list("id", flat=True))
    bad_ordering = api_client.get(url, {"pagination": "cursor", "ordering": "title"})
    assert bad_ordering.status_code == 400 and "ordering" in bad_ordering.json()


def test_csv_has_stable_columns_and_keeps_newlines_inside_cells(api_client):
    FilingFactory(summary="first line\nsecond, with a comma", title="=HYPERLINK(1)")
    FilingFactory(summary="plain")
    url = reverse("api:filing-list")

    by_param = api_client.get(url, {"format": "csv"})
    by_accept = api_client.get(url, HTTP_ACCEPT="text/csv")

    assert by_param["Content-Type"].startswith("text/csv")
    assert by_param.content == by_accept.content
    rows = list(csv.reader(io.StringIO(by_param.content.decode())))
    header = rows[0]
    assert header[:4] == ["id", "api_url", "case.id", "case.api_url"]
    assert len(rows) == 3 and all(len(row) == len(header) for row in rows)
    assert rows[1][header.index("summary")] == "first line\nsecond, with a comma"
    assert rows[1][header.index("title")] == "'=HYPERLINK(1)"
    assert api_client.get(url, {"format": "csv", "fields": "id,title"}).content.decode().startswith("id,title\r\n")


def test_csv_columns_do_not_depend_on_the_rows(api_client):
    claim_without_provision = ComplianceClaimFactory(provision=None, decision=decision_with_bench(1, 0)[0])
    url = reverse("api:claim-list")
    empty_header = api_client.get(url, {"format": "csv", "claimant": "NOBODY"}).content.decode().splitlines()[0]
    header = api_client.get(url, {"format": "csv"}).content.decode().splitlines()[0]
    assert header == empty_header
    assert "provision.paragraph" in header
    assert claim_without_provision.pk


def test_an_unknown_format_is_a_400(api_client):
    response = api_client.get(reverse("api:source-list"), {"format": "xml"})
    assert response.status_code == 400


def test_list_etag_and_if_none_match(api_client):
    SourceFactory()
    url = reverse("api:source-list")
    first = api_client.get(url)
    etag = first["ETag"]

    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    SourceFactory()
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_detail_if_none_match_is_304_until_the_object_changes(api_client):
    source = SourceFactory()
    url = reverse("api:source-detail", args=[source.pk])
    etag = api_client.get(url)["ETag"]

    not_modified = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified["ETag"] == etag
    source.title = "Changed"
    source.save()
    assert api_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_bad_ids_are_404_not_500(api_client):
    for bad in ("abc", "99999999999999999999999", "0"):
        assert api_client.get(f"/api/v1/filings/{bad}/").status_code == 404


def test_the_schema_validates_and_the_docs_are_served_locally(api_client):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    schema = api_client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.json()
    assert "/api/v1/provisions/" in body["paths"]
    filing = body["components"]["schemas"]["Filing"]["properties"]
    assert filing["due_on"]["description"] == "Time-limit fixed by the Court, where one was."
    docs = api_client.get(reverse("api:docs"))
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
    assert b"/static/drf_spectacular_sidecar/" in docs.content


def test_the_whole_dataset_downloads_in_the_data_format(api_client, monkeypatch):
    import dataset.views

    monkeypatch.setattr(
        dataset.views, "export_files", lambda: {"sources.json": '{"sources": []}\n', "cases/180.json": "{}\n"}
    )
    response = api_client.get(reverse("api:dataset"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["data/cases/180.json", "data/sources.json"]
    assert archive.read("data/sources.json") == b'{"sources": []}\n'


def test_the_dataset_download_contains_the_real_export(api_client):
    CaseFactory(general_list_number=180)
    response = api_client.get(reverse("api:dataset"))
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "data/cases/180.json" in names
