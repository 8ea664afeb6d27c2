"""The actions app's background task: telling owners of items that fell overdue."""

from __future__ import annotations

from datetime import timedelta

from nofault.web.worker.tasks import task

OVERDUE_TASK = "actions.overdue_notify"


@task(OVERDUE_TASK, every=timedelta(minutes=15), max_attempts=3)
def overdue_notify() -> None:
    """Queue the overdue notices of items not yet told (safe to run twice: sends are keyed)."""
    from nofault.web.actions.flows import action_items_overdue_notify

    action_items_overdue_notify()
