"""Trigram indexes for the search page's names (cases, parties, people), on PostgreSQL only.

core.search.name_filter finds a name by substring (``icontains``), which Django writes as
``UPPER(column::text) LIKE UPPER(%s)``: no B-tree helps, and a trigram index on the plain column is
not used either. These GIN indexes are on that very expression, so the search page reads the
matching names through the index instead of scanning every case and person (a scan that grows with
the General List: 100 ms over 10,000 cases). SQLite scans; its tables are the development ones.
"""

from django.db import migrations

# (table, column) pairs core.search.NAME_FIELDS searches; frozen here like 0001's columns.
NAME_COLUMNS = (
    ("cases_case", "short_title"),
    ("cases_case", "title"),
    ("parties_party", "short_name"),
    ("parties_party", "name"),
    ("parties_party", "code"),
    ("parties_party", "aliases"),
    ("parties_person", "name"),
    ("parties_person", "aliases"),
)


def index_name(table, column):
    return f"{table}_{column}_upper_trgm"


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in NAME_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{index_name(table, column)}" ON "{table}" '
            f'USING GIN ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in NAME_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{index_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0006_editors_opinion"),
        ("cases", "0001_initial"),
        ("parties", "0002_aliases"),
    ]

    operations = [
        migrations.RunPython(add_indexes, drop_indexes, elidable=False),
    ]
