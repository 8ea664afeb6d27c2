"""Postmortem queries, always limited to incidents the person may see."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from nofault.web.choices import Role
from nofault.web.incidents.selectors import team_filter, visible_incident_filter
from nofault.web.postmortems.models import Postmortem, Revision
from nofault.web.rendering import markdown_to_html

BODY_CACHE_SECONDS = 24 * 60 * 60


def postmortem_list_visible(
    *, user: Any, filters: dict[str, str] | None = None, drafts: str = "reader"
) -> QuerySet[Postmortem]:
    """Postmortems of incidents the user may see, with the drafts they may read (`drafts`
    "reader"); "shared": only the drafts everyone may read who sees those incidents (text
    cached for a whole visibility scope is computed so); "all": every draft, for counts of
    what the coverage ledger shows anyone who sees the incident (a draft's status)."""
    qs = Postmortem.objects.filter(visible_incident_filter(user, "incident__")).select_related(
        "incident"
    )
    readable = None if drafts == "all" else draft_reader_filter(user, own=drafts == "reader")
    if readable is not None:
        qs = qs.filter(readable)
    f = {k: str(v).replace("\x00", "") for k, v in (filters or {}).items()}
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("severity"):
        qs = qs.filter(incident__severity=f["severity"])
    if f.get("team"):
        qs = qs.filter(team_filter(f["team"], "incident__"))
    return qs


def draft_reader_filter(user: Any, *, own: bool = True) -> Q | None:
    """A Q on postmortems that keeps the drafts this person may read (and every published
    one); None when they read every draft (a facilitator or admin).

    Unless the organisation opens drafts to everyone (`draft_readers`; until an admin saves
    the policy they are kept), a postmortem before publication is read by whoever started
    it or saved a revision of it, its reviewers, facilitators and admins. The setting is
    read inside the same query, from the row `reviews.selectors.policy_settings` reads.
    """
    from nofault.web.reviews.models import PolicySettings

    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.has_role(Role.FACILITATOR):
        return None
    opened = PolicySettings.objects.filter(
        pk__in=PolicySettings.objects.order_by("pk").values("pk")[:1],
        draft_readers=PolicySettings.EVERYONE,
    )
    reviewing = Postmortem.reviewers.through.objects.filter(
        postmortem_id=OuterRef("pk"), user_id=user.pk
    )
    if not own:  # not the drafts this person reads as their author or reviewer
        return Q(status="published") | Q(Exists(opened))
    wrote = Revision.objects.filter(postmortem_id=OuterRef("pk"), author_id=user.pk)
    return (
        Q(status="published")
        | Q(Exists(opened))
        | Q(created_by_id=user.pk)
        | Q(Exists(reviewing))
        | Q(Exists(wrote))
    )


# What the postmortem's page shows: the other columns (and the incident's) are not read.
PAGE_COLUMNS = (
    "incident_id", "source", "revision", "status", "title", "findings", "blame_count",
    "published_at", "published_by_id", "incident__key", "published_by__username",
    "rendered__revision", "rendered__html", "blame_accepted", "blame_accepted_by__username",
)  # fmt: skip


def postmortem_get_visible(*, user: Any, pk: int, with_people: bool = False) -> Postmortem:
    """One visible postmortem, or 404 (never a 403 that would tell it exists).

    `with_people` reads who published it (and accepted its blame findings) and its rendered
    HTML in the same query, for the page that shows it.
    """
    qs = postmortem_list_visible(user=user)
    if with_people:
        qs = qs.select_related("published_by", "blame_accepted_by", "rendered").only(*PAGE_COLUMNS)
    pm = qs.filter(pk=pk).first()
    if pm is None:
        raise Http404("no such postmortem")
    return pm


def postmortem_page_lists(
    *, postmortem: Postmortem
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The action items (key, text, status, due; in table order) and comments (author,
    body, revision, created_at; oldest first) the postmortem's page shows, as rows."""
    items = list(
        postmortem.action_items.order_by("position", "id").values("key", "text", "status", "due")
    )
    comments = [
        {"author": author, "body": body, "revision": revision, "created_at": created_at}
        for author, body, revision, created_at in postmortem.comments.order_by(
            "created_at", "id"
        ).values_list("author__username", "body", "revision", "created_at")
    ]
    return items, comments


def _has_rendered(postmortem: Postmortem) -> bool:
    """Tell whether the rendered HTML was read with the row (never a query of its own)."""
    return Postmortem.rendered.is_cached(postmortem)


def postmortem_body_html(*, postmortem: Postmortem) -> str:
    """The postmortem's Markdown as sanitised HTML: as rendered at its last save.

    A postmortem saved before the HTML was kept (or read without it) is rendered once per
    revision and source and cached; the key holds the revision and a digest of the source,
    so a save (or any change of the source) renders afresh and an old entry is never shown.
    """
    rendered = getattr(postmortem, "rendered", None) if _has_rendered(postmortem) else None
    if rendered is not None and rendered.revision == postmortem.revision:
        return rendered.html
    digest = hashlib.blake2b(postmortem.source.encode(), digest_size=12).hexdigest()
    key = f"postmortem-body:{postmortem.pk}:{postmortem.revision}:{digest}"
    html = cache.get(key)
    if html is None:
        html = markdown_to_html(postmortem.source)
        cache.set(key, html, BODY_CACHE_SECONDS)
    return str(html)
