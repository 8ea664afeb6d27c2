"""Fill a PostgreSQL database with a large organisation for the web app's speed benchmark.

Run: .venv/bin/python benchmarks/web_data.py [--postmortems 100000] [--quick] [--keep]

Creates the database `nofault_bench` on postgres://postgres@127.0.0.1:5432 (`--server` to
change), applies the migrations and writes, with COPY, the rows the app's own services would
have written for: `--postmortems` incidents each with its postmortem, `--extra-incidents`
recent incidents without one yet, and about three action items per postmortem (100,000
postmortems give about 300,000 items), plus 160 people. Dropped at the end unless `--keep`.

How it stays exact and fast. A postmortem's Markdown is made by `nofault.core.template` and
`nofault.core.markdown.render` from one of `--variants` stories (a failure in a service, its
timeline, factors, analysis and action items, written by one team) dated in one of
`--months` months of history. Every incident of the same story and month has the same text
except its incident key, so each distinct text is parsed and linted once (in parallel), on
the day the services would have linted it: written on day D (revision 1, "created"),
submitted for review on D+2 (revision 2), published on D+5 (revision 3), each stage's front
matter changed by the services' own `_with_front_matter`. From those results each row is
filled as the services and their signal receivers fill it: the postmortem's extracted fields
and findings, its rendered HTML, the revisions with their diffs, reviewers, approvals and
comments, the action items (closed ones record who and when), the insights digest, the
search entries and the data version. `--verify N` then replays N sampled postmortems through the real services
(incident_create, postmortem_create, submit, approve, publish, with the clock set to the
same days) in a transaction that is rolled back, and fails unless every row they write is the
same as the generated one. Seeded: the same arguments give the same rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from unittest import mock

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DB = "nofault_bench"
KEY_PLACEHOLDER = "INC-XXXXXX"  # every key is INC-1nnnnn: the same length, so columns match
PASSWORD = "bench-pass-123"
MONTH_DAYS = 30
SEVERITIES = (("SEV1", 3), ("SEV2", 12), ("SEV3", 40), ("SEV4", 30), ("SEV5", 15))
ACTION_COUNTS = ((1, 8), (2, 22), (3, 30), (4, 22), (5, 18))  # mean 3.2 per postmortem

SERVICES = (
    ("checkout", "payments"), ("payments", "payments"), ("billing", "payments"),
    ("api-gateway", "platform"), ("auth", "identity"), ("sso", "identity"),
    ("search", "discovery"), ("recommendations", "discovery"), ("orders", "commerce"),
    ("inventory", "commerce"), ("pricing", "commerce"), ("cart", "commerce"),
    ("notifications", "messaging"), ("email", "messaging"), ("queue", "platform"),
    ("scheduler", "platform"), ("cache", "platform"), ("db", "data"), ("warehouse", "data"),
    ("reporting", "data"), ("mobile", "mobile"), ("uploads", "media"), ("cdn", "edge"),
    ("dns", "edge"), ("status-page", "sre"), ("logging", "sre"), ("metrics", "sre"),
    ("flags", "developer-tools"), ("ci", "developer-tools"), ("internal-api", "platform"),
)  # fmt: skip

# (title frame, trigger, factors [(text, category)], detection, analysis, actions [(text, type)])
FAILURES: tuple[tuple[str, str, list[tuple[str, str]], str, str, list[tuple[str, str]]], ...] = (
    ("{s}: certificate expired", "the TLS certificate of {s} lapsed and handshakes failed",
     [("Certificate renewal for {s} had no owning team.", "organisational"),
      ("Expiry dates are not monitored.", "tooling"),
      ("The renewal runbook pointed at a retired tool.", "knowledge")],
     "Customers reported failed logins to support before any alert fired.",
     "Renewal was a yearly manual step; the person who knew it had moved teams and the "
     "calendar reminder went to a list nobody read.",
     [("Automate certificate renewal for {s}", "prevent"),
      ("Alert thirty days before any certificate expires", "detect"),
      ("Move the renewal runbook into the service catalogue", "learn")]),
    ("{s} connection pool exhausted", "every pooled connection of {s} was held by a slow query",
     [("Queries from {s} have no statement timeout.", "technical"),
      ("The pool size was set for last year's traffic.", "technical"),
      ("Slow-query logs are not reviewed by anyone.", "process")],
     "The latency alert paged the on-call engineer after six minutes.",
     "The report query had always been slow, but a new index made the planner choose a "
     "sequential scan once the table grew past a threshold nobody had measured.",
     [("Set a statement timeout on every {s} connection", "prevent"),
      ("Size the pool from measured concurrency", "repair"),
      ("Review slow queries weekly in the team meeting", "process")]),
    ("Disk full on {s}", "debug logs filled the volume of {s} and writes stopped",
     [("Log rotation was not configured on the new hosts.", "tooling"),
      ("Debug logging stays on after an investigation.", "process")],
     "A disk-usage alert fired at 95%, eleven minutes before writes failed.",
     "The hosts were built from an image that predates the rotation policy; the image "
     "pipeline does not check policies.",
     [("Rotate logs on every host image", "prevent"),
      ("Turn debug logging off automatically after a day", "mitigate"),
      ("Alert on the rate disks fill, not only their level", "detect")]),
    ("{s} outage after a config push", "a configuration change reached every {s} instance at once",
     [("Configuration changes skip the canary stage.", "process"),
      ("The {s} alert threshold hides slow error growth.", "tooling"),
      ("Staging traffic does not resemble production traffic.", "technical")],
     "An error-rate alert paged the on-call engineer after eight minutes.",
     "The change was reviewed and looked safe: the setting had the same value in staging for "
     "months, and the dashboards did not show the start-up dependency.",
     [("Send configuration changes through the canary stage", "prevent"),
      ("Alert on the rate of change of {s} errors", "detect"),
      ("Replay a sample of production traffic in staging", "prevent"),
      ("Add the start-up dependency to the runbook", "learn")]),
    ("Retry storm on {s}", "clients of {s} retried without backoff and kept it down",
     [("The shared client retries without jitter.", "technical"),
      ("Nobody owns the shared client library.", "organisational"),
      ("Load tests do not include failure modes.", "process")],
     "The saturation dashboard showed it, but no alert is attached to it.",
     "Each team had tuned retries for its own calls; together they multiplied the load by "
     "eight when {s} slowed down.",
     [("Add exponential backoff with jitter to the shared client", "prevent"),
      ("Name an owner for the shared client library", "process"),
      ("Load test {s} with a failing dependency", "prevent"),
      ("Page on sustained saturation", "detect")]),
    ("Memory leak in {s}", "{s} pods were killed for memory every few hours",
     [("The in-process cache of {s} is unbounded.", "technical"),
      ("Restarts hid the leak for weeks.", "tooling")],
     "A customer noticed slow responses after each restart and told support.",
     "Restarts were frequent and automatic, so the growth looked like normal churn on every "
     "graph the team watched.",
     [("Bound the cache of {s}", "repair"), ("Alert on restart frequency", "detect"),
      ("Add memory profiling to the release checklist", "process")]),
    ("{s} replication lag", "replicas of {s} fell behind and served stale data",
     [("Reads after writes go to replicas.", "technical"),
      ("Lag is measured but not alerted on.", "tooling"),
      ("The failover procedure was untested.", "process")],
     "Support saw a rise in tickets about missing orders.",
     "The read path was moved to replicas to save cost a year ago; the consistency needs of "
     "each caller were not written down.",
     [("Route reads after writes to the primary", "repair"),
      ("Alert when replica lag exceeds ten seconds", "detect"),
      ("Rehearse a failover every quarter", "process")]),
    ("Bad deploy of {s}", "a broken release of {s} went to all hosts at once",
     [("The pipeline of {s} has no canary stage.", "process"),
      ("Health checks do not exercise the database.", "technical"),
      ("Rollback needs three manual steps.", "tooling")],
     "Synthetic checks failed two minutes after the deploy.",
     "Deploys were fast and usually safe, so the canary stage was removed to save time; the "
     "health check answered even though every request failed.",
     [("Add a canary stage to the {s} pipeline", "prevent"),
      ("Make health checks exercise the database", "detect"),
      ("Make rollback one command", "mitigate")]),
    ("Scheduled jobs of {s} ran twice", "the {s} batch ran twice after a failover",
     [("The job has no lock or idempotency key.", "technical"),
      ("Failover starts every scheduler at once.", "technical")],
     "A finance analyst noticed duplicate rows in the morning report.",
     "The scheduler was assumed to run on one host; the failover design from two years ago "
     "changed that and the jobs were never revisited.",
     [("Give every {s} job an idempotency key", "prevent"),
      ("Take a lock before a batch starts", "prevent"),
      ("Check reports for duplicate rows", "detect")]),
    ("Expired credential for {s}", "a vendor API key used by {s} expired and calls were refused",
     [("Key expiry dates are not tracked.", "tooling"),
      ("The vendor's warning emails go to a former employee.", "communication"),
      ("Nobody knew the key existed.", "knowledge")],
     "The error-rate alert fired within two minutes.",
     "The key was created during a proof of concept and became production without a "
     "handover; the vendor portal has one contact address.",
     [("Track every vendor credential with its expiry", "prevent"),
      ("Send vendor notices to a team address", "process"),
      ("Rotate the {s} key automatically", "prevent")]),
    ("Cache stampede on {s}", "an empty cache sent every {s} request to the database",
     [("Cache misses are not coalesced.", "technical"),
      ("A deploy flushes the whole cache.", "process"),
      ("Capacity was planned for warm caches only.", "organisational")],
     "The database CPU alert paged the data team first.",
     "Flushing on deploy was the safe choice when cache entries had no versions; versions "
     "were added later but the flush stayed.",
     [("Coalesce cache misses in {s}", "prevent"),
      ("Stop flushing the cache on deploy", "repair"),
      ("Plan capacity for a cold cache", "process")]),
    ("DNS change broke {s}", "a DNS record for {s} pointed at a decommissioned load balancer",
     [("DNS changes are applied by hand.", "process"),
      ("The decommissioning checklist skips DNS.", "process"),
      ("External monitoring covers the home page only.", "tooling")],
     "A partner's status page showed us down before our own checks did.",
     "Two teams changed records the same week; the change log lives in a chat channel that "
     "scrolls away.",
     [("Manage DNS records as code with review", "prevent"),
      ("Add DNS to the decommissioning checklist", "process"),
      ("Monitor {s} from outside our network", "detect")]),
)  # fmt: skip
BLAME_SENTENCES = (
    "Bob should have checked the dashboard before the rollout.",
    "The on-call engineer failed to follow the runbook.",
    "This happened because Dana forgot to renew it.",
)
FIRST = ("alex", "sam", "robin", "kim", "jo", "lee", "max", "noor", "ari", "dev", "eli", "fay",
         "gus", "hana", "ivo", "jun", "kai", "lia", "mo", "nia")  # fmt: skip
LAST = ("smith", "okafor", "ng", "garcia", "kowalski", "haddad", "berg", "tanaka")
COMMENTS = (
    "Could the timeline say when the first customer report came in?",
    "The factors read well; is there an owner for the second action item?",
    "Thanks, this is clear. Approving once the impact numbers are in.",
    "Can we link the dashboard the responders were looking at?",
)


def _pick(rnd: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rnd.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


# --- the plan: stories, months, incidents ----------------------------------------------


@dataclass
class Story:
    """One kind of incident written by one team: everything in a postmortem but its dates."""

    index: int
    title: str
    severity: str
    service: str
    team: str
    team_in_front_matter: bool
    author: str
    facilitator: str
    reviewers: list[str]
    failure: int
    wording: int
    factor_count: int
    action_count: int
    blame: str | None
    restricted: bool


@dataclass
class Doc:
    """One incident with its postmortem: the story, the month and its own times."""

    incident_id: int
    key: str
    story: int
    month: int
    stage: str  # draft, in_review, published; "" for an incident without a postmortem
    started: datetime
    written: datetime  # revision 1
    submitted: datetime | None
    published: datetime | None
    approvals: int
    comments: int
    source: str = "manual"


@dataclass
class Plan:
    """Everything the rows are made from."""

    today: date
    users: list[tuple[str, str]]  # (username, role)
    stories: list[Story]
    docs: list[Doc]
    month_days: list[date] = field(default_factory=list)  # day D of each month, newest first


def make_plan(
    *, seed: int, postmortems: int, extra: int, variants: int, months: int, today: date
) -> Plan:
    """Choose every story, month, stage and time; cheap and deterministic for a seed."""
    rnd = random.Random(seed)
    users: list[tuple[str, str]] = [("bench", "author"), ("bench-admin", "admin")]
    for i in range(160):
        name = f"{FIRST[i % len(FIRST)]}.{LAST[(i // len(FIRST)) % len(LAST)]}{i // 160 or ''}"
        role = "viewer" if i % 8 == 7 else "facilitator" if i % 10 == 3 else "author"
        users.append((name, "admin" if i in (5, 77) else role))
    authors = [u for u, r in users[2:] if r in ("author", "facilitator", "admin")]
    facilitators = [u for u, r in users[2:] if r == "facilitator"]
    stories = []
    for v in range(variants):
        srnd = random.Random(seed * 100_003 + v)
        service, team = SERVICES[srnd.randrange(len(SERVICES))]
        failure = srnd.randrange(len(FAILURES))
        author = srnd.choice(authors)
        stories.append(
            Story(
                index=v,
                title=FAILURES[failure][0].format(s=service).capitalize()
                if FAILURES[failure][0].startswith("{")
                else FAILURES[failure][0].format(s=service),
                severity=_pick(srnd, SEVERITIES),
                service=service,
                team=f"team-{team}",
                team_in_front_matter=srnd.random() < 0.5,
                author=author,
                facilitator=srnd.choice(facilitators),
                reviewers=srnd.sample([a for a in authors if a != author], 2),
                failure=failure,
                wording=srnd.randrange(4),
                factor_count=srnd.randint(2, len(FAILURES[failure][2])),
                action_count=_pick(srnd, ACTION_COUNTS),
                blame=srnd.choice(BLAME_SENTENCES) if srnd.random() < 0.08 else None,
                restricted=srnd.random() < 0.02,
            )
        )
    # Month m (0 = newest) is written on day D = today - 7 - 30m; its incidents start in the
    # 30 days before D. Young postmortems are often still drafts or in review.
    month_days = [today - timedelta(days=7 + MONTH_DAYS * m) for m in range(months)]
    docs: list[Doc] = []
    for _ in range(postmortems):
        month = rnd.randrange(months)
        story = rnd.randrange(variants)
        weights = ((45, 30, 25), (15, 20, 65))[month] if month < 2 else (3, 5, 92)
        stage = rnd.choices(("draft", "in_review", "published"), weights)[0]
        day = month_days[month]
        started = datetime.combine(day, datetime.min.time(), UTC) - timedelta(
            seconds=rnd.randrange(86_400, MONTH_DAYS * 86_400)
        )
        written = datetime.combine(day, datetime.min.time(), UTC) + timedelta(
            seconds=rnd.randrange(8 * 3600, 18 * 3600)
        )
        submitted = written + timedelta(days=2) if stage != "draft" else None
        published = written + timedelta(days=5) if stage == "published" else None
        approvals = 2 if stage == "published" else rnd.choice((0, 0, 1)) if submitted else 0
        docs.append(
            Doc(0, "", story, month, stage, started, written, submitted, published, approvals,
                rnd.choice((0, 1, 1, 2)) if submitted else 0,
                rnd.choice(("manual", "pagerduty", "pagerduty", "alertmanager", "opsgenie")))
        )  # fmt: skip
    for _ in range(extra):
        started = datetime.combine(today, datetime.min.time(), UTC) - timedelta(
            seconds=rnd.randrange(3600, 7 * 86_400)
        )
        docs.append(
            Doc(0, "", rnd.randrange(variants), 0, "", started, started, None, None, 0, 0,
                rnd.choice(("manual", "pagerduty", "alertmanager")))
        )  # fmt: skip
    docs.sort(key=lambda d: d.started)
    for number, doc in enumerate(docs, start=1):
        doc.incident_id = number
        doc.key = f"INC-{100_000 + number}"
    return Plan(today=today, users=users, stories=stories, docs=docs, month_days=month_days)


# --- texts: made and linted once per story, month and stage -----------------------------


def story_markdown(story: Story, day: date, today: date) -> str:
    """Revision 1 of a story written on `day`: the template filled in, rendered by the core."""
    from nofault.core import document as d
    from nofault.core.markdown import render
    from nofault.core.template import new_postmortem

    _frame, trigger, factors, detection, analysis, actions = FAILURES[story.failure]
    s = story.service
    level = (
        d.ReviewLevel.FULL if story.severity in ("SEV1", "SEV2", "SEV3") else d.ReviewLevel.LIGHT
    )
    doc = new_postmortem(
        title=story.title, severity=story.severity, incidents=[KEY_PLACEHOLDER],
        review_level=level, authors=[story.author], created=day,
    )  # fmt: skip
    doc.services = [s]
    doc.facilitator = story.facilitator
    if story.team_in_front_matter:
        doc.extra = {"team": story.team}
    minutes = 20 + (story.index * 7) % 200
    incident_day = day - timedelta(days=3)
    summary = [
        f"For {minutes} minutes {trigger.format(s=s)}.",
        f"Between {minutes // 2} and {minutes} minutes of degraded service followed when "
        f"{trigger.format(s=s)}.",
        f"{trigger.format(s=s).capitalize()}, and customers of {s} saw errors for {minutes} "
        "minutes.",
        f"Requests to {s} failed for {minutes} minutes after {trigger.format(s=s)}.",
    ][story.wording]
    if story.blame:
        summary += " " + story.blame
    texts = {
        d.SectionKind.SUMMARY: summary + " Service recovered once the change was reverted.",
        d.SectionKind.IMPACT: f"About {1000 + story.index * 37 % 9000} users saw errors; "
        f"{1 + story.index % 17}.{story.index % 10}% of requests to {s} failed.",
        d.SectionKind.DETECTION: detection,
        d.SectionKind.WENT_WELL: "The incident channel was opened quickly and the runbook "
        "for rolling back was current.",
        d.SectionKind.WENT_WRONG: f"Dashboards for {s} were split across three tools, so the "
        "first twenty minutes went into finding the right one.",
        d.SectionKind.LUCKY: "It happened during working hours, with the owning team online.",
        d.SectionKind.SURPRISED: f"We did not know how many teams depend on {s}.",
        d.SectionKind.LESSONS: "Changes that reach every instance at once deserve the same "
        "safeguards as code deploys.",
    }
    times = ("14:02", "14:09", "14:17", "14:31", "14:52", "15:20", "16:05")
    kinds = (d.EventKind.TRIGGER, d.EventKind.DETECTION, d.EventKind.ESCALATION,
             d.EventKind.DIAGNOSIS, d.EventKind.MITIGATION, d.EventKind.COMMUNICATION,
             d.EventKind.RESOLUTION)  # fmt: skip
    event_texts = (trigger.format(s=s).capitalize(), "Alert fired and paged the on-call engineer",
                   "Incident declared; the owning team joined", "Cause narrowed down to the change",
                   "Mitigation applied; errors falling", "Status page updated",
                   "Incident resolved")  # fmt: skip
    month_old = (today - day).days > 60
    statuses = (
        [d.ActionStatus.DONE, d.ActionStatus.DONE, d.ActionStatus.IN_PROGRESS,
         d.ActionStatus.OPEN, d.ActionStatus.WONT_DO]
        if month_old else
        [d.ActionStatus.OPEN, d.ActionStatus.IN_PROGRESS, d.ActionStatus.OPEN,
         d.ActionStatus.OPEN, d.ActionStatus.IN_PROGRESS]
    )  # fmt: skip
    for i, section in enumerate(doc.sections):
        if section.kind in texts:
            doc.sections[i] = section.model_copy(update={"body": texts[section.kind]})
        elif isinstance(section, d.TimelineSection):
            events = [
                d.TimelineEvent(time=f"{incident_day:%Y-%m-%d} {t} UTC", text=x, kind=k)
                for t, x, k in zip(times, event_texts, kinds, strict=True)
            ]
            doc.sections[i] = section.model_copy(update={"events": events, "body": ""})
        elif isinstance(section, d.FactorsSection):
            chosen = [
                d.ContributingFactor(id=f"F{n + 1}", text=t.format(s=s), category=c)
                for n, (t, c) in enumerate(factors[: story.factor_count])
            ]
            doc.sections[i] = section.model_copy(update={"factors": chosen, "body": ""})
        elif isinstance(section, d.AnalysisSection):
            chain = d.WhyChain(
                title=f"Why did {s} fail for customers?",
                answers=[trigger.format(s=s).capitalize() + ".", factors[0][0].format(s=s),
                         "The risk was not visible in the tools the team used."],
            )  # fmt: skip
            doc.sections[i] = section.model_copy(
                update={"body": analysis.format(s=s), "chains": [chain]}
            )
        elif isinstance(section, d.ActionItemsSection):
            items = []
            for n in range(story.action_count):
                text, kind = actions[n % len(actions)]
                status = statuses[n]
                items.append(
                    d.ActionItem(
                        id=f"A{n + 1}",
                        text=text.format(s=s) + ("" if n < len(actions) else " (follow-up)"),
                        type=d.ActionType(kind),
                        owner=story.team,
                        person=story.reviewers[n % 2] if n % 3 else story.author,
                        due=day + timedelta(days=14 * (n + 1) + story.index % 9),
                        status=status,
                        reason="superseded by the platform migration"
                        if status is d.ActionStatus.WONT_DO
                        else None,
                        tracker=f"https://tracker.example.com/{s.upper()}-{story.index * 10 + n}"
                        if n % 2 == 0
                        else None,
                        factors=[f"F{n % story.factor_count + 1}"],
                    )
                )
            doc.sections[i] = section.model_copy(update={"items": items, "body": ""})
        elif isinstance(section, d.LinksSection):
            link = d.Link(title=f"{s} dashboard", url=f"https://grafana.example.com/d/{s}")
            doc.sections[i] = section.model_copy(update={"links": [link], "body": ""})
    return render(doc)


@contextmanager
def on_day(moment: datetime) -> Any:
    """Make the services' clock and the linter's today read `moment` (as when it happened)."""
    import nofault.core.lint.engine as engine

    class _Day(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return moment.date()

    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch.object(engine, "date", _Day),
    ):
        yield


@dataclass
class Text:
    """One stage of one story-month: its Markdown and what the core made of it."""

    source: str
    body: str  # without front matter (the search entry)
    title: str
    severity: str
    review_level: str
    summary: str
    services: list[str]
    authors: list[str]
    facilitator: str
    findings: str  # JSON
    html: str  # the source rendered, as kept at each save
    finding_count: int
    blame_count: int
    depth_score: float | None
    actions: list[dict[str, Any]]
    digest: dict[str, Any]


def _read(source: str, today: date) -> Text:
    """Parse and lint a text as the services do, on `today`."""
    from nofault.core.insights.records import record_from_postmortem
    from nofault.core.lint.config import LintConfig
    from nofault.web.insights.records import team_of
    from nofault.web.postmortems.linting import lint_source
    from nofault.web.rendering import markdown_to_html

    # The services' own lint door; the generated organisation stores no guide: the defaults.
    parsed, report = lint_source(source, config=LintConfig(), today=today)
    doc = parsed.postmortem
    record = record_from_postmortem(doc, key="x")
    categories = sorted({f.category for f in record.factors if f.category})
    actions, seen = [], set()
    for position, item in enumerate(doc.action_items):
        if item.id in seen:
            continue
        seen.add(item.id)
        actions.append(
            {"key": item.id[:64], "text": item.text, "type": item.type.value if item.type else "",
             "owner": (item.owner or "")[:200], "person": (item.person or "")[:200],
             "due": item.due, "status": item.status.value, "reason": (item.reason or "")[:500],
             "tracker": (item.tracker or "")[:500], "factors": list(item.factors),
             "position": position}
        )  # fmt: skip
    return Text(
        source=source,
        body="\n".join(parsed.lines[parsed.body_start :]),
        title=doc.title[:300],
        severity=(doc.severity or "")[:16],
        review_level=doc.review_level.value,
        summary=doc.summary[:4000],
        services=list(doc.services),
        authors=list(doc.authors),
        facilitator=(doc.facilitator or "")[:150],
        findings=json.dumps([f.as_dict() for f in report.findings]),
        html=markdown_to_html(source),
        finding_count=len(report.findings),
        blame_count=report.blame_count,
        depth_score=report.score,
        actions=actions,
        digest={
            "team": team_of(record.team, (a.owner for a in doc.action_items)),
            "factors": [[f.id, f.text, f.category or ""] for f in record.factors],
            "categories_index": ("," + ",".join(categories) + ",") if categories else "",
            "timeline": list(record.timeline)[:500],
            "analysis": record.analysis[:50_000],
            "related_incidents": list(record.related_incidents),
        },
    )


Texts = dict[tuple[int, int], tuple[dict[str, Text], dict[str, str]]]


def _texts_for(job: tuple[Story, date, date, list[str]]) -> tuple[dict[str, Text], dict[str, str]]:
    """Each needed stage of one story-month as read by the core, and every stage's source."""
    from nofault.core import document as d
    from nofault.web.reviews.services import _with_front_matter

    story, day, today, stages = job
    s1 = story_markdown(story, day, today)
    out = {"draft": _read(s1, day)}
    sources = {"draft": s1}
    if "in_review" in stages or "published" in stages:
        s2 = _with_front_matter(s1, status=d.PostmortemStatus.IN_REVIEW, reviewers=story.reviewers)
        sources["in_review"] = s2
        # Revision 2's findings: a published one keeps its blame findings as accepted.
        out["in_review"] = _read(s2, day + timedelta(days=2))
        if "published" in stages:
            published = day + timedelta(days=5)
            s3 = _with_front_matter(s2, status=d.PostmortemStatus.PUBLISHED, published=published)
            sources["published"] = s3
            out["published"] = _read(s3, published)
    return out, sources


