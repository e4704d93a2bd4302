"""Docket downloads (CSV and JSON) and citations (BibTeX and CSL-JSON) round-trip to the database."""

import csv
import io
import json

import pytest
from django.urls import reverse

from decisions.models import DecisionSubject
from pages.citation import citation_text
from proceedings.items import filing_label, hearing_label
from tests.factories import DecisionFactory, FilingFactory, ProvisionFactory, mirror_cases_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return mirror_cases_world(2)


def expected_docket(case):
    # The docket shows each item's one label, as the timeline, the feeds and the calendar do.
    filings = {(f.date.isoformat(), "filing", filing_label(f)) for f in case.filings.all()}
    hearings = {(h.starts_on.isoformat(), "hearing", hearing_label(h)) for h in case.hearings.all()}
    decisions = {(d.decided_on.isoformat(), "decision", d.title) for d in case.decisions.all()}
    return filings | hearings | decisions


def test_docket_csv_round_trips(client, world):
    response = client.get(reverse("case-docket-csv", args=[180]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="icj-180-docket.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(row["date"], row["entry"], row["title"]) for row in rows} == expected_docket(world["case"])
    assert [row["date"] for row in rows] == sorted(row["date"] for row in rows)
    due = [row for row in rows if row["time_limit"] and not row["filed_on"]]
    assert len(due) == 2 and all(row["kind"] == "Memorial" for row in due)


def test_docket_json_matches_the_csv(client, world):
    csv_rows = list(csv.DictReader(io.StringIO(client.get(reverse("case-docket-csv", args=[180])).content.decode())))
    response = client.get(reverse("case-docket-json", args=[180]))
    assert response.status_code == 200
    payload = json.loads(response.content)
    assert payload["case"]["general_list_number"] == 180
    assert payload["case"]["url"] == "http://testserver" + world["case"].get_absolute_url()
    assert payload["entries"] == csv_rows
    assert list(payload["entries"][0]) == payload["columns"]


def test_docket_of_an_unknown_case_is_404(client, world):
    assert client.get(reverse("case-docket-csv", args=[999])).status_code == 404
    assert client.get(reverse("case-docket-json", args=[999])).status_code == 404


def test_docket_query_count_does_not_grow(client, django_assert_num_queries, world):
    with django_assert_num_queries(5):
        client.get(reverse("case-docket-json", args=[180]))
    for _ in range(5):
        FilingFactory(case=world["case"])
    with django_assert_num_queries(5):
        client.get(reverse("case-docket-json", args=[180]))


CITATION = (
    "Application of the International Convention on the Elimination of All Forms of Racial Discrimination "
    "(Armenia v. Azerbaijan), Provisional Measures, Order of 22 February 2023"
)


def test_bibtex_download(client, world):
    decision = world["decisions"][0]
    response = client.get(reverse("decision-bibtex", args=[180, decision.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert 'filename="icj180-2023-02-22-order.bib"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body.startswith("@misc{icj180-2023-02-22-order,\n")
    assert "  title = {" + CITATION + "}," in body
    assert "  author = {{International Court of Justice}}," in body
    assert "  year = 2023," in body and "  date = {2023-02-22}," in body
    assert body.count("{") == body.count("}")
    assert "Reports" not in body  # no page numbers are invented


def test_csl_json_download(client, world):
    decision = world["decisions"][0]
    response = client.get(reverse("decision-csl", args=[180, decision.slug]))
    assert response.status_code == 200
    [item] = json.loads(response.content)
    assert item["type"] == "legal_case"
    assert item["title"] == CITATION
    assert item["authority"] == "International Court of Justice"
    assert item["issued"] == {"date-parts": [[2023, 2, 22]]}
    assert item["URL"] == "http://testserver" + decision.get_absolute_url()
    assert item["note"] == "General List No. 180"


def test_citation_of_a_modification_order_names_the_order_it_modifies(world):
    earlier = world["decisions"][0]
    later = DecisionFactory(
        case=world["case"], subject=DecisionSubject.MODIFICATION, title="Order of 6 July 2023", slug="2023-07-06"
    )
    ProvisionFactory(decision=later, amends=world["measures"][0], amendment="reaffirms")
    assert earlier.title == "Order of 22 February 2023"
    assert citation_text(later.__class__.objects.for_page().get(pk=later.pk)) == (
        world["case"].title + ", Request for the Modification of the Order of 22 February 2023 Indicating "
        "Provisional Measures, Order of 6 July 2023"
    )


def test_citation_of_a_time_limit_order_has_no_phase(world):
    order = DecisionFactory(case=world["case"], subject=DecisionSubject.TIME_LIMITS, title="Order of 21 January 2022")
    assert citation_text(order) == world["case"].title + ", Order of 21 January 2022"
