"""Search services: write each incident, postmortem and action item's entry on save."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from django.db import transaction

from nofault.core.markdown import parse_text
from nofault.web.actions.models import ActionItem
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.models import Postmortem
from nofault.web.search.models import SearchEntry

MAX_BODY = 100_000


def _services_index(services: list[str]) -> str:
    names = [s.strip().lower() for s in services or [] if s.strip()]
    return ("," + ",".join(names) + ",") if names else ""


def _occurred(incident: Incident) -> Any:
    moment = incident.started_at or incident.created_at
    return moment.astimezone(UTC).date() if moment else None


_ENTRY_FIELDS = ("incident", "title", "body", "severity", "services_index", "categories_index",
                 "team", "status", "occurred", "url")  # fmt: skip


def _clip(values: dict[str, Any]) -> dict[str, Any]:
    values["title"] = (values.get("title") or "")[:500]
    values["body"] = (values.get("body") or "")[:MAX_BODY]
    return values


def _save(kind: str, object_id: int, **values: Any) -> None:
    """Insert or update the entry in one statement."""
    entry = SearchEntry(kind=kind, object_id=object_id, **_clip(values))
    SearchEntry.objects.bulk_create(
        [entry],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=[name for name in _ENTRY_FIELDS if name in values],
    )


def _digest(pm: Postmortem) -> Any:
    from nofault.web.insights.models import PostmortemDigest

    return PostmortemDigest.objects.filter(postmortem=pm).first()


def _incident_values(incident: Incident) -> dict[str, Any]:
    return _clip(
        {
            "title": f"{incident.key} {incident.title}",
            "body": " ".join(incident.services or []),
            "severity": incident.severity,
            "services_index": _services_index(incident.services),
            "categories_index": "",
            "team": "",
            "status": incident.status,
            "occurred": _occurred(incident),
            "url": f"/incidents/{incident.key}/",
        }
    )


# What an incident lends its postmortem's and action items' entries; the rest is theirs.
_LENT = ("title", "severity", "services_index", "occurred")


def search_entry_incident_write(*, incident: Incident, created: bool = False) -> bool:
    """Write the incident's entry; return whether what it lends its postmortem's entry changed.

    One statement in the common cases: a new incident's entry is inserted; otherwise the
    entry is updated where it still holds what the incident lends (a status change, say).
    Only when that moved, or the entry is missing, is it written whole, and True returned.
    """
    values = _incident_values(incident)
    if created:  # a new incident has no entry yet (entries go with their incident)
        SearchEntry.objects.create(kind="incident", object_id=incident.pk, incident=incident,
                                   **values)  # fmt: skip
        return True
    lent = {name: values[name] for name in _LENT}
    own = {name: value for name, value in values.items() if name not in lent}
    if SearchEntry.objects.filter(kind="incident", object_id=incident.pk, **lent).update(**own):
        return False
    _save("incident", incident.pk, incident=incident, **values)
    return True


def search_entry_postmortem_write(*, postmortem: Postmortem) -> None:
    """Write the postmortem's entry (its whole text, without front matter) and its items'."""
    pm = postmortem
    incident = pm.incident
    parsed = parse_text(pm.source)
    body = "\n".join(parsed.lines[parsed.body_start :])
    digest = _digest(pm)
    with transaction.atomic():
        _save(
            "postmortem",
            pm.pk,
            incident=incident,
            title=pm.title or incident.title,
            body=body,
            severity=incident.severity,
            services_index=_services_index(list(incident.services) + list(pm.services or [])),
            categories_index=digest.categories_index if digest else "",
            team=digest.team if digest else "",
            status=pm.status,
            occurred=_occurred(incident),
            url=f"/postmortems/{pm.pk}/",
        )
        for item in pm.action_items.all():
            search_entry_action_write(item=item, postmortem=pm, digest=digest)


def search_entry_action_write(
    *, item: ActionItem, postmortem: Postmortem | None = None, digest: Any = None
) -> None:
    """Write the action item's entry, with the categories of the factors it addresses."""
    pm = postmortem or item.postmortem
    incident = pm.incident
    digest = digest if digest is not None else _digest(pm)
    categories = sorted(
        {f[2] for f in (digest.factors if digest else []) if f[2] and f[0] in item.factors}
    )
    _save(
        "action",
        item.pk,
        incident=incident,
        title=item.text,
        body=" ".join(p for p in (item.owner, item.person, item.reason, incident.key) if p),
        severity=incident.severity,
        services_index=_services_index(incident.services),
        categories_index=("," + ",".join(categories) + ",") if categories else "",
        team=item.owner,
        status=item.status,
        occurred=_occurred(incident),
        url=f"/postmortems/{pm.pk}/",
    )


def search_entry_delete(*, kind: str, object_id: int) -> None:
    """Forget an entry whose object is gone."""
    SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()


def search_reindex() -> int:
    """Write every entry again (after an upgrade or a restore); return how many objects."""
    count = 0
    for incident in Incident.objects.iterator(chunk_size=1_000):
        search_entry_incident_write(incident=incident)
        count += 1
    for pm in Postmortem.objects.select_related("incident").iterator(chunk_size=500):
        search_entry_postmortem_write(postmortem=pm)
        count += 1
    return count
