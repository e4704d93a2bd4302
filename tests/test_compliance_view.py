"""The compliance view: every provisional measure, each claimant's latest claim side by side, filters and CSV.

Paged by case in General List order, the page and its CSV read only their cases' rows.
"""

import csv
import datetime
import html as html_text
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case
from compliance.models import Assessment, ComplianceClaim
from decisions.models import Amendment, Decision, DecisionSubject, Provision, ProvisionKind
from pages import compliance as compliance_pages
from parties.models import Party, PartyKind
from tests.factories import (
    CaseFactory,
    ComplianceClaimFactory,
    DecisionFactory,
    PartyFactory,
    ProvisionFactory,
    mirror_cases_world,
)
from tests.test_query_plans import assert_read_through_indexes, plans_of

pytestmark = pytest.mark.django_db
PER_PAGE = compliance_pages.CASES_PER_PAGE


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
        ({"case": "abc"}, "Give the case's General List number, e.g. 180."),
        ({"case": "1.5"}, "Give the case's General List number, e.g. 180."),
        ({"case": "0"}, "No provisional measure is recorded in that case."),
        ({"case": "-180"}, "No provisional measure is recorded in that case."),
        ({"case": "9" * 30}, "No provisional measure is recorded in that case."),
        ({"case": "181"}, "No provisional measure is recorded in that case."),  # a case, but no measure in it
        ({"addressee": "AZE\x00"}, "No measure is addressed to a party with that code."),
        ({"addressee": "XXX"}, "No measure is addressed to a party with that code."),
        ({"claimant": "<script>"}, "No claim by a party with that code is recorded."),
    ],
)
def test_bad_filters_are_messages(client, world, params, message):
    page = html(client.get(reverse("compliance"), params))
    assert "Some filters could not be used" in page and message in html_text.unescape(page)
    assert page.count('<tr id="measure-') == 2  # the bad filter is left out
    # The CSV leaves the bad filter out too.
    response = client.get(reverse("compliance-csv"), params)
    assert response.status_code == 200 and len(list(csv.reader(io.StringIO(response.content.decode())))) == 3


def test_the_case_filter_is_a_number_input_not_a_list_of_cases(client, world):
    cases_with_measures(3)
    page = html(client.get(reverse("compliance")))
    field = re.search(r"<input[^>]*name=\"case\"[^>]*>", page).group(0)
    assert 'type="number"' in field
    assert '<select name="case"' not in page and "No. 1001: " not in page
    assert page.count('<tr id="measure-') == 5
    narrowed = html(client.get(reverse("compliance"), {"case": "1001"}))
    assert narrowed.count('<tr id="measure-') == 1 and "No. 1001 State 1001 v. Armenia" in narrowed


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


# The page's include the count of its cases, read and cached for the data version (seven statements with the
# cache's); the CSV counts nothing (one case more than a page says whether a next page follows).
QUERIES = {"compliance": 20, "compliance-filtered": 21, "compliance-csv": 12}


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


def cases_with_measures(n, *, first=1000, addressee=None, claimant=None):
    """`n` more cases, Nos. `first` onwards, each with one provisional measure addressed to `addressee` (Armenia)
    and a claim about it by `claimant` (by default a State of the case's own, so each case adds a claimant)."""
    addressee = addressee or PartyFactory(name="Republic of Armenia", short_name="Armenia", code="ARM")
    cases = []
    for number in range(first, first + n):
        case = CaseFactory(general_list_number=number, short_title=f"State {number} v. Armenia")
        decision = DecisionFactory(case=case, subject=DecisionSubject.PROVISIONAL_MEASURES, slug=f"order-{number}")
        measure = ProvisionFactory(decision=decision, position=1, paragraph="(1)", addressees=[addressee])
        ComplianceClaimFactory(provision=measure, claimant=claimant or PartyFactory(short_name=f"State {number}"))
        cases.append(case)
    return cases


def numbers_shown(page):
    """The General List numbers of the rows' cases, in the order shown."""
    return [int(n) for n in re.findall(r'<span class="muted cell-note">No\. (\d+) ', page)]


def pager_links(page):
    """{"prev"/"next": query parameters} of the page's previous/next links."""
    links = re.findall(r'<a rel="(prev|next)" href="([^"]*)"', page)
    return {rel: parse_qs(urlsplit(html_text.unescape(href)).query) for rel, href in links}


def test_a_page_holds_a_bounded_number_of_cases_in_general_list_order(client, world):
    cases_with_measures(2 * PER_PAGE + 5)  # with No. 180: three pages
    first = html(client.get(reverse("compliance")))
    shown = numbers_shown(first)
    assert sorted(set(shown)) == [180, *range(1000, 1000 + PER_PAGE - 1)]
    assert shown == sorted(shown) and shown.count(180) == 2  # No. 180 has two measures
    assert f"page 1 of 3 ({2 * PER_PAGE + 6} cases)" in first
    last = html(client.get(reverse("compliance"), {"page": "3"}))
    assert numbers_shown(last) == list(range(1000 + 2 * PER_PAGE - 1, 1000 + 2 * PER_PAGE + 5))
    assert "Page 3 of 3" in last and set(pager_links(last)) == {"prev"}
    # Each page's columns are its own rows' claimants: No. 180's Armenia and Azerbaijan are not on page 3.
    head = last.split("<thead>")[1].split("</thead>")[0]
    assert "Azerbaijan" not in head and head.count('<th scope="col">State 10') == 6


