"""The home page: what waits for the signed-in person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from nofault.web.choices import Role
from nofault.web.inbox import selectors

# Each list shows its first rows; the counts above them say how many there are in all.
SHOWN = 50


def home(request: HttpRequest) -> HttpResponse:
    """Reviews waiting for my verdict, my open action items (overdue first), my drafts."""
    user = request.user
    counts = selectors.inbox_counts(user=user)
    drafts = selectors.inbox_drafts(user=user)
    today = timezone.localdate()
    items = [
        (item, item.is_overdue(today)) for item in selectors.inbox_action_items(user=user)[:SHOWN]
    ]
    return render(
        request,
        "inbox/home.html",
        {
            "counts": counts,
            "reviews": selectors.inbox_reviews(user=user)[:SHOWN],
            "items": items,
            "drafts": drafts[:SHOWN],
            "draft_count": selectors.count_text(drafts),
            "shown": SHOWN,
            "can_write": user.has_role(Role.AUTHOR),
        },
    )
