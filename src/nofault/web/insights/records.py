"""Database rows to the core's insight records, including what only the web app knows.

The core's records (`nofault.core.insights.records`) are filled here from rows, never from
Markdown at query time: the per-save `PostmortemDigest` holds what was read from the text
(factors, timeline, analysis, team, related incidents, blame at first draft and at
publication); the rows hold when each action item was closed, which incidents have no
postmortem at all, and which reviews were waived (the reviews app's `Waiver`). Reads use
`values_list` so 100,000 rows map in about a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import TruncDate

from nofault.core.document import Postmortem as PostmortemDocument
from nofault.core.insights.records import (
    ActionRecord,
    FactorRecord,
    IncidentRecord,
    PostmortemRecord,
    record_from_postmortem,
)
from nofault.web.actions.models import ActionItem
from nofault.web.incidents.selectors import incident_list_visible, team_filter
from nofault.web.postmortems.models import Postmortem
from nofault.web.postmortems.selectors import postmortem_list_visible

__all__ = [
    "incident_records",
    "postmortem_key",
    "postmortem_pk",
    "postmortem_records",
    "record_from_source",
    "team_of",
]

_PM_FIELDS = (
    "pk",
    "incident__key",
    "title",
    "incident__severity",
    "incident__services",
    "status",
    TruncDate("created_at", tzinfo=UTC),  # days: see _CLOSED_DAY
    TruncDate("published_at", tzinfo=UTC),
    "incident__started_at",
    "incident__detected_at",
    "incident__mitigated_at",
    "incident__resolved_at",
    "summary",
    "depth_score",
    "blame_count",
    "digest__team",
    "digest__factors",
    "digest__timeline",
    "digest__analysis",
    "digest__related_incidents",
    "digest__blame_first_draft",
    "digest__blame_at_publication",
)
# What the metrics never read: left unread when `text=False` (at 100,000 postmortems the
# texts are most of what the database sends).
_TEXT_FIELDS = {
    "title": Value(""),
    "summary": Value(""),
    "digest__factors": Value(None, output_field=CharField()),
    "digest__timeline": Value(None, output_field=CharField()),
    "digest__analysis": Value(""),
}
_ACTION_FIELDS = (
    "postmortem_id",
    "key",
    "text",
    "status",
    "due",
    "closed_at",
    "created_at",
    "owner",
)


def postmortem_key(pk: int) -> str:
    """The record key of a stored postmortem."""
    return f"pm{pk}"


def postmortem_pk(key: str) -> int | None:
    """The primary key a record key names, or None for a draft that is not stored."""
    return int(key[2:]) if key.startswith("pm") and key[2:].isdigit() else None


def team_of(team: object, owners: Iterable[str | None]) -> str:
    """The owning team: the front matter's `team`, else the most common action item owner."""
    if team:
        return str(team)[:200]
    counted = Counter(o for o in owners if o)
    return counted.most_common(1)[0][0][:200] if counted else ""


def _day(moment: datetime | None) -> date | None:
    return moment.astimezone(UTC).date() if moment else None


def _period(qs: QuerySet[Any], field: str, since: date | None, until: date | None) -> QuerySet[Any]:
    if since:
        qs = qs.filter(**{f"{field}__gte": datetime.combine(since, time.min, tzinfo=UTC)})
    if until:
        qs = qs.filter(**{f"{field}__lte": datetime.combine(until, time.max, tzinfo=UTC)})
    return qs


# Days read as dates (UTC): a timestamp with its zone costs Django's loader (Python, not
# psycopg's C one) about 13 µs, and 300,000 action items have two each (8 s of the insights
# figures' 19 s at 100,000 incidents on PostgreSQL).
_CLOSED_DAY = TruncDate("closed_at", tzinfo=UTC)
_CREATED_DAY = TruncDate("created_at", tzinfo=UTC)


def _actions(pks: list[int], *, text: bool) -> dict[int, list[ActionRecord]]:
    out: dict[int, list[ActionRecord]] = {}
    fields = [
        Value("") if not text and f == "text" else
        {"closed_at": _CLOSED_DAY, "created_at": _CREATED_DAY}.get(f, f)
        for f in _ACTION_FIELDS
    ]  # fmt: skip
    for start in range(0, len(pks), 5_000):
        rows = ActionItem.objects.filter(postmortem_id__in=pks[start : start + 5_000])
        for pm_id, key, text_, status, due, closed, created, owner in rows.order_by(
            "postmortem_id", "position", "id"
        ).values_list(*fields):
            out.setdefault(pm_id, []).append(
                ActionRecord(
                    id=key,
                    text=text_,
                    status=status,
                    due=due,
                    closed=closed if status == "done" else None,
                    created=created,
                    owner=owner or None,
                )
            )
    return out


