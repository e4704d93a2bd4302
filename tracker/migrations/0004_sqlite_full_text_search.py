"""FTS5 full-text indexes for the searchable tables, on SQLite only (PostgreSQL: 0001).

Each searchable table gets an external-content FTS5 table, ``search_fts_<table>``, over the same
fields as PostgreSQL's stored vector, tokenized by ``porter unicode61 remove_diacritics 2`` (English
stems, Unicode words, accents ignored), and three triggers that keep it current on every insert,
update and delete, whichever way the write reaches the database. The field lists are frozen here,
like 0001's; changing core.search.SEARCH_FIELDS needs a new migration on both databases.

Django's SQLite schema editor rebuilds a table to alter it, which drops that table's triggers: a
later migration that alters one of these tables would leave its index stale, so
core.search.ensure_sqlite_indexes recreates missing triggers after every migrate (post_migrate), and
tests/test_search.py checks that every searchable table has its three triggers.
"""

from django.db import migrations

from core.search import sqlite_index_statements

COLUMNS = {
    "filings_filing": ("title", "document_number", "summary", "requested_measures"),
    "decisions_decision": ("title", "document_number", "summary", "not_indicated"),
    "decisions_provision": ("paragraph", "text", "note"),
    "compliance_complianceclaim": ("summary", "quote", "note"),
    "cases_event": ("title", "description", "note"),
    "sources_source": ("title", "document_number", "publisher", "excerpt"),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, fields in COLUMNS.items():
        for statement in sqlite_index_statements(table, list(fields)):
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in COLUMNS:
        fts = f"search_fts_{table}"
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
        schema_editor.execute(f'DROP TABLE IF EXISTS "{fts}"')


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_full_text_search"),
        ("tracker", "0003_api_cache_table"),
        # After every migration that rebuilds one of these tables, so their triggers survive.
        ("cases", "0002_general_list_roles_and_undated_cases"),
        ("compliance", "0002_claim_decision_from_provision"),
        ("decisions", "0002_bench_in_precedence"),
        ("filings", "0001_initial"),
        ("sources", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
