"""Search that answers ordinary tries, on whichever database the suite runs on (SQLite or PostgreSQL)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from compliance.models import ComplianceClaim
from core.search import (
    SEARCH_FIELDS,
    ensure_sqlite_indexes,
    fts5_query,
    full_text_filter,
    rebuild_vocabulary,
    suggest,
    websearch_query,
)
from dataset.load import load_dataset
from filings.models import Filing
from tests.dataset_sample import write_sample
from tests.factories import (
    CaseFactory,
    ComplianceClaimFactory,
    EventFactory,
    FilingFactory,
    mirror_cases_world,
)

pytestmark = pytest.mark.django_db

# On PostgreSQL a search's time limit is a savepoint inside the test's transaction, a SET LOCAL, the
# old timeout put back and the savepoint released (outside a transaction, as in production: one SET).
TIME_LIMIT_QUERIES = 4 if connection.vendor == "postgresql" else 0

HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "NEAR(a b",
    "AND OR",
    "-",
    'lachin "',
    "a*b",
    "^x",
    "(",
    ")",
    "OR",
    "NOT",
    ":",
    '-""',
    "{col}:x",
]


def html(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def search_page(client, **params):
    return html(client.get(reverse("search"), params))


# The query language, on both databases -----------------------------------------------------------


def test_a_plural_finds_a_hyphenated_compound():
    laying = ComplianceClaimFactory(summary="Azerbaijan reports continued landmine-laying near Lachin.")
    ComplianceClaimFactory(summary="Nothing about that here.")

    assert list(full_text_filter(ComplianceClaim.objects.all(), "landmines")) == [laying]


def test_a_hyphenated_query_finds_both_spellings():
    spaced = FilingFactory(summary="Booby traps were placed along the road.")
    hyphenated = FilingFactory(summary="Booby-traps were placed along the road.")
    FilingFactory(summary="Traps for the unwary booby.")

    assert set(full_text_filter(Filing.objects.all(), "booby-traps")) == {spaced, hyphenated}
    assert set(full_text_filter(Filing.objects.all(), "booby traps")) == {spaced, hyphenated, Filing.objects.last()}


def test_phrases_exclusions_and_alternatives():
    lachin = FilingFactory(summary="the Lachin corridor is blocked")
    mines = FilingFactory(summary="landmines near the corridor")
    FilingFactory(summary="hate speech")

    assert list(full_text_filter(Filing.objects.all(), '"lachin corridor"')) == [lachin]
    assert list(full_text_filter(Filing.objects.all(), "corridor -landmine")) == [lachin]
    assert set(full_text_filter(Filing.objects.all(), "speech or landmines")) == {mines, Filing.objects.last()}


@pytest.mark.parametrize("q", HOSTILE)
def test_query_syntax_never_reaches_the_database_raw(client, q):
    FilingFactory(summary="Lachin corridor near the road")

    list(full_text_filter(Filing.objects.all(), q))
    page = search_page(client, q=q)
    assert "Something went wrong" not in page


def test_the_fts5_expression_quotes_every_term():
    assert fts5_query('lachin "unimpeded movement" -mines or booby-traps') == (
        '(("lachin" AND "unimpeded movement") NOT ("mines")) OR ("booby traps")'
    )
    assert fts5_query('NEAR( AND OR "') == '("NEAR" AND "AND")'
    assert fts5_query("-mines") == ""
    assert websearch_query("booby-traps -anti-personnel") == '"booby traps" -"anti personnel"'
    assert websearch_query("-mines") == ""


def test_api_q_uses_the_same_search(api_client):
    wanted = FilingFactory(summary="Booby traps were placed.")
    FilingFactory(summary="Nothing.")

    response = api_client.get(reverse("api:filing-list"), {"q": "booby-traps"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]
    for q in HOSTILE:
        assert api_client.get(reverse("api:filing-list"), {"q": q}).status_code == 200


# Suggestions ---------------------------------------------------------------------------------------


def test_a_misspelt_name_gets_a_suggestion_that_runs_the_search(client):
    EventFactory(title="Blockade of the Lachin corridor", description="Checkpoint at the Hakari bridge.")
    rebuild_vocabulary()

    assert suggest("Lachine") == "Lachin"
    assert suggest("lachin corridor") == ""
    assert suggest("corridors") == ""  # an inflection of a known word is not a misspelling
    page = search_page(client, q="Lachine")
    expected = reverse("search") + "?q=Lachin"
    assert f'Did you mean <a href="{expected}">Lachin</a>?' in page


def test_the_vocabulary_holds_aliases_and_is_refreshed_by_the_loader(tmp_path):
    world = mirror_cases_world(1)
    world["armenia"].aliases = "Հայաստան\nArménie"
    world["armenia"].save()
    rebuild_vocabulary()

    assert suggest("Հայաստան") == "" and suggest("Arménie") == ""

    load_dataset([write_sample(tmp_path)])
    assert suggest("Applicantia") == ""
    assert suggest("Aplicantia") == "Applicantia"


# People, parties and cases ------------------------------------------------------------------------


def test_a_name_in_another_script_finds_the_party_and_its_cases(client):
    world = mirror_cases_world(1)
    world["armenia"].aliases = "Հայաստան\nArménie\nАрмения\nRepublic of Armenia"
    world["armenia"].save()

    page = search_page(client, q="Հայաստան")

    assert reverse("party-detail", args=["ARM"]) in page
    assert world["case"].get_absolute_url() in page
    assert 'id="results-parties"' in page and 'id="results-cases"' in page
    page = search_page(client, q="Armenia")
    assert reverse("party-detail", args=["ARM"]) in page and world["case"].get_absolute_url() in page


def test_a_judges_name_lists_the_judges_page_first(client):
    mirror_cases_world(2)

    page = search_page(client, q="Yusuf")

    results = page.split('role="status"', 1)[1]
    first_link = results.split('<ol class="results"', 1)[1].split('href="', 1)[1].split('"', 1)[0]
    assert first_link == reverse("person-detail", args=["yusuf"])


# Paging and counts ----------------------------------------------------------------------------------


def test_paging_per_kind_gives_the_21st_result_on_page_2_and_counts_truthfully(client):
    case = CaseFactory()
    for day in range(25):
        FilingFactory(case=case, summary="corridor", filed_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=day))
    ordered = list(full_text_filter(Filing.objects.all(), "corridor").order_by("-search_rank", "-filed_on", "pk"))
    url = lambda filing: filing.get_absolute_url()  # noqa: E731

    first = search_page(client, q="corridor")
    assert "25 results for" in first
    assert 'Filings <span class="muted">(1–20 of 25)</span>' in first
    assert url(ordered[19]) in first and url(ordered[20]) not in first
    more = reverse("search") + "?q=corridor&amp;kind=filings&amp;page=2"
    assert f'<a href="{more}">More filings: 25 in all</a>' in first

    second = search_page(client, q="corridor", kind="filings", page=2)
    assert "25 results among filings for" in second and "(page 2)" in second
    assert "(21–25 of 25)" in second
    assert url(ordered[20]) in second and url(ordered[19]) not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second

    beyond = search_page(client, q="corridor", kind="filings", page=9)
    assert "25 results among filings" in beyond and "No results on this page" in beyond


def test_the_case_filter_is_a_number_not_a_list_of_every_case(client):
    world = mirror_cases_world(1)
    page = search_page(client, q="Lachin", case=180)

    assert '<select name="case"' not in page and 'type="number" name="case"' in page
    assert "in No. 180" in page
    assert "There is no case No. 999" in search_page(client, q="Lachin", case=999)
    assert world["case"].general_list_number == 180


@pytest.mark.parametrize("rows", [1, 30])
def test_the_search_page_query_count_does_not_grow(client, django_assert_num_queries, rows):
    case = CaseFactory()
    world = mirror_cases_world(1)
    for _ in range(rows):
        FilingFactory(case=case, summary="corridor Yusuf")
    EventFactory.create_batch(rows, description="corridor", cases=[world["case"]])
    # Per kind a LIMITed count (nine), then a page where there are matches (people, filings, events),
    # the events' cases, the vocabulary check and an unknown word's neighbours.
    with django_assert_num_queries(13 + TIME_LIMIT_QUERIES):
        search_page(client, q="corridor Yusuf")
    # The events' LIMITed count, their page, their cases, the vocabulary check and the word's neighbours.
    with django_assert_num_queries(5 + TIME_LIMIT_QUERIES):
        search_page(client, q="corridor", kind="events", page=1)


# The SQLite index --------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables and their triggers are SQLite's")
def test_every_searchable_table_has_an_fts5_index_kept_by_triggers():
    from django.apps import apps

    with connection.cursor() as cursor:
        for label in SEARCH_FIELDS:
            table = apps.get_model(label)._meta.db_table
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            names = {row[0] for row in cursor.fetchall()}
            assert {f"search_fts_{table}_{op}" for op in ("insert", "update", "delete")} <= names, table


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables and their triggers are SQLite's")
def test_the_fts5_index_follows_updates_and_deletes_and_lost_triggers_are_repaired():
    filing = FilingFactory(summary="zangezur")
    filing.summary = "nakhchivan"
    filing.save()
    assert list(full_text_filter(Filing.objects.all(), "zangezur")) == []
    assert list(full_text_filter(Filing.objects.all(), "nakhchivan")) == [filing]

    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "search_fts_filings_filing_update"')
    assert ensure_sqlite_indexes() == ["filings_filing"]
    assert ensure_sqlite_indexes() == []
    filing.summary = "meghri"
    filing.save()
    assert list(full_text_filter(Filing.objects.all(), "meghri")) == [filing]

    filing.delete()
    assert list(full_text_filter(Filing.objects.all(), "meghri")) == []


# Bounds: nothing grows with the table ----------------------------------------------------------------


def test_past_the_match_limit_the_page_says_more_than_and_lists_the_newest(client, settings):
    case = CaseFactory()
    for day in range(5):
        FilingFactory(case=case, summary="corridor", filed_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=day))
    settings.SEARCH_MATCH_LIMIT = 3

    page = search_page(client, q="corridor")

    assert "More than 3 results for" in page
    assert 'Filings <span class="muted">(1–5 of more than 3)</span>' in page
    assert "Too many to rank by relevance: the newest first." in page
    newest, oldest = Filing.objects.order_by("-filed_on")[0], Filing.objects.order_by("filed_on")[0]
    assert page.index(newest.get_absolute_url()) < page.index(oldest.get_absolute_url())
    settings.SEARCH_MATCH_LIMIT = 5
    assert "5 results for" in search_page(client, q="corridor")


def test_a_search_past_the_time_limit_asks_for_a_narrower_one_and_keeps_the_form(client, settings):
    from tests.test_api_search import bulk_filings

    bulk_filings(5000, "corridor")
    settings.SEARCH_TIMEOUT_MS = 1

    page = search_page(client, q="corridor", kind="filings")

    assert "That search is too broad to answer quickly" in page
    assert 'name="q" value="corridor"' in page and '<option value="filings" selected>' in page
    settings.SEARCH_TIMEOUT_MS = 60_000
    assert "More than 1,000 results among filings" in search_page(client, q="corridor", kind="filings")
