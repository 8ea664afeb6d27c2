"""Indexes the search filters can use on PostgreSQL, beside the full-text index.

The service and category filters test `services_index` / `categories_index` (",api,checkout,")
with LIKE, which no index serves: a filtered search read every matching entry to test it.
Here each list is also a generated `text[]` column with a GIN index, so the database ANDs the
filter with the full-text match before reading any entry; the team filter (case-insensitive)
gets an index on `UPPER(team)`. SQLite keeps its plan (FTS5 first, then the filters).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

LIST = "string_to_array(btrim({column}, ','), ',')"
POSTGRES_FORWARD = [
    "ALTER TABLE search_searchentry "
    f"ADD COLUMN services_list text[] GENERATED ALWAYS AS ({LIST.format(column='services_index')}) "
    "STORED, "
    "ADD COLUMN categories_list text[] GENERATED ALWAYS AS "
    f"({LIST.format(column='categories_index')}) STORED",
    "CREATE INDEX search_searchentry_services_list ON search_searchentry USING GIN (services_list)",
    "CREATE INDEX search_searchentry_categories_list ON search_searchentry "
    "USING GIN (categories_list)",
    "CREATE INDEX search_searchentry_team_upper ON search_searchentry (UPPER(team))",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_searchentry_team_upper",
    "DROP INDEX IF EXISTS search_searchentry_categories_list",
    "DROP INDEX IF EXISTS search_searchentry_services_list",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS categories_list, "
    "DROP COLUMN IF EXISTS services_list",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD}), _run({"postgresql": POSTGRES_BACKWARD})
        )
    ]
