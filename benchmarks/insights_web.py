"""Insights and search in the web app at scale: search, similar incidents, the insights page.

Run: .venv/bin/python benchmarks/insights_web.py [--only postgres|sqlite] [--pg-size 100000]
     [--sqlite-size 10000] [--keep] [--reuse]

Two runs, each in its own process (Django is set up once per process):

- PostgreSQL (postgres://postgres@127.0.0.1:5432, database `nofault_bench_insights`, created
  here and dropped at the end unless `--keep`; `--reuse` keeps a loaded database from an
  earlier `--keep` run) with 100,000 postmortems;
- SQLite in a temporary folder with 10,000 postmortems (with `--keep`, in
  `$TMPDIR/nofault-bench-insights-sqlite`, which `--reuse` reads again).

The data. `benchmarks/web_data.py` (the web load benchmark's generator) had not landed when
this was written, so the rows are generated here, seeded, and written with bulk inserts that
produce the rows the app's services produce: incidents (creator as member, review due date),
postmortems (Markdown source, extracted fields, the linter's findings, blame count and depth
score), one revision each (the last save), action items (closed_at for done / won't do),
reviewers and approvals, waivers for 1% of incidents with no postmortem, the insights digest
of every postmortem and one search entry per incident, postmortem and action item (the
database keeps the FTS5 table / tsvector column itself; on PostgreSQL the GIN index is dropped
during the load and created again with the migration's statement, then VACUUM ANALYZE). 3% of the
incidents have no postmortem, 5% are restricted. The linter (10 ms a text) is run once per
*skeleton*: the same failure, factors, analysis and action statuses, severity and overdue
items, with the names, dates and numbers of one representative; its answer is stored for
every postmortem built on it (about 13,000 skeletons for 100,000 postmortems; each
finding's excerpt is read again from the postmortem's own line). A sample of
the generated postmortems is parsed and digested by the app's own code and compared with the
rows written, so the shortcut cannot drift from what the services store.

The measures (requests through Django's test client, in process, logged in; every loop is
bounded and the script stops by itself):

- search: 60 queries (one to three words, a third with a filter), each run 3 times, as an
  admin (sees everything) and as a member (visibility filter in SQL), through `/api/search`
  and the `/search/` page, after one untimed pass over the 60 queries (a new process's first
  request, about 0.5 s on PostgreSQL at 100,000, fills caches; web_load.py warms up too);
  p50 / p95 / max;
- similar incidents: a new draft (written through the services) whose unsaved text is POSTed
  to the editor's partial `/insights/similar/<pk>/` 40 times with varied text; the index is
  built first (its build time and its load time in a fresh process are printed too);
- insights page `/insights/` (12 months, the default, and all time), after one untimed
  request for another period (a new process's first page loads templates and modules): cold
  (cache emptied before each request, 3 times: the figures are the core's metrics over
  the rows read with the ORM), warm
  (served from `InsightCache`), and the first request after a change (the data version
  moved and the stale window is over: the last figures are served, marked stale, while a
  thread computes new ones, whose time is printed as "new figures ready after"); the themes
  page cold and warm (`--parts` without `themes` leaves it out: it takes minutes cold; a
  large organisation's first view answers at once that the themes are being found, and
  "themes ready after" is when the thread has found them).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from insights_speed import CATEGORIES, COMPONENTS, CONDITIONS, FAILURES, FRAMES  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DB = "nofault_bench_insights"
SQLITE_DIR = "nofault-bench-insights-sqlite"  # under the temporary folder, with --keep
SEED = 8
SEVERITIES = ("SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4")
TEAMS = ("team-platform", "team-payments", "team-data", "team-web", "team-mobile", "team-core",
         "team-search", "team-orders")  # fmt: skip
REGIONS = ("eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast", "sa-east")
PEOPLE = ("alex", "sam", "fran", "kim", "lee", "noor", "ravi", "jo")
# Condition sets (indices into CONDITIONS) and action status patterns: part of the skeleton.
CONDITION_SETS = [(a,) for a in range(4)] + [c for c in combinations(range(8), 2)][::7]
STATUS_PATTERNS = (
    ("done", "done"), ("done", "open"), ("open", "in_progress", "done"),
    ("done", "done", "wont_do"), ("open", "open"), ("done", "in_progress", "done", "open"),
)  # fmt: skip
ANALYSES = (
    "What the responders saw made their choices reasonable at the time; the gaps were in "
    "what the system showed them.",
    "The {component} team followed the runbook, but the runbook did not cover this case. "
    "Nobody had exercised the fallback path since it was written.",
    "Dave forgot to check the dashboard before the rollout, which is why the change went out "
    "with the fault.",
    "We asked why the safeguards did not catch it: {cause}, and the review of the change "
    "looked at the code, not at the configuration it shipped with.",
)
BLAMEY = 2
ACTION_TEXT = {
    "technical": "Fix the root condition in {component}: {cause}",
    "process": "Add a review step so that {cause} is caught before rollout",
    "tooling": "Add an alert on {component} in {region} and test that it fires",
    "organisational": "Name an owner for {component} and write it in the service catalogue",
    "knowledge": "Write a runbook for {title} and walk the on-call rota through it",
}
SEARCH_WORDS = (
    "certificate", "certificate expired", "connection pool", "disk", "validation",
    "alerts missing region", "retry storm backoff", "memory leak", "replication lag",
    "canary", "scheduler double run", "credential", "cache stampede", "runbook", "dashboard",
    "checkout", "payments", "kafka", "dns", "redis cache", "eu-west", "ap-south", "rollout",
    "on-call rota", "capacity", "vendor", "ownership", "timeout", "jitter", "schema",
)  # fmt: skip


# --- the documents --------------------------------------------------------------------------


@dataclass
class Doc:
    """One generated incident and its postmortem, with every value the rows need."""

    n: int
    key: str
    title: str
    severity: str
    services: list[str]
    team: str
    status: str  # postmortem status, or "" for an incident with no postmortem
    started: datetime
    detected: datetime
    mitigated: datetime
    resolved: datetime
    created: datetime
    published: datetime | None
    restricted: bool
    waived: bool
    skeleton: tuple[int, int, int, int]
    first_analysis: int
    summary: str = ""
    front: str = ""
    body: str = ""
    factors: list[list[str]] = field(default_factory=list)
    timeline: list[str] = field(default_factory=list)
    analysis: str = ""
    related: list[str] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def source(self) -> str:
        """The whole Markdown text."""
        return self.front + self.body


def _fill(
    doc: Doc,
    rng: random.Random,
    *,
    component: str,
    region: str,
    frame: int,
    dues: tuple[date, ...] | None = None,
) -> None:
    failure, cond_set, analysis, pattern = doc.skeleton
    title_words, effect, cause = FAILURES[failure]
    day = doc.started.date().isoformat()
    doc.title = FRAMES[frame].format(c=component, f=title_words) + f" in {region}"
    doc.summary = (
        f"On {doc.started:%A} {effect} in the {component} ({region}). "
        f"Customers of {doc.services[0]} saw errors for "
        f"{int((doc.resolved - doc.started).total_seconds() // 60)} minutes."
    )
    cats = [
        CATEGORIES[(failure + k) % len(CATEGORIES)]
        for k in range(1 + len(CONDITION_SETS[cond_set]))
    ]
    texts = [f"{cause} ({component})."] + [
        CONDITIONS[c][0].upper() + CONDITIONS[c][1:] + "." for c in CONDITION_SETS[cond_set]
    ]
    doc.factors = [[f"F{k}", t, c] for k, (t, c) in enumerate(zip(texts, cats, strict=True), 1)]
    events = (
        (doc.started, f"{component} {title_words} begins", "trigger"),
        (doc.detected, f"Alert fires for {component} in {region}", "detection"),
        (doc.detected + timedelta(minutes=3), "On-call acknowledges the page", "response"),
        (doc.mitigated, "Mitigation applied", "mitigation"),
        (doc.resolved, "Incident resolved", "resolution"),
    )
    doc.timeline = [e[1] for e in events]
    doc.analysis = ANALYSES[analysis].format(component=component, cause=cause)
    owners = [rng.choice(TEAMS) if k else doc.team for k in range(len(STATUS_PATTERNS[pattern]))]
    doc.actions = []
    for k, status in enumerate(STATUS_PATTERNS[pattern]):
        factor = doc.factors[k % len(doc.factors)]
        due = doc.created.date() + timedelta(days=rng.randint(14, 90))
        due = dues[k] if dues else due
        closed = (
            datetime.combine(due + timedelta(days=rng.randint(-20, 20)), datetime.min.time(), UTC)
            + timedelta(hours=10)
            if status in ("done", "wont_do")
            else None
        )
        doc.actions.append({
            "key": f"A{k + 1}",
            "text": ACTION_TEXT[factor[2]].format(component=component, cause=cause,
                                                  region=region, title=title_words),
            "type": "prevent" if k % 2 == 0 else "mitigate",
            "owner": owners[k], "person": rng.choice(PEOPLE), "due": due, "status": status,
            "factors": [factor[0]], "closed_at": closed,
        })  # fmt: skip
    factor_lines = "\n".join(f"- **{f[0]}** [{f[2]}] {f[1]}" for f in doc.factors)
    rows = "\n".join(
        f"| {a['key']} | {a['text']} | {a['type']} | {a['owner']} | {a['person']} | "
        f"{a['due'].isoformat()} | {a['status']} | {', '.join(a['factors'])} |  |"
        for a in doc.actions
    )
    timeline_rows = "\n".join(f"| {t:%Y-%m-%d %H:%M} UTC | {text} | {kind} |  |"
                              for t, text, kind in events)  # fmt: skip
    front = [f"---\nincidents:\n  - {doc.key}\nseverity: {doc.severity}\n",
             "services:\n" + "".join(f"  - {s}\n" for s in doc.services),
             f"status: {doc.status}\nreview_level: full\nauthors:\n  - alex\n",
             "facilitator: fran\n", f"team: {doc.team}\n"]  # fmt: skip
    if doc.status != "draft":
        front.append("reviewers:\n  - fran\n")
    if doc.published:
        front.append(f"published: {doc.published.date().isoformat()}\n")
    if doc.related:
        front.append("recurrence_of:\n" + "".join(f"  - {r}\n" for r in doc.related))
    doc.front = "".join(front) + "---\n"
    doc.body = (
        f"\n# {doc.title}\n\n## Summary\n\n{doc.summary}\n\n## Timeline\n\n"
        "| Time | Event | Kind | Source |\n| --- | --- | --- | --- |\n"
        f"{timeline_rows}\n\n## Contributing factors\n\n{factor_lines}\n\n"
        f"## Analysis\n\n{doc.analysis}\n\n## Action items\n\n"
        "| ID | Action | Type | Owner | Person | Due | Status | Factors | Tracker |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"{rows}\n"
    )
    del day


def generate(count: int, *, today: date, seed: int = SEED) -> Iterator[Doc]:
    """Yield `count` postmortems (plus 3% incidents without one), seeded, over three years."""
    rng = random.Random(seed)
    services = [f"{c.replace(' ', '-')}" for c in COMPONENTS]
    end = datetime.combine(today, datetime.min.time(), UTC) - timedelta(days=2)
    total = count + count * 3 // 100
    with_pm = set(rng.sample(range(total), count))
    for n in range(total):
        started = end - timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        detect, mitigate, resolve = rng.randint(1, 60), rng.randint(10, 240), rng.randint(5, 300)
        has_pm = n in with_pm
        status = rng.choice(("published",) * 8 + ("in_review", "draft")) if has_pm else ""
        component = rng.choice(COMPONENTS)
        created = started + timedelta(minutes=detect)
        doc = Doc(
            n=n, key=f"INC-{n + 1:06d}", title="", severity=rng.choice(SEVERITIES),
            services=[component.replace(" ", "-")] + ([rng.choice(services)] if rng.random() < 0.2 else []),
            team=rng.choice(TEAMS), status=status, started=started,
            detected=started + timedelta(minutes=detect),
            mitigated=started + timedelta(minutes=detect + mitigate),
            resolved=started + timedelta(minutes=detect + mitigate + resolve),
            created=created,
            published=created + timedelta(days=rng.randint(2, 40)) if status == "published" else None,
            restricted=rng.random() < 0.05, waived=not has_pm and rng.random() < 0.33,
            skeleton=(rng.randrange(len(FAILURES)), rng.randrange(len(CONDITION_SETS)),
                      BLAMEY if rng.random() < 0.04 else rng.choice((0, 1, 3)),
                      rng.randrange(len(STATUS_PATTERNS))),
            first_analysis=BLAMEY if rng.random() < 0.3 else -1,
        )  # fmt: skip
        if doc.published and doc.published.date() > today:
            doc.published = datetime.combine(today, datetime.min.time(), UTC)
        if n and rng.random() < 0.1:
            doc.related = [f"INC-{rng.randrange(n) + 1:06d}"]
        _fill(doc, rng, component=component, region=rng.choice(REGIONS),
              frame=rng.randrange(len(FRAMES)))  # fmt: skip
        if not has_pm:
            doc.title = doc.title[0].upper() + doc.title[1:]
        yield doc


def _lint_one(source: str) -> tuple[list[dict[str, Any]], float | None, int]:
    from nofault.core.lint.config import LintConfig
    from nofault.web.postmortems.linting import lint_source

    report = lint_source(source, config=LintConfig())[1]  # no guide stored: the defaults
    return [f.as_dict() for f in report.findings], report.score, report.blame_count


LintKey = tuple[tuple[int, int, int, int], str, tuple[bool, ...]]


def lint_key(doc: Doc, *, today: date, analysis: int | None = None) -> LintKey:
    """What the linter's answer depends on: the skeleton, the severity, which items are overdue."""
    skeleton = doc.skeleton if analysis is None else (*doc.skeleton[:2], analysis, doc.skeleton[3])
    overdue = tuple(
        a["status"] in ("open", "in_progress") and a["due"] < today for a in doc.actions
    )
    return skeleton, doc.severity, overdue


