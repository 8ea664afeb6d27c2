"""Readiness and metrics: `/readyz` for orchestrators, `/metrics` for Prometheus.

Request latency and lint time are observed in each process. Under `nofault serve` (several
gunicorn processes) prometheus-client's multiprocess mode keeps them in files under
`PROMETHEUS_MULTIPROC_DIR` and the scrape sums every process. Everything the database knows
(deliveries, the queue, reviews, action items) is counted at scrape time instead, so each
process answers the same figures whichever one Prometheus reaches.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_SECONDS = Histogram(
    "nofault_request_seconds",
    "Time to answer a request, by route pattern, method and status class.",
    ["route", "method", "status"],
)
LINT_SECONDS = Histogram(
    "nofault_lint_seconds",
    "Time to parse and lint one postmortem text.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class MetricsMiddleware:
    """Time every request under its route pattern (bounded labels, never the raw path)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        REQUEST_SECONDS.labels(
            route=route or "/", method=request.method, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


class DatabaseCollector(Collector):
    """The figures the database holds, counted when Prometheus scrapes."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Yield deliveries, queue, review and action-item gauges."""
        from nofault.web.actions.models import ActionItem
        from nofault.web.choices import ActionStatusChoices
        from nofault.web.incidents.models import Incident
        from nofault.web.integrations.models import DeliveryStatus, WebhookDelivery
        from nofault.web.reviews.selectors import with_coverage
        from nofault.web.worker.models import Task, TaskStatus, WorkerHeartbeat

        deliveries = GaugeMetricFamily(
            "nofault_webhook_deliveries",
            "Webhook deliveries stored (until pruned), by source and result.",
            labels=["source", "result"],
        )
        rows = WebhookDelivery.objects.values_list("source", "status").annotate(n=Count("id"))
        for source, status, n in rows.order_by():
            deliveries.add_metric([source, status], n)
        yield deliveries
        unapplied = WebhookDelivery.objects.filter(status=DeliveryStatus.UNAPPLIED).count()
        yield GaugeMetricFamily(
            "nofault_webhook_deliveries_unapplied",
            "Authentic deliveries kept unapplied until replayed.",
            value=unapplied,
        )
        tasks = GaugeMetricFamily(
            "nofault_tasks", "Background tasks in the queue, by name and status.",
            labels=["name", "status"],
        )  # fmt: skip
        for name, status, n in (
            Task.objects.values_list("name", "status").annotate(n=Count("id")).order_by()
        ):
            tasks.add_metric([name, status], n)
        yield tasks
        yield GaugeMetricFamily(
            "nofault_queue_depth",
            "Tasks waiting to run.",
            value=Task.objects.filter(status=TaskStatus.QUEUED).count(),
        )
        yield GaugeMetricFamily(
            "nofault_task_failures",
            "Tasks that failed every attempt (kept with their error).",
            value=Task.objects.filter(status=TaskStatus.FAILED).count(),
        )
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True)
        seen = latest.first()
        yield GaugeMetricFamily(
            "nofault_worker_last_seen_seconds",
            "Seconds since a worker last beat (-1 when none ever has).",
            value=(timezone.now() - seen).total_seconds() if seen else -1,
        )
        today = timezone.localdate()
        reviews = GaugeMetricFamily(
            "nofault_reviews",
            "Incidents by review state (overdue: past the due date and not published or waived).",
            labels=["state"],
        )
        states = with_coverage(Incident.objects.all(), today).values_list("coverage")
        for state, n in states.annotate(n=Count("id")).order_by():
            reviews.add_metric([state], n)
        yield reviews
        yield GaugeMetricFamily(
            "nofault_action_items_overdue",
            "Open action items past their due date.",
            value=ActionItem.objects.filter(
                status__in=ActionStatusChoices.OPEN_VALUES, due__lt=today
            ).count(),
        )


def _bearer_matches(request: HttpRequest, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip(), token)


def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' text format, for a bearer of NOFAULT_METRICS_TOKEN only."""
    token = settings.NOFAULT_METRICS_TOKEN
    if not token:
        return JsonResponse({"reason": "not_found", "detail": "metrics are off"}, status=404)
    if not _bearer_matches(request, token):
        response = JsonResponse({"reason": "unauthorised", "detail": "bearer token"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
        registry.register(DatabaseCollector())
        body = generate_latest(registry)
    else:
        registry.register(DatabaseCollector())
        body = generate_latest(REGISTRY) + generate_latest(registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def _migrations_pending() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def readiness() -> dict[str, Any]:
    """Check the database, the migrations and the workers' heartbeat; each check's result."""
    checks: dict[str, Any] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as error:
        return {"ok": False, "checks": {"database": f"unreachable: {error}"}}
    pending = _migrations_pending()
    checks["migrations"] = "ok" if not pending else f"{pending} not applied"
    stale = settings.NOFAULT_WORKER_STALE_SECONDS
    if stale:
        from nofault.web.worker.models import WorkerHeartbeat

        try:
            recent = WorkerHeartbeat.objects.filter(
                seen_at__gte=timezone.now() - timedelta(seconds=stale)
            ).exists()
        except DatabaseError:  # the worker's table is one of the pending migrations
            recent = False
        checks["worker"] = "ok" if recent else f"no worker seen in the last {stale} s"
    return {"ok": all(v == "ok" for v in checks.values()), "checks": checks}


def readyz(request: HttpRequest) -> HttpResponse:
    """200 when the database, the migrations and a recent worker are there; else 503."""
    result = readiness()
    return JsonResponse(result, status=200 if result["ok"] else 503)
