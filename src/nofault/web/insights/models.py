"""What the insights keep: a digest of each postmortem, cached figures, and the anonymous pulse.

The pulse is stored so that nobody, admins included, can learn who answered what:

- `PulseParticipation` says *that* someone answered a review (to refuse a second answer) and
  nothing of what; it has no timestamp.
- `PulseTally` holds counts per review, statement and score: there is no answer row at all,
  so there is nothing to join back to a person, and no insertion order to line up.
- `PulseComments` holds a review's optional comments as one sorted list, re-sorted on every
  answer, so a comment's position says nothing about when it was written.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PostmortemDigest(models.Model):
    """What the insights read from a postmortem's Markdown, stored once per save."""

    postmortem = models.OneToOneField(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="digest"
    )
    revision = models.PositiveIntegerField(default=0)
    team = models.CharField(max_length=200, blank=True, default="", db_index=True)
    # [[id, text, category or ""], ...]
    factors = models.JSONField(default=list, blank=True)
    # ",process,tooling," so a category filter works the same on SQLite and PostgreSQL.
    categories_index = models.CharField(max_length=300, blank=True, default="")
    timeline = models.JSONField(default=list, blank=True)
    analysis = models.TextField(blank=True, default="")
    related_incidents = models.JSONField(default=list, blank=True)
    # Blame findings of the draft first sent to review (or of the draft so far) and at publication.
    blame_first_draft = models.PositiveIntegerField(null=True, blank=True)
    blame_at_publication = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest of postmortem {self.postmortem_id} at revision {self.revision}"


class InsightCache(models.Model):
    """A computed value (figures, themes, the similarity index) and the data version it saw."""

    key = models.CharField(max_length=200, unique=True)
    version = models.BigIntegerField(default=0)
    built_at = models.DateTimeField(default=timezone.now)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"{self.key} (version {self.version})"


class PulseParticipation(models.Model):
    """That a person answered a review's pulse; never what they answered, nor when."""

    postmortem = models.ForeignKey(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="pulse_participations"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["postmortem", "user"], name="one_pulse_answer_each")
        ]


class PulseTally(models.Model):
    """How many people gave one score to one statement about one review."""

    postmortem = models.ForeignKey(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="pulse_tallies"
    )
    statement = models.CharField(max_length=40)
    score = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["postmortem", "statement", "score"], name="one_tally_per_score"
            )
        ]


class PulseComments(models.Model):
    """A review's optional pulse comments, kept sorted so their order tells nothing."""

    postmortem = models.OneToOneField(
        "postmortems.Postmortem", on_delete=models.CASCADE, related_name="pulse_comments"
    )
    comments = models.JSONField(default=list, blank=True)
