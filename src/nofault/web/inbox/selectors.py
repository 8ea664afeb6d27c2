"""What waits for one person, read through the same access rules as every other page.

Each list has one definition here, used both by the home page and by the counts in the
navigation, so the two never disagree:

- reviews waiting: postmortems in review that name the person a reviewer and hold no
  verdict of theirs on the current revision (a new revision asks them again);
- my action items: open items whose person is them (or, with no person, whose owner is);
- my drafts: postmortems before publication that they started, saved a revision of, or
  are named an author of.

Restricted incidents count only for those who may see them (`visible_incident_filter`).
The lists also go through `draft_reader_filter`: a reviewer always reads what they review,
so the count needs no such check; a draft that only names the person an author (they never
started or saved it) is listed only where the organisation opens drafts to everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery

from nofault.web.actions.models import ActionItem
from nofault.web.choices import ActionStatusChoices, PostmortemStatusChoices
from nofault.web.incidents.models import Incident
from nofault.web.incidents.selectors import visible_incident_filter
from nofault.web.postmortems.models import Approval, Postmortem, Revision
from nofault.web.postmortems.selectors import draft_reader_filter

IN_REVIEW = "in_review"
PUBLISHED = "published"
assert {IN_REVIEW, PUBLISHED} <= set(PostmortemStatusChoices.values())


@dataclass(frozen=True)
class InboxCounts:
    """How many reviews wait for the person and how many open action items they own."""

    reviews: int = 0
    action_items: int = 0


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


def inbox_reviews(*, user: Any) -> QuerySet[Postmortem]:
    """Postmortems waiting for the person's verdict, the longest waiting first."""
    qs = _reviews_waiting(user, _visible_incidents(user))
    drafts = draft_reader_filter(user)
    qs = qs if drafts is None else qs.filter(drafts)
    return qs.select_related("incident").order_by(F("submitted_at").asc(nulls_first=True), "pk")


def inbox_action_items(*, user: Any) -> QuerySet[ActionItem]:
    """Open action items the person owns: the earliest due first (so overdue ones lead),
    those with no due date last."""
    qs = _my_open_items(user, _visible_incidents(user))
    return qs.select_related("postmortem__incident").order_by(F("due").asc(nulls_last=True), "pk")


def inbox_drafts(*, user: Any) -> QuerySet[Postmortem]:
    """Postmortems not yet published that the person started, saved a revision of or is
    named an author of, the latest changed first."""
    wrote = Revision.objects.filter(postmortem_id=OuterRef("pk"), author_id=user.pk)
    # Named among the authors: the list holds the name as a JSON string, quotes and all.
    named = Q(authors__icontains=f'"{user.username}"')
    qs = Postmortem.objects.filter(Q(created_by_id=user.pk) | Q(Exists(wrote)) | named).exclude(
        status=PUBLISHED
    )
    visible = _visible_incidents(user)
    if visible is not None:
        qs = qs.filter(incident_id__in=visible)
    drafts = draft_reader_filter(user)
    qs = qs if drafts is None else qs.filter(drafts)
    return qs.select_related("incident").order_by("-updated_at", "-pk")


def _count(qs: QuerySet[Any]) -> Subquery:
    """A scalar subquery counting the rows of `qs`."""
    counted = qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def inbox_counts(*, user: Any) -> InboxCounts:
    """The navigation's two counts, read in one statement; nothing is read for a visitor.

    Each count starts from the person's own rows (their review assignments, the items
    naming them) and checks access on those only, so it costs the same at any size.
    """
    if not getattr(user, "is_authenticated", False):
        return InboxCounts()
    visible = _visible_incidents(user)
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list(_count(_reviews_waiting(user, visible)), _count(_my_open_items(user, visible)))
        .first()
    )
    return InboxCounts(*row) if row else InboxCounts()
