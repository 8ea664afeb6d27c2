"""Review services: the review workflow (submit, approve, publish, reopen, comments), the
policy (admins), the service → team map, waivers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from nofault.core import document
from nofault.core.document import ReviewLevel
from nofault.core.edits import apply_document
from nofault.core.markdown import UNREADABLE_FRONT_MATTER, parse_text
from nofault.core.policy import PolicyError
from nofault.web.api_errors import NotAllowedError, ServiceError
from nofault.web.audit.services import record
from nofault.web.choices import AuditAction, Role, Severity
from nofault.web.incidents.models import Incident
from nofault.web.notifications import services as notify
from nofault.web.postmortems.models import Approval, Comment, Postmortem
from nofault.web.postmortems.services import require_edit, source_write
from nofault.web.reviews.models import PolicySettings, ServiceTeam, Waiver
from nofault.web.reviews.selectors import policy_settings, review_policy


def review_due_date(*, severity: str, since: datetime) -> date:
    """Return the day an incident of this severity, recorded at `since`, owes its review by."""
    return review_policy().requirement(severity, since).due_at.date()


def _require_admin(actor: Any) -> None:
    if not actor.has_role(Role.ADMIN):
        raise NotAllowedError("only admins can change the review policy")


@transaction.atomic
def review_policy_update(
    *,
    actor: Any,
    severities: dict[str, dict[str, Any]] | None = None,
    **escalation: Any,
) -> PolicySettings:
    """Store the admins' per-severity changes (only what differs from the guide) and delays."""
    _require_admin(actor)
    settings = policy_settings()
    if severities is not None:
        guide = review_policy(PolicySettings())
        overrides: dict[str, dict[str, Any]] = {}
        for name, change in severities.items():
            if name not in Severity.values():
                raise ServiceError(f"unknown severity {name!r}", reason="invalid_severity")
            level, due = str(change.get("level", "")), change.get("due_days")
            if level not in {lvl.value for lvl in ReviewLevel}:
                raise ServiceError(f"{name}: level is full or light", reason="invalid_level")
            if not isinstance(due, int) or not 1 <= due <= 365:
                raise ServiceError(f"{name}: due days are 1 to 365", reason="invalid_due_days")
            wanted = {"level": level, "due_days": due, "waivable": bool(change.get("waivable"))}
            base = guide.rule(name)
            current = {"level": base.level.value, "due_days": base.due_days,
                       "waivable": base.waivable}  # fmt: skip
            if wanted != current:
                overrides[name] = wanted
        settings.overrides = overrides
    allowed = {"facilitator_after_days", "sponsor_after_days", "repeat_every_hours",
               "digest_weekday", "recurrence_window_days", "sponsor",
               "independent_reviewer", "draft_readers"}  # fmt: skip
    unknown = set(escalation) - allowed
    if unknown:
        raise ServiceError(f"cannot change {sorted(unknown)[0]}", reason="invalid_field")
    for name, value in escalation.items():
        setattr(settings, name, value)
    if settings.sponsor_after_days < settings.facilitator_after_days:
        raise ServiceError(
            "the sponsor is reminded after the facilitator, not before", reason="invalid_delays"
        )
    if not 0 <= settings.digest_weekday <= 6:
        raise ServiceError("the digest weekday is 0 (Monday) to 6", reason="invalid_weekday")
    settings.updated_by, settings.updated_at = actor, timezone.now()
    settings.save()
    changed = sorted([*escalation, *(["severities"] if severities is not None else [])])
    record(actor, AuditAction.POLICY_CHANGE, ("policy", settings.pk, "review policy"),
           detail={"changed": changed})  # fmt: skip
    return settings


@transaction.atomic
def service_teams_set(*, actor: Any, mapping: dict[str, str]) -> None:
    """Replace the service → team map coverage is read by team with."""
    _require_admin(actor)
    ServiceTeam.objects.all().delete()
    ServiceTeam.objects.bulk_create(
        ServiceTeam(service=s.strip().lower()[:200], team=t.strip()[:200])
        for s, t in mapping.items()
        if s.strip() and t.strip()
    )


def waiver_roles_held(actor: Any) -> list[str]:
    """The roles a waiver can be decided in that this person's account holds."""
    held = []
    sponsor = policy_settings().sponsor.strip()
    if sponsor and sponsor.casefold() == actor.username.casefold():
        held.append("sponsor")
    if actor.has_role(Role.FACILITATOR):
        held.append("facilitator")
    return held


