"""Postmortem services: every change to a postmortem's source is stored through here.

The Markdown source is the truth. Each save parses and lints it with the core, stores what the
core returned (title, severity, findings, depth score, action items), and records a revision.
A save names the revision it was based on; a stale one is refused with `ConflictError`.
Linting lives in `linting`, imports in `imports`, exports in `exports`, and the review
workflow (submit, approve, request changes, publish, reopen, comments) in `reviews.services`.
"""

from __future__ import annotations

import difflib
import hashlib
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from nofault.core import document
from nofault.core.edits import apply_document
from nofault.core.markdown import ParsedText, parse_text, render
from nofault.core.template import new_postmortem
from nofault.web.actions.sync import action_items_sync
from nofault.web.api_errors import ConflictError, NotAllowedError, ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import ActionStatusChoices, AuditAction, Role
from nofault.web.incidents.models import Incident
from nofault.web.postmortems.linting import MAX_SOURCE_CHARS, LintReport, lint_source
from nofault.web.postmortems.models import Postmortem, RenderedBody, Revision
from nofault.web.postmortems.practice import organisation_practice
from nofault.web.postmortems.prefill import clear_marks_of_edited_rows, draft_prefill
from nofault.web.rendering import RENDERER, markdown_to_html

# --- permissions -----------------------------------------------------------------------


def can_edit(*, postmortem: Postmortem, actor: Any) -> bool:
    """Authors and up may edit a postmortem that is not published."""
    return bool(actor.has_role(Role.AUTHOR)) and postmortem.status != "published"


def require_edit(postmortem: Postmortem, actor: Any) -> None:
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot edit postmortems")
    if postmortem.status == "published":
        raise ServiceError(
            "a published postmortem is read-only; reopen it to edit", reason="published"
        )


# --- writing ---------------------------------------------------------------------------


def _diff(old: str, new: str, old_label: str, new_label: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), old_label, new_label, n=2
        )
    )


def _extract(pm: Postmortem, parsed: ParsedText, report: LintReport) -> None:
    doc = parsed.postmortem
    pm.title = (doc.title or pm.incident.title)[:300]
    pm.severity = (doc.severity or "")[:16]
    pm.review_level = doc.review_level.value
    pm.summary = doc.summary[:4000]
    pm.services = list(doc.services)
    pm.authors = list(doc.authors)
    pm.facilitator = (doc.facilitator or "")[:150]
    pm.findings = [f.as_dict() for f in report.findings]
    pm.finding_count = len(report.findings)
    pm.blame_count = report.blame_count
    pm.depth_score = report.score


def check_source(source: str) -> None:
    if not isinstance(source, str):
        raise ServiceError("the source must be Markdown text", reason="invalid_source")
    if len(source) > MAX_SOURCE_CHARS:
        raise ServiceError("the source is longer than a million characters", reason="too_large")
    if "\x00" in source:
        raise ServiceError("the source holds a NUL byte", reason="invalid_source")


def source_write(
    pm: Postmortem, *, actor: Any, source: str, base_revision: int, message: str
) -> Postmortem:
    """Store a new source on top of `base_revision`, or raise ConflictError if it moved on."""
    check_source(source)
    parsed, report = lint_source(source)
    old_source = pm.source
    number = base_revision + 1
    now = timezone.now()
    with transaction.atomic():
        # Compare-and-swap on the revision number: only one of two concurrent saves wins.
        updated = Postmortem.objects.filter(pk=pm.pk, revision=base_revision).update(
            revision=F("revision") + 1, source=source, updated_at=now
        )
        if updated != 1:
            raise ConflictError(
                "someone saved this postmortem since you opened it; compare and merge",
                reason="conflict",
            )
        pm.refresh_from_db(fields=["revision", "source", "updated_at", "status"])
        _extract(pm, parsed, report)
        pm.save(
            update_fields=[
                "title",
                "severity",
                "review_level",
                "summary",
                "services",
                "authors",
                "facilitator",
                "findings",
                "finding_count",
                "blame_count",
                "depth_score",
            ]
        )
        _rendered_keep(pm.pk, pm.revision, source)
        Revision.objects.create(
            postmortem=pm,
            number=number,
            author=actor,
            created_at=now,
            source=source,
            diff=_diff(old_source, source, f"revision {base_revision}", f"revision {number}"),
            message=message[:300],
        )
        action_items_sync(postmortem=pm, items=parsed.postmortem.action_items, actor=actor)
    return pm


@transaction.atomic
def postmortem_create(*, incident: Incident, actor: Any, source: str | None = None) -> Postmortem:
    """Start the incident's postmortem from the guide's template (or from a given source).

    The incident's severity picks the review level the guide gives it (a light one gets the
    light template), the draft is filled from the incident's facts and alerts (`prefill`), and
    its front matter records the guide version it started from (`guide:`).
    """
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot write postmortems")
    if Postmortem.objects.filter(incident=incident).exists():
        raise ServiceError(
            f"{incident.key} already has a postmortem", reason="exists", status_code=409
        )
    practice = organisation_practice()
    if source is None:
        draft = new_postmortem(
            title=incident.title,
            severity=incident.severity,
            incidents=[incident.key],
            review_level=practice.review_level(incident.severity),
            authors=[actor.username],
            created=timezone.localdate(),
            template=practice.template,
        )
        draft = draft_prefill(draft, incident, reader=actor)
        if practice.version:
            draft = draft.model_copy(update={"extra": {"guide": practice.version}})
        source = render(draft)
    check_source(source)
    pm = Postmortem.objects.create(
        incident=incident, source="", revision=0, created_by=actor, title=incident.title[:300]
    )
    return source_write(pm, actor=actor, source=source, base_revision=0, message="created")


