"""The database table behind the "api" cache (throttle counts) when Redis is not configured.

Created by a migration rather than `createcachetable` so that `migrate` is the only setup step,
in `make run`, in tests and in production alike. Harmless when Redis is used: the table stays empty.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "tracker_api_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_editors_group")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
