"""The audit app's background task: pruning past the retention, scheduled by the worker."""

from __future__ import annotations

from datetime import timedelta

from nofault.web.worker.tasks import task


@task("audit.prune", every=timedelta(hours=6), max_attempts=3)
def prune() -> int:
    """Delete the audit events older than NOFAULT_AUDIT_RETENTION_DAYS (safe to run twice)."""
    from nofault.web.audit.services import audit_prune

    return audit_prune()