def make_texts(plan: Plan, workers: int) -> Texts:
    """Make and lint each story-month's texts once, in parallel."""
    needed: dict[tuple[int, int], set[str]] = {}
    for doc in plan.docs:
        if doc.stage:
            needed.setdefault((doc.story, doc.month), set()).add(doc.stage)
    keys = sorted(needed)
    jobs = [
        (plan.stories[s], plan.month_days[m], plan.today, sorted(needed[(s, m)])) for s, m in keys
    ]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_texts_for, jobs, chunksize=32))
    else:
        results = [_texts_for(j) for j in jobs]
    return dict(zip(keys, results, strict=True))


# --- the database ------------------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    """The URL of database `name` on `server`."""
    return f"{server.rstrip('/')}/{name}"


def create_database(server: str, name: str) -> None:
    """Drop and create the benchmark database."""
    import psycopg

    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    """Drop the benchmark database."""
    import psycopg

    with psycopg.connect(database_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    """Point Django at the benchmark database (settings are read from the environment)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("NOFAULT_DATA_DIR", tempfile.mkdtemp(prefix="nofault-bench-"))
    os.environ.setdefault("NOFAULT_SECRET_KEY", "bench-" + "x" * 40)
    os.environ["NOFAULT_TIME_ZONE"] = "UTC"  # the days below are UTC days
    os.environ["DJANGO_SETTINGS_MODULE"] = "nofault.web.settings"
    import django

    django.setup()


def _copy(cur: Any, model: Any, rows: Any, skip: tuple[str, ...] = ()) -> int:
    """COPY rows (dicts keyed by field attname) into a model's table; return the count.

    A field a row leaves out gets the model's default (a new nullable column: NULL), as a
    row created by the services would; `--verify` compares such rows with the services' own.
    """
    fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    names = [f.attname for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    count = 0
    with cur.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[n] if n in row else defaults[n] for n in names])
            count += 1
    return count


def _services_index(services: list[str]) -> str:
    names = [s.strip().lower() for s in services if s.strip()]
    return ("," + ",".join(names) + ",") if names else ""


def write_rows(plan: Plan, texts: Texts) -> Counter[str]:
    """Write every row with COPY; return the number of rows per table."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from nofault.web.accounts.models import User
    from nofault.web.actions.models import ActionItem
    from nofault.web.incidents.models import Incident
    from nofault.web.insights.models import InsightCache, PostmortemDigest
    from nofault.web.postmortems.models import (
        Approval,
        Comment,
        Postmortem,
        RenderedBody,
        Revision,
    )
    from nofault.web.postmortems.services import _diff
    from nofault.web.rendering import RENDERER
    from nofault.web.reviews.selectors import review_policy
    from nofault.web.search.models import SearchEntry

    policy = review_policy()
    now = datetime.now(UTC)
    counts: Counter[str] = Counter()
    password = make_password(PASSWORD)
    uid = {name: n for n, (name, _) in enumerate(plan.users, start=1)}
    stories = plan.stories

    def text(doc: Doc, stage: str | None = None) -> Text:
        return texts[(doc.story, doc.month)][0][stage or doc.stage]

    def sources(doc: Doc, stage: str) -> str:
        return texts[(doc.story, doc.month)][1][stage]

    def keyed(value: str, doc: Doc) -> str:
        return value.replace(KEY_PLACEHOLDER, doc.key)

    def users() -> Any:
        for name, role in plan.users:
            yield {"id": uid[name], "password": password, "last_login": None,
                   "is_superuser": False, "username": name, "first_name": name.split(".")[0].title(),
                   "last_name": name.partition(".")[2].title(), "email": f"{name}@example.com",
                   "is_staff": False, "is_active": True, "date_joined": now - timedelta(days=1200),
                   "role": role}  # fmt: skip

    def incidents() -> Any:
        for doc in plan.docs:
            story = stories[doc.story]
            created = doc.started + timedelta(minutes=7)
            done = doc.stage != ""
            yield {"id": doc.incident_id, "key": doc.key, "title": story.title,
                   "severity": story.severity,
                   "status": "resolved" if done else ("triggered", "acknowledged", "mitigated",
                                                      "resolved")[doc.incident_id % 4],
                   "services": json.dumps([story.service]),
                   "services_index": _services_index([story.service]),
                   "started_at": doc.started, "detected_at": created,
                   "mitigated_at": doc.started + timedelta(minutes=50) if done else None,
                   "resolved_at": doc.started + timedelta(minutes=90) if done else None,
                   "source": doc.source,
                   "external_id": None if doc.source == "manual" else f"{doc.source}-{doc.key}",
                   "responders": json.dumps([{"name": story.author, "role": "incident_commander"}]),
                   "restricted": story.restricted,
                   "postmortem_due": policy.requirement(story.severity, created).due_at.date(),
                   "created_by_id": uid[story.author], "created_at": created,
                   "updated_at": created}  # fmt: skip

    def members() -> Any:
        n = 0
        for doc in plan.docs:
            story = stories[doc.story]
            people = [story.author]
            if story.restricted:  # the author lets the reviewers see it
                people += story.reviewers
            for person in people:
                n += 1
                yield {"id": n, "incident_id": doc.incident_id, "user_id": uid[person]}

    pm_docs = [doc for doc in plan.docs if doc.stage]

    def last_save(doc: Doc) -> datetime:
        return doc.published or doc.submitted or doc.written

    def revision_count(doc: Doc) -> int:
        return {"draft": 1, "in_review": 2, "published": 3}[doc.stage]

    def postmortems() -> Any:
        for doc in pm_docs:
            t = text(doc)
            story = stories[doc.story]
            yield {"id": doc.incident_id, "incident_id": doc.incident_id,
                   "source": keyed(t.source, doc), "revision": revision_count(doc),
                   "status": doc.stage, "title": t.title, "severity": t.severity,
                   "review_level": t.review_level, "summary": t.summary,
                   "services": json.dumps(t.services), "authors": json.dumps(t.authors),
                   "facilitator": t.facilitator, "findings": t.findings,
                   "finding_count": t.finding_count, "blame_count": t.blame_count,
                   "depth_score": t.depth_score, "created_by_id": uid[story.author],
                   "created_at": doc.written, "updated_at": last_save(doc),
                   "submitted_at": doc.submitted, "published_at": doc.published,
                   "published_by_id": uid[story.author] if doc.published else None,
                   **blame_accepted(doc)}  # fmt: skip

    def blame_accepted(doc: Doc) -> dict[str, Any]:
        """Publishing over blame findings records who accepted them and which (the findings
        of the text in review, which publishing replaces)."""
        if not doc.published or not text(doc, "in_review").blame_count:
            return {"blame_accepted_by_id": None, "blame_accepted": "[]"}
        found = json.loads(text(doc, "in_review").findings)
        accepted = [f for f in found if f.get("category") == "blame"]
        return {"blame_accepted_by_id": uid[stories[doc.story].author],
                "blame_accepted": json.dumps(accepted)}  # fmt: skip

    def rendered() -> Any:
        for doc in pm_docs:
            yield {"postmortem_id": doc.incident_id, "revision": revision_count(doc),
                   "html": keyed(text(doc).html, doc), "renderer": RENDERER}  # fmt: skip

    diffs: dict[tuple[int, int, str], str] = {}

    def revisions() -> Any:
        n = 0
        for doc in pm_docs:
            author = uid[stories[doc.story].author]
            saves = [("draft", doc.written, "created")]
            if doc.submitted:
                saves.append(("in_review", doc.submitted, "submitted for review"))
            if doc.published:
                saves.append(("published", doc.published, "published"))
            old = ""
            for number, (stage, at, message) in enumerate(saves, start=1):
                source = sources(doc, stage)
                memo = (doc.story, doc.month, stage)
                if memo not in diffs:  # the key is the same in both texts: diff once, then fill
                    diffs[memo] = _diff(old, source, f"revision {number - 1}", f"revision {number}")
                n += 1
                yield {"id": n, "postmortem_id": doc.incident_id, "number": number,
                       "author_id": author, "created_at": at, "source": keyed(source, doc),
                       "diff": keyed(diffs[memo], doc), "message": message}  # fmt: skip
                old = source

    def reviewers() -> Any:
        n = 0
        for doc in pm_docs:
            if doc.submitted:
                for person in stories[doc.story].reviewers:
                    n += 1
                    yield {"id": n, "postmortem_id": doc.incident_id, "user_id": uid[person]}

    def approvals() -> Any:
        n = 0
        for doc in pm_docs:
            for i, person in enumerate(stories[doc.story].reviewers[: doc.approvals]):
                n += 1
                assert doc.submitted is not None
                yield {
                    "id": n,
                    "postmortem_id": doc.incident_id,
                    "reviewer_id": uid[person],
                    "revision": 2,
                    "created_at": doc.submitted + timedelta(hours=20 + i),
                    "verdict": "approved",
                }

    def comments() -> Any:
        n = 0
        for doc in pm_docs:
            for i in range(doc.comments):
                n += 1
                assert doc.submitted is not None
                yield {"id": n, "postmortem_id": doc.incident_id,
                       "author_id": uid[stories[doc.story].reviewers[i % 2]],
                       "body": COMMENTS[(doc.incident_id + i) % len(COMMENTS)], "revision": 2,
                       "created_at": doc.submitted + timedelta(hours=3 + i)}  # fmt: skip

    action_ids: dict[int, int] = {}  # postmortem id -> first action item id

    def actions() -> Any:
        n = 0
        for doc in pm_docs:
            author = uid[stories[doc.story].author]
            action_ids[doc.incident_id] = n + 1
            for item in text(doc).actions:
                n += 1
                closing = item["status"] in ("done", "wont_do")
                yield {**item, "factors": json.dumps(item["factors"]), "id": n,
                       "postmortem_id": doc.incident_id,
                       "closed_by_id": author if closing else None,
                       "closed_at": doc.written if closing else None,
                       "created_at": doc.written}  # fmt: skip

    def digests() -> Any:
        for doc in pm_docs:
            t = text(doc)
            yield {**t.digest, "id": doc.incident_id, "postmortem_id": doc.incident_id,
                   "revision": revision_count(doc), "factors": json.dumps(t.digest["factors"]),
                   "timeline": json.dumps(t.digest["timeline"]),
                   "related_incidents": json.dumps(t.digest["related_incidents"]),
                   "blame_first_draft": text(doc, "draft").blame_count,
                   "blame_at_publication": t.blame_count if doc.published else None}  # fmt: skip

    def search_entries() -> Any:
        n = 0
        for doc in plan.docs:
            story = stories[doc.story]
            occurred = doc.started.date()
            base = {
                "severity": story.severity,
                "incident_id": doc.incident_id,
                "occurred": occurred,
            }
            n += 1
            yield {**base, "id": n, "kind": "incident", "object_id": doc.incident_id,
                   "title": f"{doc.key} {story.title}"[:500], "body": story.service,
                   "services_index": _services_index([story.service]), "categories_index": "",
                   "team": "", "status": "resolved" if doc.stage else
                   ("triggered", "acknowledged", "mitigated", "resolved")[doc.incident_id % 4],
                   "url": f"/incidents/{doc.key}/"}  # fmt: skip
            if not doc.stage:
                continue
            t = text(doc)
            digest = t.digest
            n += 1
            yield {**base, "id": n, "kind": "postmortem", "object_id": doc.incident_id,
                   "title": t.title[:500], "body": t.body[:100_000],
                   "services_index": _services_index([story.service, *t.services]),
                   "categories_index": digest["categories_index"], "team": digest["team"],
                   "status": doc.stage, "url": f"/postmortems/{doc.incident_id}/"}  # fmt: skip
            first = action_ids[doc.incident_id]
            for i, item in enumerate(t.actions):
                categories = sorted({f[2] for f in digest["factors"]
                                     if f[2] and f[0] in item["factors"]})  # fmt: skip
                body = " ".join(p for p in (item["owner"], item["person"], item["reason"],
                                            doc.key) if p)  # fmt: skip
                n += 1
                yield {**base, "id": n, "kind": "action", "object_id": first + i,
                       "title": item["text"][:500], "body": body,
                       "services_index": _services_index([story.service]),
                       "categories_index": ("," + ",".join(categories) + ",") if categories
                       else "", "team": item["owner"], "status": item["status"],
                       "url": f"/postmortems/{doc.incident_id}/"}  # fmt: skip

    def data_version() -> int:
        """Each incident save, postmortem save, status change and new action item bumps it."""
        bumps = 0
        for doc in plan.docs:
            bumps += 1
            if doc.stage:
                bumps += 1 + len(text(doc).actions)
                bumps += {"draft": 0, "in_review": 2, "published": 4}[doc.stage]
        return bumps

    with connection.cursor() as django_cursor:
        cur = django_cursor.cursor  # the psycopg cursor underneath
        cur.execute("SET synchronous_commit = off")
        cur.execute("DROP INDEX IF EXISTS search_searchentry_document")
        members_model = Incident.members.through
        reviewers_model = Postmortem.reviewers.through
        steps = [
            ("users", User, users, ()),
            ("incidents", Incident, incidents, ()),
            ("incident members", members_model, members, ()),
            ("postmortems", Postmortem, postmortems, ()),
            ("rendered bodies", RenderedBody, rendered, ()),
            ("revisions", Revision, revisions, ()),
            ("reviewers", reviewers_model, reviewers, ()),
            ("approvals", Approval, approvals, ()),
            ("comments", Comment, comments, ()),
            ("action items", ActionItem, actions, ()),
            ("digests", PostmortemDigest, digests, ()),
            ("search entries", SearchEntry, search_entries, ()),
        ]
        for label, model, rows, skip in steps:
            started = time.perf_counter()
            counts[label] = _copy(cur, model, rows(), skip)
            print(f"  {label:<17} {counts[label]:>9,} rows in {time.perf_counter() - started:5.1f} s",
                  flush=True)  # fmt: skip
        InsightCache.objects.create(key="data-version", version=data_version(), data=b"")
        started = time.perf_counter()
        cur.execute(
            "CREATE INDEX search_searchentry_document ON search_searchentry USING GIN (document)"
        )
        for model in (User, Incident, members_model, Postmortem, Revision, reviewers_model,
                      Approval, Comment, ActionItem, PostmortemDigest, SearchEntry):  # fmt: skip
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
            )
        print(f"  search index      rebuilt in {time.perf_counter() - started:5.1f} s", flush=True)
    return counts