def review_waive(*, incident: Incident, actor: Any, reason: str) -> Waiver:
    """Waive an incident's review: the decider's role comes from their account, never a choice.

    The policy names the roles that may waive (the sponsor by default: the person named
    sponsor in the escalation settings); someone who holds none of them is refused.
    """
    if not actor.has_role(Role.FACILITATOR) and not waiver_roles_held(actor):
        raise NotAllowedError("only facilitators, admins and the sponsor record waivers")
    pm = getattr(incident, "postmortem", None)
    if pm is not None and pm.status == "published":
        raise ServiceError("the review is already published", reason="already_published")
    policy = review_policy()
    held = [r for r in waiver_roles_held(actor) if r in policy.waiver_roles]
    role = held[0] if held else ""
    try:
        policy.check_waiver(
            severity=incident.severity, reason=reason, role=role or None, person=actor.username
        )
    except PolicyError as exc:
        raise ServiceError(str(exc), reason="waiver_refused") from None
    try:
        waiver = Waiver.objects.create(
            incident=incident,
            reason=reason.strip(),
            role=role,
            decided_by=actor,
            decided_by_name=actor.display_name[:150],
        )
    except IntegrityError:
        raise ServiceError(
            f"{incident.key}'s review is already waived", reason="already_waived", status_code=409
        ) from None
    record(actor, AuditAction.WAIVE, incident, detail={"reason": waiver.reason, "role": role})
    return waiver


def review_waiver_withdraw(*, incident: Incident, actor: Any) -> None:
    """Withdraw a waiver: the incident owes its review again."""
    if not actor.has_role(Role.FACILITATOR):
        raise NotAllowedError("only facilitators and admins withdraw waivers")
    if Waiver.objects.filter(incident=incident).delete()[0]:
        record(actor, AuditAction.WAIVER_WITHDRAW, incident)


# --- the review workflow ----------------------------------------------------------------


def _with_front_matter(source: str, **changes: Any) -> str:
    """Return the source with front-matter fields changed and everything else kept verbatim."""
    parsed = parse_text(source)
    if any(p.code == UNREADABLE_FRONT_MATTER for p in parsed.problems):
        return source
    try:
        doc = parsed.postmortem.model_copy(deep=True)
        for name, value in changes.items():
            setattr(doc, name, value)
    except ValueError:
        return source
    return apply_document(source, doc)


def _set_status(pm: Postmortem, actor: Any, status: str, message: str, **front: Any) -> Postmortem:
    source = _with_front_matter(pm.source, status=document.PostmortemStatus(status), **front)
    if source != pm.source:
        pm = source_write(
            pm, actor=actor, source=source, base_revision=pm.revision, message=message
        )
    pm.status = status
    pm.save(
        update_fields=[
            "status",
            "submitted_at",
            "published_at",
            "published_by",
            "blame_accepted_by",
            "blame_accepted",
        ]
    )
    return pm


def is_author(*, postmortem: Postmortem, person: Any) -> bool:
    """Tell whether the person wrote the postmortem: named among its authors, or started it."""
    names = {str(n).strip().casefold() for n in postmortem.authors}
    return (
        postmortem.created_by_id == person.pk
        or person.username.casefold() in names
        or person.display_name.casefold() in names
    )


@transaction.atomic
def postmortem_submit_for_review(
    *, postmortem: Postmortem, actor: Any, reviewers: list[Any]
) -> Postmortem:
    """Move a draft into review with at least one reviewer assigned."""
    require_edit(postmortem, actor)
    if postmortem.status != "draft":
        raise ServiceError("only a draft can be submitted for review", reason="not_draft")
    reviewers = [r for r in reviewers if r.has_role(Role.AUTHOR)]
    if not reviewers:
        raise ServiceError(
            "assign at least one reviewer (an author or above)", reason="no_reviewers"
        )
    if policy_settings().independent_reviewer and all(
        is_author(postmortem=postmortem, person=r) for r in reviewers
    ):
        raise ServiceError(
            "assign at least one reviewer who is not an author of the postmortem",
            reason="no_independent_reviewer",
        )
    postmortem.reviewers.set(reviewers)
    postmortem.approvals.all().delete()
    postmortem.submitted_at = timezone.now()
    submitted = _set_status(
        postmortem,
        actor,
        "in_review",
        "submitted for review",
        reviewers=[r.username for r in reviewers],
    )
    notify.review_event_notify(
        event="review_requested",
        event_key=f"review_requested:{submitted.pk}:{submitted.revision}",
        postmortem=submitted,
        actor=actor,
        recipients=reviewers,
    )
    return submitted


def postmortem_comment_add(*, postmortem: Postmortem, actor: Any, body: str) -> Comment:
    """Add a remark on the document (anyone who can see it may comment)."""
    body = body.strip()
    if not body:
        raise ServiceError("a comment needs some text", reason="empty_comment")
    if len(body) > 20_000:
        raise ServiceError("a comment is limited to 20,000 characters", reason="too_large")
    if "\x00" in body:  # PostgreSQL stores no NUL in text
        raise ServiceError("a comment cannot hold a NUL character", reason="invalid_comment")
    comment = Comment.objects.create(
        postmortem=postmortem, author=actor, body=body, revision=postmortem.revision
    )
    notify.review_event_notify(
        event="mentioned",
        event_key=f"comment:{comment.pk}",
        postmortem=postmortem,
        actor=actor,
        recipients=notify.mentioned_users(body),
        note=body,
    )
    return comment


