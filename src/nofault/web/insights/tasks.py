"""The insights app's background tasks: a stale figure computed again, the index rebuilt."""

from __future__ import annotations

from datetime import date

from nofault.web.worker.tasks import task


@task("insights.refresh", max_attempts=3)
def refresh(*, cache_key: str, family: str, figure: str, user_id: int, since: str | None,
            today: str, team: str = "") -> None:  # fmt: skip
    """Compute the figures or themes a person's scope sees for a period, and store them.

    Safe to run twice: the second run stores the same figure under the same key.
    """
    from nofault.web.accounts.models import User
    from nofault.web.insights import selectors, services

    user = User.objects.get(pk=user_id)
    start = date.fromisoformat(since) if since else None
    end = date.fromisoformat(today)
    if figure == "figures":  # the figures may be one team's (`team`); themes never are
        compute = lambda: selectors.figures_compute(user, start, end, team)  # noqa: E731
    else:
        compute = lambda: selectors.themes_compute(user, start, end)  # noqa: E731
    services.insight_refresh(cache_key=cache_key, family=family, compute=compute)


@task("insights.similarity_index_rebuild", max_attempts=3)
def similarity_index_rebuild() -> None:
    """Rebuild the similarity index from the published postmortems (safe to run twice)."""
    from nofault.web.insights.services import similarity_index_rebuild as rebuild

    rebuild()
