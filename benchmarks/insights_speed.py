"""Insights at scale: index build, similar-postmortem queries, metrics and themes.

Run: .venv/bin/python benchmarks/insights_speed.py [--size 100000] [--queries 200]

Generates `--size` postmortem records (seeded, so every run sees the same data) from 60 kinds
of failure, 40 services and varied wording: a title, a two-sentence summary, two to four
contributing factors, a five-event timeline, a short analysis and two to four action items.
Records are built directly (parsing 100,000 Markdown files measures the parser, which has
its own benchmark). Prints the time to build the TF-IDF index, the p50/p95 time to find the
five most similar postmortems for a new draft (target: under 200 ms), the time to serialise
and load the index, and the time to compute all metrics and the themes at that size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from nofault.core.insights.metrics import compute_metrics, metrics_by
from nofault.core.insights.records import ActionRecord, FactorRecord, PostmortemRecord
from nofault.core.insights.similar import SimilarityIndex
from nofault.core.insights.themes import find_themes

COMPONENTS = ("api gateway", "checkout", "orders database", "search cluster", "payments",
              "auth service", "notification queue", "cdn", "load balancer", "redis cache",
              "kafka", "scheduler", "billing job", "object storage", "dns", "mobile api",
              "recommendations", "inventory", "pricing", "reporting warehouse")  # fmt: skip
FAILURES = (
    ("certificate expired", "the TLS certificate lapsed and handshakes failed",
     "certificate renewal had no owner"),
    ("connection pool exhausted", "every pooled connection was held by a slow query",
     "queries had no statement timeout"),
    ("disk filled up", "debug logs filled the volume and writes stopped",
     "log rotation was not configured"),
    ("config pushed without validation", "a bad configuration reached every region at once",
     "the config service does not validate against a schema"),
    ("alerts missing for a region", "errors in the new region paged nobody",
     "alert rules list regions by name"),
    ("retry storm", "clients retried without backoff and kept the service down",
     "the client retries without jitter"),
    ("memory leak", "pods were OOM-killed every few hours", "the in-process cache is unbounded"),
    ("replication lag", "replicas fell behind and served stale data",
     "reads after writes go to replicas"),
    ("bad deploy everywhere", "a broken release went to all hosts at once",
     "the pipeline has no canary stage"),
    ("scheduler double run", "the batch ran twice after a failover",
     "the job has no lock or idempotency key"),
    ("expired credential", "a vendor API key expired and calls were refused",
     "key expiry dates are not tracked"),
    ("cache stampede", "an empty cache sent every request to the database",
     "cache misses are not coalesced"),
)  # fmt: skip
FRAMES = ("{c}: {f}", "{f} in {c}", "{c} outage after {f}", "{c} degraded: {f}")
CONDITIONS = ("there was no runbook for it", "the dashboard did not show it",
              "the change was not reviewed", "the on-call rota had a gap",
              "the test environment differs from production", "capacity was not planned",
              "the vendor changed behaviour without notice", "ownership was unclear")  # fmt: skip
CATEGORIES = ("technical", "process", "tooling", "organisational", "knowledge")
SEVERITIES = ("SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4")
TEAMS = ("platform", "payments", "data", "web", "mobile", "core")


def generate(n: int, seed: int = 7) -> list[PostmortemRecord]:
    """Return n varied, seeded postmortem records."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    services = [f"{c.replace(' ', '-')}-{i}" for c in COMPONENTS for i in (1, 2)]
    out = []
    for i in range(n):
        component = rng.choice(COMPONENTS)
        title, effect, cause = rng.choice(FAILURES)
        when = start + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        detect, resolve = rng.randint(1, 60), rng.randint(30, 600)
        factors = [FactorRecord("CF1", f"{cause} ({component})", rng.choice(CATEGORIES))]
        factors += [FactorRecord(f"CF{k}", rng.choice(CONDITIONS), rng.choice(CATEGORIES))
                    for k in range(2, rng.randint(2, 4) + 1)]  # fmt: skip
        created = when.date() + timedelta(days=rng.randint(0, 5))
        actions = []
        for k in range(rng.randint(2, 4)):
            due = created + timedelta(days=rng.randint(14, 90))
            status = rng.choice(("open", "in_progress", "done", "done", "done", "wont_do"))
            closed = due + timedelta(days=rng.randint(-20, 20)) if status == "done" else None
            actions.append(ActionRecord(f"A{k + 1}", f"Fix {cause} for {component}", status,
                                        due, closed, created, rng.choice(TEAMS)))  # fmt: skip
        out.append(PostmortemRecord(
            key=f"pm-{i}", id=f"PM-{i}", incidents=(f"INC-{i}",),
            title=rng.choice(FRAMES).format(c=component, f=title) + f" #{i % 997}",
            severity=rng.choice(SEVERITIES), services=(rng.choice(services),),
            team=rng.choice(TEAMS),
            status="published" if rng.random() < 0.8 else "draft",
            created=created,
            published=created + timedelta(days=rng.randint(1, 30)),
            started_at=when, detected_at=when + timedelta(minutes=detect),
            mitigated_at=when + timedelta(minutes=detect + resolve // 2),
            resolved_at=when + timedelta(minutes=detect + resolve),
            summary=f"On {when:%A} {effect} in the {component}. {rng.choice(CONDITIONS)}.",
            analysis=f"We looked at why {cause}. Also {rng.choice(CONDITIONS)}.",
            timeline=(f"{component} {title} begins", "alert fires", "on-call acknowledges",
                      "mitigation applied", "resolved"),
            factors=tuple(factors), actions=tuple(actions),
            related_incidents=(f"INC-{rng.randrange(i)}",) if i and rng.random() < 0.1 else (),
            depth_score=float(rng.randint(30, 100)), blame_findings=rng.randint(0, 3),
        ))  # fmt: skip
    return out


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> int:
    """Generate the records, time each step, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    t = time.perf_counter()
    records = generate(args.size)
    print(f"generated {len(records):,} postmortem records in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    index = SimilarityIndex.build(records)
    build = time.perf_counter() - t

    drafts = generate(args.queries, seed=99)
    timings = []
    for draft in drafts:
        draft = PostmortemRecord(**{**{f: getattr(draft, f) for f in draft.__slots__},
                                    "key": f"draft-{draft.key}"})  # fmt: skip
        q = time.perf_counter()
        index.query(draft, top=5)
        timings.append(time.perf_counter() - q)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]

    t = time.perf_counter()
    blob = index.dumps()
    dump = time.perf_counter() - t
    t = time.perf_counter()
    SimilarityIndex.loads(blob)
    load = time.perf_counter() - t

    t = time.perf_counter()
    compute_metrics(records, today=date(2026, 1, 1))
    for dimension in ("severity", "service", "team", "month"):
        metrics_by(dimension, records, today=date(2026, 1, 1))
    metrics = time.perf_counter() - t

    t = time.perf_counter()
    themes = find_themes(records)
    theme_time = time.perf_counter() - t

    print(f"{'step':<44} {'time':>12}")
    print(f"{'build the similarity index':<44} {build:>10.1f} s")
    print(f"{'five similar for a draft, p50':<44} {_ms(p50):>12}")
    print(f"{'five similar for a draft, p95 (target <200)':<44} {_ms(p95):>12}")
    print(f"{'serialise index (' + f'{len(blob) / 1e6:.0f} MB)':<44} {dump:>10.1f} s")
    print(f"{'load serialised index':<44} {load:>10.1f} s")
    print(f"{'metrics: overall + by severity/service/team/month':<44} {metrics:>10.1f} s")
    print(f"{'themes (' + f'{len(themes)} found)':<44} {theme_time:>10.1f} s")
    print(f"({args.size:,} postmortems, {args.queries} queries, {sys.platform}, one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