def _skeleton_source(key: LintKey, today: date) -> str:
    skeleton, severity, overdue = key
    rng = random.Random(1)
    moment = datetime(2025, 3, 4, 9, 0, tzinfo=UTC)
    doc = Doc(
        n=0, key="INC-000001", title="", severity=severity, services=["checkout"], team=TEAMS[0],
        status="published", started=moment, detected=moment + timedelta(minutes=12),
        mitigated=moment + timedelta(minutes=70), resolved=moment + timedelta(minutes=140),
        created=moment + timedelta(minutes=12), published=moment + timedelta(days=9),
        restricted=False, waived=False, skeleton=skeleton, first_analysis=-1,
    )  # fmt: skip
    dues = tuple(today + timedelta(days=-10 if late else 30) for late in overdue)
    _fill(doc, rng, component="checkout", region="eu-west", frame=0, dues=dues)
    return doc.source


# Lines of the representative's front matter: a postmortem's own front matter may be longer.
_REPRESENTATIVE = _skeleton_source(((0, 0, 0, 0), "SEV2", ()), date(2025, 1, 1))
SKELETON_FRONT = _REPRESENTATIVE[: _REPRESENTATIVE.index("\n---\n") + 5].count("\n")


def lint_skeletons(keys: list[LintKey], today: date) -> dict[LintKey, Any]:
    """The linter's findings, depth score and blame count for each skeleton (two processes)."""
    sources = [_skeleton_source(k, today) for k in keys]
    with ProcessPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        results = list(pool.map(_lint_one, sources, chunksize=64))
    return dict(zip(keys, results, strict=True))