def test_previous_and_next_links_keep_the_filters(client, world):
    utopia = PartyFactory(name="Republic of Utopia", short_name="Utopia", code="UTO")
    cases_with_measures(2 * PER_PAGE + 1, addressee=utopia, claimant=world["armenia"])
    cases_with_measures(3, first=2000)  # addressed to Armenia: filtered out
    params = {"addressee": "UTO", "claimant": "ARM"}
    second = html(client.get(reverse("compliance"), {**params, "page": "2"}))
    assert numbers_shown(second) == list(range(1000 + PER_PAGE, 1000 + 2 * PER_PAGE))
    links = pager_links(second)
    assert links["prev"] == {"addressee": ["UTO"], "claimant": ["ARM"], "page": ["1"]}
    assert links["next"] == {"addressee": ["UTO"], "claimant": ["ARM"], "page": ["3"]}
    third = html(client.get(reverse("compliance"), {k: v[0] for k, v in links["next"].items()}))
    assert numbers_shown(third) == [1000 + 2 * PER_PAGE] and "next" not in pager_links(third)
    assert "Some filters could not be used" not in third


@pytest.mark.parametrize(("page", "shown"), [("99", "Page 2 of 2"), ("abc", "Page 1 of 2"), ("", "Page 1 of 2")])
def test_a_page_past_the_end_is_the_last_and_one_not_a_number_the_first(client, world, page, shown):
    cases_with_measures(PER_PAGE)
    response = html(client.get(reverse("compliance"), {"page": page}))
    assert shown in response


def test_a_page_without_paging_shows_no_pager(client, world):
    page = html(client.get(reverse("compliance")))
    assert 'class="pagination"' not in page and "file 1 of" not in page


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["compliance", "compliance-csv"])
@pytest.mark.parametrize("params", [{}, {"addressee": "ARM"}, {"claimant": "ARM"}, {"page": "2"}])
def test_the_queries_do_not_grow_with_the_cases(client, world, monkeypatch, name, params):
    monkeypatch.setattr(compliance_pages, "CSV_CASES_PER_PAGE", PER_PAGE)
    cases_with_measures(2 * PER_PAGE, claimant=world["armenia"])
    before = _queries(client, reverse(name), params)
    cases_with_measures(30, first=2000, claimant=world["armenia"])
    assert _queries(client, reverse(name), params) == before


