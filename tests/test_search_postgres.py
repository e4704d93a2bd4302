"""What only PostgreSQL's search has: the GIN-indexed vector used by a selective term, and pg_trgm."""

import pytest
from django.db import connection

from core.search import full_text_filter, rebuild_vocabulary, suggest
from filings.models import Filing
from tests.factories import CaseFactory, EventFactory, FilingFactory

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
