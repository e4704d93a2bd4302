"""The researchers' HTML pages: content, filters, bad input, staff links and query counts."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from cases.models import CaseStatus
from filings.models import Filing
from parties.models import PartyKind
from proceedings.items import filing_label
from tests.factories import CaseFactory, ComplianceClaimFactory, PartyFactory, UserFactory, mirror_cases_world

pytestmark = pytest.mark.django_db


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def page_urls(world):
    decision = world["decisions"][0]
    measure = world["measures"][0]
    return {
        "home": reverse("home"),
        "case-list": reverse("case-list"),
        "case-list-filtered": reverse("case-list") + "?status=pending&party=ARM&year=2021&sort=-instituted",
        "case-detail": world["case"].get_absolute_url(),
        "case-mirror": reverse("case-mirror", args=[180, 181]),
        "decision-detail": decision.get_absolute_url(),
        "provision-detail": measure.get_absolute_url(),
        "party-detail": reverse("party-detail", args=["ARM"]),
        "person-detail": reverse("person-detail", args=["yusuf"]),
        "search": reverse("search") + "?q=Lachin",
        "search-filtered": reverse("search") + "?q=order&case=180&kind=&date_from=2021-01-01&date_to=2030-01-01",
        "decision-bibtex": reverse("decision-bibtex", args=[180, decision.slug]),
        "decision-csl": reverse("decision-csl", args=[180, decision.slug]),
        "case-docket-csv": reverse("case-docket-csv", args=[180]),
    }


# Pinned query counts: the same at 1 row and at many rows (see test_query_count_does_not_grow).
# Pages reading Decision.objects.for_page() include one query for the judges' opinions.
QUERIES = {
    "home": 19,
    "case-list": 12,
    "case-list-filtered": 13,
    "case-detail": 17,
    "case-mirror": 28,
    "decision-detail": 16,
    "provision-detail": 16,
    "party-detail": 13,
    "person-detail": 12,
    # A LIMITed count per kind and a page per kind with matches; on PostgreSQL the search's time limit
    # adds a savepoint, a SET LOCAL, its reset and the release (one SET outside a test's transaction).
    "search": 15 + (4 if connection.vendor == "postgresql" else 0),
    "search-filtered": 16 + (4 if connection.vendor == "postgresql" else 0),
    "decision-bibtex": 10,
    "decision-csl": 10,
    "case-docket-csv": 5,
}


@pytest.mark.parametrize("rows", [1, 4])
@pytest.mark.parametrize("name", list(QUERIES))
def test_query_count_does_not_grow(client, django_assert_num_queries, name, rows):
    urls = page_urls(mirror_cases_world(rows))
    with django_assert_num_queries(QUERIES[name]):
        response = client.get(urls[name])
    assert response.status_code == 200


@pytest.fixture
def world():
    return mirror_cases_world(2)


def test_home_shows_both_cases_latest_items_and_a_search_box(client, world):
    page = html(client.get(reverse("home")))
    assert "Armenia v. Azerbaijan" in page and "Azerbaijan v. Armenia" in page
    assert "General List No. 180" in page
    assert 'href="/parties/ARM/"' in page
    assert "Order of 23 February 2023" in page  # the latest decision of No. 180
    assert "Request for the indication of provisional measures (landmines)" in page
    assert "did not comply" in page
    assert f'action="{reverse("search")}"' in page and 'id="home-q"' in page
    assert '<link rel="canonical" href="http://testserver/">' in page


def test_case_list_filters_and_sorts(client, world):
    CaseFactory(general_list_number=99, short_title="Old v. Older", instituted_on=datetime.date(1999, 5, 1))
    url = reverse("case-list")
    assert "Old v. Older" in html(client.get(url))
    page = html(client.get(url, {"year": 1999}))
    assert "Old v. Older" in page and "Armenia v. Azerbaijan" not in page
    page = html(client.get(url, {"party": "AZE", "sort": "-number"}))
    assert "Old v. Older" not in page
    assert page.index("Azerbaijan v. Armenia") < page.index("Armenia v. Azerbaijan")
    page = html(client.get(url, {"status": CaseStatus.CONCLUDED}))
    assert "No case matches these filters." in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"party": "XXX"}, "No party with that code is a party to a case."),
        ({"year": "abc"}, "Enter a whole number."),
        ({"year": "1200"}, "greater than or equal to 1946"),
        ({"status": "lost"}, "Select a valid choice."),
        ({"sort": "'; DROP TABLE"}, "Select a valid choice."),
    ],
)
def test_case_list_bad_filter_is_a_message_not_an_error(client, world, params, message):
    page = html(client.get(reverse("case-list"), params))
    assert "Some filters could not be used" in page
    assert message in page
    assert "Armenia v. Azerbaijan" in page  # the other filters still apply; none here


def test_case_page_has_everything_a_researcher_needs(client, world):
    page = html(client.get(world["case"].get_absolute_url()))
    assert world["case"].title in page
    assert "General List No. 180" in page
    assert "Applicant" in page and "Republic of Armenia" in page
    assert "Article 22 of CERD" in page
    assert "Yeghishe Kirakosyan" in page and "Agent" in page
    assert "Judge ad hoc" in page and "Kenneth Keith" in page and "until 1 May 2023" in page
    # The SVG timeline with its legend and a text alternative, then the same items as a list.
    assert '<svg viewBox="0 0 1000' in page and 'role="img"' in page and "<desc" in page
    for label in ("Filing", "Hearing", "Decision", "Compliance claim", "Context event"):
        assert label in page
    assert 'class="timeline-list"' in page and "Lachin Corridor blockade 0" in page
    assert "Time-limit: 22 February 2023" in page  # a filing known only by its time-limit
    assert "3 votes to 2" in page
    assert (
        'Against: <a href="/people/yusuf/">Judge Abdulqawi Ahmed Yusuf</a>; '
        '<a href="/people/keith/">Judge ad hoc Kenneth Keith</a>' in page
    )
    # Compliance panel: latest claim by each side and the Court's findings.
    assert "Latest claim by each Party" in page and "The Court's own findings" in page
    assert "Reaffirmed by" in page
    assert reverse("case-mirror", args=[180, 181]) in page
    assert "Sources (2)" in page  # the request cites two sources
    assert reverse("case-docket-csv", args=[180]) in page and reverse("case-feed", args=[180, "all"]) in page


def test_decision_page_names_the_judges_and_gives_the_citation(client, world):
    decision = world["decisions"][0]
    page = html(client.get(decision.get_absolute_url()))
    assert "President Judge Number 0" in page  # the bench, with offices
    assert "Request for the indication of provisional measures" in page  # the request it answers
    assert "3 votes to 2" in page
    assert (
        '<span class="vote-label">Against:</span> <a href="/people/yusuf/">Judge Abdulqawi Ahmed Yusuf</a>; '
        '<a href="/people/keith/">Judge ad hoc Kenneth Keith</a>' in page
    )
    assert "What the Court did not order" in page and "declined to indicate" in page
    assert "Rejects the request of Azerbaijan" in page and "Unanimously" in page
    assert "Reaffirmed by" in page and world["measures"][1].get_absolute_url() in page
    assert (
        "Application of the International Convention on the Elimination of All Forms of Racial Discrimination "
        "(Armenia v. Azerbaijan), Provisional Measures, Order of 22 February 2023"
    ) in page
    assert reverse("decision-bibtex", args=[180, decision.slug]) in page
    assert reverse("decision-csl", args=[180, decision.slug]) in page


def test_measure_page_shows_the_compliance_record(client, world):
    measure = world["measures"][0]
    page = html(client.get(measure.get_absolute_url()))
    assert "Lachin Corridor" in page and "Addressed to" in page and "Azerbaijan" in page
    assert "3 votes to 2" in page
    assert "Compliance record" in page and 'id="measure-timeline-title"' in page
    assert "did not comply" in page and "complied" in page and "The order is being ignored" in page
    assert "24 March 2023" in page
    assert "Reaffirmed by" in page
    # Claims about the later provision that reaffirmed this one belong to its record too.
    assert "para. (1) of the Order of 23 February 2023" in page


def test_unknown_paragraph_and_case_are_helpful_404s(client, world):
    decision = world["decisions"][0]
    response = client.get(reverse("provision-detail", args=[180, decision.slug, "9-z"]))
    assert response.status_code == 404
    assert "has no paragraph 9-z" in response.content.decode()
    response = client.get(reverse("case-detail", args=[999]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Not found" in page and reverse("case-list") in page and 'type="search"' in page
    response = client.get(reverse("case-mirror", args=[181, 999]))
    assert response.status_code == 404


def test_mirror_view_puts_both_cases_on_one_axis(client, world):
    page = html(client.get(reverse("case-mirror", args=[180, 181])))
    assert "No. 180 Armenia v. Azerbaijan" in page and "No. 181 Azerbaijan v. Armenia" in page
    assert "Outside the courtroom" in page
    # Each case's filings, under the one label the case page, the docket and the feeds give them.
    for filing in Filing.objects.filter(case__general_list_number__in=[180, 181]):
        assert escape(filing_label(filing)) in page
    assert page.count('class="timeline"') == 1


def test_party_page_lists_cases_filings_and_claims_made_and_faced(client, world):
    page = html(client.get(reverse("party-detail", args=["aze"])))
    assert "Republic of Azerbaijan" in page
    assert "Azerbaijan v. Armenia (No. 181)" in page and "applicant" in page
    assert "Request for the indication of provisional measures (landmines)" in page
    assert "Claims about compliance made by Azerbaijan" in page and "complied" in page
    # Armenia's claims are about measures addressed to Azerbaijan: claims Azerbaijan faced.
    faced = page.split("Claims about Azerbaijan's compliance", 1)[1]
    assert "did not comply" in faced
    assert "Provisional measures addressed to Azerbaijan" in page


def test_judge_page_lists_every_vote_with_links(client, world):
    page = html(client.get(reverse("person-detail", args=["keith"])))
    assert "2 of 2: 0 for, 2 against" in page
    assert "<td>Judge ad hoc</td>" in page
    assert world["measures"][0].get_absolute_url() in page
    assert "Judge ad hoc for Azerbaijan" in page


def test_search_groups_by_kind_and_highlights(client, world):
    page = html(client.get(reverse("search"), {"q": "landmines"}))
    assert "Filings" in page
    assert "<mark>landmines</mark>" in page
    assert world["mirror_filing"].get_absolute_url() in page
    page = html(client.get(reverse("search"), {"q": "Lachin"}))
    assert 'id="results-provisions"' in page and 'id="results-events"' in page and 'id="results-filings"' in page


def test_search_filters_by_case_kind_and_date(client, world):
    page = html(client.get(reverse("search"), {"q": "provisional", "case": 181}))
    assert "(landmines)" in page and "Armenia v. Azerbaijan" not in page.split('role="status"')[1]
    page = html(client.get(reverse("search"), {"q": "Lachin", "kind": "events"}))
    assert 'id="results-events"' in page and 'id="results-provisions"' not in page
    page = html(client.get(reverse("search"), {"q": "Lachin", "date_from": "2023-02-23", "kind": "provisions"}))
    assert "Order of 22 February 2023, paragraph (1)" not in page
    assert "Order of 23 February 2023, paragraph (1)" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "Lachin", "date_from": "2023-13-45"}, "Give the start date as YYYY-MM-DD"),
        ({"q": "Lachin", "date_to": "yesterday"}, "Give the end date as YYYY-MM-DD"),
        ({"q": "Lachin", "date_from": "2024-01-01", "date_to": "2023-01-01"}, "The end date is before the start date."),
        ({"q": "Lachin", "case": "abc"}, "Select a valid choice."),
        ({"q": "Lachin", "kind": "judges"}, "Select a valid choice."),
        ({"q": "x" * 300}, "at most 200 characters"),
    ],
)
def test_search_bad_input_is_a_message_not_an_error(client, world, params, message):
    page = html(client.get(reverse("search"), params))
    assert "The search could not be run as asked" in page
    assert message in page


def test_staff_see_admin_links_and_others_do_not(client, world):
    case_url = world["case"].get_absolute_url()
    admin_url = reverse("admin:cases_case_change", args=[world["case"].pk])
    assert admin_url not in html(client.get(case_url))
    client.force_login(UserFactory(username="staffer", is_staff=True))
    assert admin_url in html(client.get(case_url))
    decision = world["decisions"][0]
    assert reverse("admin:decisions_decision_change", args=[decision.pk]) in html(
        client.get(decision.get_absolute_url())
    )


def test_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page and reverse("home") in page


def test_claim_about_a_whole_order_appears_on_the_case_page(client, world):
    ComplianceClaimFactory(
        provision=None, decision=world["decisions"][0], claimant=world["azerbaijan"], summary="Whole order claim."
    )
    page = html(client.get(world["case"].get_absolute_url()))
    assert "Claims about the Order of 22 February 2023 as a whole" in page and "Whole order claim." in page


def test_compliance_panel_sets_other_actors_apart_from_the_parties(client, world):
    outlet = PartyFactory(name="Asbarez", short_name="Asbarez", code="ASBAREZ", kind=PartyKind.MEDIA)
    ComplianceClaimFactory(provision=world["measures"][0], claimant=outlet, summary="The outlet says it was ignored.")
    page = html(client.get(world["case"].get_absolute_url()))
    # This measure's record runs up to the next measure's record (or the end of the panel).
    record = page.split(f'id="measure-{world["measures"][0].pk}"', 1)[1].split('class="measure-record"', 1)[0]
    parties, others = record.split('class="others"', 1)
    assert "Armenia" in parties and "Azerbaijan" in parties and "Asbarez" not in parties
    assert "What others said (1: Asbarez)" in others and "The outlet says it was ignored." in others


def test_search_results_escape_what_they_quote(client, world):
    decision = world["decisions"][0]
    decision.title = "Order <b>& more</b>"
    decision.save()
    page = html(client.get(reverse("search"), {"q": "Lachin", "kind": "provisions"}))
    assert "Order &lt;b&gt;&amp; more&lt;/b&gt;, paragraph (1)" in page
    assert "<b>& more</b>" not in page and "&amp;amp;" not in page


def test_search_too_broad_for_the_time_limit_says_so(client, world, monkeypatch):
    from django.db import OperationalError

    def timed_out(queryset, q, **options):
        raise OperationalError("canceling statement due to statement timeout")

    monkeypatch.setattr("pages.search.full_text_filter", timed_out)
    page = html(client.get(reverse("search"), {"q": "the"}))
    assert "That search is too broad to answer quickly" in page