def postmortem_save(
    *, postmortem: Postmortem, actor: Any, source: str, base_revision: int, message: str = ""
) -> Postmortem:
    """Save a new source; refused with ConflictError when `base_revision` is stale."""
    require_edit(postmortem, actor)
    if base_revision != postmortem.revision:
        postmortem.refresh_from_db()
        if base_revision != postmortem.revision:
            raise ConflictError(
                "someone saved this postmortem since you opened it; compare and merge",
                reason="conflict",
            )
    if source == postmortem.source:
        return postmortem
    # Every door that saves a person's text comes through here: a prefilled row they changed
    # (in the editor, the API's source or document, the rows form) loses its mark.
    source = clear_marks_of_edited_rows(postmortem.source, source)
    return source_write(
        postmortem, actor=actor, source=source, base_revision=base_revision, message=message
    )


def postmortem_restore(*, postmortem: Postmortem, actor: Any, number: int) -> Postmortem:
    """Make an earlier revision's source the current one (as a new revision)."""
    revision = postmortem.revisions.filter(number=number).first()
    if revision is None:
        raise ServiceError(f"there is no revision {number}", reason="not_found", status_code=404)
    require_edit(postmortem, actor)
    # The revision comes back as it was, its prefilled marks too: no row was edited.
    restored = (
        postmortem
        if revision.source == postmortem.source
        else source_write(
            postmortem,
            actor=actor,
            source=revision.source,
            base_revision=postmortem.revision,
            message=f"restored revision {number}",
        )
    )
    record(actor, AuditAction.RESTORE, restored, detail={"revision": number})
    return restored


def rendered_bodies_fill(*, batch: int = 200) -> int:
    """Render and keep the HTML of every postmortem saved before it was kept at save (its
    page renders it on each first view otherwise); return how many were filled.

    A save meanwhile writes its own (newer) HTML: a row already there is left as it is.
    """
    filled = 0
    while True:
        missing = list(
            Postmortem.objects.filter(rendered__isnull=True)
            .order_by("pk")
            .values_list("pk", "revision", "source")[:batch]
        )
        if not missing:
            return filled
        RenderedBody.objects.bulk_create(
            [_rendered(pk, revision, source) for pk, revision, source in missing],
            ignore_conflicts=True,
        )
        filled += len(missing)


def _rendered(pk: int, revision: int, source: str) -> RenderedBody:
    """The source rendered, as the postmortem's HTML at `revision`."""
    return RenderedBody(
        postmortem_id=pk, revision=revision, html=markdown_to_html(source), renderer=RENDERER
    )


def _rendered_keep(pk: int, revision: int, source: str) -> None:
    """Render the source and keep it as the postmortem's HTML at `revision`."""
    RenderedBody.objects.bulk_create(
        [_rendered(pk, revision, source)],
        update_conflicts=True,
        unique_fields=["postmortem"],
        update_fields=["revision", "html", "renderer"],
    )


def rendered_body_refresh(*, postmortem_id: int, revision: int) -> bool:
    """Render a postmortem's HTML again and keep it, if it is still at `revision`; True if so.

    Safe to run twice (the same HTML is kept again). A save since has kept its own HTML for
    its newer revision, and the row is locked while the HTML is written, so an older
    revision's HTML never replaces a newer one.
    """
    with transaction.atomic():
        current = (
            Postmortem.objects.select_for_update()
            .filter(pk=postmortem_id, revision=revision)
            .values_list("source", flat=True)
            .first()
        )
        if current is None:
            return False
        _rendered_keep(postmortem_id, revision, current)
    return True


RENDER_TASK = "postmortems.render"