def vacuum_analyze() -> None:
    """Fresh statistics and visibility map, as a database that has been running a while has."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


# --- verification: replay sampled postmortems through the real services ------------------


class _Rollback(Exception):
    pass


def _snapshot(incident_id: int, key: str) -> dict[str, Any]:
    """Every row written for one incident, without ids, keys of rows, or wall-clock times."""
    from nofault.web.actions.models import ActionItem
    from nofault.web.incidents.models import Incident
    from nofault.web.insights.models import PostmortemDigest
    from nofault.web.postmortems.models import Postmortem, RenderedBody
    from nofault.web.search.models import SearchEntry

    incident = Incident.objects.get(key=key)
    pm = Postmortem.objects.filter(incident=incident).first()
    skip = {"id", "incident_id", "created_at", "updated_at", "closed_at", "postmortem_id"}

    def plain(obj: Any, extra_skip: set[str] = set()) -> dict[str, Any]:  # noqa: B006
        return {
            f.attname: getattr(obj, f.attname)
            for f in obj._meta.concrete_fields
            if f.attname not in skip | extra_skip
        }

    snap: dict[str, Any] = {
        "incident": plain(incident, {"detected_at"}),
        "members": sorted(incident.members.values_list("username", flat=True)),
    }
    if pm is None:
        return snap
    snap["postmortem"] = plain(pm, {"submitted_at", "published_at"})
    snap["published"] = pm.published_at is not None
    snap["revisions"] = [
        (r.number, r.source, r.diff, r.message, r.author_id)
        for r in pm.revisions.order_by("number")
    ]
    snap["rendered"] = list(
        RenderedBody.objects.filter(postmortem=pm).values_list("revision", "html")
    )
    snap["reviewers"] = sorted(pm.reviewers.values_list("username", flat=True))
    snap["approvals"] = sorted(pm.approvals.values_list("reviewer__username", "revision"))
    snap["actions"] = [plain(a) for a in ActionItem.objects.filter(postmortem=pm).order_by("key")]
    snap["digest"] = plain(PostmortemDigest.objects.get(postmortem=pm))
    snap["search"] = sorted(
        (e.kind, e.title, e.body, e.severity, e.services_index, e.categories_index, e.team,
         e.status, e.occurred, e.url.replace(f"/{pm.pk}/", "/PK/"))
        for e in SearchEntry.objects.filter(incident=incident)
    )  # fmt: skip
    return snap


def verify(plan: Plan, texts: Texts, sample: int) -> int:
    """Replay sampled incidents through the services; return how many differed."""
    from django.db import transaction

    from nofault.web.accounts.models import User
    from nofault.web.incidents import services as incident_services
    from nofault.web.incidents.models import Incident
    from nofault.web.postmortems import services as pm_services
    from nofault.web.reviews import services as review_services

    rnd = random.Random(7)
    by_stage: dict[str, list[Doc]] = {}
    for doc in plan.docs:
        by_stage.setdefault(doc.stage, []).append(doc)
    chosen = [
        doc
        for stage in ("published", "in_review", "draft", "")
        for doc in rnd.sample(by_stage.get(stage, []), min(len(by_stage.get(stage, [])),
                                                           max(1, sample // 4)))
    ]  # fmt: skip
    users = {u.username: u for u in User.objects.all()}
    failures = 0
    for doc in chosen:
        story = plan.stories[doc.story]
        generated = _snapshot(doc.incident_id, doc.key)
        try:
            with transaction.atomic():
                old = Incident.objects.get(key=doc.key)
                fields = {f: getattr(old, f) for f in (
                    "title", "severity", "status", "services", "started_at", "mitigated_at",
                    "resolved_at", "source", "external_id", "responders", "restricted")}  # fmt: skip
                created_at = old.created_at
                old.delete()
                author = users[story.author]
                with on_day(created_at):
                    incident_services.incident_create(
                        actor=author, key=doc.key, created_at=created_at,
                        detected_at=created_at,
                        members=[users[r] for r in story.reviewers] if story.restricted else [],
                        **fields,
                    )  # fmt: skip
                incident = Incident.objects.get(key=doc.key)
                if doc.stage:
                    source = texts[(doc.story, doc.month)][1]["draft"]
                    with on_day(doc.written):
                        pm = pm_services.postmortem_create(
                            incident=incident, actor=author,
                            source=source.replace(KEY_PLACEHOLDER, doc.key),
                        )  # fmt: skip
                    if doc.submitted:
                        with on_day(doc.submitted):
                            pm = review_services.postmortem_submit_for_review(
                                postmortem=pm, actor=author,
                                reviewers=[users[r] for r in story.reviewers],
                            )  # fmt: skip
                            for name in story.reviewers[: doc.approvals]:
                                review_services.postmortem_approve(postmortem=pm, actor=users[name])
                    if doc.published:
                        with on_day(doc.published):
                            review_services.postmortem_publish(
                                postmortem=pm, actor=author, accept_blame_findings=True
                            )
                replayed = _snapshot(doc.incident_id, doc.key)
                raise _Rollback
        except _Rollback:
            pass
        if replayed != generated:
            failures += 1
            for name in generated.keys() | replayed.keys():
                if generated.get(name) != replayed.get(name):
                    print(f"  {doc.key} ({doc.stage or 'no postmortem'}): {name} differs:\n"
                          f"    generated {generated.get(name)!r:.600}\n"
                          f"    services  {replayed.get(name)!r:.600}")  # fmt: skip
    print(f"  replayed {len(chosen)} incidents through the services: "
          f"{'all rows identical' if not failures else f'{failures} differ'}")  # fmt: skip
    return failures


# --- entry points --------------------------------------------------------------------------


@dataclass
class Generated:
    """What was generated, for the load benchmark's report."""

    url: str
    counts: Counter[str]
    seconds: float
    plan: Plan


