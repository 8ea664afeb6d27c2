"""Webhook endpoints (/webhooks/<source>, /webhooks/trackers/<tracker>), the tracker page, and
the integrations page where admins switch sources, trackers and notifiers on.

Every authenticated webhook request is stored before it is answered; one refused before
authentication is counted, not stored. The unapplied deliveries page is for admins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from nofault.web.accounts.forms import client_ip
from nofault.web.actions.selectors import action_item_get_visible
from nofault.web.api_errors import ServiceError
from nofault.web.audit.services import replay_record
from nofault.web.choices import Role
from nofault.web.integrations import flows
from nofault.web.integrations.config import configured_trackers, server_config, source_body_limit
from nofault.web.integrations.models import (
    NOT_APPLIED,
    DeliveryStatus,
    IntegrationKind,
    RejectedDeliveryCount,
    TrackerLink,
    WebhookDelivery,
)
from nofault.web.integrations.notifiers import all_notifiers
from nofault.web.integrations.saved import (
    SettingRefused,
    integration_setting_delete,
    integration_setting_save,
    saved_entries,
    setting_fields,
    settings_from_form,
    shown_values,
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
from nofault.web.integrations.sources import all_sources
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
            "is_admin": request.user.is_org_admin,
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


# --- the integrations page: admins switch sources, trackers and notifiers on --------------

# Each kind's section in `NOFAULT_INTEGRATIONS`, and its plugins by name.
KINDS: dict[str, tuple[str, Callable[[], Mapping[str, Any]]]] = {
    "source": ("sources", all_sources),
    "tracker": ("trackers", all_trackers),
    "notifier": ("notifiers", all_notifiers),
}


def _require_org_admin(request: HttpRequest) -> None:
    if not request.user.is_authenticated or not request.user.is_org_admin:
        raise Http404("no such page")


def _plugin(kind: str, name: str) -> Any:
    if kind not in KINDS:
        raise Http404("no such integration")
    plugin = KINDS[kind][1]().get(name)
    if plugin is None:
        raise Http404("no such integration")
    return plugin


def _cards(refused: tuple[str, str, SettingRefused] | None = None) -> list[dict[str, Any]]:
    """One card per known integration: where its settings come from, and its form."""
    server = server_config()
    saved = saved_entries()
    cards = []
    for kind, (section, plugins) in KINDS.items():
        for name, plugin in plugins().items():
            model = plugin.settings_model
            configured = (server.get(section) or {}).get(name)
            stored = saved.get((kind, name))
            data = configured if configured is not None else (stored or {})
            present = configured is not None or stored is not None
            values = shown_values(model, data)
            fields = [
                {
                    "field": field,
                    "id": f"{kind}-{name}-{field.name}",
                    "value": values.get(field.name, ""),
                    "set": field.secret and bool(data.get(field.name)),
                }
                for field in setting_fields(model)
            ]
            cards.append(
                {
                    "kind": kind,
                    "kind_label": IntegrationKind(kind).label,
                    "name": name,
                    "label": plugin.label,
                    "by_server": configured is not None,
                    "on": present and bool(data.get("enabled", True)),
                    "fields": fields,
                    "error": refused[2] if refused and refused[:2] == (kind, name) else None,
                }
            )
    return cards


def integrations_page(request: HttpRequest) -> HttpResponse:
    """Admins: every known source, tracker and notifier, on or off, with its settings form."""
    _require_org_admin(request)
    return render(request, "integrations/integrations.html", {"cards": _cards()})


@require_POST
def integration_save(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    """Switch an integration on or change its settings; refused (400) with the field and reason."""
    _require_org_admin(request)
    plugin = _plugin(kind, name)
    section = KINDS[kind][0]
    if name in (server_config().get(section) or {}):
        messages.error(request, f"{plugin.label} is set by the server's configuration.")
        return render(request, "integrations/integrations.html", {"cards": _cards()}, status=400)
    stored = saved_entries(kind, name).get((kind, name), {})
    try:
        data = settings_from_form(plugin.settings_model, request.POST, stored)
    except SettingRefused as exc:
        cards = _cards(refused=(kind, name, exc))
        return render(request, "integrations/integrations.html", {"cards": cards}, status=400)
    integration_setting_save(kind=IntegrationKind(kind), name=name, data=data, actor=request.user)
    messages.success(request, f"{plugin.label} is on.")
    return redirect("integrations-pages:integrations")


@require_POST
def integration_off(request: HttpRequest, kind: str, name: str) -> HttpResponse:
    """Switch off an integration saved in the app (its settings are deleted)."""
    _require_org_admin(request)
    plugin = _plugin(kind, name)
    if name in (server_config().get(KINDS[kind][0]) or {}):
        messages.error(request, f"{plugin.label} is set by the server's configuration.")
        return render(request, "integrations/integrations.html", {"cards": _cards()}, status=400)
    if integration_setting_delete(kind=IntegrationKind(kind), name=name, actor=request.user):
        messages.success(request, f"{plugin.label} is off.")
    return redirect("integrations-pages:integrations")
