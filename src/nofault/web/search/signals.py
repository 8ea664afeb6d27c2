"""Write search entries on every save, whatever door the change came through."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.models import Postmortem
from nofault.web.search import services


@receiver(post_save, sender=Incident, dispatch_uid="search-incident-saved")
def incident_saved(sender: Any, instance: Incident, **kwargs: Any) -> None:
    """Its entry, and those of its postmortem and items when what they show of it changed."""
    if kwargs.get("raw"):
        return
    created = bool(kwargs.get("created"))
    lent_changed = services.search_entry_incident_write(incident=instance, created=created)
    if lent_changed and not created:
        pm = Postmortem.objects.filter(incident=instance).first()
        if pm is not None and pm.source:
            services.search_entry_postmortem_write(postmortem=pm)


@receiver(post_save, sender=Postmortem, dispatch_uid="search-postmortem-saved")
def postmortem_saved(sender: Any, instance: Postmortem, **kwargs: Any) -> None:
    """The postmortem's entry (the insights app digested it just before)."""
    if not kwargs.get("raw") and instance.source:
        services.search_entry_postmortem_write(postmortem=instance)


@receiver(post_save, sender=ActionItem, dispatch_uid="search-action-saved")
def action_saved(sender: Any, instance: ActionItem, **kwargs: Any) -> None:
    """The action item's entry."""
    if not kwargs.get("raw"):
        services.search_entry_action_write(item=instance)


@receiver(post_delete, sender=Postmortem, dispatch_uid="search-postmortem-deleted")
@receiver(post_delete, sender=ActionItem, dispatch_uid="search-action-deleted")
def object_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Forget the entry (an incident's go with it, by the foreign key)."""
    kind = "postmortem" if sender is Postmortem else "action"
    services.search_entry_delete(kind=kind, object_id=instance.pk)