def _verdict(postmortem: Postmortem, actor: Any, verdict: str) -> Approval:
    """Record an assigned reviewer's verdict; the same verdict twice in a row is refused."""
    if postmortem.status != "in_review":
        raise ServiceError("only a postmortem in review can be reviewed", reason="not_in_review")
    if not postmortem.reviewers.filter(pk=actor.pk).exists():
        raise NotAllowedError("only an assigned reviewer can approve or request changes")
    given = Approval.objects.select_for_update().filter(postmortem=postmortem, reviewer=actor)
    if given.filter(verdict=verdict).exists():
        said = "approved" if verdict == Approval.APPROVED else "requested changes"
        raise ServiceError(f"you already {said}", reason=f"already_{verdict}", status_code=409)
    approval, _ = Approval.objects.update_or_create(
        postmortem=postmortem,
        reviewer=actor,
        defaults={
            "revision": postmortem.revision,
            "created_at": timezone.now(),
            "verdict": verdict,
        },
    )
    notify.review_event_notify(
        event="approved" if verdict == Approval.APPROVED else "changes_requested",
        event_key=f"verdict:{approval.pk}:{verdict}:{approval.created_at.isoformat()}",
        postmortem=postmortem,
        actor=actor,
        recipients=notify.postmortem_authors(postmortem),
    )
    return approval


@transaction.atomic
def postmortem_approve(*, postmortem: Postmortem, actor: Any) -> Approval:
    """Record an assigned reviewer's approval of the postmortem under review."""
    return _verdict(postmortem, actor, Approval.APPROVED)


@transaction.atomic
def postmortem_request_changes(*, postmortem: Postmortem, actor: Any, body: str = "") -> Approval:
    """Record that an assigned reviewer asks for changes (with a comment saying which)."""
    approval = _verdict(postmortem, actor, Approval.CHANGES_REQUESTED)
    if body.strip():
        postmortem_comment_add(postmortem=postmortem, actor=actor, body=body)
    return approval


def missing_approvals(*, postmortem: Postmortem) -> list[Any]:
    """Assigned reviewers who have not approved (yet, or who asked for changes)."""
    approved = set(
        postmortem.approvals.filter(verdict=Approval.APPROVED).values_list("reviewer_id", flat=True)
    )
    return [r for r in postmortem.reviewers.all() if r.pk not in approved]


@transaction.atomic
def postmortem_publish(
    *, postmortem: Postmortem, actor: Any, accept_blame_findings: bool = False
) -> Postmortem:
    """Publish once every reviewer approved; refuse while blame findings remain unless accepted."""
    if not actor.has_role(Role.AUTHOR):
        raise NotAllowedError("viewers cannot publish")
    if postmortem.status != "in_review":
        raise ServiceError("only a postmortem in review can be published", reason="not_in_review")
    missing = missing_approvals(postmortem=postmortem)
    if missing:
        names = ", ".join(r.username for r in missing)
        raise ServiceError(f"waiting for approval from {names}", reason="approvals_missing")
    if postmortem.blame_count and not accept_blame_findings:
        raise ServiceError(
            f"{postmortem.blame_count} blame finding(s) remain; reword them or publish anyway",
            reason="blame_findings_remain",
        )
    postmortem.published_at = timezone.now()
    postmortem.published_by = actor
    if postmortem.blame_count:  # accepted: who, and which findings, are kept with the record
        postmortem.blame_accepted_by = actor
        postmortem.blame_accepted = [f for f in postmortem.findings if f.get("category") == "blame"]
    published = _set_status(
        postmortem, actor, "published", "published", published=timezone.localdate()
    )
    notify.review_event_notify(
        event="published",
        event_key=f"published:{published.pk}:{published.revision}",
        postmortem=published,
        actor=actor,
        recipients=[
            *notify.postmortem_authors(published),
            *published.reviewers.all(),
            *notify.users_named([published.facilitator]),
        ],
    )
    record(actor, AuditAction.PUBLISH, published, detail={"revision": published.revision})
    return published


@transaction.atomic
def postmortem_reopen(*, postmortem: Postmortem, actor: Any) -> Postmortem:
    """Return a postmortem to draft (facilitators and admins), clearing its approvals."""
    if not actor.has_role(Role.FACILITATOR):
        raise NotAllowedError("only facilitators and admins can reopen a postmortem")
    postmortem.approvals.all().delete()
    postmortem.published_at = None
    postmortem.published_by = None
    postmortem.blame_accepted_by = None
    postmortem.blame_accepted = []
    return _set_status(postmortem, actor, "draft", "reopened", published=None)
