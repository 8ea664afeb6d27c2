"""Webhook endpoints (/webhooks/<source>, /webhooks/trackers/<tracker>) and the tracker page.

Every authenticated webhook request is stored before it is answered; one refused before
authentication is counted, not stored. The unapplied deliveries page is for admins.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nofault.web.accounts.forms import client_ip
from nofault.web.actions.selectors import action_item_get_visible
from nofault.web.api_errors import ServiceError
from nofault.web.audit.services import replay_record
from nofault.web.choices import Role
from nofault.web.integrations import flows
from nofault.web.integrations.config import configured_trackers, source_body_limit
from nofault.web.integrations.models import (
    NOT_APPLIED,
    DeliveryStatus,
    RejectedDeliveryCount,
    TrackerLink,
    WebhookDelivery,
)
from nofault.web.integrations.services import (
    TRACKER_BODY_LIMIT,
    TRACKER_PREFIX,
    delivery_accept,
    delivery_process,
    delivery_replay,
    rejection_count,
    tracker_delivery_receive,
)
from nofault.web.integrations.sources.base import BodyTooLarge
from nofault.web.integrations.trackers import all_trackers

log = logging.getLogger(__name__)
PAGE_ROWS = 200  # unapplied deliveries listed, and replayed by one press of "Replay all"


def _answer(delivery: WebhookDelivery) -> HttpResponse:
    if delivery.status == DeliveryStatus.REJECTED:
        reason, _, detail = delivery.reason.partition(": ")
        return JsonResponse({"reason": reason, "detail": detail}, status=delivery.http_status)
    # Stored and committed: from here a crash loses nothing.
    answer: dict[str, object] = {"status": delivery.status, "delivery": delivery.pk}
    if delivery.status == DeliveryStatus.UNAPPLIED:
        answer["reason"] = delivery.reason
    else:
        answer["incidents"] = delivery.incident_keys
    return JsonResponse(answer, status=202)


def _body(request: HttpRequest, limit: int) -> bytes | None:
    """Return the request body, or None when it is longer than `limit` (read no further)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


def _too_large(source: str, limit: int, request: HttpRequest) -> HttpResponse:
    refused = WebhookDelivery(source=source[:50], status=DeliveryStatus.REJECTED)
    refused.http_status = BodyTooLarge.status
    refused.reason = f"{BodyTooLarge.code}: this webhook accepts at most {limit} bytes"
    return _answer(rejection_count(delivery=refused, client=client_ip(request)))


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, source: str) -> HttpResponse:
    """Receive one delivery: 4xx with a reason if refused before authentication, else 202 stored."""
    limit = source_body_limit(source)
    body = _body(request, limit)
    if body is None:
        return _too_large(source, limit, request)
    return _answer(
        delivery_accept(
            source_name=source, headers=request.headers, body=body, client=client_ip(request)
        )
    )


@csrf_exempt
@require_POST
def tracker_webhook(request: HttpRequest, tracker: str) -> HttpResponse:
    """Receive a tracker's issue webhook: a closed issue closes its action item, reopen reopens."""
    body = _body(request, TRACKER_BODY_LIMIT)
    if body is None:
        return _too_large(f"{TRACKER_PREFIX}{tracker}", TRACKER_BODY_LIMIT, request)
    delivery = tracker_delivery_receive(
        tracker_name=tracker, headers=request.headers, body=body, client=client_ip(request)
    )
    # Stored and committed: apply now for freshness; a failure is recorded on the delivery
    # and retried by `delivery_process_pending`.
    return _answer(delivery_process(delivery=delivery))


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied("only admins see deliveries")


def unapplied_deliveries(request: HttpRequest) -> HttpResponse:
    """Deliveries acknowledged but not applied, with the reason; admins replay them here."""
    _require_admin(request)
    deliveries = (
        WebhookDelivery.objects.filter(status__in=NOT_APPLIED)
        .defer("body", "headers")
        .order_by("-received_at", "-id")
    )
    refused = RejectedDeliveryCount.objects.all()[:50]
    return render(
        request,
        "integrations/unapplied_deliveries.html",
        {"deliveries": deliveries[:PAGE_ROWS], "total": deliveries.count(), "refused": refused},
    )


@require_POST
def unapplied_deliveries_replay(request: HttpRequest) -> HttpResponse:
    """Apply again one unapplied delivery (`delivery`), or all of them."""
    _require_admin(request)
    pk = str(request.POST.get("delivery") or "")
    if pk and not (pk.isascii() and pk.isdigit() and len(pk) < 19):
        messages.error(request, "No such delivery.")
        return redirect("integrations-pages:unapplied-deliveries")
    # One press replays as many as the page lists, so the request ends well within the
    # server's timeout; the shell command has no such bound.
    replayed = delivery_replay(pk=int(pk) if pk else None, limit=PAGE_ROWS)
    replay_record(actor=request.user, replayed=replayed)
    applied = [d for d in replayed if d.status not in NOT_APPLIED]
    log.info("%s replayed %d deliveries", request.user, len(replayed))
    if not replayed:
        messages.info(request, "Nothing to replay.")
    elif len(applied) == len(replayed):
        messages.success(request, f"Applied {len(applied)} delivery(ies).")
    else:
        messages.warning(
            request,
            f"Applied {len(applied)} of {len(replayed)}; the others are still unreadable.",
        )
    return redirect("integrations-pages:unapplied-deliveries")


def action_item_tracker(request: HttpRequest, pk: int) -> HttpResponse:
    """The action item with its tracker issue, and a button to send it to a tracker."""
    item = action_item_get_visible(user=request.user, pk=pk)
    link = TrackerLink.objects.filter(action_item=item).first()
    trackers = [(name, all_trackers()[name].label) for name in configured_trackers()]
    return render(
        request,
        "integrations/action_item_tracker.html",
        {
            "item": item,
            "link": link,
            "trackers": trackers,
            "recurrences": item.recurrences.select_related("postmortem__incident"),
        },
    )


@require_POST
def action_item_tracker_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the action item to the chosen tracker (once, however often pressed)."""
    item = action_item_get_visible(user=request.user, pk=pk)
    try:
        link = flows.action_item_send_to_tracker(
            item=item, actor=request.user, tracker=str(request.POST.get("tracker") or "") or None
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if link.status == "linked":
            messages.success(request, f"{item.key} is tracked as {link.ref}.")
        else:
            messages.warning(
                request, f"The tracker was not reached; nofault tries again. {link.last_error}"
            )
    return redirect("integrations-pages:action-item-tracker", pk=item.pk)
