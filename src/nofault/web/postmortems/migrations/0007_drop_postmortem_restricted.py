"""Drop the postmortems' copied `restricted` column, its triggers and index (PostgreSQL).

Nothing reads the column: who may see a postmortem is its incident's rule, read from the
incident. On SQLite, and on a database made after this, there is nothing to drop.
"""

from typing import Any

from django.db import migrations


def _drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    postmortems = apps.get_model("postmortems", "Postmortem")._meta.db_table
    incidents = apps.get_model("incidents", "Incident")._meta.db_table
    run = schema_editor.execute
    run(f"DROP TRIGGER IF EXISTS incident_restricted_to_postmortem ON {incidents}")
    run(f"DROP TRIGGER IF EXISTS postmortem_restricted_update ON {postmortems}")
    run(f"DROP TRIGGER IF EXISTS postmortem_restricted ON {postmortems}")
    run("DROP FUNCTION IF EXISTS nofault_incident_restricted()")
    run("DROP FUNCTION IF EXISTS nofault_postmortem_restricted()")
    run("DROP INDEX IF EXISTS postmortem_restricted_id")
    run(f"ALTER TABLE {postmortems} DROP COLUMN IF EXISTS restricted")


class Migration(migrations.Migration):
    dependencies = [("postmortems", "0006_import_job_renderer")]

    operations = [migrations.RunPython(_drop, migrations.RunPython.noop)]
