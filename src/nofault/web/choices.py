"""Every choice set in one place: values from the core, with labels and colours for pages."""

from __future__ import annotations

from dataclasses import dataclass

from nofault.core.document import (
    DEFAULT_SEVERITIES,
    ActionStatus,
    ActionType,
    IncidentStatus,
    PostmortemStatus,
    ReviewLevel,
)


@dataclass(frozen=True, slots=True)
class Choice:
    """One value with the label and colour pages show it with."""

    value: str
    label: str
    colour: str


class ChoiceSet:
    """A closed set of values; `choices` feeds model fields and forms."""

    CHOICES: tuple[Choice, ...] = ()

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Return (value, label) pairs for Django fields."""
        return [(c.value, c.label) for c in cls.CHOICES]

    @classmethod
    def values(cls) -> list[str]:
        """Return the values in order."""
        return [c.value for c in cls.CHOICES]

    @classmethod
    def label(cls, value: str) -> str:
        """Return the label for a value (the value itself when unknown)."""
        return next((c.label for c in cls.CHOICES if c.value == value), value)

    @classmethod
    def colour(cls, value: str) -> str:
        """Return the colour name for a value."""
        return next((c.colour for c in cls.CHOICES if c.value == value), "grey")


class Severity(ChoiceSet):
    """Incident severity, SEV1 the worst."""

    CHOICES = tuple(
        Choice(s, s, colour)
        for s, colour in zip(
            DEFAULT_SEVERITIES, ("red", "orange", "yellow", "blue", "grey"), strict=True
        )
    )


class IncidentStatusChoices(ChoiceSet):
    """Where an incident stands in its response."""

    CHOICES = (
        Choice(IncidentStatus.TRIGGERED.value, "Triggered", "red"),
        Choice(IncidentStatus.ACKNOWLEDGED.value, "Acknowledged", "orange"),
        Choice(IncidentStatus.MITIGATED.value, "Mitigated", "yellow"),
        Choice(IncidentStatus.RESOLVED.value, "Resolved", "green"),
    )


class PostmortemStatusChoices(ChoiceSet):
    """Where a postmortem stands in its review."""

    CHOICES = (
        Choice(PostmortemStatus.DRAFT.value, "Draft", "grey"),
        Choice(PostmortemStatus.IN_REVIEW.value, "In review", "blue"),
        Choice(PostmortemStatus.PUBLISHED.value, "Published", "green"),
    )


class ReviewLevelChoices(ChoiceSet):
    """How deep the review goes."""

    CHOICES = (
        Choice(ReviewLevel.FULL.value, "Full", "blue"),
        Choice(ReviewLevel.LIGHT.value, "Light", "grey"),
    )


class ActionStatusChoices(ChoiceSet):
    """Where an action item stands."""

    CHOICES = (
        Choice(ActionStatus.OPEN.value, "Open", "blue"),
        Choice(ActionStatus.IN_PROGRESS.value, "In progress", "yellow"),
        Choice(ActionStatus.DONE.value, "Done", "green"),
        Choice(ActionStatus.WONT_DO.value, "Won't do", "grey"),
    )
    OPEN_VALUES = (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)


class ActionTypeChoices(ChoiceSet):
    """What an action item changes."""

    CHOICES = tuple(Choice(t.value, t.value.capitalize(), "grey") for t in ActionType)


class Role(ChoiceSet):
    """What a person may do: read, write postmortems, run reviews, administer."""

    VIEWER = "viewer"
    AUTHOR = "author"
    FACILITATOR = "facilitator"
    ADMIN = "admin"
    CHOICES = (
        Choice(VIEWER, "Viewer", "grey"),
        Choice(AUTHOR, "Author", "blue"),
        Choice(FACILITATOR, "Facilitator", "purple"),
        Choice(ADMIN, "Admin", "red"),
    )
    RANK = {VIEWER: 0, AUTHOR: 1, FACILITATOR: 2, ADMIN: 3}


class AuditAction(ChoiceSet):
    """What the audit log records; a refused login or a lockout shows red."""

    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOCKOUT = "login.locked_out"
    INVITE = "user.invite"
    CREATE = "user.create"
    REACTIVATE = "user.reactivate"
    ROLE_CHANGE = "user.role"
    DEACTIVATE = "user.deactivate"
    PASSWORD_RESET = "user.password_reset"
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    TEAM_CHANGE = "team.change"
    TEAM_DELETE = "team.delete"
    RESTRICT = "incident.restrict"
    UNRESTRICT = "incident.unrestrict"
    MEMBER_ADD = "incident.member_add"
    MEMBER_REMOVE = "incident.member_remove"
    POLICY_CHANGE = "policy.change"
    GUIDE_CHANGE = "guide.change"
    WAIVE = "review.waive"
    WAIVER_WITHDRAW = "review.waiver_withdraw"
    RESTORE = "postmortem.restore"
    PUBLISH = "postmortem.publish"
    EXPORT = "postmortem.export"
    REPLAY = "delivery.replay"
    INTEGRATION_CHANGE = "integration.change"
    CHOICES = (
        Choice(LOGIN, "Logged in", "grey"),
        Choice(LOGIN_FAILED, "Failed login", "red"),
        Choice(LOCKOUT, "Locked out", "red"),
        Choice(INVITE, "Invited", "blue"),
        Choice(CREATE, "Added a person", "blue"),
        Choice(REACTIVATE, "Reactivated", "blue"),
        Choice(ROLE_CHANGE, "Changed a role", "blue"),
        Choice(DEACTIVATE, "Deactivated", "orange"),
        Choice(PASSWORD_RESET, "Sent a password reset", "grey"),
        Choice(TOKEN_CREATE, "Created an API token", "grey"),
        Choice(TOKEN_REVOKE, "Revoked an API token", "grey"),
        Choice(TEAM_CHANGE, "Changed a team", "blue"),
        Choice(TEAM_DELETE, "Deleted a team", "orange"),
        Choice(RESTRICT, "Restricted an incident", "purple"),
        Choice(UNRESTRICT, "Lifted an incident's restriction", "purple"),
        Choice(MEMBER_ADD, "Added a member to a restricted incident", "purple"),
        Choice(MEMBER_REMOVE, "Removed a member from a restricted incident", "purple"),
        Choice(POLICY_CHANGE, "Changed the review policy", "blue"),
        Choice(GUIDE_CHANGE, "Changed the guide", "blue"),
        Choice(WAIVE, "Waived a review", "orange"),
        Choice(WAIVER_WITHDRAW, "Withdrew a waiver", "orange"),
        Choice(RESTORE, "Restored a revision", "grey"),
        Choice(PUBLISH, "Published", "blue"),
        Choice(EXPORT, "Exported a restricted postmortem", "purple"),
        Choice(REPLAY, "Replayed deliveries", "grey"),
        Choice(INTEGRATION_CHANGE, "Changed an integration", "purple"),
    )