def postmortem_records(
    *,
    user: Any = None,
    since: date | None = None,
    until: date | None = None,
    statuses: Iterable[str] | None = None,
    pks: Iterable[int] | None = None,
    text: bool = True,
    team: str = "",
    drafts: str = "reader",
) -> list[PostmortemRecord]:
    """Records of the postmortems the user may see (every one when `user` is None).

    `since`/`until` keep incidents created in that period; `statuses` keeps those states;
    `text=False` leaves out the titles, summaries, analyses, timelines and factors; `team`
    keeps the incidents of that team (through the service → team map); `drafts` is
    `postmortem_list_visible`'s.
    """
    if user is None:
        qs: QuerySet[Postmortem] = Postmortem.objects.all()
        qs = qs.filter(team_filter(team, "incident__")) if team else qs
    else:
        qs = postmortem_list_visible(
            user=user, filters={"team": team} if team else None, drafts=drafts
        )
    qs = _period(qs, "incident__created_at", since, until)
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    fields = [_TEXT_FIELDS.get(f, f) if not text else f for f in _PM_FIELDS]
    rows = list(qs.order_by("pk").values_list(*fields))
    actions = _actions([r[0] for r in rows], text=text)
    records = []
    for (
        pk, incident, title, severity, services, status, created, published, started, detected,
        mitigated, resolved, summary, depth, blame, team, factors, timeline, analysis, related,
        blame_first, blame_published,
    ) in rows:  # fmt: skip
        records.append(
            PostmortemRecord(
                key=postmortem_key(pk),
                title=title,
                id=incident,
                incidents=(incident,),
                severity=severity or None,
                services=tuple(services or ()),
                team=team or None,
                status=status,
                created=created,
                published=published,
                started_at=started,
                detected_at=detected,
                mitigated_at=mitigated,
                resolved_at=resolved,
                summary=summary,
                analysis=analysis or "",
                timeline=tuple(timeline or ()),
                factors=tuple(FactorRecord(f[0], f[1], f[2] or None) for f in factors or ()),
                actions=tuple(actions.get(pk, ())),
                related_incidents=tuple(related or ()),
                depth_score=depth,
                blame_findings=(
                    blame_published
                    if status == "published" and blame_published is not None
                    else blame
                ),
                blame_findings_first_draft=blame_first,
            )
        )
    return records


def incident_records(
    *, user: Any = None, since: date | None = None, until: date | None = None, team: str = ""
) -> list[IncidentRecord]:
    """Records of every incident the user may see (of `team` when given), with or without a
    postmortem.

    Every incident owes a review (the web app sets a due date for each); one the reviews app
    holds a waiver for counts as waived (covered, and not a missing review).
    """
    filters = {"team": team} if team else None
    qs = incident_list_visible(user=user, filters=filters) if user is not None else None
    if qs is None:
        from nofault.web.incidents.models import Incident

        qs = Incident.objects.filter(team_filter(team)) if team else Incident.objects.all()
    qs = _period(qs, "created_at", since, until)
    rows = qs.order_by("pk").values_list(
        "key", "title", "severity", "services", "started_at", "detected_at", "mitigated_at",
        "resolved_at", "postmortem__digest__team", "postmortem__digest__related_incidents",
        "review_waiver__id",
    )  # fmt: skip
    return [
        IncidentRecord(
            id=key,
            title=title,
            severity=severity,
            services=tuple(services or ()),
            team=team or None,
            started_at=started,
            detected_at=detected,
            mitigated_at=mitigated,
            resolved_at=resolved,
            review_waived=waiver is not None,
            related_to=tuple(related or ()),
        )
        for (
            key, title, severity, services, started, detected, mitigated, resolved, team, related,
            waiver,
        ) in rows
    ]  # fmt: skip


def record_from_source(source: str, *, key: str, pk: int | None = None) -> PostmortemRecord:
    """A record of a text being written (the editor's unsaved draft), for similar incidents."""
    from nofault.core.markdown import parse_text

    doc: PostmortemDocument = parse_text(source).postmortem
    return record_from_postmortem(doc, key=postmortem_key(pk) if pk is not None else key)