def localise(findings: list[dict[str, Any]], doc: Doc) -> list[dict[str, Any]]:
    """The skeleton's findings moved to this postmortem's lines, excerpts read from its text."""
    lines = doc.source.split("\n")
    shift = doc.front.count("\n") - SKELETON_FRONT
    out = []
    for f in findings:
        f = dict(f)
        for name in ("line", "end_line"):
            if f.get(name) and f[name] > SKELETON_FRONT:
                f[name] += shift
        line, col = f.get("line"), f.get("column")
        if f.get("excerpt") and line and col and line <= len(lines):
            text = lines[line - 1]
            end = f.get("end_column") if f.get("end_line") == line else None
            f["excerpt"] = text[col - 1 : (end - 1) if end else None]
        out.append(f)
    return out


# --- loading ----------------------------------------------------------------------------------


def search_body(doc: Doc) -> str:
    """The postmortem's search text as the search app writes it: the lines after front matter."""
    return "\n".join(doc.source.split("\n")[doc.front.count("\n") : -1])


def _services_index(services: list[str]) -> str:
    names = [s.strip().lower() for s in services if s.strip()]
    return ("," + ",".join(names) + ",") if names else ""


def load(size: int, *, say: Callable[[str], None]) -> dict[str, Any]:
    """Write the generated rows with bulk inserts; return the users and a few counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from nofault.web.accounts import services as account_services
    from nofault.web.actions.models import ActionItem
    from nofault.web.incidents.models import Incident
    from nofault.web.insights.models import PostmortemDigest
    from nofault.web.insights.services import data_version_bump
    from nofault.web.postmortems.models import Approval, Postmortem, Revision
    from nofault.web.reviews.models import Waiver
    from nofault.web.reviews.services import review_due_date
    from nofault.web.search.models import SearchEntry

    admin = account_services.user_create(username="admin", password="bench-pass-1", role="admin")
    fran = account_services.user_create(username="fran", password="bench-pass-1",
                                        role="facilitator")  # fmt: skip
    member = account_services.user_create(username="member", password="bench-pass-1",
                                          role="author")  # fmt: skip
    today = timezone.localdate()
    t0 = time.perf_counter()
    docs = list(generate(size, today=today))
    keys = {lint_key(d, today=today) for d in docs if d.status}
    keys |= {lint_key(d, today=today, analysis=d.first_analysis)
             for d in docs if d.status and d.first_analysis >= 0}  # fmt: skip
    say(f"generated {len(docs):,} incidents in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    linted = lint_skeletons(sorted(keys), today)
    say(f"linted {len(linted):,} skeletons in {time.perf_counter() - t0:.1f} s")

    pg = connection.vendor == "postgresql"
    search_sql = importlib.import_module("nofault.web.search.migrations.0002_fulltext")
    due_cache: dict[tuple[str, date], date] = {}

    def due(severity: str, created: datetime) -> date:
        k = (severity, created.date())
        if k not in due_cache:
            due_cache[k] = review_due_date(severity=severity, since=created)
        return due_cache[k]

    t0 = time.perf_counter()
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS search_searchentry_document")
    batch = 2_000
    counts = {"incidents": 0, "postmortems": 0, "actions": 0, "entries": 0}
    members_through = Incident.members.through
    reviewers_through = Postmortem.reviewers.through
    member_pick = random.Random(3)
    for start in range(0, len(docs), batch):
        chunk = docs[start : start + batch]
        with transaction.atomic():
            incidents = Incident.objects.bulk_create(
                Incident(
                    key=d.key, title=d.title, severity=d.severity,
                    status="resolved", services=d.services,
                    services_index=_services_index(d.services), started_at=d.started,
                    detected_at=d.detected, mitigated_at=d.mitigated, resolved_at=d.resolved,
                    source="pagerduty", restricted=d.restricted, created_by=admin,
                    created_at=d.created, updated_at=d.created,
                    postmortem_due=due(d.severity, d.created),
                )
                for d in chunk
            )  # fmt: skip
            links = [members_through(incident_id=i.pk, user_id=admin.pk) for i in incidents]
            links += [members_through(incident_id=i.pk, user_id=member.pk)
                      for i, d in zip(incidents, chunk, strict=True)
                      if d.restricted and member_pick.random() < 0.2]  # fmt: skip
            members_through.objects.bulk_create(links)
            Waiver.objects.bulk_create(
                Waiver(incident=i, reason="Customer impact under a minute; covered by INC review",
                       role="facilitator", decided_by=fran, decided_by_name="fran",
                       created_at=d.created + timedelta(days=1))
                for i, d in zip(incidents, chunk, strict=True) if d.waived
            )  # fmt: skip
            pairs = [(i, d) for i, d in zip(incidents, chunk, strict=True) if d.status]
            pms = []
            for i, d in pairs:
                findings, score, blame = linted[lint_key(d, today=today)]
                findings = localise(findings, d)
                revision = {"draft": 1, "in_review": 2, "published": 3}[d.status]
                pms.append(Postmortem(
                    incident=i, source=d.source, revision=revision, status=d.status,
                    title=d.title, severity=d.severity, review_level="full", summary=d.summary,
                    services=d.services, authors=["alex"], facilitator="fran", findings=findings,
                    finding_count=len(findings), blame_count=blame, depth_score=score,
                    created_by=admin, created_at=d.created,
                    updated_at=d.published or d.created + timedelta(days=1),
                    submitted_at=d.created + timedelta(days=1) if d.status != "draft" else None,
                    published_at=d.published, published_by=fran if d.published else None,
                ))  # fmt: skip
            pms = Postmortem.objects.bulk_create(pms)
            message = {"draft": "created", "in_review": "submitted for review",
                       "published": "published"}  # fmt: skip
            Revision.objects.bulk_create(
                Revision(postmortem=p, number=p.revision, author=admin, created_at=p.updated_at,
                         source=p.source, message=message[p.status])
                for p in pms
            )  # fmt: skip
            reviewers_through.objects.bulk_create(
                reviewers_through(postmortem_id=p.pk, user_id=fran.pk)
                for p in pms if p.status != "draft"
            )  # fmt: skip
            Approval.objects.bulk_create(
                Approval(postmortem=p, reviewer=fran, revision=2, created_at=p.updated_at)
                for p in pms if p.status == "published"
            )  # fmt: skip
            digests = []
            for p, (_, d) in zip(pms, pairs, strict=True):
                first = (
                    linted[lint_key(d, today=today, analysis=d.first_analysis)][2]
                    if d.first_analysis >= 0
                    else p.blame_count
                )
                categories = sorted({f[2] for f in d.factors})
                digests.append(PostmortemDigest(
                    postmortem=p, revision=p.revision, team=d.team, factors=d.factors,
                    categories_index="," + ",".join(categories) + ",", timeline=d.timeline,
                    analysis=d.analysis, related_incidents=d.related,
                    blame_first_draft=first,
                    blame_at_publication=p.blame_count if p.status == "published" else None,
                ))  # fmt: skip
            PostmortemDigest.objects.bulk_create(digests)
            items = []
            for p, (_, d) in zip(pms, pairs, strict=True):
                for position, a in enumerate(d.actions):
                    items.append(ActionItem(
                        postmortem=p, key=a["key"], text=a["text"], type=a["type"],
                        owner=a["owner"], person=a["person"], due=a["due"], status=a["status"],
                        factors=a["factors"], position=position,
                        closed_by=fran if a["closed_at"] else None, closed_at=a["closed_at"],
                        created_at=p.created_at,
                    ))  # fmt: skip
            items = ActionItem.objects.bulk_create(items)
            entries = []
            for i, d in zip(incidents, chunk, strict=True):
                entries.append(SearchEntry(
                    kind="incident", object_id=i.pk, incident=i, title=f"{i.key} {i.title}"[:500],
                    body=" ".join(d.services), severity=i.severity,
                    services_index=i.services_index, status=i.status,
                    occurred=d.started.date(), url=f"/incidents/{i.key}/",
                ))  # fmt: skip
            by_pm = {}
            for p, (i, d) in zip(pms, pairs, strict=True):
                by_pm[p.pk] = (i, d)
                entries.append(SearchEntry(
                    kind="postmortem", object_id=p.pk, incident=i, title=p.title,
                    body=search_body(d),
                    severity=i.severity, services_index=_services_index(d.services + d.services),
                    categories_index="," + ",".join(sorted({f[2] for f in d.factors})) + ",",
                    team=d.team, status=p.status, occurred=d.started.date(),
                    url=f"/postmortems/{p.pk}/",
                ))  # fmt: skip
            for item in items:
                i, d = by_pm[item.postmortem_id]
                cats = sorted({f[2] for f in d.factors if f[2] and f[0] in item.factors})
                entries.append(SearchEntry(
                    kind="action", object_id=item.pk, incident=i, title=item.text,
                    body=" ".join(x for x in (item.owner, item.person, item.reason, i.key) if x),
                    severity=i.severity, services_index=i.services_index,
                    categories_index=("," + ",".join(cats) + ",") if cats else "",
                    team=item.owner, status=item.status, occurred=d.started.date(),
                    url=f"/postmortems/{item.postmortem_id}/",
                ))  # fmt: skip
            SearchEntry.objects.bulk_create(entries, batch_size=1_000)
        counts["incidents"] += len(incidents)
        counts["postmortems"] += len(pms)
        counts["actions"] += len(items)
        counts["entries"] += len(entries)
        if (start // batch) % 10 == 0:
            say(f"  … {start + len(chunk):,} incidents written ({time.perf_counter() - t0:.0f} s)")
    say(f"wrote {counts} in {time.perf_counter() - t0:.1f} s")
    if pg:
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(search_sql.POSTGRES_FORWARD[1])
            # As autovacuum leaves a table some time after a bulk load: statistics, and the
            # visibility map that lets index-only scans skip the rows.
            cursor.execute("VACUUM ANALYZE")
        say(f"created the GIN index and ran VACUUM ANALYZE in {time.perf_counter() - t0:.1f} s")
    data_version_bump()
    return {"counts": counts}


def verify(sample: int, *, say: Callable[[str], None]) -> None:
    """Digest a sample of the written postmortems with the app's own code; compare the rows."""
    from nofault.core.insights.records import record_from_postmortem
    from nofault.core.markdown import parse_text
    from nofault.web.insights.records import team_of
    from nofault.web.postmortems.models import Postmortem
    from nofault.web.search.models import SearchEntry

    pks = list(Postmortem.objects.order_by("?").values_list("pk", flat=True)[:sample])
    problems: list[str] = []
    lint_same = 0
    mismatches: list[str] = []
    for pm in Postmortem.objects.filter(pk__in=pks).select_related("digest"):
        parsed = parse_text(pm.source)
        doc = parsed.postmortem
        record = record_from_postmortem(doc, key=str(pm.pk))
        digest = pm.digest
        expected = {
            "team": team_of(record.team, (a.owner for a in doc.action_items)),
            "factors": [[f.id, f.text, f.category or ""] for f in record.factors],
            "timeline": list(record.timeline),
            "analysis": record.analysis,
            "related_incidents": list(record.related_incidents),
        }
        for name, value in expected.items():
            if getattr(digest, name) != value:
                problems.append(f"{pm.pk} digest.{name}: {getattr(digest, name)!r} != {value!r}")
        items = [(a.id, a.text, a.owner, a.person, a.due, a.status.value, list(a.factors))
                 for a in doc.action_items]  # fmt: skip
        stored = list(pm.action_items.order_by("position").values_list(
            "key", "text", "owner", "person", "due", "status", "factors"))  # fmt: skip
        if items != [tuple(r) for r in stored]:
            problems.append(f"{pm.pk} action items differ: {items} != {stored}")
        if (pm.title, pm.summary, list(pm.services)) != (
            doc.title,
            doc.summary,
            list(doc.services),
        ):
            problems.append(f"{pm.pk} title/summary/services differ")
        body = "\n".join(parsed.lines[parsed.body_start :])
        entry = SearchEntry.objects.get(kind="postmortem", object_id=pm.pk)
        if entry.body != body:
            problems.append(f"{pm.pk} search body differs")
        findings, score, blame = _lint_one(pm.source)
        # Rule and line; columns and excerpts inside a line follow the skeleton's names.
        rules = sorted((f["code"], f.get("line")) for f in findings)
        stored = sorted((f["code"], f.get("line")) for f in pm.findings)
        same = (rules, score, blame) == (stored, pm.depth_score, pm.blame_count)
        if not same and len(mismatches) < 3:
            mismatches.append(f"{pm.pk}: {rules} != {stored}")
        lint_same += same
    if problems:
        raise SystemExit("generated rows differ from the app's:\n" + "\n".join(problems[:10]))
    say(f"checked {len(pks)} random postmortems against the app's parser and digest: same rows; "
        f"the linter on the real text gives the stored findings (rule, line), depth score and "
        f"blame count "
        f"for {lint_same}/{len(pks)}" + "".join(f"\n  differs: {m[:400]}" for m in mismatches))  # fmt: skip


