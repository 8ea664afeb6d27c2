"""The fixed words of the guide: the process stages and the postmortem roles."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    """A stage of the postmortem process, in order."""

    TRIGGER = "trigger"
    ASSIGN = "assign"
    GATHER = "gather"
    INTERVIEW = "interview"
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISH = "publish"
    FOLLOW_THROUGH = "follow_through"
    REVISIT = "revisit"

    @property
    def label(self) -> str:
        """The stage's name as the guide writes it."""
        return STAGE_TITLES[self]


STAGE_TITLES: dict[Stage, str] = {
    Stage.TRIGGER: "Trigger",
    Stage.ASSIGN: "Assign the owner and facilitator",
    Stage.GATHER: "Gather the timeline and data",
    Stage.INTERVIEW: "Talk with the people involved",
    Stage.DRAFT: "Draft",
    Stage.REVIEW: "Review meeting",
    Stage.PUBLISH: "Publish",
    Stage.FOLLOW_THROUGH: "Follow through",
    Stage.REVISIT: "Revisit",
}


class Role(StrEnum):
    """A role in the postmortem process; the organisation names each one in guide.toml."""

    OWNER = "owner"
    FACILITATOR = "facilitator"
    INCIDENT_COMMANDER = "incident_commander"
    PARTICIPANTS = "participants"
    REVIEWER = "reviewer"
    ACTION_OWNER = "action_owner"
    SPONSOR = "sponsor"


DEFAULT_ROLE_NAMES: dict[Role, str] = {
    Role.OWNER: "Postmortem owner",
    Role.FACILITATOR: "Facilitator",
    Role.INCIDENT_COMMANDER: "Incident commander",
    Role.PARTICIPANTS: "Participants",
    Role.REVIEWER: "Reviewer",
    Role.ACTION_OWNER: "Action-item owner",
    Role.SPONSOR: "Leadership sponsor",
}


def parse_stage(text: str) -> Stage | None:
    """Read a stage key as people write it (`follow-through`, `Follow through`), or None."""
    key = "_".join(text.casefold().replace("-", " ").split())
    aliases = {
        "follow_up": "follow_through",
        "meeting": "review",
        "interviews": "interview",
        "timeline": "gather",
        "assign_owner": "assign",
    }
    key = aliases.get(key, key)
    return Stage(key) if key in Stage._value2member_map_ else None


def parse_role(text: str) -> Role | None:
    """Read a role key as people write it (`action-owner`, `Action owner`), or None."""
    key = "_".join(text.casefold().replace("-", " ").split())
    aliases = {
        "action_item_owner": "action_owner",
        "participant": "participants",
        "ic": "incident_commander",
        "leader": "sponsor",
        "leadership_sponsor": "sponsor",
        "postmortem_owner": "owner",
        "reviewers": "reviewer",
    }
    key = aliases.get(key, key)
    return Role(key) if key in Role._value2member_map_ else None
