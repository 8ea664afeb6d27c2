"""Builders for small, hand-made records."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nofault.core.insights.records import ActionRecord, FactorRecord, PostmortemRecord


def pm(
    key: str,
    title: str,
    summary: str = "",
    factors: tuple[str, ...] = (),
    *,
    started: str | None = None,
    **kwargs: object,
) -> PostmortemRecord:
    """A postmortem record with factors given as plain texts."""
    start = datetime.fromisoformat(started).replace(tzinfo=UTC) if started else None
    return PostmortemRecord(
        key=key,
        title=title,
        summary=summary,
        factors=tuple(FactorRecord(f"CF{i}", t, "technical") for i, t in enumerate(factors, 1)),
        incidents=kwargs.pop("incidents", (f"INC-{key}",)),  # type: ignore[arg-type]
        started_at=start,
        **kwargs,  # type: ignore[arg-type]
    )


def action(
    status: str = "open",
    due: str | None = None,
    closed: str | None = None,
    created: str | None = None,
    ident: str = "A1",
) -> ActionRecord:
    """An action record from ISO date strings."""
    d = date.fromisoformat
    return ActionRecord(
        id=ident,
        text=f"action {ident}",
        status=status,
        due=d(due) if due else None,
        closed=d(closed) if closed else None,
        created=d(created) if created else None,
    )
