"""The board's index: (status, due, id), the column filter and its order, replacing (status, due)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("actions", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="actionitem", name="actions_act_status_2cbc9e_idx"),
        migrations.AddIndex(
            model_name="actionitem",
            index=models.Index(fields=["status", "due", "id"], name="action_status_due_id"),
        ),
    ]
