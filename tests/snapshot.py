"""The shipped dataset loaded once per test session, and put back in a fraction of the time for each module.

Loading the dataset through the loader (validation, services, history) takes about ten seconds; a dozen test
modules read it. The first module loads it for real inside a transaction, the rows every table gained are
kept, the transaction is rolled back, and each module after that inserts those rows again in its own
transaction: the same rows, ids included, as the loader wrote them. The loader's own tests still load
through the loader.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction


def _tables() -> list[str]:
    # The database caches' tables change with what tests cache, not with the dataset.
    caches = {c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")}
    left_out = {"django_migrations", "sqlite_sequence", *caches}
    tables = [name for name in connection.introspection.table_names() if name not in left_out]
    if connection.vendor == "sqlite":
        # Full-text tables and their shadow tables are kept up to date by triggers on the record's tables.
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
            virtual = [row[0] for row in cursor.fetchall()]
        tables = [name for name in tables if not any(name == v or name.startswith(v + "_") for v in virtual)]
    return tables


def _written_columns(table: str) -> list[str]:
    """The columns an INSERT may name: PostgreSQL's generated search vectors are computed by the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND table_name = %s AND is_generated = 'NEVER' "
                "ORDER BY ordinal_position",
                [table],
            )
            return [row[0] for row in cursor.fetchall()]
        return [column.name for column in connection.introspection.get_table_description(cursor, table)]


def _contents(tables: list[str]) -> dict[str, tuple[list[str], list[tuple]]]:
    found = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            columns = _written_columns(table)
            cursor.execute(f"SELECT {', '.join(map(quote, columns))} FROM {quote(table)}")  # noqa: S608 (names)
            rows = [tuple(_adapted(value) for value in row) for row in cursor.fetchall()]
            found[table] = (columns, sorted(rows, key=repr))
    return found


def _adapted(value):
    # psycopg2 reads json columns as dicts and lists; written back, they must be JSON again.
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg2.extras import Json

        return Json(value)
    return value


class DatasetSnapshot:
    """The rows loading the dataset adds or changes, by table."""

    def __init__(self, tables: dict[str, tuple[list[str], list[tuple]]]):
        self.tables = tables

    @classmethod
    def take(cls) -> "DatasetSnapshot":
        tables = _tables()
        with transaction.atomic():
            before = _contents(tables)
            call_command("load_dataset", verbosity=0)
            after = _contents(tables)
            transaction.set_rollback(True)
        changed = {name: after[name] for name in tables if repr(after[name]) != repr(before[name])}
        return cls(changed)

    def restore(self) -> None:
        """Replace the rows of the tables the dataset fills with its rows, in the current transaction.

        Foreign keys are checked at commit. A table the load changed but did not create (the data version's
        one row) is emptied first, whatever a migration or an earlier flush left in it.
        """
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (a table name)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
                if connection.vendor == "postgresql" and "id" in columns and rows:
                    # Rows inserted with their ids leave the sequence behind; a test's next insert needs it past them.
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT MAX(id) FROM {quote(table)}))",  # noqa: S608
                        [quote(table)],
                    )