def rendered_bodies_queue(*, limit: int = 5000) -> int:
    """Queue the rendering of each postmortem whose kept HTML is missing, is of an older
    revision, or came from another renderer; return how many tasks were queued.

    One task per postmortem revision and renderer (its idempotency key): a task already
    queued, run or given up is not queued again.
    """
    from nofault.web.worker.models import Task
    from nofault.web.worker.tasks import enqueue

    stale = list(
        Postmortem.objects.exclude(rendered__revision=F("revision"), rendered__renderer=RENDERER)
        .order_by("pk")
        .values_list("pk", "revision")[:limit]
    )
    tag = hashlib.blake2b(RENDERER.encode(), digest_size=6).hexdigest()
    keys = {f"{RENDER_TASK}:{pk}:{revision}:{tag}": (pk, revision) for pk, revision in stale}
    known = set(Task.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    for key, (pk, revision) in keys.items():
        if key not in known:
            enqueue(RENDER_TASK, key=key, postmortem_id=pk, revision=revision)
    return len(keys) - len(known)


# --- structured rows -------------------------------------------------------------------


def _replace_section(
    doc: document.Postmortem, kind: document.SectionKind, new: Any, attr: str, rows: list[Any]
) -> None:
    for index, section in enumerate(doc.sections):
        if section.kind == kind:
            doc.sections[index] = section.model_copy(update={attr: rows})
            return
    if rows:
        doc.sections.append(new(heading=_heading(kind), **{attr: rows}))


def _heading(kind: document.SectionKind) -> str:
    from nofault.core.markdown import CANONICAL_HEADINGS

    return CANONICAL_HEADINGS.get(kind, kind.value)


def postmortem_structure_source(
    *,
    source: str,
    timeline: list[document.TimelineEvent] | None = None,
    factors: list[document.ContributingFactor] | None = None,
    actions: list[document.ActionItem] | None = None,
) -> str:
    """Return the source with its timeline, factors or action items replaced, and nothing else.

    Only the sections whose rows changed are written back (`core.edits.apply_document`), so
    the rest of the text keeps its bytes. The result is read back before it is returned: when
    it does not hold exactly the rows asked for and the rest of the document unchanged, the
    save is refused, as the last guard against a save that loses more than it was asked to.
    """
    # The organisation's renamed headings ("Sequence of events") are its sections, not extra ones.
    aliases = organisation_practice().lint.heading_aliases()
    old = parse_text(source, aliases=aliases).postmortem
    doc = old.model_copy(deep=True)
    if timeline is not None:
        _replace_section(
            doc, document.SectionKind.TIMELINE, document.TimelineSection, "events", timeline
        )
    if factors is not None:
        _replace_section(
            doc,
            document.SectionKind.CONTRIBUTING_FACTORS,
            document.FactorsSection,
            "factors",
            factors,
        )
    if actions is not None:
        _replace_section(
            doc, document.SectionKind.ACTION_ITEMS, document.ActionItemsSection, "items", actions
        )
    result = apply_document(source, doc, aliases=aliases)
    back = parse_text(result, aliases=aliases).postmortem
    checks: list[tuple[str, list[Any] | None, list[Any]]] = [
        ("timeline events", timeline, back.timeline),
        ("contributing factors", factors, back.contributing_factors),
        ("action items", actions, back.action_items),
    ]
    for name, asked, held in checks:
        if asked is not None and held != asked:
            raise ServiceError(
                f"saving these rows would not keep the {name} as entered ({len(held)} read "
                f"back where {len(asked)} were given), so nothing was saved; a row's text may "
                "hold Markdown that splits it (a heading, a blank line): edit the source instead",
                reason="unsafe_edit",
            )
    if back != doc:
        raise ServiceError(
            "saving these rows would change other parts of the postmortem, so nothing was "
            "saved; edit the Markdown source instead",
            reason="unsafe_edit",
        )
    return result


def postmortem_structure_save(
    *,
    postmortem: Postmortem,
    actor: Any,
    base_revision: int,
    timeline: list[document.TimelineEvent] | None = None,
    factors: list[document.ContributingFactor] | None = None,
    actions: list[document.ActionItem] | None = None,
) -> Postmortem:
    """Save edited rows of the timeline, factors or action items back into the Markdown."""
    source = postmortem_structure_source(
        source=postmortem.source, timeline=timeline, factors=factors, actions=actions
    )
    return postmortem_save(
        postmortem=postmortem,
        actor=actor,
        source=source,
        base_revision=base_revision,
        message="edited rows",
    )


def postmortem_document_source(*, source: str, new: document.Postmortem) -> str:
    """Return the source rewritten to hold `new`, changing only the parts that differ.

    When the kept parts would not read back as `new` (a layout the spliced text cannot hold),
    the whole document is written in the canonical layout instead, which always reads back.
    """
    result = apply_document(source, new)
    return result if parse_text(result).postmortem == new else render(new)


# --- action items through the document -------------------------------------------------


def postmortem_action_status_set(
    *, postmortem: Postmortem, actor: Any, key: str, status: str, reason: str | None = None
) -> Postmortem:
    """Change one action item's status in the Markdown table (allowed after publishing too)."""
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot change action items")
    doc = parse_text(postmortem.source).postmortem.model_copy(deep=True)
    found = False
    for section in doc.sections:
        if isinstance(section, document.ActionItemsSection):
            for index, item in enumerate(section.items):
                if item.id == key:
                    section.items[index] = item.model_copy(
                        update={"status": document.ActionStatus(status), "reason": reason or None}
                    )
                    found = True
    if not found:
        raise ServiceError(
            f"no action item {key} in the postmortem", reason="not_found", status_code=404
        )
    return source_write(
        postmortem,
        actor=actor,
        source=render(doc),
        base_revision=postmortem.revision,
        message=f"action item {key}: {ActionStatusChoices.label(status)}",
    )


def today() -> date:
    """Today in the configured zone."""
    return timezone.localdate()
