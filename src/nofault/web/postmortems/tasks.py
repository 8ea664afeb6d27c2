"""The postmortems app's background tasks: imports, and kept HTML rendered again."""

from __future__ import annotations

from datetime import timedelta

from nofault.web.postmortems.imports import IMPORT_TASK
from nofault.web.postmortems.services import RENDER_TASK
from nofault.web.worker.tasks import task


@task(IMPORT_TASK, max_attempts=3)
def postmortem_import_run(*, job: int) -> None:
    """Import one uploaded export as drafts, all or nothing (safe to run twice: a finished
    import is not run again)."""
    from nofault.web.postmortems.imports import import_job_run

    import_job_run(job_id=job)


@task(RENDER_TASK, max_attempts=3)
def rendered_body_refresh(*, postmortem_id: int, revision: int) -> None:
    """Render one postmortem revision's HTML and keep it (safe to run twice)."""
    from nofault.web.postmortems.services import rendered_body_refresh as refresh

    refresh(postmortem_id=postmortem_id, revision=revision)


@task("postmortems.render_stale", every=timedelta(minutes=5), max_attempts=3)
def rendered_bodies_queue() -> None:
    """Queue the rendering of postmortems whose kept HTML is missing, old or from another
    renderer (after an upgrade), a batch each run."""
    from nofault.web.postmortems.services import rendered_bodies_queue as queue

    queue()
