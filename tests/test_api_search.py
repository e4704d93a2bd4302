"""core.search.full_text_filter and the API's q, on whichever database the suite runs on."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from cases.models import Event
from compliance.models import ComplianceClaim
from core.search import SEARCH_FIELDS, full_text_filter, parse_websearch
from decisions.models import Decision, Provision
from filings.models import Filing
from sources.models import Source
from tests.factories import (
    CaseFactory,
    ComplianceClaimFactory,
    DecisionFactory,
    EventFactory,
    FilingFactory,
    ProvisionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def test_a_full_text_query_finds_a_filing_by_a_word_in_its_summary():
    wanted = FilingFactory(summary="Armenia asks the Court to order the reopening of the Lachin Corridor.")
    FilingFactory(summary="Azerbaijan asks for measures about landmines.")

    found = list(full_text_filter(Filing.objects.all(), "corridor"))

    assert found == [wanted]


def test_every_word_must_match_and_stems_are_not_required_to_be_exact():
    both = FilingFactory(summary="The blockade of the corridor continues.")
    FilingFactory(summary="The corridor is open.")

    assert list(full_text_filter(Filing.objects.all(), "corridor blockade")) == [both]


def test_excluded_words_and_alternatives():
    lachin = FilingFactory(summary="Lachin corridor")
    mines = FilingFactory(summary="landmines corridor")
    FilingFactory(summary="hate speech")

    assert list(full_text_filter(Filing.objects.all(), "corridor -landmines")) == [lachin]
    assert set(full_text_filter(Filing.objects.all(), "lachin or landmines")) == {lachin, mines}


def test_a_quoted_phrase_matches_as_written():
    phrase = FilingFactory(summary="racial discrimination in the region")
    FilingFactory(summary="discrimination that is racial")

    assert list(full_text_filter(Filing.objects.all(), '"racial discrimination"')) == [phrase]


def test_the_search_reaches_titles_and_document_numbers():
    titled = FilingFactory(title="Memorial of Armenia", summary="")

    assert list(full_text_filter(Filing.objects.all(), "memorial")) == [titled]


def test_an_empty_query_leaves_the_queryset_alone():
    FilingFactory.create_batch(2)

    assert full_text_filter(Filing.objects.all(), "   ").count() == 2
    assert full_text_filter(Filing.objects.all(), "\x00").count() == 2


def test_a_nul_byte_inside_a_query_is_not_an_error():
    found = FilingFactory(summary="corridor")

    assert list(full_text_filter(Filing.objects.all(), "\x00corridor\x00")) == [found]


@pytest.mark.parametrize(
    ("factory", "model", "field"),
    [
        (DecisionFactory, Decision, "summary"),
        (ProvisionFactory, Provision, "text"),
        (ComplianceClaimFactory, ComplianceClaim, "summary"),
        (EventFactory, Event, "description"),
        (SourceFactory, Source, "excerpt"),
    ],
)
def test_every_searchable_model_is_searched(factory, model, field):
    wanted = factory(**{field: "the zangezur question"})
    factory(**{field: "another matter entirely"})

    assert list(full_text_filter(model.objects.all(), "zangezur")) == [wanted]


def test_matches_are_ranked_with_title_hits_first():
    in_summary = FilingFactory(title="Letter", summary="about the corridor")
    in_title = FilingFactory(title="Corridor letter", summary="nothing")

    ranked = list(full_text_filter(Filing.objects.all(), "corridor").order_by("-search_rank", "id"))

    if connection.vendor == "postgresql":
        assert ranked == [in_title, in_summary]
    else:
        assert set(ranked) == {in_title, in_summary}


def test_a_model_that_is_not_searchable_is_refused():
    from cases.models import Case

    with pytest.raises(ValueError, match="not searchable"):
        full_text_filter(Case.objects.all(), "anything")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector exists on PostgreSQL only")
def test_every_searchable_table_has_a_stored_vector_with_a_gin_index():
    from django.apps import apps

    with connection.cursor() as cursor:
        for label in SEARCH_FIELDS:
            table = apps.get_model(label)._meta.db_table
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, "%gin (search_vector)%"],
            )
            assert cursor.fetchone(), f"{table} has no GIN index on search_vector"


def test_websearch_parsing():
    assert parse_websearch('lachin "unimpeded movement" -mines or zangezur') == [
        (["lachin", "unimpeded movement"], ["mines"]),
        (["zangezur"], []),
    ]


# Bounds: ranking only a narrow search, a time limit with a clear answer ------------------------------


def bulk_filings(count, summary, case=None):
    """`count` filings in one INSERT (factories would take minutes), each with `summary` and a number."""
    template = FilingFactory(case=case or CaseFactory(), summary=summary)
    fields = [field.attname for field in Filing._meta.concrete_fields if field.attname != "id"]
    rows = []
    for n in range(count):
        row = Filing(**{name: getattr(template, name) for name in fields})
        row.slug = f"bulk-{n}"
        row.summary = f"{summary} Routine correspondence number {n}."
        rows.append(row)
    return Filing.objects.bulk_create(rows, batch_size=2000)


def api_ids(api_client, **params):
    response = api_client.get(reverse("api:filing-list"), params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_narrow_search_is_ranked_and_a_broad_one_keeps_the_lists_order(api_client, settings):
    early = FilingFactory(title="Letter", summary="about the corridor", filed_on=datetime.date(2021, 1, 1))
    middle = FilingFactory(title="Letter", summary="the corridor again", filed_on=datetime.date(2022, 1, 1))
    best = FilingFactory(title="Corridor letter", summary="corridor", filed_on=datetime.date(2023, 1, 1))

    assert api_ids(api_client, q="corridor")[0] == best.pk

    settings.SEARCH_MATCH_LIMIT = 2
    assert api_ids(api_client, q="corridor") == [early.pk, middle.pk, best.pk]
    # Narrowed by another filter to within the limit, it is ranked again.
    assert api_ids(api_client, q="corridor", filed_on__gte="2022-01-01")[0] == best.pk


def test_the_description_of_q_says_when_results_are_ranked():
    from filings.filters import FilingFilter

    help_text = FilingFilter.base_filters["q"].extra["help_text"]
    assert "at most 1,000 rows" in help_text and "default ordering" in help_text and "400" in help_text


def test_a_search_past_the_time_limit_is_a_400_on_q_on_either_database(api_client, settings):
    bulk_filings(5000, "corridor")
    settings.SEARCH_TIMEOUT_MS = 1

    response = api_client.get(reverse("api:filing-list"), {"q": "corridor"})

    assert response.status_code == 400, response.content
    assert "too broad" in response.json()["q"][0]
    # The limit was the search's alone: the next request is answered in full.
    settings.SEARCH_TIMEOUT_MS = 60_000
    assert api_client.get(reverse("api:filing-list"), {"q": "corridor"}).json()["count"] == 5001


COUNT_TO = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) SELECT count(*) FROM n"


def test_the_time_limit_ends_with_the_search():
    from core.search import SearchTooBroad, search_time_limit

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
            before = cursor.fetchone()[0]
        with pytest.raises(SearchTooBroad), override_settings(SEARCH_TIMEOUT_MS=1), search_time_limit():
            # A statement long enough on either database: a recursive count to ten million.
            cursor.execute(COUNT_TO, [10_000_000])
        if connection.vendor == "postgresql":
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == before
        cursor.execute(COUNT_TO, [100_000])
        assert cursor.fetchone()[0] == 100000
