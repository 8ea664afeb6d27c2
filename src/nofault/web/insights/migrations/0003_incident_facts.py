"""One row of figures per incident (`IncidentFacts`), its packed column, filled for every incident.

The fill runs the app's own statement (`facts.facts_fill_missing`): it computes each row from
the incidents, postmortems, digests, waivers and action items as the signal receivers do.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _forward(apps: Any, schema_editor: Any) -> None:
    from nofault.web.insights import facts

    if schema_editor.connection.vendor == "postgresql":
        # What the figures read of a row, packed once per write rather than on every read.
        schema_editor.execute(
            f"ALTER TABLE {facts.TABLE} ADD COLUMN packed bytea "
            f"GENERATED ALWAYS AS ({facts.packed_sql()}) STORED"
        )
    facts.facts_fill_missing()


def _backward(apps: Any, schema_editor: Any) -> None:
    pass  # the table goes with the model


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0003_incident_incident_restricted_id"),
        ("insights", "0002_data_version_sequence"),
        ("postmortems", "0004_postmortem_restricted"),
        ("actions", "0003_actionitem_action_status_postmortem"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="IncidentFacts",
            fields=[
                (
                    "incident",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="incidents.incident",
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("restricted", models.BooleanField(default=False)),
                ("severity", models.CharField(max_length=16)),
                ("services", models.JSONField(default=list)),
                ("month", models.IntegerField(null=True)),
                ("resolved_day", models.IntegerField(null=True)),
                ("detect_seconds", models.FloatField(null=True)),
                ("mitigate_seconds", models.FloatField(null=True)),
                ("resolve_seconds", models.FloatField(null=True)),
                ("waived", models.BooleanField(default=False)),
                ("postmortem_id", models.BigIntegerField(null=True)),
                ("published", models.BooleanField(default=False)),
                ("postmortem_month", models.IntegerField(null=True)),
                ("published_day", models.IntegerField(null=True)),
                ("depth", models.FloatField(null=True)),
                ("blame_first", models.IntegerField(null=True)),
                ("blame_published", models.IntegerField(null=True)),
                ("team", models.CharField(max_length=200)),
                ("recurs", models.BooleanField(default=False)),
                ("actions", models.IntegerField(default=0)),
                ("actions_done", models.IntegerField(default=0)),
                ("actions_on_time", models.IntegerField(default=0)),
                ("actions_done_due", models.IntegerField(default=0)),
                ("close_days", models.TextField(default="")),
                ("close_count", models.IntegerField(default=0)),
                ("open_due", models.TextField(default="")),
                ("open_due_count", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(_forward, _backward),
    ]
