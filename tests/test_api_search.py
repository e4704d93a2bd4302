"""core.search.full_text_filter on whichever database the suite runs on."""

import pytest
from django.db import connection

from cases.models import Event
from compliance.models import ComplianceClaim
from core.search import SEARCH_FIELDS, full_text_filter, parse_websearch
from decisions.models import Decision, Provision
from filings.models import Filing
from sources.models import Source
from tests.factories import (
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