# --- measuring ------------------------------------------------------------------------------


def _timed(client: Any, method: str, url: str, data: dict[str, str] | None = None) -> float:
    t = time.perf_counter()
    response = client.post(url, data) if method == "post" else client.get(url, data)
    elapsed = time.perf_counter() - t
    if response.status_code != 200:
        raise SystemExit(f"{method.upper()} {url} answered {response.status_code}")
    response.content  # noqa: B018 - a streamed body is read inside the timing too
    return elapsed


def _stats(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
            f"max {ordered[-1] * 1000:7.1f} ms   (n={len(ordered)})")  # fmt: skip


def _search_queries() -> list[dict[str, str]]:
    filters = ({"severity": "SEV2"}, {"team": "team-web"}, {"category": "tooling"},
               {"service": "checkout"}, {"since": "2025-01-01"}, {"kind": "postmortem"})  # fmt: skip
    queries = [{"q": w} for w in SEARCH_WORDS]
    queries += [{"q": w, **filters[k % len(filters)]} for k, w in enumerate(SEARCH_WORDS)]
    return queries


def measure(*, size: int, rounds: int, parts: str, say: Callable[[str], None]) -> dict[str, str]:
    """Time the search, similar incidents and insights pages; return the figures."""
    from django.test import Client
    from django.utils import timezone

    from nofault.web.accounts.models import User
    from nofault.web.incidents import services as incident_services
    from nofault.web.insights import services as insight_services
    from nofault.web.postmortems import services as pm_services
    from nofault.web.postmortems.models import Postmortem

    class Figures(dict[str, str]):
        def __setitem__(self, name: str, value: str) -> None:
            say(f"{name}: {value}")  # as measured, in case a later step is stopped
            super().__setitem__(name, value)

    figures = Figures()
    clients = {}
    for name in ("admin", "member"):
        clients[name] = Client()
        clients[name].force_login(User.objects.get(username=name))

    # Search: each query `rounds` times, API and page, admin and member, after a warm-up pass.
    queries = _search_queries() if "search" in parts else []
    for who in ("admin", "member") if queries else ():
        for label, url in (("API /api/search", "/api/search"), ("page /search/", "/search/")):
            for q in queries:  # one untimed pass: a new process's first requests fill caches
                _timed(clients[who], "get", url, q)
            timings = [_timed(clients[who], "get", url, q) for _ in range(rounds) for q in queries]
            figures[f"search, {label}, {who}"] = _stats(timings)

    # Similar incidents: a new draft written through the services; its text varied and POSTed.
    admin = User.objects.get(username="admin")
    if "similar" not in parts:
        return figures if "pages" not in parts else _pages(clients, size, figures,
                                                           themes="themes" in parts)  # fmt: skip
    t = time.perf_counter()
    index = insight_services.similarity_index_rebuild()
    figures["similarity index build (publish thread / nightly)"] = (
        f"{time.perf_counter() - t:.1f} s for {len(index):,} postmortems in review or published"
    )
    insight_services._LOADED.clear()
    t = time.perf_counter()
    insight_services.similarity_index_get()
    figures["similarity index load from the database (a new process)"] = (
        f"{time.perf_counter() - t:.2f} s"
    )
    now = timezone.now()
    drafts = list(generate(40, today=timezone.localdate(), seed=99))
    pm = Postmortem.objects.filter(incident__key="INC-BENCH-DRAFT").first()  # a kept database
    if pm is None:
        incident = incident_services.incident_create(
            actor=admin, key="INC-BENCH-DRAFT", title="Checkout errors in eu-west",
            severity="SEV2", services=["checkout"], status="resolved",
            started_at=now - timedelta(hours=5), detected_at=now - timedelta(hours=4),
            resolved_at=now - timedelta(hours=2),
        )  # fmt: skip
        pm = pm_services.postmortem_create(
            incident=incident, actor=admin,
            source=drafts[0].source.replace(drafts[0].key, incident.key),
        )  # fmt: skip
    incident = pm.incident
    assert Postmortem.objects.filter(pk=pm.pk, status="draft").exists()
    url = f"/insights/similar/{pm.pk}/"
    for who in ("admin", "member"):
        timings = [
            _timed(clients[who], "post", url, {"source": d.source.replace(d.key, incident.key)})
            for _ in range(max(1, rounds // 3)) for d in drafts
        ]  # fmt: skip
        figures[f"five similar for a new draft (editor partial), {who}"] = _stats(timings)

    return figures if "pages" not in parts else _pages(clients, size, figures,
                                                       themes="themes" in parts)  # fmt: skip


def _pages(
    clients: dict[str, Any], size: int, figures: dict[str, str], *, themes: bool = True
) -> dict[str, str]:
    """Insights page and themes: cold, warm, and the first request after the data changed.

    Cold: no figure cached, so the request computes them (from the rows, in SQL). Warm:
    served from `InsightCache`. After a change: the data version moves (as any save moves
    it) and the stale window is over, so the request is served the last figures, marked
    stale, while a thread computes new ones; how long that thread takes is printed too.
    """
    from django.conf import settings

    from nofault.web.insights import services
    from nofault.web.insights.models import InsightCache

    def forget() -> None:
        InsightCache.objects.filter(key__regex=r"^(figures|themes):").delete()

    def wait() -> float:
        """Seconds until no figure is being computed on a background thread."""
        t = time.perf_counter()
        while services.insight_refreshing() and time.perf_counter() - t < 900:
            time.sleep(0.02)
        return time.perf_counter() - t

    pages = [("insights page", "/insights/")] + ([("themes page", "/insights/themes/")]
                                                 if themes else [])  # fmt: skip
    for who in ("admin", "member"):
        # One untimed request first: a new process's first page loads templates and modules.
        _timed(clients[who], "get", "/insights/", {"period": "90d"})
        for period in ("12m", "all"):
            for label, url in pages:
                cold, ready = [], []
                # The themes take minutes cold at 100,000: once; the insights page 3 times.
                for _ in range(3 if size <= 20_000 or label == "insights page" else 1):
                    forget()
                    cold.append(_timed(clients[who], "get", url, {"period": period}))
                    ready.append(wait() + cold[-1])
                warm = [_timed(clients[who], "get", url, {"period": period}) for _ in range(10)]
                figures[f"{label} {period}, {who}, cold cache"] = _stats(cold)
                if label == "themes page":  # a large organisation's first view does not wait
                    figures[f"{label} {period}, {who}, cold: themes ready after"] = _stats(ready)
                figures[f"{label} {period}, {who}, warm cache"] = _stats(warm)
                if label != "insights page":
                    continue
                after, refresh = [], []
                window = services.stale_seconds()
                settings.NOFAULT_INSIGHTS_STALE_SECONDS = 0
                try:
                    for _ in range(3):
                        services.data_version_bump()
                        after.append(_timed(clients[who], "get", url, {"period": period}))
                        refresh.append(wait() + after[-1])
                finally:
                    settings.NOFAULT_INSIGHTS_STALE_SECONDS = window
                figures[f"{label} {period}, {who}, first request after a change"] = _stats(after)
                figures[f"{label} {period}, {who}, new figures ready after"] = _stats(refresh)
    return figures


# --- the two runs -----------------------------------------------------------------------------


def _pg_admin(sql: str, *, fetch: bool = False) -> Any:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if fetch else None


def run_backend(args: argparse.Namespace) -> int:
    """One backend, in this process: migrate, load (or reuse), check, measure, print."""

    def say(text: str) -> None:
        print(f"[{args.backend}] {text}", flush=True)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from nofault.web.postmortems.models import Postmortem

    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"migrated in {time.perf_counter() - t:.1f} s ({connection.vendor})")
    if Postmortem.objects.count() < args.size:
        if Postmortem.objects.exists():
            raise SystemExit("the database holds a partial load: drop it or run without --reuse")
        load(args.size, say=say)
    else:
        say(f"reusing {Postmortem.objects.count():,} postmortems already loaded")
    verify(60, say=say)
    figures = measure(size=args.size, rounds=args.rounds, parts=args.parts, say=say)
    width = max(len(k) for k in figures)
    say(f"figures with {args.size:,} postmortems on {connection.vendor}:")
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value}", flush=True)
    return 0


