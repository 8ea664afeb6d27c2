"""The postmortem as stored: its Markdown source, fields the core extracted, and its history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from nofault.web.choices import PostmortemStatusChoices, ReviewLevelChoices
from nofault.web.worker.models import TaskStatus


class Postmortem(models.Model):
    """A blameless review of an incident; `source` is the truth, the rest is read from it."""

    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="postmortem"
    )
    source = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=PostmortemStatusChoices.choices(), default="draft", db_index=True
    )
    # Extracted by nofault.core.markdown.parse_text, for listing and filtering only.
    title = models.CharField(max_length=300, blank=True, default="")
    severity = models.CharField(max_length=16, blank=True, default="")
    review_level = models.CharField(
        max_length=10, choices=ReviewLevelChoices.choices(), default="full"
    )
    summary = models.TextField(blank=True, default="")
    services = models.JSONField(default=list, blank=True)
    authors = models.JSONField(default=list, blank=True)
    facilitator = models.CharField(max_length=150, blank=True, default="")
    # What the linter returned for the current revision.
    findings = models.JSONField(default=list, blank=True)
    finding_count = models.PositiveIntegerField(default=0)
    blame_count = models.PositiveIntegerField(default=0)
    depth_score = models.FloatField(null=True, blank=True)
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="postmortems_to_review", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Published over blame findings: who accepted them, and the findings accepted.
    blame_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    blame_accepted = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        # From an incident to its postmortem's id without reading the row (the access
        # filter's hidden postmortems).
        indexes = [
            models.Index(fields=["incident", "id"], name="postmortem_incident_id"),
            # The coverage ledger's state of each incident, read off this index instead of
            # 100,000 postmortem rows (reviews/selectors.py `coverage_summary`).
            models.Index(fields=["incident", "status"], name="postmortem_incident_status"),
        ]

    def __str__(self) -> str:
        return self.title or f"Postmortem for {self.incident_id}"


class RenderedBody(models.Model):
    """The source rendered to sanitised HTML at a save, so the page shows it without
    rendering it; kept apart so lists and exports of postmortems do not read it."""

    postmortem = models.OneToOneField(
        Postmortem, on_delete=models.CASCADE, primary_key=True, related_name="rendered"
    )
    revision = models.PositiveIntegerField()
    html = models.TextField()
    # What rendered it (nofault.web.rendering.RENDERER): the worker renders again what an
    # older renderer kept (empty: kept before the renderer was recorded).
    renderer = models.CharField(max_length=100, blank=True, default="")


class Revision(models.Model):
    """One save of a postmortem: who, when, the whole source and the diff from the one before."""

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    source = models.TextField()
    diff = models.TextField(blank=True, default="")
    message = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["postmortem", "number"], name="unique_revision_number")
        ]


class Comment(models.Model):
    """A reviewer's remark on the document."""

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class Approval(models.Model):
    """A reviewer's verdict on the postmortem (approved or changes requested), at a revision."""

    APPROVED, CHANGES_REQUESTED = "approved", "changes_requested"

    postmortem = models.ForeignKey(Postmortem, on_delete=models.CASCADE, related_name="approvals")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    verdict = models.CharField(
        max_length=20,
        default=APPROVED,
        choices=[(APPROVED, "Approved"), (CHANGES_REQUESTED, "Changes requested")],
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["postmortem", "reviewer"], name="one_approval_each")
        ]


class ImportJob(models.Model):
    """An uploaded export the worker imports as drafts, and what became of it.

    The upload's bytes are kept (bounded by the import page's limit) until the import ends,
    then dropped; `report` lists the drafts made and `reason` says why nothing was.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=300)
    data = models.BinaryField(default=b"")
    size = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    reason = models.TextField(blank=True, default="")
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "status"], name="import_job_owner_status")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"
