"""Keep digests, the data version and the similarity index in step with saves.

Receivers, not edits to the other apps' services: every path that changes a postmortem,
an incident, an action item or a review waiver (pages, API, webhooks, imports) saves through
the ORM, and each such save moves the data version (cached figures go stale).
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.insights import services
from nofault.web.postmortems.models import Postmortem
from nofault.web.reviews.models import Waiver


@receiver(post_save, sender=Postmortem, dispatch_uid="insights-postmortem-saved")
def postmortem_saved(sender: Any, instance: Postmortem, **kwargs: Any) -> None:
    """Digest the saved text; a publication schedules an index rebuild."""
    if kwargs.get("raw"):
        return
    fields = kwargs.get("update_fields")
    status_changed = fields is not None and "status" in fields
    if instance.source:
        services.postmortem_digest_refresh(postmortem=instance, status_changed=status_changed)
    services.data_version_bump()
    if status_changed and instance.status == "published":
        services.similarity_index_schedule_rebuild()


@receiver(post_delete, sender=Postmortem, dispatch_uid="insights-postmortem-deleted")
@receiver(post_save, sender=Incident, dispatch_uid="insights-incident-saved")
@receiver(post_delete, sender=Incident, dispatch_uid="insights-incident-deleted")
@receiver(post_save, sender=ActionItem, dispatch_uid="insights-action-saved")
@receiver(post_delete, sender=ActionItem, dispatch_uid="insights-action-deleted")
@receiver(post_save, sender=Waiver, dispatch_uid="insights-waiver-saved")
@receiver(post_delete, sender=Waiver, dispatch_uid="insights-waiver-deleted")
def figures_data_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An incident, postmortem, action item or waiver changed: cached figures go stale."""
    if not kwargs.get("raw"):
        services.data_version_bump()
