"""Keep digests, figures rows, the data version and the similarity index in step with saves.

Receivers, not edits to the other apps' services: every path that changes a postmortem,
an incident, an action item or a review waiver (pages, API, webhooks, imports) saves through
the ORM. Each save rewrites only its own part of the incident's `IncidentFacts` row, in one
statement (see `facts`).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.insights import facts, services
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews.models import Waiver


@receiver(post_save, sender=Postmortem, dispatch_uid="insights-postmortem-saved")
def postmortem_saved(sender: Any, instance: Postmortem, **kwargs: Any) -> None:
    """Digest the saved text, rewrite the figures row; a publication schedules an index rebuild."""
    if kwargs.get("raw"):
        return
    fields = kwargs.get("update_fields")
    status_changed = fields is not None and "status" in fields
    if instance.source:
        services.postmortem_digest_refresh(postmortem=instance, status_changed=status_changed)
    facts.facts_refresh(incident_id=instance.incident_id, parts=("postmortem",))
    services.data_version_bump()
    if status_changed and instance.status == "published":
        services.similarity_index_schedule_rebuild()


@receiver(post_delete, sender=Postmortem, dispatch_uid="insights-postmortem-deleted")
def postmortem_deleted(sender: Any, instance: Postmortem, **kwargs: Any) -> None:
    """The incident has no postmortem (nor its action items) any more."""
    facts.facts_refresh(incident_id=instance.incident_id, parts=("postmortem", "actions"))
    services.data_version_bump()


@receiver(post_save, sender=Incident, dispatch_uid="insights-incident-saved")
def incident_saved(sender: Any, instance: Incident, **kwargs: Any) -> None:
    """Rewrite the incident's part of its figures row."""
    if not kwargs.get("raw"):
        moved = facts.facts_incident_saved(incident_id=instance.pk, created=kwargs["created"])
        services.data_version_bump(moved=moved)


@receiver(post_delete, sender=Incident, dispatch_uid="insights-incident-deleted")
def incident_deleted(sender: Any, instance: Incident, **kwargs: Any) -> None:
    """Forget the figures row (sent after the incident's postmortem and items are gone)."""
    facts.facts_delete(incident_id=instance.pk)
    services.data_version_bump()


@receiver(post_save, sender=ActionItem, dispatch_uid="insights-action-saved")
@receiver(post_delete, sender=ActionItem, dispatch_uid="insights-action-deleted")
def action_item_changed(sender: Any, instance: ActionItem, **kwargs: Any) -> None:
    """Rewrite the action items' part of the figures row, its postmortem locked first."""
    if not kwargs.get("raw"):
        facts.facts_refresh_for_postmortem(
            postmortem_id=instance.postmortem_id, parts=("actions",), lock=True
        )
        services.data_version_bump()


@receiver(post_save, sender=Waiver, dispatch_uid="insights-waiver-saved")
@receiver(post_delete, sender=Waiver, dispatch_uid="insights-waiver-deleted")
def waiver_changed(sender: Any, instance: Waiver, **kwargs: Any) -> None:
    """A waived review counts as covered."""
    if not kwargs.get("raw"):
        facts.facts_refresh(incident_id=instance.incident_id, parts=("waiver",))
        services.data_version_bump()
