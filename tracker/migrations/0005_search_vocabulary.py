"""The words that spelling suggestions are chosen from ("Lachine": did you mean Lachin?).

``search_word`` holds the distinct lower-cased words of the searchable text and of the names of
cases, parties and people, with how many records use each. It is not a Django model: only
core.search reads and refills it (``rebuild_vocabulary()``, which the dataset loader runs after
every load; editors' later changes reach it at the next rebuild). On PostgreSQL the pg_trgm
extension and a trigram GIN index on the word let the nearest word be found by similarity without
reading the whole table; SQLite reads a bounded list of candidates and compares them in Python.
"""

from django.db import migrations

from core.search import rebuild_vocabulary


def create_vocabulary(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE TABLE IF NOT EXISTS search_word (word varchar(200) NOT NULL PRIMARY KEY, frequency integer NOT NULL)"
    )
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS search_word_trigram ON search_word USING GIN (word gin_trgm_ops)"
        )
    rebuild_vocabulary(connection.alias, models=apps)


def drop_vocabulary(apps, schema_editor):
    # The pg_trgm extension stays: other objects may use it.
    schema_editor.execute("DROP TABLE IF EXISTS search_word")


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0004_sqlite_full_text_search"),
        ("parties", "0002_aliases"),
    ]

    operations = [
        migrations.RunPython(create_vocabulary, drop_vocabulary, elidable=False),
    ]
