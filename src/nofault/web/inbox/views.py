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
    mine = selectors.inbox(user=user, shown=SHOWN)
    today = timezone.localdate()
    return render(
        request,
        "inbox/home.html",
        {
            "counts": mine.counts,
            "inbox": mine.counts,  # the navigation's counts: the same, already read
            "reviews": mine.reviews,
            "items": [(item, item.is_overdue(today)) for item in mine.action_items],
            "drafts": mine.drafts,
            "draft_count": mine.drafts_text,
            "shown": SHOWN,
            "can_write": user.has_role(Role.AUTHOR),
        },
    )
