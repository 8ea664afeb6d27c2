"""The data version on PostgreSQL: a sequence, continuing from the version row it replaces."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def _forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS insights_data_version")
    # Start above the row's version so that no cached figure looks current by chance; `true`
    # makes last_value the start itself, so the first nextval moves it.
    schema_editor.execute(
        "SELECT setval('insights_data_version', COALESCE((SELECT version FROM "
        "insights_insightcache WHERE key = 'data-version'), 0) + 1, true)"
    )


def _backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS insights_data_version")


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(_forward, _backward)]
