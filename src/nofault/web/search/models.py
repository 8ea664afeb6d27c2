"""One searchable row per incident, postmortem and action item, with what the filters need.

The full-text index lives beside the table and is kept by the database itself: on SQLite an
FTS5 table with triggers (external content), on PostgreSQL a generated `tsvector` column with
a GIN index (see migrations/0002). Who may see an entry is never copied here: every query
joins the incident and applies the incidents app's visibility rule.
"""

from __future__ import annotations

from django.db import models


class SearchEntry(models.Model):
    """A searchable incident, postmortem or action item."""

    KINDS = (("incident", "Incident"), ("postmortem", "Postmortem"), ("action", "Action item"))

    kind = models.CharField(max_length=12, choices=KINDS)
    object_id = models.BigIntegerField()
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True, default="")
    severity = models.CharField(max_length=16, blank=True, default="")
    # ",api,checkout," and ",process,tooling," so filters work alike on both databases.
    services_index = models.CharField(max_length=1000, blank=True, default="")
    categories_index = models.CharField(max_length=300, blank=True, default="")
    team = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=20, blank=True, default="")
    occurred = models.DateField(null=True, blank=True)
    url = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_object")
        ]
        indexes = [
            models.Index(fields=["occurred"]),
            models.Index(fields=["severity"]),
            models.Index(fields=["team"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title[:60]}"
