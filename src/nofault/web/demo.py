"""The demo organisation: a user per role, about twenty incidents, postmortems in every state.

Everything is created through the services, exactly as the pages and the API would.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from nofault.core import document as d
from nofault.core.markdown import render
from nofault.core.template import new_postmortem
from nofault.web.accounts import services as account_services
from nofault.web.accounts.models import User
from nofault.web.choices import Role
from nofault.web.guides import services as guide_services
from nofault.web.incidents import services as incident_services
from nofault.web.postmortems import services as pm_services
from nofault.web.reviews import services as review_services

DEMO_USERS: list[tuple[str, str, str]] = [
    ("admin", "demo-admin-pass", Role.ADMIN),
    ("fran", "demo-fran-pass", Role.FACILITATOR),
    ("alex", "demo-alex-pass", Role.AUTHOR),
    ("sam", "demo-sam-pass", Role.AUTHOR),
    ("vic", "demo-vic-pass", Role.VIEWER),
]

# (title, severity, services, postmortem state or None, restricted)
_INCIDENTS: list[tuple[str, str, list[str], str | None, bool]] = [
    (
        "Checkout errors after a config push",
        "SEV1",
        ["checkout", "api-gateway"],
        "published",
        False,
    ),
    ("Payment provider timeouts", "SEV2", ["payments"], "published", False),
    ("Search index served stale results", "SEV3", ["search"], "published", False),
    ("Login failures for SSO users", "SEV2", ["auth"], "in_review", False),
    ("Cache miss storm after a deploy", "SEV3", ["cache", "api-gateway"], "draft", False),
    ("Notification emails delayed by hours", "SEV4", ["notifications"], "published", False),
    ("Database failover took twelve minutes", "SEV1", ["db"], "in_review", False),
    ("Leaked API key in a public repository", "SEV2", ["auth"], "draft", True),
    ("Image uploads rejected for large files", "SEV4", ["uploads"], "draft", False),
    ("Elevated 500s on the orders API", "SEV2", ["orders", "api-gateway"], "published", False),
    ("Mobile app crash on launch", "SEV2", ["mobile"], "in_review", False),
    ("Disk full on the logging cluster", "SEV3", ["logging"], "published", False),
    ("Currency rounding errors on invoices", "SEV3", ["billing"], "draft", False),
    ("DNS change broke the status page", "SEV4", ["status-page"], "in_review", False),
    ("Scheduled jobs ran twice", "SEV3", ["scheduler"], "published", False),
    ("Rate limiter blocked a large customer", "SEV3", ["api-gateway"], "draft", False),
    ("Certificate expiry on an internal service", "SEV2", ["internal-api"], "in_review", False),
    ("Recommendation widget slow", "SEV5", ["recommendations"], None, False),
    ("Feature flag service unreachable", "SEV3", ["flags"], "draft", False),
    ("Queue backlog after a traffic spike", "SEV4", ["queue"], None, False),
]

_EXAMPLE_VALUES = """\
- **Learning over blame**: we look for what in the system let an incident happen.
- **Customer trust**: we say plainly what happened to the people who rely on us.
- **Ownership**: teams follow through on what they commit to.
"""
_EXAMPLE_PRINCIPLES = """\
- **Assume good intent**: people did what made sense with what they knew at the time.
- **Leaders go first**: leaders share their own mistakes and ask what help is needed.
"""


def _source(
    *,
    key: str,
    title: str,
    severity: str,
    services: list[str],
    author: str,
    state: str,
    index: int,
    started: datetime,
    resolved_after: int,
) -> str:
    today = timezone.localdate()
    doc = new_postmortem(
        title=title, severity=severity, incidents=[key], authors=[author], created=started.date()
    )
    doc.services = services
    doc.facilitator = "fran"
    service = services[0]
    blameful = state == "draft" and index % 2 == 0
    texts = {
        d.SectionKind.SUMMARY: (
            f"For {30 + index * 7} minutes, requests to {service} failed or slowed down. "
            + ("Bob should have checked the dashboard before the rollout. " if blameful else "")
            + "Customers saw errors until the change was rolled back."
        ),
        d.SectionKind.IMPACT: f"About {1200 + index * 310} users saw errors; "
        f"{round(2 + index * 0.7, 1)}% of requests failed during the window.",
        d.SectionKind.DETECTION: "An error-rate alert paged the on-call engineer after eight "
        "minutes; the alert threshold was tuned for daytime traffic.",
        d.SectionKind.WENT_WELL: "The rollback was one command and the runbook was current.",
        d.SectionKind.WENT_WRONG: "The change looked safe in staging, where the traffic shape "
        "differs from production.",
        d.SectionKind.LUCKY: "It happened during working hours, with the owning team online.",
        d.SectionKind.SURPRISED: f"We did not know {service} depended on that setting at start-up.",
        d.SectionKind.LESSONS: "Configuration changes deserve the same canary as code changes.",
    }
    for s_index, section in enumerate(doc.sections):
        if section.kind in texts:
            doc.sections[s_index] = section.model_copy(update={"body": texts[section.kind]})
        elif isinstance(section, d.TimelineSection):
            # The events follow the incident's own clock: start, detection (+8 min),
            # escalation, mitigation (+29 min) and resolution.
            events = [
                d.TimelineEvent(time=_at(started, minutes), text=text, kind=kind)
                for minutes, text, kind in (
                    (0, "Configuration change rolled out", d.EventKind.TRIGGER),
                    (8, "Error-rate alert fired", d.EventKind.DETECTION),
                    (16, "Incident declared; rollback started", d.EventKind.ESCALATION),
                    (29, "Rollback complete; errors back to normal", d.EventKind.MITIGATION),
                    (resolved_after, "Incident resolved", d.EventKind.RESOLUTION),
                )
            ]
            doc.sections[s_index] = section.model_copy(update={"events": events, "body": ""})
        elif isinstance(section, d.FactorsSection):
            factors = [
                d.ContributingFactor(
                    id="F1",
                    text="Configuration changes skip the canary stage.",
                    category=d.FactorCategory.PROCESS,
                ),
                d.ContributingFactor(
                    id="F2",
                    text=f"The {service} alert threshold hides slow error growth.",
                    category=d.FactorCategory.TOOLING,
                ),
                d.ContributingFactor(
                    id="F3",
                    text="Staging traffic does not resemble production traffic.",
                    category=d.FactorCategory.TECHNICAL,
                ),
            ]
            doc.sections[s_index] = section.model_copy(update={"factors": factors, "body": ""})
        elif isinstance(section, d.AnalysisSection):
            body = (
                "The change was reviewed and looked safe: the setting had the same value in "
                "staging for months. What made sense at the time was reasonable with what the "
                "team could see; the dashboards did not show the start-up dependency."
            )
            chain = d.WhyChain(
                title="Why did the errors reach customers?",
                answers=[
                    "The configuration reached every instance at once.",
                    "Configuration pushes do not go through the canary stage.",
                    "The canary tooling was built for code deploys only.",
                ],
            )
            doc.sections[s_index] = section.model_copy(update={"body": body, "chains": [chain]})
        elif isinstance(section, d.ActionItemsSection):
            statuses = _action_statuses(state, index)
            items = []
            for a_index, status in enumerate(statuses):
                due = today + timedelta(
                    days=(
                        -10
                        if a_index == 0
                        and status in (d.ActionStatus.OPEN, d.ActionStatus.IN_PROGRESS)
                        else 14 + a_index * 7
                    )
                )
                items.append(
                    d.ActionItem(
                        id=f"A{a_index + 1}",
                        text=[
                            "Send configuration changes through the canary stage",
                            f"Alert on the rate of change of {service} errors",
                            "Replay a sample of production traffic in staging",
                            "Add the start-up dependency to the service's runbook",
                        ][a_index % 4],
                        type=[
                            d.ActionType.PREVENT,
                            d.ActionType.DETECT,
                            d.ActionType.PREVENT,
                            d.ActionType.LEARN,
                        ][a_index % 4],
                        owner=f"team-{service}",
                        person=["alex", "sam", "fran", "alex"][a_index % 4],
                        due=due,
                        status=status,
                        reason="superseded by the platform migration"
                        if status is d.ActionStatus.WONT_DO
                        else None,
                        factors=[["F1"], ["F2"], ["F3"], ["F1", "F3"]][a_index % 4],
                    )
                )
            doc.sections[s_index] = section.model_copy(update={"items": items, "body": ""})
        elif isinstance(section, d.LinksSection):
            doc.sections[s_index] = section.model_copy(
                update={
                    "links": [
                        d.Link(
                            title="Error-rate dashboard", url="https://grafana.example.com/d/errors"
                        )
                    ],
                    "body": "",
                }
            )
    return render(doc)


def _at(started: datetime, minutes: int) -> str:
    return f"{(started + timedelta(minutes=minutes)).astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _action_statuses(state: str, index: int) -> list[d.ActionStatus]:
    s = d.ActionStatus
    if state == "draft":
        return [s.OPEN, s.OPEN, s.IN_PROGRESS][: 2 + index % 2]
    if state == "in_review":
        return [s.OPEN, s.IN_PROGRESS, s.OPEN]
    cycle = [
        [s.OPEN, s.DONE, s.IN_PROGRESS, s.WONT_DO],
        [s.DONE, s.DONE, s.OPEN],
        [s.IN_PROGRESS, s.DONE, s.OPEN, s.DONE],
    ]
    return cycle[index % 3]


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def demo_load(*, force: bool = False) -> int:
    """Create the demo organisation; return the number of incidents, or 0 if it was there."""
    if User.objects.filter(username="admin").exists() and not force:
        return 0
    for username, password, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            account_services.user_create(
                username=username,
                password=password,
                role=role,
                full_name={
                    "admin": "Ada Admin",
                    "fran": "Fran Facilitator",
                    "alex": "Alex Author",
                    "sam": "Sam Author",
                    "vic": "Vic Viewer",
                }[username],
            )
    admin, fran, alex, sam = _user("admin"), _user("fran"), _user("alex"), _user("sam")
    created = 0
    for index, (title, severity, services, state, restricted) in enumerate(_INCIDENTS):
        days_ago = 3 + index * 6
        started = timezone.now() - timedelta(days=days_ago, hours=index % 5)
        resolved_after = 40 + index * 7  # minutes
        resolved = started + timedelta(minutes=resolved_after)
        author = [alex, sam][index % 2]
        key = f"INC-{1001 + index}"
        if force and incident_services.Incident.objects.filter(key=key).exists():
            continue
        incident = incident_services.incident_create(
            actor=author if not restricted else fran,
            key=key,
            title=title,
            severity=severity,
            services=services,
            status="resolved" if index > 1 else "mitigated",
            started_at=started,
            detected_at=started + timedelta(minutes=8),
            mitigated_at=started + timedelta(minutes=29),
            resolved_at=resolved,
            restricted=restricted,
            created_at=started,
            responders=[
                {"name": author.username, "role": "incident_commander"},
                {"name": "fran", "role": "scribe"},
            ],
        )
        created += 1
        if state is None:
            continue
        actor = fran if restricted else author
        source = _source(
            key=key,
            title=title,
            severity=severity,
            services=services,
            author=actor.username,
            state=state,
            index=index,
            started=started,
            resolved_after=resolved_after,
        )
        pm = pm_services.postmortem_create(incident=incident, actor=actor, source=source)
        if state == "draft":
            continue
        reviewers = [fran, sam if actor != sam else alex]
        pm = review_services.postmortem_submit_for_review(
            postmortem=pm, actor=actor, reviewers=reviewers
        )
        review_services.postmortem_comment_add(
            postmortem=pm,
            actor=fran,
            body="Could the timeline say what the on-call engineer saw on the dashboard at 14:10?",
        )
        if state == "in_review":
            if index % 2:
                review_services.postmortem_approve(postmortem=pm, actor=fran)
            continue
        for reviewer in reviewers:
            review_services.postmortem_approve(postmortem=pm, actor=reviewer)
        review_services.postmortem_publish(postmortem=pm, actor=fran, accept_blame_findings=True)
    inputs = guide_services.guide_inputs_get()
    if not inputs.values.strip():
        guide_services.guide_inputs_update(
            actor=admin, values=_EXAMPLE_VALUES, principles=_EXAMPLE_PRINCIPLES, config=""
        )
    from nofault.web.insights.demo import demo_insights_load

    demo_insights_load()
    return created


__all__ = ["DEMO_USERS", "demo_load"]
