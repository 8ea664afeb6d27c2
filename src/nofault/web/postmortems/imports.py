"""Importing postmortems: Markdown, Google Docs, Confluence, Notion and HTML exports, as drafts.

An import is all or nothing. The upload is converted whole first (a broken zip, an unreadable
page or a file over the limits refuses the import with the reason), and the drafts are then
stored in one transaction, so a refusal midway leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction

from nofault.core.imports import ImportFailure, Limits, Page, import_file
from nofault.core.markdown import parse_text
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.choices import Role, Severity
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.models import Postmortem

_MB = 1024 * 1024


def max_upload_bytes() -> int:
    """The largest upload the import page accepts (NOFAULT_IMPORT_MAX_UPLOAD_MB)."""
    return int(getattr(settings, "NOFAULT_IMPORT_MAX_UPLOAD_BYTES", 50 * _MB))


def import_limits() -> Limits:
    """What one import may unpack to: files, total bytes and bytes per file."""
    return Limits(
        max_members=int(getattr(settings, "NOFAULT_IMPORT_MAX_FILES", 2000)),
        # Conversion takes 1.5-3 CPU s per MB of HTML (benchmarks/imports.py): these bound a
        # request's work; a larger export goes through `nofault import`.
        max_total_bytes=int(getattr(settings, "NOFAULT_IMPORT_MAX_UNPACKED_BYTES", 100 * _MB)),
        max_member_bytes=int(getattr(settings, "NOFAULT_IMPORT_MAX_FILE_BYTES", 10 * _MB)),
    )


@dataclass(frozen=True)
class ImportedDraft:
    """One stored page: where it came from, the draft it became, what was not mapped."""

    source: str
    kind: str
    postmortem: Postmortem
    unmapped: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    """The drafts an import stored and notes on what in the upload did not become one."""

    drafts: list[ImportedDraft]
    notes: list[str]


def postmortem_import(*, actor: Any, filename: str, data: bytes) -> ImportReport:
    """Import an exported file or zip as draft postmortems, all of it or none of it."""
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot import postmortems")
    if len(data) > max_upload_bytes():
        raise ServiceError(
            f"the file is larger than {max_upload_bytes() // _MB} MB",
            reason="too_large",
            status_code=413,
        )
    try:
        result = import_file(filename, data, limits=import_limits())
    except ImportFailure as exc:
        status = 413 if exc.reason == "too_large" else 400
        raise ServiceError(
            f"nothing was imported: {exc.name}: {exc.message}",
            reason=exc.reason,
            status_code=status,
        ) from None
    if result.failures:
        reasons = "; ".join(f"{f.name}: {f.message}" for f in result.failures[:10])
        raise ServiceError(f"nothing was imported: {reasons}", reason="unreadable")
    if not result.pages:
        raise ServiceError(
            "nothing was imported: the upload holds no page (Markdown, HTML, .docx or a "
            "Confluence entities.xml)",
            reason="empty",
        )
    drafts = []
    with transaction.atomic():
        for page in result.pages:
            try:
                drafts.append(_store(actor=actor, page=page))
            except ServiceError as exc:
                # Leaving the block rolls back the drafts stored before this page.
                message = exc.message.removeprefix("nothing was imported: ")
                if not message.startswith(page.source):
                    message = f"{page.source}: {message}"
                raise ServiceError(
                    f"nothing was imported: {message}",
                    reason=exc.reason,
                    status_code=exc.status_code,
                ) from None
    return ImportReport(drafts=drafts, notes=result.notes)


def _store(*, actor: Any, page: Page) -> ImportedDraft:
    from nofault.web.incidents import services as incident_services
    from nofault.web.postmortems.services import check_source, postmortem_create, postmortem_save

    check_source(page.markdown)
    doc = parse_text(page.markdown).postmortem
    notes = list(page.unmapped)
    key = doc.incidents[0] if doc.incidents else None
    incident = Incident.objects.filter(key=key).first() if key else None
    if incident is None:
        severity = doc.severity if doc.severity in Severity.values() else "SEV3"
        if doc.severity is None:
            notes.append("the page states no severity: its incident was given SEV3")
        created = datetime.combine(doc.created, time(12), tzinfo=UTC) if doc.created else None
        incident = incident_services.incident_create(
            actor=actor,
            title=(doc.title or page.title or page.source)[:300],
            severity=severity,
            key=key,
            services=list(doc.services),
            status="resolved",
            created_at=created,
        )
    elif incident.restricted and not (
        actor.is_org_admin or incident.members.filter(pk=actor.pk).exists()
    ):
        raise ServiceError(
            f"incident {key} is not yours to change", reason="forbidden", status_code=403
        )
    existing = Postmortem.objects.filter(incident=incident).first()
    if existing is None:
        postmortem = postmortem_create(incident=incident, actor=actor, source=page.markdown)
    else:
        postmortem = postmortem_save(
            postmortem=existing,
            actor=actor,
            source=page.markdown,
            base_revision=existing.revision,
            message=f"imported {page.source}",
        )
    return ImportedDraft(
        source=page.source, kind=page.kind, postmortem=postmortem, unmapped=tuple(notes)
    )