def main() -> int:
    """Run the PostgreSQL and the SQLite measures, each in a child process, and clean up."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", choices=("postgres", "sqlite"))
    parser.add_argument("--pg-size", type=int, default=100_000)
    parser.add_argument("--sqlite-size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="times each search query runs")
    parser.add_argument("--parts", default="search,similar,pages,themes",
                        help="what to measure (themes: the themes page too, with pages)")  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database")
    parser.add_argument("--backend", choices=("postgres", "sqlite"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.backend:
        return run_backend(args)

    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {sys.platform}")
    status = 0
    base = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nofault.web.settings",
        "NOFAULT_DEBUG": "false",
    }
    child = [sys.executable, str(Path(__file__).resolve()), "--rounds", str(args.rounds),
             "--parts", args.parts]  # fmt: skip
    if args.only in (None, "postgres"):
        exists = _pg_admin(f"SELECT 1 FROM pg_database WHERE datname = '{PG_DB}'", fetch=True)
        if exists and not args.reuse:
            _pg_admin(f"DROP DATABASE {PG_DB} WITH (FORCE)")
        if not exists or not args.reuse:
            _pg_admin(f"CREATE DATABASE {PG_DB}")
        with tempfile.TemporaryDirectory(prefix="nofault-bench-") as data_dir:
            env = {**base, "DATABASE_URL": f"{PG_SERVER}/{PG_DB}", "NOFAULT_DATA_DIR": data_dir}
            try:
                status |= subprocess.run([*child, "--backend", "postgres", "--size",
                                          str(args.pg_size)], env=env, timeout=3_600).returncode  # fmt: skip
            finally:
                if not args.keep:
                    _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
                    print(f"dropped database {PG_DB}")
    if args.only in (None, "sqlite"):
        kept = Path(tempfile.gettempdir()) / SQLITE_DIR
        if kept.exists() and not args.reuse:
            shutil.rmtree(kept)
        with (
            contextlib.nullcontext(str(kept)) if args.keep or args.reuse
            else tempfile.TemporaryDirectory(prefix="nofault-bench-")
        ) as data_dir:  # fmt: skip
            Path(data_dir).mkdir(exist_ok=True)
            env = {k: v for k, v in base.items() if k != "DATABASE_URL"}
            env["NOFAULT_DATA_DIR"] = data_dir
            status |= subprocess.run([*child, "--backend", "sqlite", "--size",
                                      str(args.sqlite_size)], env=env, timeout=1_800).returncode  # fmt: skip
            if args.keep:
                print(f"kept the SQLite database in {data_dir}")
    return status


if __name__ == "__main__":
    sys.exit(main())