def _csv(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_is_paged_by_case_with_a_link_to_the_next_page(client, world, monkeypatch):
    monkeypatch.setattr(compliance_pages, "CSV_CASES_PER_PAGE", 4)
    cases_with_measures(9)  # with No. 180: ten cases, three files
    first = client.get(reverse("compliance-csv"), {"addressee": "", "page": "1"})
    rows = _csv(first)
    assert [row[0].split()[1] for row in rows[1:]] == ["180", "180", "1000", "1001", "1002"]
    assert first["Link"] == f'<http://testserver{reverse("compliance-csv")}?addressee=&page=2>; rel="next"'
    assert first["Content-Disposition"] == 'attachment; filename="icj-compliance.csv"'
    second = client.get(reverse("compliance-csv"), {"addressee": "", "page": "2"})
    assert second["Link"] == (
        f'<http://testserver{reverse("compliance-csv")}?addressee=>; rel="prev", '
        f'<http://testserver{reverse("compliance-csv")}?addressee=&page=3>; rel="next"'
    )
    assert second["Content-Disposition"] == 'attachment; filename="icj-compliance-page-2.csv"'
    third = client.get(reverse("compliance-csv"), {"page": "3"})
    assert [row[0].split()[1] for row in _csv(third)[1:]] == ["1007", "1008"]
    assert "next" not in third["Link"]
    # The claimant columns are the same on every page: every claimant of the table, whichever page shows them.
    headers = {tuple(_csv(client.get(reverse("compliance-csv"), {"page": n}))[0]) for n in ("1", "2", "3")}
    assert len(headers) == 1
    [header] = headers
    assert "Latest claim by Armenia" in header and "Latest claim by State 1008" in header
    assert header[-1] == "Latest finding of the Court" and len(header) == 8 + 2 + 9 + 1


@pytest.mark.parametrize("page", ["4", "0", "abc", "9" * 30])
def test_a_csv_page_that_does_not_exist_is_not_found(client, world, monkeypatch, page):
    monkeypatch.setattr(compliance_pages, "CSV_CASES_PER_PAGE", 4)
    cases_with_measures(9)
    assert client.get(reverse("compliance-csv"), {"page": page}).status_code == 404


def test_the_csv_columns_follow_the_addressee_filter_on_every_page(client, world, monkeypatch):
    monkeypatch.setattr(compliance_pages, "CSV_CASES_PER_PAGE", 2)
    utopia = PartyFactory(name="Republic of Utopia", short_name="Utopia", code="UTO")
    cases_with_measures(4, addressee=utopia)
    cases_with_measures(2, first=2000)  # addressed to Armenia, claimed about by States 2000 and 2001
    headers = [_csv(client.get(reverse("compliance-csv"), {"addressee": "UTO", "page": n}))[0] for n in "12"]
    assert headers[0] == headers[1]
    assert [h for h in headers[0] if h.startswith("Latest claim by")] == [
        f"Latest claim by State {n}" for n in range(1000, 1004)
    ]


def test_the_page_links_the_csv_file_that_holds_its_cases(client, world, monkeypatch):
    monkeypatch.setattr(compliance_pages, "CSV_CASES_PER_PAGE", 2 * PER_PAGE)
    cases_with_measures(3 * PER_PAGE)
    page = html(client.get(reverse("compliance"), {"page": "3", "claimant": ""}))
    assert f'href="{reverse("compliance-csv")}?claimant=&amp;page=2" download' in page
    assert "file 2 of 2" in page
    first = html(client.get(reverse("compliance"), {"page": "2"}))
    assert f'href="{reverse("compliance-csv")}" download' in first and "file 1 of 2" in first


def test_a_claim_about_a_later_provision_counts_for_the_measure_it_amends(client, world):
    measure = world["measures"][0]
    later = DecisionFactory(
        case=world["case"], subject=DecisionSubject.MODIFICATION, decided_on=measure.decision.decided_on.replace(2024)
    )
    reaffirming = ProvisionFactory(
        decision=later, position=1, kind=ProvisionKind.OTHER, amends=measure, amendment=Amendment.REAFFIRMS
    )
    observer = PartyFactory(name="Observers", short_name="Observers", code="observers", kind=PartyKind.NGO)
    ComplianceClaimFactory(provision=reaffirming, claimant=observer, made_on=later.decided_on)
    cases_with_measures(PER_PAGE + 1)
    page = html(client.get(reverse("compliance"), {"claimant": observer.code}))
    assert "Some filters could not be used" not in page
    assert numbers_shown(page) == [180]
    assert f'<tr id="measure-{measure.pk}">' in page
    rows = _csv(client.get(reverse("compliance-csv")))
    assert "Latest claim by Observers" in rows[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
@pytest.mark.parametrize("params", [{"page": "2"}, {"addressee": "P007", "claimant": "P008"}])
def test_a_page_picks_its_cases_through_indexes(client, world, params):
    # A General List, measures, addressees and claims long enough that the planner would rather scan them than
    # probe, were there no index to follow; many parties, each with its share, as in the synthetic volume.
    parties = Party.objects.bulk_create(
        Party(name=f"Party {n}", short_name=f"Party {n:03d}", code=f"P{n:03d}") for n in range(300)
    )
    cases = Case.objects.bulk_create(
        Case(
            general_list_number=3000 + n,
            title=f"Case {n}",
            short_title=f"A v. B ({n})",
            slug=f"bulk-{n}",
            court=world["court"],
        )
        for n in range(3000)
    )
    decisions = Decision.objects.bulk_create(
        Decision(
            case=case,
            slug="order",
            kind="order",
            subject="provisional_measures" if n % 3 == 0 else "time_limits",
            decided_on=datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
            title="Order",
        )
        for n, case in enumerate(cases)
    )
    measures = Provision.objects.bulk_create(
        Provision(decision=decision, paragraph="(1)", position=1, kind="measure", text="The Parties shall refrain.")
        for decision in decisions[::3]
    )
    Provision.addressees.through.objects.bulk_create(
        Provision.addressees.through(provision=measure, party=parties[n % 300]) for n, measure in enumerate(measures)
    )
    ComplianceClaim.objects.bulk_create(
        ComplianceClaim(
            slug=f"bulk-{n}",
            decision_id=measure.decision_id,
            provision=measure,
            claimant=parties[(n + 1) % 300],
            made_on=datetime.date(2024, 1, 1),
            assessment="unclear",
            summary="Unclear.",
        )
        for n, measure in enumerate(measures)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("compliance"), params).status_code == 200
    plans = plans_of(queries)
    assert_read_through_indexes(plans)
    [picked] = [plan for sql, plan in plans.items() if sql.startswith('SELECT "cases_case"') and " LIMIT " in sql]
    if "addressee" not in params:
        # Walked down the General List, each case probed; never every measure hashed first.
        assert "Index Scan using cases_case_general_list_number_key" in picked and "Hash" not in picked