def generate(
    *,
    server: str = DEFAULT_SERVER,
    name: str = DEFAULT_DB,
    postmortems: int = 100_000,
    extra: int = 3_000,
    variants: int = 200,
    months: int = 24,
    seed: int = 2024,
    workers: int = 0,
    sample: int = 12,
) -> Generated:
    """Create and fill the benchmark database; Django is set up on it afterwards."""
    started = time.perf_counter()
    today = date.today()
    url = database_url(server, name)
    create_database(server, name)
    setup_django(url)
    from django.core.management import call_command

    step = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrations        applied in {time.perf_counter() - step:5.1f} s", flush=True)
    step = time.perf_counter()
    plan = make_plan(seed=seed, postmortems=postmortems, extra=extra, variants=variants,
                     months=months, today=today)  # fmt: skip
    from django.db import connections

    connections.close_all()  # the lint processes are forked: they must not share a socket
    texts = make_texts(plan, workers or os.cpu_count() or 1)
    stages = sum(len(v[0]) for v in texts.values())
    print(f"  texts             {stages:>9,} distinct texts linted in "
          f"{time.perf_counter() - step:5.1f} s", flush=True)  # fmt: skip
    counts = write_rows(plan, texts)
    step = time.perf_counter()
    vacuum_analyze()
    print(f"  vacuum analyze    done in {time.perf_counter() - step:5.1f} s", flush=True)
    if sample:
        step = time.perf_counter()
        if verify(plan, texts, sample):
            raise SystemExit("the generated rows differ from what the services write")
        print(f"  verification      done in {time.perf_counter() - step:5.1f} s", flush=True)
    return Generated(url=url, counts=counts, seconds=time.perf_counter() - started, plan=plan)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The data options, shared with the load benchmark."""
    parser.add_argument("--server", default=os.environ.get("NOFAULT_BENCH_SERVER", DEFAULT_SERVER),
                        help="PostgreSQL server URL without a database (trust or password in it).")  # fmt: skip
    parser.add_argument("--database", default=DEFAULT_DB, help="Database to create and drop.")
    parser.add_argument("--postmortems", type=int, default=100_000)
    parser.add_argument("--extra-incidents", type=int, default=3_000,
                        help="Recent incidents without a postmortem yet.")  # fmt: skip
    parser.add_argument("--variants", type=int, default=200, help="Distinct stories.")
    parser.add_argument("--months", type=int, default=24, help="Months of history.")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--lint-workers", type=int, default=0, help="Lint processes (0: one per CPU)."
    )
    parser.add_argument("--verify", type=int, default=12,
                        help="Incidents to replay through the services (0: none).")  # fmt: skip
    parser.add_argument("--quick", action="store_true",
                        help="10,000 postmortems and 60 stories over 12 months.")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")


def data_options(args: argparse.Namespace) -> dict[str, Any]:
    """generate()'s keyword arguments from parsed options."""
    if args.quick:
        args.postmortems, args.extra_incidents = min(args.postmortems, 10_000), 300
        args.variants, args.months = min(args.variants, 60), min(args.months, 12)
    return {
        "server": args.server, "name": args.database, "postmortems": args.postmortems,
        "extra": args.extra_incidents, "variants": args.variants, "months": args.months,
        "seed": args.seed, "workers": args.lint_workers, "sample": args.verify,
    }  # fmt: skip


def postgres_reachable(server: str) -> bool:
    """Tell whether the PostgreSQL server answers."""
    import psycopg

    try:
        psycopg.connect(database_url(server, "postgres"), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args()
    options = data_options(args)
    if not postgres_reachable(args.server):
        print(f"skipped: no PostgreSQL at {args.server} (set --server or NOFAULT_BENCH_SERVER)")
        return 0
    print(f"Generating into {database_url(args.server, args.database)} (seed {args.seed})")
    try:
        result = generate(**options)
        print(
            f"Done in {result.seconds:.0f} s: "
            + ", ".join(f"{v:,} {k}" for k, v in result.counts.items())
        )
    finally:
        if not args.keep:
            if "django" in sys.modules and os.environ.get("DJANGO_SETTINGS_MODULE"):
                from django.db import connections

                connections.close_all()
            drop_database(args.server, args.database)
            print(f"Dropped {args.database} (--keep keeps it).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
