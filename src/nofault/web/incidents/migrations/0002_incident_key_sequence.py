"""A PostgreSQL sequence for generated incident keys (INC-<n>), started past every key in use.

Concurrent creates (webhook bursts) each take their own number with no lock and no retry.
SQLite has one writer at a time and keeps reading the highest key in use instead.
"""

from typing import Any

from django.db import migrations

SEQUENCE = "incidents_incident_key_seq"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("incidents", "Incident")._meta.db_table
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} MINVALUE 1")
    # The next number is past both the highest INC-<n> in use and 1000 + the highest id,
    # the rule generated keys followed until now.
    schema_editor.execute(
        f"SELECT setval('{SEQUENCE}', GREATEST(1000, "
        f"(SELECT COALESCE(MAX(CAST(SUBSTRING(key FROM 5) AS BIGINT)), 0) FROM {table} "
        f"WHERE key ~ '^INC-[0-9]{{1,15}}$'), "
        f"(SELECT 1000 + COALESCE(MAX(id), 0) FROM {table})))"
    )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
