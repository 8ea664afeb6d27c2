"""Insight services: digest a postmortem, count data versions, cache figures, rebuild the index.

Caching, stated once: figures (the insights page, themes) are computed by the core over the
period shown and stored in `InsightCache` per period and per visibility scope (what a person
may see: everything for admins, the public incidents plus those they are a member of for
everyone else). A cached value is served while the data version it saw is current, and for
at most `STALE_SECONDS` after the data moved on, so a busy organisation recomputes each view
at most once per window; past that (or on a new day), a large organisation is still served
the last value, marked stale, while `nofault worker` computes the new one (the
`insights.refresh` task). The similarity index is rebuilt when a postmortem is published
(inline for small organisations, by the worker above `INLINE_REBUILD_LIMIT`) and by the
`insights_refresh` management command on a schedule.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from nofault.core.insights.records import record_from_postmortem
from nofault.core.insights.similar import SimilarityIndex
from nofault.core.markdown import parse_text
from nofault.web.api_errors import ServiceError
from nofault.web.incidents.models import Incident
from nofault.web.insights.models import (
    InsightCache,
    PostmortemDigest,
    PulseComments,
    PulseParticipation,
    PulseTally,
)
from nofault.web.insights.pulse import STATEMENTS, pulse_open_for
from nofault.web.insights.records import postmortem_records, team_of
from nofault.web.postmortems.models import Postmortem
from nofault.web.worker.models import Task, TaskStatus
from nofault.web.worker.tasks import enqueue

logger = logging.getLogger(__name__)

VERSION_KEY = "data-version"
INDEX_KEY = "similarity-index"
# Index statuses: what a reviewer has seen (drafts are still moving).
INDEXED_STATUSES = ("in_review", "published")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def stale_seconds() -> int:
    """How long a cached figure may be served after the data changed."""
    return _setting("NOFAULT_INSIGHTS_STALE_SECONDS", 600)


def inline_rebuild_limit() -> int:
    """Up to this many postmortems (incidents, for figures) work is done inline, not queued."""
    return _setting("NOFAULT_INSIGHTS_INLINE_REBUILD_LIMIT", 3_000)


# --- digest ------------------------------------------------------------------------------


def _blame_in(source: str) -> int:
    from nofault.web.postmortems.services import lint_source  # the one lint door

    return lint_source(source)[1].blame_count


def _is_draft_text(source: str) -> bool:
    """Tell whether a text is a real draft, not the untouched template: it has factors or events."""
    doc = parse_text(source).postmortem
    return bool(doc.contributing_factors or doc.timeline)


def _first_draft_blame(pm: Postmortem) -> int | None:
    """Blame findings of the first revision that is a real draft, read from the revisions."""
    for revision in pm.revisions.order_by("number").only("source")[:50]:
        if _is_draft_text(revision.source):
            return _blame_in(revision.source)
    return None


def _publication_blame(pm: Postmortem) -> int:
    """Blame findings of the published text, read from the revisions."""
    revision = pm.revisions.filter(message="published").order_by("-number").first()
    if revision is None or revision.source == pm.source:
        return pm.blame_count
    return _blame_in(revision.source)


def postmortem_digest_refresh(
    *, postmortem: Postmortem, status_changed: bool = False
) -> PostmortemDigest:
    """Read the postmortem's text once more and store what the insights and search need."""
    pm = postmortem
    doc = parse_text(pm.source).postmortem
    record = record_from_postmortem(doc, key=str(pm.pk))
    digest = PostmortemDigest.objects.filter(postmortem=pm).first() or PostmortemDigest(
        postmortem=pm
    )
    digest.revision = pm.revision
    digest.team = team_of(record.team, (a.owner for a in doc.action_items))
    digest.factors = [[f.id, f.text, f.category or ""] for f in record.factors]
    categories = sorted({f.category for f in record.factors if f.category})
    digest.categories_index = ("," + ",".join(categories) + ",") if categories else ""
    digest.timeline = list(record.timeline)[:500]
    digest.analysis = record.analysis[:50_000]
    digest.related_incidents = list(record.related_incidents)
    if digest.blame_first_draft is None:
        # The first draft is the first saved text with factors or a timeline (revision 1 is
        # often the blank template); its findings are the ones the live linter then helps fix.
        if not digest.pk and pm.revision > 1:
            digest.blame_first_draft = _first_draft_blame(pm)  # an older row: read revisions
        elif record.factors or record.timeline:
            digest.blame_first_draft = pm.blame_count
    if pm.status == "published" and (status_changed or digest.blame_at_publication is None):
        digest.blame_at_publication = pm.blame_count if status_changed else _publication_blame(pm)
    digest.save()
    return digest


# --- data version and cache ----------------------------------------------------------------


# PostgreSQL: a sequence, which no transaction locks, so concurrent writers never wait on one
# another here (a shared row would hold every writer until the one before it committed).
VERSION_SEQUENCE = "insights_data_version"


def _sequence_next() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval('{VERSION_SEQUENCE}')")


