"""One row of figures per incident (`IncidentFacts`); 0004 removes it again.

The figures are now the core's metrics over the rows themselves (`insights.figures`); the
table is created empty here and dropped by the next migration, so databases that have it
and databases that never had it end the same.
"""

import django.db.models.deletion
from django.db import migrations, models


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
    ]
