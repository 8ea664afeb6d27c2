"""On PostgreSQL, each postmortem row carries its incident's `restricted` flag, kept by the
database itself, so the action board counts a column without joining every item's incident.

The column is not a model field: no Python code writes it, so nothing can leave it stale.
Triggers set it when a postmortem is written and copy an incident's change to its postmortem,
whatever the path (a service, the admin, a queryset update, raw SQL, COPY). A partial index
holds the few restricted postmortems (id, incident) for the board's count. Members are not
copied: who may see a restricted postmortem is read from the incident's members as before.
SQLite keeps joining the incident (its queries never read the column).
"""

from typing import Any

from django.db import migrations

POSTMORTEM_FUNCTION = "nofault_postmortem_restricted"
INCIDENT_FUNCTION = "nofault_incident_restricted"
POSTMORTEM_TRIGGER = "postmortem_restricted"
POSTMORTEM_UPDATE_TRIGGER = "postmortem_restricted_update"
INCIDENT_TRIGGER = "incident_restricted_to_postmortem"
INDEX = "postmortem_restricted_id"


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    postmortems = apps.get_model("postmortems", "Postmortem")._meta.db_table
    incidents = apps.get_model("incidents", "Incident")._meta.db_table
    run = schema_editor.execute
    run(f"ALTER TABLE {postmortems} ADD COLUMN restricted boolean NOT NULL DEFAULT false")
    # A new postmortem, or one moved to another incident, takes the incident's flag; a write
    # of the flag itself is put right from the incident, so the column only ever copies it.
    # FOR SHARE: an incident being restricted at the same moment waits for this row to be
    # written (or this write for the incident's change), so neither misses the other.
    run(
        f"""
        CREATE FUNCTION {POSTMORTEM_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.restricted := COALESCE(
                (SELECT i.restricted FROM {incidents} i WHERE i.id = NEW.incident_id FOR SHARE),
                false);
            RETURN NEW;
        END $$
        """
    )
    run(
        f"CREATE TRIGGER {POSTMORTEM_TRIGGER} BEFORE INSERT ON {postmortems} "
        f"FOR EACH ROW EXECUTE FUNCTION {POSTMORTEM_FUNCTION}()"
    )
    # A save that changes neither (every save through the models) skips it on the WHEN.
    run(
        f"CREATE TRIGGER {POSTMORTEM_UPDATE_TRIGGER} BEFORE UPDATE OF incident_id, restricted "
        f"ON {postmortems} FOR EACH ROW WHEN (OLD.incident_id IS DISTINCT FROM NEW.incident_id "
        f"OR OLD.restricted IS DISTINCT FROM NEW.restricted) "
        f"EXECUTE FUNCTION {POSTMORTEM_FUNCTION}()"
    )
    run(
        f"""
        CREATE FUNCTION {INCIDENT_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE {postmortems} SET restricted = NEW.restricted WHERE incident_id = NEW.id;
            RETURN NULL;
        END $$
        """
    )
    # Only a change of the flag costs anything: other incident saves skip it on the WHEN.
    run(
        f"CREATE TRIGGER {INCIDENT_TRIGGER} AFTER UPDATE OF restricted ON {incidents} "
        f"FOR EACH ROW WHEN (OLD.restricted IS DISTINCT FROM NEW.restricted) "
        f"EXECUTE FUNCTION {INCIDENT_FUNCTION}()"
    )
    # The postmortems of restricted incidents saved before this migration.
    run(
        f"UPDATE {postmortems} p SET restricted = true FROM {incidents} i "
        f"WHERE i.id = p.incident_id AND i.restricted"
    )
    run(f"CREATE INDEX {INDEX} ON {postmortems} (id, incident_id) WHERE restricted")
    run(f"ANALYZE {postmortems}")  # the planner learns how few are restricted


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    postmortems = apps.get_model("postmortems", "Postmortem")._meta.db_table
    incidents = apps.get_model("incidents", "Incident")._meta.db_table
    run = schema_editor.execute
    run(f"DROP TRIGGER IF EXISTS {INCIDENT_TRIGGER} ON {incidents}")
    run(f"DROP TRIGGER IF EXISTS {POSTMORTEM_UPDATE_TRIGGER} ON {postmortems}")
    run(f"DROP TRIGGER IF EXISTS {POSTMORTEM_TRIGGER} ON {postmortems}")
    run(f"DROP FUNCTION IF EXISTS {INCIDENT_FUNCTION}()")
    run(f"DROP FUNCTION IF EXISTS {POSTMORTEM_FUNCTION}()")
    run(f"DROP INDEX IF EXISTS {INDEX}")
    run(f"ALTER TABLE {postmortems} DROP COLUMN IF EXISTS restricted")


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0003_rendered_body"),
        ("incidents", "0003_incident_incident_restricted_id"),
    ]

    operations = [migrations.RunPython(create, drop)]
