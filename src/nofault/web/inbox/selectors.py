"""What waits for one person, read through the same access rules as every other page.

Each list has one definition here, used both by the home page and by the counts in the
navigation, so the two never disagree:

- reviews waiting: postmortems in review that name the person a reviewer and hold no
  verdict of theirs on the current revision (a new revision asks them again);
- my action items: open items whose person is them (or, with no person, whose owner is);
- my drafts: postmortems before publication that they started or saved a revision of.

Restricted incidents count only for those who may see them (`visible_incident_filter`).
The lists also go through `draft_reader_filter`; a reviewer always reads what they review,
and a person their own drafts, so the counts need no such check.
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
from nofault.web.postmortems.selectors import draft_reader_filter

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


def count_text(qs: QuerySet[Any]) -> str:
    """How many rows a list has, as shown: counted no further than the cap, "99+" past it."""
    return _shown(qs.order_by().values("pk")[: COUNT_CAP + 1].count())


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


def _ids_first(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The same rows, read by id: the ids come first, unordered, through the indexes that
    find the person's own rows. Asked for in the list's order with a limit, PostgreSQL
    walked the whole table in that order looking for them (over a second at 300,000 action
    items for someone with 90)."""
    return qs.model.objects.filter(pk__in=list(qs.order_by().values_list("pk", flat=True)))


def inbox_reviews(*, user: Any) -> QuerySet[Postmortem]:
    """Postmortems waiting for the person's verdict, the longest waiting first."""
    qs = _reviews_waiting(user, _visible_incidents(user))
    drafts = draft_reader_filter(user)
    qs = _ids_first(qs if drafts is None else qs.filter(drafts))
    return qs.select_related("incident").order_by(F("submitted_at").asc(nulls_first=True), "pk")


def inbox_action_items(*, user: Any) -> QuerySet[ActionItem]:
    """Open action items the person owns: the earliest due first (so overdue ones lead),
    those with no due date last."""
    qs = _ids_first(_my_open_items(user, _visible_incidents(user)))
    return qs.select_related("postmortem__incident").order_by(F("due").asc(nulls_last=True), "pk")


def inbox_drafts(*, user: Any) -> QuerySet[Postmortem]:
    """Postmortems not yet published that the person started or saved a revision of, the
    latest changed first (the same people `draft_reader_filter` lets read a draft)."""
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
    visible = _visible_incidents(user)
    if visible is not None:
        qs = qs.filter(incident_id__in=visible)
    drafts = draft_reader_filter(user)
    qs = qs if drafts is None else qs.filter(drafts)
    return qs.select_related("incident").order_by("-updated_at", "-pk")


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