def _bumps_after_commit() -> bool:
    return any(entry[1] is _sequence_next for entry in connection.run_on_commit)


def data_version_bump() -> None:
    """Say that incidents, postmortems or action items changed (cached figures go stale).

    On PostgreSQL a sequence moves at once, seen inside this transaction and out (nextval
    ignores transactions), and once more after the commit: a figure computed from the old
    rows while this transaction was open is then stale too. On SQLite writers are serial
    anyway, and the version row changes in the writer's transaction, with the data.
    """
    if connection.vendor == "postgresql":
        _sequence_next()
        if connection.in_atomic_block and not _bumps_after_commit():
            transaction.on_commit(_sequence_next, robust=True)
        return
    updated = InsightCache.objects.filter(key=VERSION_KEY).update(version=F("version") + 1)
    if not updated:
        try:
            with transaction.atomic():
                InsightCache.objects.create(key=VERSION_KEY, version=1, data=b"")
        except IntegrityError:
            InsightCache.objects.filter(key=VERSION_KEY).update(version=F("version") + 1)


def data_version() -> int:
    """The current data version."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value FROM {VERSION_SEQUENCE}")
            return int(cursor.fetchone()[0])
    row = InsightCache.objects.filter(key=VERSION_KEY).values_list("version", flat=True).first()
    return int(row or 0)


REFRESH_TASK = "insights.refresh"
INDEX_TASK = "insights.similarity_index_rebuild"


def _store_json(key: str, family: str, value: dict[str, Any], *, version: int) -> Any:
    built = timezone.now()
    InsightCache.objects.update_or_create(
        key=key,
        defaults={"version": version, "built_at": built, "data": json.dumps(value).encode()},
    )
    if family:  # the same figure for earlier days is of no more use
        InsightCache.objects.filter(key__startswith=family).exclude(key=key).delete()
    return built


def _served(row: InsightCache, *, stale: bool) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(bytes(row.data))
    value["_built_at"] = row.built_at.isoformat()
    value["_stale"] = stale
    return value


def _refresh_in_background(
    key: str, family: str, refresh: dict[str, Any], served: InsightCache | None, version: int
) -> None:
    # One task per figure, data version and value served, however many pages ask meanwhile;
    # every view of a stale figure asks, so asking is one read once the task is queued.
    seen = served.built_at.isoformat() if served is not None else "none"
    task_key = f"{REFRESH_TASK}:{key}@{version}:{seen}"
    if not Task.objects.filter(key=task_key).exists():
        enqueue(REFRESH_TASK, key=task_key, cache_key=key, family=family, **refresh)


def _large_organisation() -> bool:
    """More incidents than `inline_rebuild_limit()`: read up to the limit, never counted (a
    count of 100,000 incidents was 26 ms of PostgreSQL on every view of a stale figure)."""
    return Incident.objects.all()[inline_rebuild_limit() :].exists()


def insight_refresh(*, cache_key: str, family: str, compute: Callable[[], dict[str, Any]]) -> None:
    """Compute a figure and store it under its key (the worker's side of a stale figure)."""
    version = data_version()
    _store_json(cache_key, family, compute(), version=version)


def insight_refreshing() -> bool:
    """Tell whether a figure waits for, or is being computed by, the worker."""
    return Task.objects.filter(
        name=REFRESH_TASK, status__in=[TaskStatus.QUEUED, TaskStatus.RUNNING]
    ).exists()


def cached_json(
    key: str,
    compute: Callable[[], dict[str, Any]],
    *,
    family: str = "",
    pending: dict[str, Any] | None = None,
    refresh: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The cached value under `key` if fresh enough (see the module docstring), else computed.

    `family` is the start of the keys of the same figure on other days (the key ends with
    the day). Past `INLINE_REBUILD_LIMIT` incidents, a value that is no longer fresh enough
    (or one from an earlier day) is still served, marked stale, while the worker computes
    the new one (`refresh` names the figure and its arguments for the `insights.refresh`
    task): the page never waits for the figures after the first time. With `pending`, not
    even the first time: that value is returned (with `_pending`) while the worker computes
    the first one (themes take minutes over 100,000 postmortems).
    """
    version = data_version()
    row = InsightCache.objects.filter(key=key).first()
    if row is not None:
        fresh = row.version == version
        young = timezone.now() - row.built_at < timedelta(seconds=stale_seconds())
        if fresh or young:
            return _served(row, stale=not fresh)
    if row is None and family:
        row = InsightCache.objects.filter(key__startswith=family).order_by("-built_at").first()
    if refresh is not None and (row is not None or pending is not None) and _large_organisation():
        _refresh_in_background(key, family, refresh, row, version)
        if row is None:
            return {**(pending or {}), "_pending": True, "_built_at": None, "_stale": False}
        return _served(row, stale=True)
    value = compute()
    built = _store_json(key, family, value, version=version)
    value["_built_at"] = built.isoformat()
    value["_stale"] = False
    return value


# --- similarity index ----------------------------------------------------------------------

_LOADED: dict[str, tuple[Any, SimilarityIndex]] = {}


# The index is stored in parts: over 100,000 postmortems it is ~400 MB, and PostgreSQL
# refuses one value that large (a bytea parameter is sent as hex, twice its size, over 1 GB).
BLOB_PART = 32 * 1024 * 1024


def _blob_store(key: str, data: bytes, *, version: int, built: Any) -> None:
    """Store a large value as parts `key#0`, `key#1`, …; the row `key` holds how many."""
    parts = [data[i : i + BLOB_PART] for i in range(0, len(data), BLOB_PART)] or [b""]
    with transaction.atomic():
        InsightCache.objects.filter(key__startswith=f"{key}#").delete()
        for n, part in enumerate(parts):
            InsightCache.objects.create(key=f"{key}#{n}", version=version, built_at=built,
                                        data=part)  # fmt: skip
        InsightCache.objects.update_or_create(
            key=key,
            defaults={"version": version, "built_at": built, "data": str(len(parts)).encode()},
        )


def _blob_load(key: str) -> bytes:
    """The value `_blob_store` stored (or an older value stored whole in the row `key`)."""
    head = bytes(InsightCache.objects.filter(key=key).values_list("data", flat=True).first() or b"")
    if not head.isdigit():
        return head
    count = int(head)
    parts = dict(
        InsightCache.objects.filter(key__in=[f"{key}#{n}" for n in range(count)]).values_list(
            "key", "data"
        )
    )
    return b"".join(bytes(parts[f"{key}#{n}"]) for n in range(count))


def similarity_index_rebuild() -> SimilarityIndex:
    """Fit the similarity index over every postmortem in review or published, and store it."""
    records = postmortem_records(statuses=INDEXED_STATUSES)
    index = SimilarityIndex.build(records)
    built = timezone.now()
    _blob_store(INDEX_KEY, index.dumps(), version=data_version(), built=built)
    _LOADED[INDEX_KEY] = (built, index)
    return index


def _rebuild_in_background() -> None:
    # One rebuild per data version: publishing ten postmortems while one runs queues one more.
    enqueue(INDEX_TASK, key=f"{INDEX_TASK}@{data_version()}")


def similarity_index_schedule_rebuild() -> None:
    """Rebuild the index after this transaction: inline when small, else by the worker."""

    def go() -> None:
        if Postmortem.objects.filter(status__in=INDEXED_STATUSES).count() <= inline_rebuild_limit():
            similarity_index_rebuild()
        else:
            _rebuild_in_background()

    transaction.on_commit(go)


def similarity_index_get() -> SimilarityIndex | None:
    """The stored index (kept loaded in this process); built inline the first time when small."""
    built = InsightCache.objects.filter(key=INDEX_KEY).values_list("built_at", flat=True).first()
    if built is None:
        if Postmortem.objects.filter(status__in=INDEXED_STATUSES).count() <= inline_rebuild_limit():
            return similarity_index_rebuild()
        _rebuild_in_background()
        return None
    loaded = _LOADED.get(INDEX_KEY)
    if loaded is not None and loaded[0] == built:
        return loaded[1]
    try:
        index = SimilarityIndex.loads(_blob_load(INDEX_KEY))
    except (ValueError, EOFError, ImportError, AttributeError, KeyError):
        return similarity_index_rebuild()
    _LOADED[INDEX_KEY] = (built, index)
    return index


# --- pulse ---------------------------------------------------------------------------------


def pulse_answer(
    *, postmortem: Postmortem, actor: Any, scores: dict[str, int], comment: str = ""
) -> None:
    """Record one person's anonymous answer: a participation mark, tallies, a sorted comment."""
    if not pulse_open_for(postmortem=postmortem):
        raise ServiceError("the pulse opens once the review is in review or published",
                           reason="pulse_closed")  # fmt: skip
    missing = [s.key for s in STATEMENTS if s.key not in scores]
    if missing:
        raise ServiceError("answer every statement (1 to 5)", reason="invalid_pulse")
    for key, value in scores.items():
        if key not in {s.key for s in STATEMENTS} or not 1 <= int(value) <= 5:
            raise ServiceError("answer every statement with 1 to 5", reason="invalid_pulse")
    comment = comment.replace("\x00", "").strip()
    if len(comment) > 2_000:
        raise ServiceError("a comment is limited to 2,000 characters", reason="too_large")
    with transaction.atomic():
        try:
            with transaction.atomic():
                PulseParticipation.objects.create(postmortem=postmortem, user=actor)
        except IntegrityError:
            raise ServiceError("you have already answered this pulse", reason="already_answered",
                               status_code=409) from None  # fmt: skip
        for key, value in scores.items():
            tally, _ = PulseTally.objects.get_or_create(
                postmortem=postmortem, statement=key, score=int(value)
            )
            PulseTally.objects.filter(pk=tally.pk).update(count=F("count") + 1)
        if comment:
            box, _ = PulseComments.objects.select_for_update().get_or_create(postmortem=postmortem)
            box.comments = sorted([*box.comments, comment], key=str.casefold)
            box.save(update_fields=["comments"])
    data_version_bump()
