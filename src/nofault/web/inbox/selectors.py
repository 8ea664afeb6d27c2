"""What waits for one person, read through the same access rules as every other page.

Each list has one definition here, used both by the home page and by the counts in the
navigation, so the two never disagree:

- reviews waiting: postmortems in review that name the person a reviewer and hold no
  verdict of theirs on the current revision (a new revision asks them again);
- my action items: open items whose person is them (or, with no person, whose owner is);
- my drafts: postmortems before publication that they started or saved a revision of.

Restricted incidents count only for those who may see them (`visible_incident_filter`).
Drafts kept to their participants (`draft_reader_filter`) need no check here: a reviewer
always reads what they review, and a person their own drafts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from nofault.web.actions.models import ActionItem
from nofault.web.choices import ActionStatusChoices, PostmortemStatusChoices
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.postmortems.models import Approval, Postmortem, Revision

IN_REVIEW = "in_review"
UNPUBLISHED = [v for v in PostmortemStatusChoices.values() if v != "published"]
assert IN_REVIEW in UNPUBLISHED


# Counts go no further: past it the navigation and the home page say "99+".
COUNT_CAP = 99


@dataclass(frozen=True)
class InboxCounts:
    """How many reviews wait for the person and how many open action items they own, each
    counted no further than `COUNT_CAP` + 1."""

    reviews: int = 0
    action_items: int = 0

    @property
    def reviews_text(self) -> str:
        """The reviews' count as shown: "99+" past the cap."""
        return _shown(self.reviews)

    @property
    def action_items_text(self) -> str:
        """The open items' count as shown: "99+" past the cap."""
        return _shown(self.action_items)


def _shown(count: int) -> str:
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


def _visible_incidents(user: Any) -> QuerySet[Incident, dict[str, Any]] | None:
    """The ids of incidents the person may see, as a subquery; None when they see them all."""
    visible = visible_incident_filter(user)
    if not visible:  # an empty Q: admins see every incident
        return None
    return Incident.objects.filter(visible).order_by().values("pk")


def _reviews_waiting(user: Any, visible: QuerySet[Any, Any] | None) -> QuerySet[Postmortem]:
    reviewing = Postmortem.reviewers.through.objects.filter(
        postmortem_id=OuterRef("pk"), user_id=user.pk
    )
    verdict = Approval.objects.filter(
        postmortem_id=OuterRef("pk"), reviewer_id=user.pk, revision=OuterRef("revision")
    )
    qs = Postmortem.objects.filter(Exists(reviewing), status=IN_REVIEW).exclude(Exists(verdict))
    return qs if visible is None else qs.filter(incident_id__in=visible)


def _my_open_items(user: Any, visible: QuerySet[Any, Any] | None) -> QuerySet[ActionItem]:
    mine = Q(person=user.username) | Q(person="", owner=user.username)
    qs = ActionItem.objects.filter(mine, status__in=ActionStatusChoices.OPEN_VALUES)
    return qs if visible is None else qs.filter(postmortem__incident_id__in=visible)


def _ids(qs: QuerySet[Any]) -> list[int]:
    """The ids of a list's rows, unordered: found through the indexes that read the person's
    own rows. Asked for in the list's order with a limit, PostgreSQL walked the whole table
    in that order looking for them (over a second at 300,000 action items for someone with
    90)."""
    return list(qs.order_by().values_list("pk", flat=True))


def _drafts(user: Any, visible: QuerySet[Any, Any] | None) -> QuerySet[Postmortem]:
    # The person's own unpublished postmortems, read first by the created_by and revision
    # author indexes: filtered row by row in the list's order instead, PostgreSQL walked
    # the postmortems newest first (a second for a prolific author among 100,000).
    started = Postmortem.objects.filter(created_by_id=user.pk, status__in=UNPUBLISHED)
    wrote = Revision.objects.filter(author_id=user.pk, postmortem__status__in=UNPUBLISHED)
    mine = (
        started.order_by()
        .values_list("pk", flat=True)
        .union(wrote.order_by().values_list("postmortem_id", flat=True))
    )
    qs = Postmortem.objects.filter(pk__in=list(mine))
    return qs if visible is None else qs.filter(incident_id__in=visible)


@dataclass(frozen=True)
class Inbox:
    """The home page: the first `shown` rows of each list and how many each holds."""

    counts: InboxCounts
    reviews: list[Postmortem]
    action_items: list[ActionItem]
    drafts: list[Postmortem]
    drafts_text: str


# What the home page's rows show: only these columns are read (not a postmortem's text).
_POSTMORTEM_COLUMNS = (
    "id", "title", "revision", "status", "submitted_at", "updated_at",
    "incident__id", "incident__key", "incident__title",
)  # fmt: skip
_ITEM_COLUMNS = ("id", "key", "text", "due", "status", "postmortem_id", "postmortem__incident__key")


def inbox(*, user: Any, shown: int) -> Inbox:
    """Reviews waiting for the person's verdict (the longest waiting first), their open
    action items (the earliest due first, so overdue ones lead; no due date last) and
    their drafts (the latest changed first), and how many of each.

    Each list is the person's own rows through access, read as ids first; the counts are
    those ids counted: the same definitions as the navigation's (`inbox_counts`).
    """
    visible = _visible_incidents(user)
    reviews = _ids(_reviews_waiting(user, visible))
    items = _ids(_my_open_items(user, visible))
    drafts = _ids(_drafts(user, visible))
    pms = Postmortem.objects.select_related("incident").only(*_POSTMORTEM_COLUMNS)
    return Inbox(
        counts=InboxCounts(min(len(reviews), COUNT_CAP + 1), min(len(items), COUNT_CAP + 1)),
        reviews=list(
            pms.filter(pk__in=reviews).order_by(F("submitted_at").asc(nulls_first=True), "pk")[
                :shown
            ]
        ),
        action_items=list(
            ActionItem.objects.filter(pk__in=items)
            .select_related("postmortem__incident")
            .only(*_ITEM_COLUMNS)
            .order_by(F("due").asc(nulls_last=True), "pk")[:shown]
        ),
        drafts=list(pms.filter(pk__in=drafts).order_by("-updated_at", "-pk")[:shown]),
        drafts_text=_shown(len(drafts)),
    )


def _capped_count(qs: QuerySet[Any]) -> RawSQL:
    """A scalar subquery counting the rows of `qs`, no further than `COUNT_CAP` + 1.

    The limit lets the database stop early: for the busiest reviewer of a 100,000
    postmortem organisation (4,315 reviews assigned, 1,259 open items) the uncapped counts
    read every assignment and hashed every postmortem (191 ms on a loaded machine); capped,
    each stops after its first hundred rows.
    """
    sql, params = qs.order_by().values("pk")[: COUNT_CAP + 1].query.sql_with_params()
    return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params, output_field=IntegerField())


def inbox_counts(*, user: Any) -> InboxCounts:
    """The navigation's two counts (each at most `COUNT_CAP` + 1), read in one statement;
    nothing is read for a visitor.

    Each count starts from the person's own rows (their review assignments, the items
    naming them) and checks access on those only.
    """
    if not getattr(user, "is_authenticated", False):
        return InboxCounts()
    visible = _visible_incidents(user)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            reviews=_capped_count(_reviews_waiting(user, visible)),
            action_items=_capped_count(_my_open_items(user, visible)),
        )
        .values_list("reviews", "action_items")
        .first()
    )
    return InboxCounts(*row) if row else InboxCounts()
