"""Importing postmortems: Markdown, Google Docs, Confluence, Notion and HTML exports, as drafts.

An import is all or nothing. The upload is converted whole first (a broken zip, an unreadable
page or a file over the limits refuses the import with the reason), and the drafts are then
stored in one transaction, so a refusal midway leaves nothing behind.

The import page does not import: it keeps the upload as an `ImportJob` and queues the task
`postmortems.import` (key: the job), which the worker runs; the page shows the job's state.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from nofault.core.imports import ImportFailure, ImportResult, Limits, Page, import_file
from nofault.core.markdown import parse_text
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.choices import Role, Severity
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.models import ImportJob, Postmortem
from nofault.web.worker.models import Task, TaskStatus
from nofault.web.worker.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

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
    result = _convert(actor=actor, filename=filename, data=data)
    return ImportReport(drafts=_store_all(actor=actor, pages=result.pages), notes=result.notes)


def _check_upload(*, actor: Any, data: bytes) -> None:
    """Refuse a viewer's upload, and one over the size limit."""
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot import postmortems")
    if len(data) > max_upload_bytes():
        raise ServiceError(
            f"the file is larger than {max_upload_bytes() // _MB} MB",
            reason="too_large",
            status_code=413,
        )


def _convert(*, actor: Any, filename: str, data: bytes) -> ImportResult:
    """Convert the upload whole (no database write), or refuse it with the reason."""
    _check_upload(actor=actor, data=data)
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
    return result


def _store_all(*, actor: Any, pages: list[Page]) -> list[ImportedDraft]:
    """Store every page as a draft in one transaction; a page refused stores none."""
    drafts = []
    with transaction.atomic():
        for page in pages:
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
    return drafts


# --- imports as worker tasks -----------------------------------------------------------

IMPORT_TASK = "postmortems.import"
UNFINISHED = (TaskStatus.QUEUED, TaskStatus.RUNNING)


def max_unfinished_imports() -> int:
    """How many uploads one person may have waiting for the worker at once."""
    return int(getattr(settings, "NOFAULT_IMPORT_MAX_WAITING", 5))


def import_job_create(*, actor: Any, filename: str, data: bytes) -> ImportJob:
    """Keep an upload and queue its import; the same upload still waiting is not queued twice."""
    _check_upload(actor=actor, data=data)
    digest = hashlib.sha256(data).hexdigest()
    filename = filename[-300:] or "upload"
    waiting = ImportJob.objects.filter(owner=actor, status__in=UNFINISHED)
    same = waiting.filter(digest=digest, filename=filename).first()
    if same is not None:
        return same
    if waiting.count() >= max_unfinished_imports():
        raise ServiceError(
            f"{max_unfinished_imports()} of your imports are still waiting: upload again once "
            "they are done",
            reason="too_many",
            status_code=429,
        )
    with transaction.atomic():
        job = ImportJob.objects.create(
            owner=actor, filename=filename, data=data, size=len(data), digest=digest
        )
        enqueue_on_commit(IMPORT_TASK, key=f"{IMPORT_TASK}:{job.pk}", job=job.pk)
    return job


def import_job_run(*, job_id: int) -> None:
    """Import a kept upload and record the outcome on its job; a finished job is left as is.

    The upload is converted outside any transaction; the drafts and the job's `done` are then
    written in one, which first takes the job from unfinished to done: a second run (a worker
    killed after the commit) finds it done and stores nothing. A refusal, or an upload the
    converter cannot read, records the reason and stores nothing. Any other error (say, the
    database went away) leaves the job unfinished for the worker's retry.
    """
    job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status not in UNFINISHED:
        return
    ImportJob.objects.filter(pk=job_id, status=TaskStatus.QUEUED).update(status=TaskStatus.RUNNING)
    try:
        try:
            result = _convert(actor=job.owner, filename=job.filename, data=bytes(job.data))
        except ServiceError:
            raise
        except Exception as exc:  # the converter's own failure: the same bytes fail again
            logger.exception("import %s could not be converted", job_id)
            raise ServiceError(
                f"nothing was imported: the upload could not be read ({exc})"
            ) from exc
        with transaction.atomic():
            if not _import_job_finish(job_id, str(TaskStatus.DONE)):
                return  # finished by another run meanwhile
            drafts = _store_all(actor=job.owner, pages=result.pages)
            ImportJob.objects.filter(pk=job_id).update(report=_report_json(drafts, result.notes))
    except ServiceError as exc:
        _import_job_finish(job_id, str(TaskStatus.FAILED), reason=exc.message)


def _import_job_finish(job_id: int, status: str, *, reason: str = "") -> bool:
    """Mark an unfinished job done or failed and drop its bytes; False if already finished."""
    return bool(
        ImportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(
            status=status, reason=reason[:4000], data=b"", finished_at=timezone.now()
        )
    )


def _report_json(drafts: list[ImportedDraft], notes: list[str]) -> dict[str, Any]:
    return {
        "drafts": [
            {
                "source": d.source,
                "kind": d.kind,
                "postmortem": d.postmortem.pk,
                "title": d.postmortem.title,
                "revision": d.postmortem.revision,
                "unmapped": list(d.unmapped),
            }
            for d in drafts
        ],
        "notes": list(notes),
    }


def import_job_get(*, actor: Any, pk: int) -> ImportJob:
    """One of the actor's own import jobs, or 404 (another's upload is not shown)."""
    job = ImportJob.objects.defer("data").filter(pk=pk, owner=actor).first()
    if job is None:
        raise Http404("no such import")
    return job


def import_jobs_recent(*, actor: Any, limit: int = 5) -> list[ImportJob]:
    """The actor's latest uploads, newest first (without their bytes)."""
    jobs = ImportJob.objects.defer("data").filter(owner=actor).order_by("-created_at", "-pk")
    return list(jobs[:limit])


def import_job_state(job: ImportJob) -> tuple[str, str]:
    """Where the job stands and why it failed: a job whose task ran out of tries failed too."""
    if job.status in UNFINISHED:
        task = Task.objects.filter(key=f"{IMPORT_TASK}:{job.pk}").only("status", "last_error")
        given_up = task.filter(status=TaskStatus.FAILED).first()
        if given_up is not None:
            return str(TaskStatus.FAILED), f"the import stopped: {given_up.last_error}"
    return job.status, job.reason


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
