"""Once: each postmortem row carried its incident's `restricted` flag on PostgreSQL, kept by
triggers, for the action board's count. Nothing reads it any more; 0007 drops what this made
in databases that have it, and a new database never gets it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("postmortems", "0003_rendered_body"),
        ("incidents", "0003_incident_incident_restricted_id"),
    ]

    operations: list[migrations.operations.base.Operation] = []
