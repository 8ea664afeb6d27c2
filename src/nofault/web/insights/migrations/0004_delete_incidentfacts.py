"""The figures rows go: the figures are the core's metrics over the rows, cached by data version."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_incident_facts")]

    operations = [migrations.DeleteModel(name="IncidentFacts")]
