"""What only PostgreSQL's search has: the GIN-indexed vector used by a selective term, and pg_trgm."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.search import full_text_filter, rebuild_vocabulary, suggest
from filings.models import Filing
from tests.factories import CaseFactory, EventFactory, FilingFactory
from tests.test_api_search import bulk_filings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the stored tsvector, its GIN index and pg_trgm exist on PostgreSQL only (SQLite uses FTS5)",
    ),
]


def test_a_selective_term_is_answered_from_the_gin_index():
    case = CaseFactory()
    template = FilingFactory(case=case, summary="The corridor remains open to traffic.")
    rows = []
    for n in range(3000):
        template.pk = None
        template.slug = f"bulk-{n}"
        template.summary = f"Routine correspondence number {n} about the corridor."
        rows.append(Filing(**{f.attname: getattr(template, f.attname) for f in Filing._meta.concrete_fields}))
    Filing.objects.bulk_create(rows)
    wanted = FilingFactory(case=case, summary="The zangezur question.")
    with connection.cursor() as cursor:
        # Move the bulk insert out of the GIN pending list, as autovacuum would, and gather statistics.
        cursor.execute("SELECT gin_clean_pending_list('filings_filing_search_vector_gin')")
        cursor.execute("ANALYZE filings_filing")

    queryset = full_text_filter(Filing.objects.all(), "zangezur")
    plan = queryset.explain()

    assert list(queryset) == [wanted]
    assert "Bitmap Index Scan on filings_filing_search_vector_gin" in plan, plan


def test_pg_trgm_and_the_trigram_index_on_the_vocabulary_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'search_word'")
        assert any("gin_trgm_ops" in row[0] for row in cursor.fetchall())


def test_the_nearest_word_comes_from_trigram_similarity():
    EventFactory(title="Blockade of the Lachin corridor", description="Checkpoint at the Hakari bridge.")
    rebuild_vocabulary()

    assert suggest("Hakary bridge") == "Hakari bridge"
    assert suggest("Lachine corridor") == "Lachin corridor"


# The planner scans a small table whatever the index; at this size it would scan without one.
BULK = 20_000
SEQ_SCAN_OF_FILINGS = re.compile(r"Seq Scan on filings_filing\b")


@pytest.fixture
def many_filings():
    bulk_filings(BULK, "Routine correspondence about the corridor.")
    wanted = [FilingFactory(summary=f"The zangezur question, part {n}.") for n in range(3)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('filings_filing_search_vector_gin')")
        cursor.execute("ANALYZE filings_filing")
    return wanted


def search_plans(client, url, params):
    """The query plan of every query a request ran against the filings' search vector."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    plans = []
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if '"filings_filing"."search_vector"' in query["sql"]:
                cursor.execute("EXPLAIN " + query["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return response, plans


def test_the_apis_q_reads_the_gin_index_and_never_scans_the_filings(api_client, many_filings):
    response, plans = search_plans(api_client, reverse("api:filing-list"), {"q": "zangezur"})

    assert sorted(row["id"] for row in response.json()["results"]) == sorted(f.pk for f in many_filings)
    # The LIMITed count that decides on ranking, the count of the page numbers and the page itself.
    assert len(plans) == 3, plans
    for plan in plans:
        assert "Bitmap Index Scan on filings_filing_search_vector_gin" in plan, plan
        assert not SEQ_SCAN_OF_FILINGS.search(plan), plan


def test_the_search_pages_queries_read_the_gin_index(client, many_filings):
    response, plans = search_plans(client, reverse("search"), {"q": "zangezur"})

    assert all(f.get_absolute_url() in response.content.decode() for f in many_filings)
    assert len(plans) == 2, plans  # the LIMITed ids of the matches, the ranked page among them
    ids, page = plans
    assert "Bitmap Index Scan on filings_filing_search_vector_gin" in ids, ids
    assert "Index Scan using filings_filing_pkey on filings_filing" in page, page
    for plan in plans:
        assert not SEQ_SCAN_OF_FILINGS.search(plan), plan


def test_a_common_word_never_ranks_or_counts_every_match(api_client, many_filings):
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(reverse("api:filing-list"), {"q": "corridor"})

    assert response.status_code == 200
    searched = [q["sql"] for q in captured.captured_queries if '"filings_filing"."search_vector"' in q["sql"]]
    assert searched and not any("ts_rank" in sql for sql in searched), searched
